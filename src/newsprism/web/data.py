"""What the pages read: per-thread store connections, story search, outlets, cached reports.

The web app serves many requests at once from a thread pool. Each worker thread gets its own
read connection (SQLite in WAL mode lets readers run beside the one writer), so no request waits
on another's query. Comparison reports cost seconds to compute, so they are cached in memory,
keyed by the story's articles and their content: a changed article makes a new key.

Story search and the outlet list query the store's tables directly because ``Store`` has no
search method yet (see ``docs/web.md``: a ``Store.search_stories`` / ``Store.outlets`` would
replace :func:`search_stories` and :func:`outlets`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from newsprism.compare.labels import label_of
from newsprism.model import Article
from newsprism.store import Store, open_store

Report = dict[str, Any]


class StoreAccess:
    """One read ``Store`` per thread, and one writer shared behind a lock."""

    def __init__(self, db: str | Path | None) -> None:
        self.db = db
        self._local = threading.local()
        self._shared: Store | None = None
        self.write_lock = threading.Lock()
        if db == ":memory:":
            # An in-memory database exists only in its one connection: share it.
            self._shared = Store(":memory:")
        self._writer: Store | None = self._shared
        self._marker: DataVersion | None = None

    @property
    def read(self) -> Store:
        """This thread's store connection for reading."""
        if self._shared is not None:
            return self._shared
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.db)
            self._local.store = store
        return store

    def version(self) -> tuple[str, int] | None:
        """The database's data marker now (:class:`DataVersion`); None: do not cache."""
        if self._marker is None:
            self._marker = DataVersion.of(self)
        return self._marker.current()

    @property
    def writer(self) -> Store:
        """The single connection all writes go through (callers hold ``write_lock``)."""
        if self._writer is None:
            self._writer = open_store(self.db)
        return self._writer


class DataVersion:
    """A cheap marker of the stored data: it changes whenever anything is written to the database.

    For a SQLite file it is ``PRAGMA data_version`` read on a connection of its own that never
    writes: SQLite changes that number whenever another connection commits, whether that is the
    app's own writer (an ingest from the browser) or another process (``newsprism ingest`` on the
    same file). Reading it costs a few microseconds, so every cached page checks it on every
    request and a cache never serves what an ingest has changed. The number means something
    only for its own connection, so there is one marker per database file per process.

    An in-memory database has a single connection; its count of changes serves instead. Other
    stores (PostgreSQL) have no marker: ``current()`` is None and nothing is cached.
    """

    _markers: ClassVar[dict[str, DataVersion]] = {}
    _markers_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: Path | None, shared: Store | None = None) -> None:
        self.path = path
        self._shared = shared
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, stores: StoreAccess) -> DataVersion:
        """The marker for the database behind ``stores`` (shared by every app in the process)."""
        store = stores.read  # opens (and creates, migrates) the database first
        if store.path == ":memory:":
            return cls(None, shared=store)
        if not isinstance(store.path, Path):
            return cls(None)
        key = str(store.path.resolve())
        with cls._markers_lock:
            marker = cls._markers.get(key)
            if marker is None:
                marker = cls._markers[key] = cls(Path(key))
            return marker

    def current(self) -> tuple[str, int] | None:
        """The marker now; read it *before* reading the data a cached answer is made from."""
        if self._shared is not None:
            return (f"memory:{id(self._shared)}", self._shared._db.total_changes)
        if self.path is None:
            return None
        with self._lock:
            if self._db is None:
                self._db = sqlite3.connect(
                    str(self.path), check_same_thread=False, isolation_level=None
                )
                self._db.execute("PRAGMA busy_timeout = 10000")
            return (str(self.path), int(self._db.execute("PRAGMA data_version").fetchone()[0]))


@dataclass(frozen=True)
class StoryQuery:
    """A story search as the list page and the API take it."""

    words: str = ""
    entity: str = ""
    outlet: str = ""
    since: date | None = None
    until: date | None = None
    sort: str = "newest"  # "newest" | "outlets"
    page: int = 1
    per_page: int = 20


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_stories(store: Store, query: StoryQuery) -> tuple[list[dict[str, Any]], int]:
    """Story summaries matching the query, and how many match in all."""
    where = ["1=1"]
    params: list[Any] = []
    # One pass over the matching articles, rather than a correlated query per story.
    member = (
        "s.id IN (SELECT sa.story_id FROM articles a JOIN story_assignments sa "
        "ON sa.article_id = a.id WHERE a.is_latest = 1 AND {cond})"
    )
    for word in query.words.split()[:8]:
        where.append(
            member.format(cond="(a.title LIKE ? ESCAPE '\\' OR a.text LIKE ? ESCAPE '\\')")
        )
        params += [_like(word), _like(word)]
    if query.entity.strip():
        # Until the store indexes canonical entities, an entity matches where its name is
        # written in a title or text.
        where.append(
            member.format(cond="(a.title LIKE ? ESCAPE '\\' OR a.text LIKE ? ESCAPE '\\')")
        )
        params += [_like(query.entity.strip())] * 2
    if query.outlet.strip():
        where.append(member.format(cond="a.outlet = ? COLLATE NOCASE"))
        params.append(query.outlet.strip())
    if query.since:
        where.append('COALESCE(s."end", s.start) >= ?')
        params.append(query.since.isoformat())
    if query.until:
        where.append('COALESCE(s.start, s."end") < ?')
        params.append((query.until + timedelta(days=1)).isoformat())
    order = (
        's.n_outlets DESC, s.n_articles DESC, s."end" DESC'
        if query.sort == "outlets"
        else 's."end" IS NULL, s."end" DESC, s.n_articles DESC'
    )
    clause = " AND ".join(where)
    db = store._db
    total = int(db.execute(f"SELECT COUNT(*) FROM stories s WHERE {clause}", params).fetchone()[0])
    rows = db.execute(
        f"SELECT s.data FROM stories s WHERE {clause} ORDER BY {order}, s.id LIMIT ? OFFSET ?",
        [*params, query.per_page, (query.page - 1) * query.per_page],
    )
    return [json.loads(row[0]) for row in rows], total


def outlets(store: Store) -> list[dict[str, Any]]:
    """Every outlet with its number of (latest) articles and stories, most articles first."""
    rows = store._db.execute(
        "SELECT a.outlet AS name, COUNT(*) AS articles, COUNT(DISTINCT sa.story_id) AS stories "
        "FROM articles a LEFT JOIN story_assignments sa ON sa.article_id = a.id "
        "WHERE a.is_latest = 1 AND a.outlet IS NOT NULL GROUP BY a.outlet "
        "ORDER BY articles DESC, name"
    )
    return [dict(row) for row in rows]


def outlet_story_ids(store: Store, outlet: str, limit: int = 200) -> list[str]:
    rows = store._db.execute(
        "SELECT DISTINCT sa.story_id FROM story_assignments sa JOIN articles a "
        "ON a.id = sa.article_id WHERE a.outlet = ? AND a.is_latest = 1 LIMIT ?",
        (outlet, limit),
    )
    return [str(row[0]) for row in rows]


def _compare(articles: list[Article]) -> Report:
    """The comparison report, or a report with the articles alone and a note saying why."""
    try:
        try:
            from newsprism.compare import compare_articles
        except ImportError:
            from newsprism.compare.report import compare_articles
        report: Report = compare_articles(articles)
        return report
    except Exception as err:  # the page still shows the articles, and says what failed
        return basic_report(articles, f"comparison failed: {type(err).__name__}: {err}")


def basic_report(articles: list[Article], why: str) -> Report:
    """A report holding only the story header and the articles (every other section absent)."""
    # ISO strings sort in time order and never mix naive with aware datetimes.
    dated = sorted((a for a in articles if a.date), key=lambda a: a.to_dict()["date"])
    return {
        "schema_version": "1.0",
        "story": {
            "title": (dated or articles)[0].title if articles else "",
            "start": dated[0].date.isoformat() if dated and dated[0].date else None,
            "end": dated[-1].date.isoformat() if dated and dated[-1].date else None,
            "outlets": sorted({a.outlet for a in articles if a.outlet}),
        },
        "articles": [a.to_dict() for a in articles],
        "notes": [{"kind": "degraded", "message": why, "article": None}],
    }


Fingerprint = list[tuple[str, str]]  # (article id, content hash) of a story's articles


def story_fingerprint(store: Store, story_id: str) -> Fingerprint:
    """What a story's report depends on, read without loading the articles' text."""
    rows = store._db.execute(
        "SELECT a.id, a.content_hash FROM articles a JOIN story_assignments s "
        "ON s.article_id = a.id WHERE s.story_id = ?",
        (story_id,),
    )
    return sorted((str(r[0]), str(r[1])) for r in rows)


class ReportCache:
    """Comparison reports (and their renderings) by story content, least recently used out.

    Computing is serialised: two requests for the same new story wait for one computation, and
    on a 2-core machine running several comparisons at once would only slow each of them.
    """

    def __init__(
        self, size: int = 256, compute: Callable[[list[Article]], Report] = _compare
    ) -> None:
        self.size = size
        self._compute = compute
        self._items: OrderedDict[str, tuple[Report, dict[str, str]]] = OrderedDict()
        self._lock = threading.Lock()
        self._compute_lock = threading.Lock()

    @staticmethod
    def key(story_id: str, fingerprint: Fingerprint) -> str:
        parts = [story_id, *(f"{i}:{h}" for i, h in sorted(fingerprint))]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def peek(self, story_id: str, fingerprint: Fingerprint) -> Report | None:
        """The cached report, without computing one."""
        with self._lock:
            item = self._items.get(self.key(story_id, fingerprint))
        return item[0] if item else None

    def get(
        self, story_id: str, fingerprint: Fingerprint, load: Callable[[], list[Article]]
    ) -> Report:
        """The story's report; ``load`` gives its articles when it must be computed."""
        key = self.key(story_id, fingerprint)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        with self._compute_lock:
            with self._lock:
                if key in self._items:
                    return self._items[key][0]
            report = self._compute(load())
            story = report.get("story")
            if isinstance(story, dict):
                # The page's story id is the stored one, whatever id compare derives.
                story["id"] = story_id
            with self._lock:
                self._items[key] = (report, {})
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return report

    def rendered(
        self,
        story_id: str,
        fingerprint: Fingerprint,
        load: Callable[[], list[Article]],
        name: str,
        render: Callable[[Report], str],
    ) -> str:
        """A rendering of the report (e.g. its HTML body), computed once per report."""
        report = self.get(story_id, fingerprint, load)
        key = self.key(story_id, fingerprint)
        with self._lock:
            item = self._items.get(key)
            cached = item[1].get(name) if item else None
        if cached is not None:
            return cached
        html = render(report)
        with self._lock:
            if key in self._items:
                self._items[key][1][name] = html
        return html


class ListCache:
    """Story search results, reused while the database has not changed (see :class:`DataVersion`).

    The list is the busiest page and its query sorts every story. Without a data marker
    (PostgreSQL) nothing is reused.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], tuple[list[dict[str, Any]], int]] = OrderedDict()
        self._lock = threading.Lock()

    def search(
        self, store: Store, query: StoryQuery, version: tuple[str, int] | None
    ) -> tuple[list[dict[str, Any]], int]:
        """``version`` is the database's marker, read before this call."""
        if version is None:
            return search_stories(store, query)
        key = (version, query)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        result = search_stories(store, query)
        with self._lock:
            self._items[key] = result
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return result


# One cache per process: several apps over the same database (tests, a reloaded server) then
# share the expensive comparisons. Keys hash article content, so sharing is always correct.
REPORTS = ReportCache()
LISTS = ListCache()


def outlet_profile(
    store: Store, outlet: str, cache: ReportCache, limit: int = 50
) -> dict[str, Any]:
    """An outlet's stories, the claims it omits in compared stories, and its wire-copy share."""
    stories = [s for sid in outlet_story_ids(store, outlet, limit) if (s := store.story(sid))]
    stories.sort(key=lambda s: s.get("end") or "", reverse=True)
    omitted: list[dict[str, Any]] = []
    compared = copies = carried = 0
    for story in stories:
        report = cache.peek(story["id"], story_fingerprint(store, story["id"]))
        if report is None:
            continue
        compared += 1
        mine = {a["id"] for a in report.get("articles", []) if a.get("outlet") == outlet}
        claims = {c.get("id"): c for c in report.get("claims", []) if isinstance(c, dict)}
        for cov in report.get("coverage", []):
            if cov.get("article") in mine:
                for cid in cov.get("omits", []):
                    claim = claims.get(cid, {})
                    units = claim.get("units") or [{}]
                    omitted.append(
                        {
                            "story": story["id"],
                            "claim": cid,
                            "label": label_of(claim) if claim else cid,
                            "text": units[0].get("text", ""),
                        }
                    )
        lineage = report.get("lineage") or {}
        for group in lineage.get("groups", []):
            copied = [a for a in group.get("articles", []) if a != group.get("origin")]
            copies += sum(1 for a in copied if a in mine)
        carried += len(mine)
    return {
        "name": outlet,
        "stories": stories,
        "compared_stories": compared,
        "omitted_claims": omitted[:100],
        "wire_copies": copies,
        "compared_articles": carried,
        "wire_share": round(copies / carried, 3) if carried else None,
    }
