"""The dataclasses that flow through newsprism's stages."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RemovedLine:
    """A line that cleaning dropped from an article, kept so nothing is lost silently."""

    text: str
    reason: str
    line: int | None = None  # 1-based line number in the raw text, when known


@dataclass
class RawArticle:
    """What a reader produced, before cleaning: text or HTML plus whatever metadata came with it."""

    source: str  # file path, "file:line", URL, or "archive.warc.gz#record"
    kind: str  # text | html | jsonl | feed | url | warc
    text: str | None = None
    html: str | None = None
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    author: str | None = None
    lang: str | None = None
    title_in_text: bool = True  # plain text: the first non-empty line is the title


@dataclass
class Article:
    """One cleaned news article: the unit everything downstream reads."""

    id: str
    title: str
    text: str
    source: str
    kind: str
    url: str | None = None
    outlet: str | None = None
    date: datetime | None = None
    author: str | None = None
    lang: str | None = None
    credit: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    content_hash: str = ""
    version: int = 1

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.title, self.text)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


_SPACES = re.compile(r"\s+")


def content_hash(title: str, text: str) -> str:
    """A hash of the article's words, blind to whitespace and case, for duplicate detection."""
    norm = _SPACES.sub(" ", f"{title}\n{text}").strip().casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


__all__ = ["Article", "RawArticle", "RemovedLine", "content_hash"]
