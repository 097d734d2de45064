"""Store methods for watching: the watch list, per-URL fetch state, story events, deliveries.

Written once for both backends: the SQL is dialect-neutral (``ON CONFLICT ... DO UPDATE`` and
``RETURNING`` work in SQLite ≥ 3.35 and PostgreSQL); reads go through ``self._db.execute``
(SQLite, or the PostgreSQL store's compatible reader) and writes through ``_write_sql``, which
each backend implements in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WatchingMixin:
    """Mixed into :class:`newsprism.store.Store` (and so into the PostgreSQL store)."""

    _db: Any

    def _write_sql(
        self, statements: Sequence[tuple[str, Sequence[Any]]], *, returning: bool = False
    ) -> list[int]:  # pragma: no cover - each backend implements it
        """Run the statements in one write transaction; with ``returning``, the first column
        each statement returned (``RETURNING pk``)."""
        raise NotImplementedError

    # -- watch list ------------------------------------------------------------------------
    def watch_add(
        self, source: str, every_s: int | None = None, options: dict[str, Any] | None = None
    ) -> bool:
        """Add (or update) a watched source; True when it was not watched before."""
        known = self._db.execute("SELECT 1 FROM watches WHERE source = ?", (source,)).fetchone()
        self._write_sql(
            [
                (
                    "INSERT INTO watches (source, every_s, options, added_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (source) DO UPDATE SET every_s = excluded.every_s, "
                    "options = excluded.options",
                    (source, every_s, json.dumps(options or {}, ensure_ascii=False), _now()),
                )
            ]
        )
        return known is None

    def watch_remove(self, source: str) -> bool:
        """Stop watching a source; True when it was watched."""
        known = self._db.execute("SELECT 1 FROM watches WHERE source = ?", (source,)).fetchone()
        if known is None:
            return False
        self._write_sql([("DELETE FROM watches WHERE source = ?", (source,))])
        return True

    def watches(self) -> list[dict[str, Any]]:
        """Watched sources, oldest first: ``{source, every_s, options, added_at}``."""
        rows = self._db.execute(
            "SELECT source, every_s, options, added_at FROM watches ORDER BY added_at, source"
        )
        return [
            {
                "source": r["source"],
                "every_s": r["every_s"],
                "options": json.loads(r["options"]),
                "added_at": r["added_at"],
            }
            for r in rows
        ]

    # -- fetch state (conditional requests, backoff) ---------------------------------------
    def fetch_state(self, url: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT data FROM fetch_state WHERE url = ?", (url,)).fetchone()
        return json.loads(row["data"]) if row else None

    def fetch_states(self) -> dict[str, dict[str, Any]]:
        """Every URL's fetch state in one read (a poll round reads them all at once)."""
        rows = self._db.execute("SELECT url, data FROM fetch_state")
        return {r["url"]: json.loads(r["data"]) for r in rows}

    def save_fetch_state(self, url: str, data: dict[str, Any]) -> None:
        self.save_fetch_states({url: data})

    def save_fetch_states(self, states: dict[str, dict[str, Any]]) -> None:
        now = _now()
        self._write_sql(
            [
                (
                    "INSERT INTO fetch_state (url, data, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (url) DO UPDATE SET data = excluded.data, "
                    "updated_at = excluded.updated_at",
                    (url, json.dumps(data, ensure_ascii=False), now),
                )
                for url, data in states.items()
            ]
        )

    # -- story events ----------------------------------------------------------------------
    def add_story_events(self, events: Sequence[dict[str, Any]]) -> list[int]:
        """Store events (each needs ``story_id`` and ``kind``; ``article_id`` and ``at`` are
        optional; every other key is kept in its data); returns their numbers (pk)."""
        return self._write_sql([_event_insert(e) for e in events], returning=True)

    def story_events(
        self,
        story_id: str | None = None,
        *,
        after: int = 0,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[dict[str, Any]]:
        """Stored events (of one story, or all), each ``{pk, story_id, kind, article_id, at,
        **data}``; ``after`` skips events numbered up to it."""
        sql = "SELECT pk, story_id, kind, article_id, at, data FROM story_events WHERE pk > ?"
        params: list[Any] = [after]
        if story_id is not None:
            sql += " AND story_id = ?"
            params.append(story_id)
        sql += " ORDER BY pk" + (" DESC" if newest_first else "")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [
            {
                **json.loads(r["data"]),
                "pk": int(r["pk"]),
                "story_id": r["story_id"],
                "kind": r["kind"],
                "article_id": r["article_id"],
                "at": r["at"],
            }
            for r in self._db.execute(sql, params)
        ]

    def event_state(self, story_id: str) -> dict[str, Any] | None:
        """What event detection remembers of a story (its claims, quotes, figures...)."""
        row = self._db.execute(
            "SELECT data FROM event_state WHERE story_id = ?", (story_id,)
        ).fetchone()
        return json.loads(row["data"]) if row else None

    def save_event_state(
        self,
        story_id: str,
        data: dict[str, Any],
        events: Sequence[dict[str, Any]] = (),
        done: Sequence[str] = (),
    ) -> list[int]:
        """Save a story's detection state together with its new events, in one write (a kill
        between the two would otherwise lose events or report them twice); ``done``: the
        articles taken in, dropped from the event queue in that write."""
        statements: list[tuple[str, Sequence[Any]]] = [
            (
                "INSERT INTO event_state (story_id, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                (story_id, json.dumps(data, ensure_ascii=False), _now()),
            )
        ]
        statements += [_dequeue(i) for i in done]
        statements += [_event_insert(e) for e in events]
        return self._write_sql(statements, returning=True)

    # -- the event queue (articles a watch stored, events not worked out yet) -----------------
    def queued_events(self) -> list[tuple[str, str]]:
        """``(article_id, status)`` of the articles queued for their story events (stored by
        ``add(..., queue_events=True)``, not yet taken in by :meth:`save_event_state`), oldest
        first: what a killed watch stored before it worked out their events."""
        rows = self._db.execute(
            "SELECT article_id, status FROM event_queue ORDER BY queued_at, article_id"
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def dequeue_events(self, article_ids: Sequence[str]) -> None:
        """Drop articles from the event queue (their events need no working out)."""
        if article_ids:
            self._write_sql([_dequeue(i) for i in article_ids])

    # -- deliveries (webhooks, commands) ---------------------------------------------------
    def delivery(self, event_pk: int, target: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT status, attempts, last_error, updated_at FROM event_deliveries "
            "WHERE event_pk = ? AND target = ?",
            (event_pk, target),
        ).fetchone()
        return dict(zip(("status", "attempts", "last_error", "updated_at"), row, strict=True)) \
            if row else None  # fmt: skip

    def record_delivery(
        self, event_pk: int, target: str, status: str, attempts: int, error: str | None = None
    ) -> None:
        """Record one delivery's outcome (``status``: "sent", "failed", "pending")."""
        self._write_sql(
            [
                (
                    "INSERT INTO event_deliveries (event_pk, target, status, attempts, "
                    "last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                    "(event_pk, target) DO UPDATE SET status = excluded.status, "
                    "attempts = excluded.attempts, last_error = excluded.last_error, "
                    "updated_at = excluded.updated_at",
                    (event_pk, target, status, attempts, error, _now()),
                )
            ]
        )

    def undelivered(self, target: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Events not yet sent to ``target`` (never tried, or failed), oldest first."""
        sql = (
            "SELECT e.pk FROM story_events e WHERE NOT EXISTS (SELECT 1 FROM event_deliveries d "
            "WHERE d.event_pk = e.pk AND d.target = ? AND d.status = 'sent') ORDER BY e.pk"
        )
        params: list[Any] = [target]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        pks = [int(r[0]) for r in self._db.execute(sql, params)]
        if not pks:
            return []
        wanted = set(pks)
        return [e for e in self.story_events(after=min(pks) - 1) if e["pk"] in wanted]


_EVENT_COLUMNS = ("pk", "story_id", "kind", "article_id", "at")


def _dequeue(article_id: str) -> tuple[str, Sequence[Any]]:
    return ("DELETE FROM event_queue WHERE article_id = ?", (article_id,))


def _event_insert(event: dict[str, Any]) -> tuple[str, Sequence[Any]]:
    data = {k: v for k, v in event.items() if k not in _EVENT_COLUMNS}
    return (
        "INSERT INTO story_events (story_id, kind, article_id, at, data) "
        "VALUES (?, ?, ?, ?, ?) RETURNING pk",
        (
            event["story_id"], event["kind"], event.get("article_id"), event.get("at") or _now(),
            json.dumps(data, ensure_ascii=False),
        ),
    )  # fmt: skip
