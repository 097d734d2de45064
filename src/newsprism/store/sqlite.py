"""The SQLite store: articles with versions and removed lines, behind one writer connection."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsprism.errors import StoreError
from newsprism.model import Article, RemovedLine
from newsprism.store.migrations import MIGRATIONS
from newsprism.store.watching import WatchingMixin
from newsprism.urls import normalise_url

ENV_DB = "NEWSPRISM_DB"


def default_db_path() -> Path:
    """$NEWSPRISM_DB, else newsprism.db in the per-user data directory."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsprism", appauthor=False)) / "newsprism.db"


@dataclass(frozen=True)
class AddResult:
    """What happened to one article offered to the store."""

    status: str  # "new" | "version" | "duplicate"
    article_id: str
    duplicate_of: str | None = None


class Store(WatchingMixin):
    """Articles in SQLite. All writes go through this object's single connection and lock."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path).expanduser() if path not in (None, ":memory:") else path
        target = ":memory:" if path == ":memory:" else str(self.path or default_db_path())
        if target != ":memory:":
            self.path = Path(target)
            try:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"cannot create the database folder: {err}", where=target) from err
        self._where = target
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 10000")
            if target != ":memory:":
                _retry_while_locked(lambda: self._db.execute("PRAGMA journal_mode = WAL"))
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise StoreError(
                f"cannot open the database: {err}",
                where=target,
                hint="is it a newsprism SQLite file? give another path with --db",
            ) from err

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for version, name, sql in MIGRATIONS:
            with self._write() as db:
                # Read inside the write lock: another process may have just applied it.
                if db.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
                ).fetchone():
                    continue
                for statement in filter(str.strip, sql.split(";")):
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (version, name, _now()),
                )

    def _write_sql(
        self, statements: Sequence[tuple[str, Sequence[Any]]], *, returning: bool = False
    ) -> list[int]:
        out: list[int] = []
        with self._write() as db:
            for sql, params in statements:
                row = db.execute(sql, params).fetchone()
                if returning and row is not None:
                    out.append(int(row[0]))
        return out

    def schema_version(self) -> int:
        row = self._db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- writes ----------------------------------------------------------------------------
    def add(self, article: Article, *, queue_events: bool = False) -> AddResult:
        """Store an article unless it is a duplicate.

        Same content (whatever the URL) → duplicate, nothing written. Same URL (or same
        given id) with different content → stored as the next version; the old one is kept.
        ``queue_events``: also queue it for its story events in the same write (a watch does,
        so a kill before the events are worked out loses none: see :meth:`queued_events`).
        """
        return self.add_many([article], queue_events=queue_events)[0]

    def add_many(
        self, articles: Sequence[Article], *, queue_events: bool = False
    ) -> list[AddResult]:
        """:meth:`add` each article in turn, all in one transaction (all stored, or none).

        The results are those of calling :meth:`add` one by one: an article sees the ones
        before it in the list (a repeat of an earlier one is its duplicate). A batch saves a
        commit per article, which is most of the cost of storing one.
        """
        current: Article | None = None
        try:
            with self._write() as db:
                out = []
                for current in articles:
                    out.append(self._add_in(db, current))
                    if queue_events and out[-1].status != "duplicate":
                        db.execute(
                            "INSERT OR REPLACE INTO event_queue (article_id, status, queued_at) "
                            "VALUES (?, ?, ?)",
                            (out[-1].article_id, out[-1].status, _now()),
                        )
                return out
        except sqlite3.DatabaseError as err:
            name = current.id if current is not None else "?"
            raise StoreError(f"cannot write article {name}: {err}", where=self._where) from err

    def _add_in(self, db: sqlite3.Connection, article: Article) -> AddResult:
        """The body of :meth:`add`, inside a write transaction."""
        identity = _identity(article)
        same = db.execute(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY pk LIMIT 1",
            (article.content_hash,),
        ).fetchone()
        if same:
            return AddResult("duplicate", article.id, duplicate_of=same["id"])
        previous = db.execute(
            "SELECT id, version FROM articles WHERE identity = ? ORDER BY version DESC LIMIT 1",
            (identity,),
        ).fetchone()
        status = "new"
        if previous:
            status = "version"
            article.version = previous["version"] + 1
            base = previous["id"].split("~", 1)[0]
            article.id = f"{base}~{article.version}"
            db.execute("UPDATE articles SET is_latest = 0 WHERE identity = ?", (identity,))
        elif db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
            # A given id reused for another article at another URL: keep both.
            article.id = f"{article.id}-{article.content_hash[:8]}"
        cursor = db.execute(
            "INSERT INTO articles (id, identity, version, is_latest, url, outlet, "
            "published, title, text, author, lang, credit, kind, source, content_hash, "
            "ingested_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                identity,
                article.version,
                article.url,
                article.outlet,
                article.date.isoformat() if article.date else None,
                article.title,
                article.text,
                article.author,
                article.lang,
                article.credit,
                article.kind,
                article.source,
                article.content_hash,
                _now(),
            ),
        )
        if article.removed:
            db.executemany(
                "INSERT INTO removed_lines (article_pk, seq, line, text, reason) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (cursor.lastrowid, seq, r.line, r.text, r.reason)
                    for seq, r in enumerate(article.removed)
                ],
            )
        # Queued for its story in the same transaction: a crash before the story step leaves
        # it in the queue, and the next ingest (or serve) assigns it.
        db.execute(
            "INSERT OR REPLACE INTO story_queue (article_id, queued_at) VALUES (?, ?)",
            (article.id, _now()),
        )
        return AddResult(status, article.id)

    # -- reads -----------------------------------------------------------------------------
    def get(self, article_id: str) -> Article | None:
        """One article by id (an id prefix of at least 6 characters works when unambiguous).

        The prefix is matched literally: ``%`` and ``_`` in it are not wildcards.
        """
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 6:
            rows = self._db.execute(
                "SELECT * FROM articles WHERE id LIKE ? ESCAPE '!' LIMIT 2",
                (like_prefix(article_id),),
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return self._articles([row])[0] if row else None

    def articles(
        self,
        *,
        outlet: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        all_versions: bool = False,
    ) -> list[Article]:
        """Articles, newest publication first (undated last)."""
        sql = "SELECT * FROM articles WHERE 1=1"
        params: list[Any] = []
        if not all_versions:
            sql += " AND is_latest = 1"
        if outlet:
            sql += " AND outlet = ?"
            params.append(outlet)
        sql += " ORDER BY published IS NULL, published DESC, pk DESC" + _page(limit, offset, params)
        return self._articles(list(self._db.execute(sql, params)))

    def versions(self, article_id: str) -> list[Article]:
        row = self._db.execute(
            "SELECT identity FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return []
        rows = self._db.execute(
            "SELECT * FROM articles WHERE identity = ? ORDER BY version", (row["identity"],)
        )
        return self._articles(list(rows))

    def ingested_times(self, article_ids: Sequence[str]) -> dict[str, datetime]:
        """When each of these articles (versions) was stored, by id; unknown ids are left out."""
        return {
            str(row["id"]): datetime.fromisoformat(str(row["ingested_at"]))
            for row in self._rows_by_id("id, ingested_at", article_ids)
        }

    def identities(self, article_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """Each known article's ``(identity, version)``: versions of one article share the
        identity (its URL, given id or content)."""
        return {
            str(row["id"]): (str(row["identity"]), int(row["version"]))
            for row in self._rows_by_id("id, identity, version", article_ids)
        }

    def _rows_by_id(self, columns: str, article_ids: Sequence[str]) -> Iterator[Any]:
        """``columns`` of the articles with these ids, read 500 ids a query."""
        ids = list(article_ids)
        for first in range(0, len(ids), 500):
            batch = ids[first : first + 500]
            marks = ", ".join("?" * len(batch))
            yield from self._db.execute(
                f"SELECT {columns} FROM articles WHERE id IN ({marks})", batch
            )

    def own_files(self) -> frozenset[Path]:
        """The database file and its SQLite companions, so an ingest never reads them."""
        if not isinstance(self.path, Path):
            return frozenset()
        base = self.path.resolve()
        return frozenset(
            {base, *(base.with_name(base.name + s) for s in ("-wal", "-shm", "-journal"))}
        )

    def id_for_url(self, url: str) -> str | None:
        """The id of the latest stored version of the article at this URL, if any."""
        row = self._db.execute(
            "SELECT id FROM articles WHERE identity = ? AND is_latest = 1",
            ("url:" + normalise_url(url),),
        ).fetchone()
        return str(row["id"]) if row else None

    def pending_stories(self) -> list[str]:
        """Ids of stored (latest-version) articles queued for a story and not yet in one."""
        rows = self._db.execute(
            "SELECT q.article_id FROM story_queue q JOIN articles a ON a.id = q.article_id "
            "WHERE a.is_latest = 1 AND NOT EXISTS "
            "(SELECT 1 FROM story_assignments s WHERE s.article_id = q.article_id) ORDER BY a.pk"
        )
        return [str(row[0]) for row in rows]

    def count(self, *, all_versions: bool = False) -> int:
        sql = "SELECT COUNT(*) FROM articles" + ("" if all_versions else " WHERE is_latest = 1")
        return int(self._db.execute(sql).fetchone()[0])

    # -- annotations -----------------------------------------------------------------------
    def save_annotation(self, article_id: str, annotator: str, data: dict[str, Any]) -> None:
        """Store (or replace) the language annotation of one article."""
        with self._write() as db:
            row = db.execute("SELECT pk FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise StoreError(f"no article with id {article_id!r}", where=self._where)
            db.execute(
                "INSERT OR REPLACE INTO annotations (article_pk, annotator, data, created_at) "
                "VALUES (?, ?, ?, ?)",
                (row["pk"], annotator, json.dumps(data, ensure_ascii=False), _now()),
            )

    def annotation(self, article_id: str, annotator: str | None = None) -> dict[str, Any] | None:
        """The stored annotation of an article (None if absent or made by another annotator)."""
        row = self._db.execute(
            "SELECT n.annotator, n.data FROM annotations n JOIN articles a ON a.pk = n.article_pk "
            "WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None or (annotator and row["annotator"] != annotator):
            return None
        data: dict[str, Any] = json.loads(row["data"])
        return data

    # -- stories ---------------------------------------------------------------------------
    def save_stories(
        self,
        assignments: dict[str, str],
        stories: list[dict[str, Any]],
        clusterer_state: dict[str, Any] | None = None,
    ) -> None:
        """Record story assignments and summaries (and the clusterer's state) in one write."""
        now = _now()
        with self._write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO story_assignments (article_id, story_id, assigned_at) "
                "VALUES (?, ?, ?)",
                [(a, s, now) for a, s in assignments.items()],
            )
            db.executemany(
                "DELETE FROM story_queue WHERE article_id = ?", [(a,) for a in assignments]
            )
            for story in stories:
                db.execute(
                    'INSERT OR REPLACE INTO stories (id, title, start, "end", n_articles, '
                    "n_outlets, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        story["id"], story.get("title"), story.get("start"), story.get("end"),
                        len(story.get("articles", [])), len(story.get("outlets", [])),
                        json.dumps(story, ensure_ascii=False), now,
                    ),
                )  # fmt: skip
            db.execute(
                "DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story_id FROM "
                "story_assignments)"
            )
            if clusterer_state is not None:
                db.execute(
                    "INSERT OR REPLACE INTO clusterer_state (id, data, updated_at) "
                    "VALUES (1, ?, ?)",
                    (json.dumps(clusterer_state), now),
                )

    def clusterer_state(self) -> dict[str, Any] | None:
        row = self._db.execute("SELECT data FROM clusterer_state WHERE id = 1").fetchone()
        return json.loads(row["data"]) if row else None

    def story_of(self, article_id: str) -> str | None:
        row = self._db.execute(
            "SELECT story_id FROM story_assignments WHERE article_id = ?", (article_id,)
        ).fetchone()
        return str(row["story_id"]) if row else None

    def assignments(self) -> dict[str, str]:
        return {
            row["article_id"]: row["story_id"]
            for row in self._db.execute("SELECT article_id, story_id FROM story_assignments")
        }

    def stories(self, *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Story summaries, newest first."""
        params: list[Any] = []
        rows = self._db.execute(
            'SELECT data FROM stories ORDER BY "end" IS NULL, "end" DESC, n_articles DESC'
            + _page(limit, offset, params),
            params,
        )
        return [json.loads(row["data"]) for row in rows]

    def count_stories(self) -> int:
        """How many stories are stored (without reading them: a batch's archive holds many)."""
        return int(self._db.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def story(self, story_id: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        return json.loads(row["data"]) if row else None

    def story_articles(self, story_id: str) -> list[Article]:
        """The story's articles, each in its latest version in the story: earlier versions
        are its revision history (`newsprism diff`), not other articles."""
        rows = self._db.execute(
            "SELECT a.* FROM articles a JOIN story_assignments s ON s.article_id = a.id "
            "WHERE s.story_id = ? AND NOT EXISTS (SELECT 1 FROM articles b JOIN "
            "story_assignments t ON t.article_id = b.id WHERE t.story_id = s.story_id "
            "AND b.identity = a.identity AND b.version > a.version) "
            "ORDER BY a.published IS NULL, a.published, a.pk",
            (story_id,),
        )
        return self._articles(list(rows))

    def _articles(self, rows: list[Any]) -> list[Article]:
        """Articles from rows; their removed lines are read in one query per batch of rows,
        not one per article (listings and story assignment read thousands)."""
        removed: dict[int, list[RemovedLine]] = {}
        pks = [row["pk"] for row in rows]
        for first in range(0, len(pks), 500):
            batch = pks[first : first + 500]
            marks = ", ".join("?" * len(batch))
            for r in self._db.execute(
                "SELECT article_pk, line, text, reason FROM removed_lines "
                f"WHERE article_pk IN ({marks}) ORDER BY article_pk, seq",
                batch,
            ):
                removed.setdefault(r["article_pk"], []).append(
                    RemovedLine(text=r["text"], reason=r["reason"], line=r["line"])
                )
        return [
            Article(
                id=row["id"],
                title=row["title"],
                text=row["text"],
                source=row["source"],
                kind=row["kind"],
                url=row["url"],
                outlet=row["outlet"],
                date=datetime.fromisoformat(row["published"]) if row["published"] else None,
                author=row["author"],
                lang=row["lang"],
                credit=row["credit"],
                removed=removed.get(row["pk"], []),
                content_hash=row["content_hash"],
                version=row["version"],
            )
            for row in rows
        ]


def _retry_while_locked(action: Callable[[], object], seconds: float = 10.0) -> None:
    """Run a statement SQLite's busy handler does not cover (switching the journal mode),
    retrying while another connection that is opening the same new file holds its lock."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _page(limit: int | None, offset: int, params: list[Any]) -> str:
    """A LIMIT/OFFSET clause both SQLite and PostgreSQL accept (no LIMIT when unbounded)."""
    clause = ""
    if limit is not None:
        clause += " LIMIT ?"
        params.append(limit)
    if offset:
        clause += " OFFSET ?"
        params.append(offset)
    return clause


def like_prefix(prefix: str) -> str:
    """A LIKE pattern (with ``ESCAPE '!'``) matching ids that start with ``prefix`` literally."""
    escaped = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return escaped + "%"


def _identity(article: Article) -> str:
    if article.url:
        return "url:" + normalise_url(article.url)
    if article.kind == "jsonl" and article.id:
        return "id:" + article.id
    return "hash:" + article.content_hash


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
