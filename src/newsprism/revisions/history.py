"""An article's stored versions, when each was stored, which two to compare, and what changed.

A version arises when a known URL (or a given id) returns changed text: the store keeps the old
text and stores the new one as ``ID~2``, ``ID~3`` ... (see :meth:`newsprism.store.Store.add`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsprism.errors import NewsprismError
from newsprism.model import Article
from newsprism.revisions.diff import TextDiff, diff_text

if TYPE_CHECKING:
    from newsprism.store import Store

# How many of the changes a report entry quotes (its summary counts them all).
REPORT_CHANGES = 5


@dataclass(frozen=True)
class Version:
    """One stored version of an article and when it was stored."""

    article: Article
    stored: datetime | None

    @property
    def number(self) -> int:
        return self.article.version

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article.id,
            "version": self.number,
            "stored": self.stored.isoformat() if self.stored else None,
            "published": self.article.date.isoformat() if self.article.date else None,
        }


@dataclass(frozen=True)
class Revision:
    """What changed from one version to another: title and body diffs."""

    old: Version
    new: Version
    title: TextDiff
    body: TextDiff

    def summary(self) -> str:
        """``title changed; 3 passages reworded, 12 words added, 2 removed``."""
        body = self.body.summary()
        if not self.title.changes:
            return body
        return "title changed; " + ("text unchanged" if body == "no changes" else body)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.old.to_dict(),
            "to": self.new.to_dict(),
            "summary": self.summary(),
            "title": self.title.to_dict(),
            "body": self.body.to_dict(),
        }


def revise(old: Version, new: Version) -> Revision:
    """The diff of two versions."""
    return Revision(
        old,
        new,
        diff_text(old.article.title, new.article.title),
        diff_text(old.article.text, new.article.text),
    )


def history(store: Store, article_id: str) -> tuple[Article, list[Version]]:
    """The article named by ``article_id`` (any version's id, or a unique prefix) and all its
    versions, oldest first."""
    article = store.get(article_id)
    if article is None:
        raise NewsprismError(
            f"no article with id {article_id!r}", hint="`newsprism articles` lists the ids"
        )
    versions = store.versions(article.id)
    stored = store.ingested_times([v.id for v in versions])
    return article, [Version(v, stored.get(v.id)) for v in versions]


def choose(
    versions: Sequence[Version],
    named: Article,
    *,
    version: int | None = None,
    start: int | None = None,
    end: int | None = None,
) -> tuple[Version, Version]:
    """The two versions to compare: ``version`` N against N-1; ``start`` against ``end``
    (either alone: against the version before it or the latest); otherwise the version the id
    named against the one before it, and for the first version's (base) id the latest against
    the one before it.

    Raises :class:`NewsprismError` when there is only one version, and ``ValueError`` (a
    usage error) for a version number that is not stored.
    """
    if len(versions) < 2:
        raise NewsprismError(
            f"article {named.id!r} has only one version: nothing to compare",
            hint="a version is stored when a known URL returns changed text",
        )
    by_number = {v.number: v for v in versions}
    numbers = f"{versions[0].number}–{versions[-1].number}"

    def known(n: int, what: str) -> Version:
        if n not in by_number:
            raise ValueError(f"{what} {n} is not stored (this article has versions {numbers})")
        return by_number[n]

    if version is not None:
        if start is not None or end is not None:
            raise ValueError("give --version N, or --from/--to, not both")
        if version == versions[0].number:
            first, last = versions[0].number, versions[-1].number
            which = f"{first + 1}" + (f" to {last}" if last > first + 1 else "")
            raise ValueError(f"version {first} is the first: give --version {which}")
        new = known(version, "version")
        return by_number[_before(versions, new)], new
    if start is not None or end is not None:
        new = known(end, "--to version") if end is not None else versions[-1]
        if start is None:
            if new is versions[0]:
                raise ValueError("--to names the first version: give --from as well")
            return by_number[_before(versions, new)], new
        old = known(start, "--from version")
        if old is new:
            raise ValueError("--from and --to name the same version")
        return old, new
    new = by_number.get(named.version, versions[-1])
    if new is versions[0]:
        new = versions[-1]
    return by_number[_before(versions, new)], new


def page_view(
    store: Store, article: Article, against: int | None = None
) -> tuple[list[Version], Revision | None]:
    """The article's versions with their times, and the diff the article page shows: from the
    version before this one (none for the first), or between this one and version ``against``
    (older to newer). Raises ``ValueError`` for an ``against`` that is not stored."""
    _, versions = history(store, article.id)
    this = next((v for v in versions if v.article.id == article.id), None)
    if this is None or len(versions) < 2:
        return versions, None
    if against is not None and against != this.number:
        other = next((v for v in versions if v.number == against), None)
        if other is None:
            raise ValueError(f"version {against} of {article.id!r} is not stored")
        old, new = sorted((this, other), key=lambda v: v.number)
        return versions, revise(old, new)
    earlier = [v for v in versions if v.number < this.number]
    return versions, revise(earlier[-1], this) if earlier else None


def _before(versions: Sequence[Version], new: Version) -> int:
    return max(v.number for v in versions if v.number < new.number)


def revised_after_publication(versions: Sequence[Version]) -> bool | None:
    """Whether a later version was stored after the article was first published (its earliest
    publication time; a date without a time counts from midnight UTC); None when undated."""
    published = [_aware(v.article.date) for v in versions if v.article.date]
    if not published:
        return None
    first = min(published)
    return any(v.stored is not None and _aware(v.stored) > first for v in versions[1:])


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def report_entry(versions: Sequence[Version], compared_id: str) -> dict[str, Any] | None:
    """The ``revisions`` entry of a compared article with more than one version: its versions,
    what changed from the first to the compared one, and whether a revision came after
    publication (the changes quoted have spans into the compared text). None for one version."""
    if len(versions) < 2:
        return None
    compared = next((v for v in versions if v.article.id == compared_id), versions[-1])
    entry: dict[str, Any] = {
        "versions": [v.to_dict() for v in versions],
        "compared_version": compared.number,
        "after_publication": revised_after_publication(versions),
    }
    if compared is versions[0]:
        later = len(versions) - 1
        entry.update(
            summary=f"{later} later version{'' if later == 1 else 's'} not compared",
            title=None,
            changes=[],
        )
        return entry
    change = revise(versions[0], compared)
    entry["summary"] = change.summary()
    entry["title"] = (
        {"old": change.old.article.title, "new": change.new.article.title}
        if change.title.changes
        else None
    )
    entry["changes"] = [
        {
            "kind": c.kind,
            "old_text": c.old,
            "new_text": c.new,
            "start": c.new_start,
            "end": c.new_end,
        }
        for c in change.body.changes[:REPORT_CHANGES]
    ]
    return entry


def describe(entry: dict[str, Any]) -> str:
    """A report entry in one line: ``revised after publication (2 versions: v1 stored 1 March
    2024, 10:05 UTC, v2 stored 2 March 2024, 08:00 UTC; v2 compared): 2 passages reworded``."""
    from newsprism.render.dates import human_date

    versions = entry.get("versions") or []
    after = entry.get("after_publication")
    when = (
        "" if after is None else " after publication" if after else " before its stated publication"
    )
    times = ", ".join(
        f"v{v.get('version')} stored {human_date(v.get('stored')) or 'at an unknown time'}"
        for v in versions
    )
    line = (
        f"revised{when} ({len(versions)} versions: {times}; v{entry.get('compared_version')} "
        f"compared): {entry.get('summary', '')}"
    )
    title = entry.get("title")
    if isinstance(title, dict) and title.get("old") is not None:
        line += f"; the first title was “{title['old']}”"
    return line


def add_revisions(report: dict[str, Any], store: Store) -> int:
    """Give each article of a comparison report that has earlier or later stored versions a
    ``revisions`` entry (see :func:`report_entry`); returns how many articles have one."""
    count = 0
    for article in report.get("articles", []):
        versions = store.versions(article["id"])
        if len(versions) < 2:
            continue
        stored = store.ingested_times([v.id for v in versions])
        entry = report_entry([Version(v, stored.get(v.id)) for v in versions], article["id"])
        if entry is not None:
            article["revisions"] = entry
            count += 1
    return count


__all__ = [
    "REPORT_CHANGES",
    "Revision",
    "Version",
    "add_revisions",
    "choose",
    "describe",
    "history",
    "page_view",
    "report_entry",
    "revise",
    "revised_after_publication",
]
