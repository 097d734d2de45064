"""Alerts: signed webhook posts to a local receiver (retries, timeout, later runs), commands
fed the event on stdin, and the story filters."""

from __future__ import annotations

import json
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsprism.events import Alerts, record_events, verify
from newsprism.events.alerts import SIGNATURE_HEADER, TIMESTAMP_HEADER, Outcome
from newsprism.store import Store
from tests.events import story
from tests.events.receiver import receiver

SECRET = "a-shared-secret-for-tests"
FAST = {"backoff": 0.01, "timeout": 2.0}


def python(script: str) -> str:
    """A --notify-cmd running ``script`` in this Python."""
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"


def run_command(store: Store, event: dict[str, Any], command: str, **options: Any) -> Outcome:
    return Alerts.from_options(notify_cmd=[command], **options).send(store, [event])[0]


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[Store, list[dict[str, Any]]]]:
    """A store with the story's first two articles and their events."""
    with Store(tmp_path / "alerts.db") as store:
        events = record_events(store, store.add_many([story.first()]))
        events += record_events(store, store.add_many([story.second()]))
        yield store, events


def test_webhook_gets_each_event_signed(stored: tuple[Store, list[dict[str, Any]]]) -> None:
    store, events = stored
    with receiver() as hook:
        alerts = Alerts.from_options(notify=[hook.url], secret=SECRET, **FAST)
        outcomes = alerts.send(store, events)
    assert [o.status for o in outcomes] == ["sent"] * len(events)
    assert len(hook.received) == len(events)
    for got, event in zip(hook.received, events, strict=True):
        assert verify(got.body, SECRET, got.headers[SIGNATURE_HEADER])
        assert not verify(got.body + b" ", SECRET, got.headers[SIGNATURE_HEADER])
        body = json.loads(got.body)
        assert body["pk"] == event["pk"] and body["kind"] == event["kind"]
        assert body["evidence"] == event["evidence"]
        assert body["story_title"] == "Ferry sinks in Lake Marrow, 12 dead"
        assert body["story_path"] == f"/stories/{event['story_id']}"
        assert str(body["sent_at"]) == got.headers[TIMESTAMP_HEADER]
        assert got.headers["Content-Type"] == "application/json"
        assert store.delivery(event["pk"], f"webhook:{hook.url}")["status"] == "sent"  # type: ignore[index]


def test_failing_receiver_is_retried_until_it_answers(
    stored: tuple[Store, list[dict[str, Any]]],
) -> None:
    store, events = stored
    with receiver(answers=[500, 503]) as hook:
        outcome = Alerts.from_options(notify=[hook.url], **FAST).send(store, events[:1])[0]
    assert (outcome.status, outcome.attempts) == ("sent", 3)
    assert len(hook.received) == 3
    assert SIGNATURE_HEADER not in hook.received[0].headers  # no secret, no signature
    bodies = {json.loads(r.body)["pk"] for r in hook.received}
    assert bodies == {events[0]["pk"]}


def test_refusal_is_not_retried(stored: tuple[Store, list[dict[str, Any]]]) -> None:
    store, events = stored
    with receiver(default=404) as hook:
        outcome = Alerts.from_options(notify=[hook.url], **FAST).send(store, events[:1])[0]
    assert (outcome.status, outcome.attempts, outcome.error) == ("failed", 1, "HTTP 404")


def test_slow_receiver_times_out_and_a_later_run_delivers(
    stored: tuple[Store, list[dict[str, Any]]],
) -> None:
    store, events = stored
    with receiver(delay=1.5) as hook:
        alerts = Alerts.from_options(notify=[hook.url], tries=2, backoff=0.01, timeout=0.3)
        outcome = alerts.send(store, events[:1])[0]
        assert outcome.status == "failed" and "Timeout" in (outcome.error or "")
        target = f"webhook:{hook.url}"
        recorded = store.delivery(events[0]["pk"], target)
        assert recorded is not None and recorded["status"] == "failed"
        assert recorded["attempts"] == 2
        hook.delay = 0.0
        # The next run (a new Alerts, as after a restart) sends what failed, with nothing new.
        again = Alerts.from_options(notify=[hook.url], **FAST).send(store, [])
    assert [(o.event_pk, o.status) for o in again] == [(events[0]["pk"], "sent")]
    assert store.undelivered(target)[0]["pk"] == events[1]["pk"]  # never tried: not resent
    assert store.delivery(events[0]["pk"], target)["attempts"] == 3  # type: ignore[index]


def test_sent_events_are_not_sent_again(stored: tuple[Store, list[dict[str, Any]]]) -> None:
    store, events = stored
    with receiver() as hook:
        Alerts.from_options(notify=[hook.url], **FAST).send(store, events[:2])
        Alerts.from_options(notify=[hook.url], **FAST).send(store, events[:2])
    assert len(hook.received) == 2


def test_command_gets_the_event_on_stdin(
    stored: tuple[Store, list[dict[str, Any]]], tmp_path: Path
) -> None:
    store, events = stored
    out = tmp_path / "got.json"
    command = python(f"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())")
    assert run_command(store, events[0], command).status == "sent"
    assert json.loads(out.read_text())["pk"] == events[0]["pk"]


def test_failing_command_is_recorded(stored: tuple[Store, list[dict[str, Any]]]) -> None:
    store, events = stored
    command = python("import sys; sys.exit('no luck')")
    outcome = run_command(store, events[0], command)
    assert outcome.status == "failed"
    assert outcome.error == "exit status 1: no luck"
    assert store.delivery(events[0]["pk"], f"cmd:{command}")["status"] == "failed"  # type: ignore[index]


def test_command_runs_without_a_shell(
    stored: tuple[Store, list[dict[str, Any]]], tmp_path: Path
) -> None:
    store, events = stored
    marker = tmp_path / "injected"
    outcome = run_command(store, events[0], f"echo $(touch {marker}) ; touch {marker}")
    assert outcome.status == "sent"  # echo printed its arguments, literally
    assert not marker.exists()


def test_command_timeout(stored: tuple[Store, list[dict[str, Any]]]) -> None:
    store, events = stored
    outcome = run_command(
        store, events[0], python("import time; time.sleep(5)"), command_timeout=0.3
    )
    assert outcome.status == "failed" and "timed out" in (outcome.error or "")


@pytest.mark.parametrize(
    ("match", "entity", "sent"),
    [
        ([], [], True),
        (["lake marrow"], [], True),
        (["Xinjiang"], [], False),
        ([], ["Tomas Brenner"], True),
        ([], ["Michelle Bachelet"], False),
        (["Xinjiang"], ["Brenner"], True),  # any filter is enough
        (["  "], [""], True),  # blank filters are no filters
        (["  ", "Xinjiang"], [], False),  # ...and do not match every story
    ],
)
def test_filters_keep_alerts_to_stories_of_interest(
    stored: tuple[Store, list[dict[str, Any]]], match: list[str], entity: list[str], sent: bool
) -> None:
    store, events = stored
    with receiver() as hook:
        alerts = Alerts.from_options(notify=[hook.url], match=match, entity=entity, **FAST)
        outcomes = alerts.send(store, events[:1])
    assert bool(outcomes) is sent
    assert len(hook.received) == (1 if sent else 0)


def test_filter_decides_on_the_story_as_it_is_when_sending(tmp_path: Path) -> None:
    """A long-running watch: a story that did not match may match once an article naming the
    entity has joined it."""
    from dataclasses import replace

    with Store(tmp_path / "later.db") as store, receiver() as hook:
        alerts = Alerts.from_options(notify=[hook.url], entity=["Mira Okafor"], **FAST)
        first = record_events(store, store.add_many([story.first()]))
        assert alerts.send(store, first) == []
        later = replace(
            story.second(),
            text=story.SECOND + "\n\nHarbour master Mira Okafor said the port would stay shut.",
        )
        second = record_events(store, store.add_many([later]))
        outcomes = alerts.send(store, second)
    assert second and [o.event_pk for o in outcomes] == [e["pk"] for e in second]


def test_a_failing_receiver_does_not_hold_up_every_event(
    stored: tuple[Store, list[dict[str, Any]]],
) -> None:
    store, events = stored
    with receiver(default=503) as hook:
        alerts = Alerts.from_options(notify=[hook.url], tries=2, backoff=0.01, pause=0.5)
        outcomes = alerts.send(store, events[:3])
        assert len(hook.received) == 2  # the first event's two tries; the others wait
        tried = [(o.status, o.attempts) for o in outcomes]
        assert tried == [("failed", 2), ("failed", 0), ("failed", 0)]
        assert "not tried" in (outcomes[1].error or "")
        hook.default = 200
        assert alerts.send(store, []) == []  # still resting: nothing is tried
        time.sleep(0.6)
        again = alerts.send(store, [])  # rested: what failed is sent, in the same run
    assert [(o.event_pk, o.status) for o in again] == [(e["pk"], "sent") for e in events[:3]]
