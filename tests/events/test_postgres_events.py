"""Events on PostgreSQL: the same detection, state and deliveries as on SQLite."""

from __future__ import annotations

from newsprism.events import Alerts, record_events
from newsprism.store import open_store
from tests.events import story
from tests.events.receiver import receiver
from tests.scale.pgserver import fresh_database


def test_events_state_and_deliveries_on_postgresql() -> None:
    with open_store(fresh_database()) as store:
        first = record_events(store, store.add_many([story.first()]))
        stored = store.add_many([story.second()])
        second = record_events(store, stored)
        assert [e["kind"] for e in first] == ["new_story"]
        assert {"new_outlet", "new_source", "claim_corroborated"} <= {e["kind"] for e in second}
        assert record_events(store, stored) == []  # taken in already: nothing twice
        assert store.story_events() == first + second
        with receiver() as hook:
            outcomes = Alerts.from_options(notify=[hook.url], backoff=0.01).send(store, second)
        assert {o.status for o in outcomes} == {"sent"}
        assert store.undelivered(f"webhook:{hook.url}") == first
