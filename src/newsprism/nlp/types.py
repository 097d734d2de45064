"""The records the language layer produces.

Every item carries character offsets ``start``/``end`` (end exclusive) into the cleaned text that
:func:`newsprism.nlp.annotate` was given, so any later stage can show it in context.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

QuoteKind = Literal["full", "partial", "scare"]
Qualifier = Literal["=", ">=", ">", "<=", "<", "~"]


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article, with the paragraph it belongs to (0-based)."""

    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: a name, a title + name, a role description or a pronoun."""

    start: int
    end: int
    text: str
    kind: Literal["name", "role", "pronoun"] = "name"


@dataclass
class Entity:
    """An entity of one article: every mention that refers to it, under one canonical name."""

    id: str  # stable within the article: "e1", "e2" ...
    name: str  # canonical name: the longest full name seen ("Xi Jinping")
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, ...
    mentions: list[Mention] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)  # distinct surface spellings
    roles: list[str] = field(default_factory=list)  # "Chinese president", "UN human rights chief"
    gender: Literal["m", "f"] | None = None


@dataclass(frozen=True)
class CanonicalEntity:
    """An entity merged across the articles of a story."""

    key: str
    name: str
    label: str
    variants: dict[str, list[str]]  # doc_id -> spellings that article uses
    roles: list[str]
    mentions: dict[str, int]  # doc_id -> number of mentions


@dataclass
class Attribution:
    """Words attributed to a speaker: a direct quote (see :class:`Quote`) or reported speech.

    ``speaker`` is the surface mention ("he", "the spokesman", "Xi"); ``speaker_entity`` the
    canonical name it resolves to, or None when the text does not say who spoke.
    """

    id: str
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_entity: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    via: str | None = None  # the channel: "the Xinhua state news agency quoted Xi as saying"
    via_entity: str | None = None


@dataclass
class Quote(Attribution):
    """A direct quote: words inside quotation marks (the span excludes the marks themselves)."""

    kind: QuoteKind = "full"
    balanced: bool = (
        True  # False when the closing mark is missing (the quote ends at paragraph end)
    )
    continues: str | None = None  # id of the quote this one continues (split or multi-paragraph)


@dataclass(frozen=True)
class Quantity:
    """A number with what it counts and how it is hedged: "at least one million Uighurs"."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None  # the counted noun ("Uighurs", "years", "day") or a currency/percent sign
    qualifier: Qualifier = "="


@dataclass(frozen=True)
class DateMention:
    """A date expression, resolved against the publication date when that is known."""

    start: int
    end: int
    text: str
    value: date | None  # the day (or first day of the month/year) it points at; None = unresolved
    granularity: Literal["day", "week", "month", "year"] | None
    resolved: bool
    relative: bool


@dataclass
class Annotation:
    """Everything the language layer found in one article."""

    doc_id: str
    text: str
    published: datetime | None = None
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)  # indirect (reported) speech
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        for item in data["dates"]:
            item["value"] = item["value"].isoformat() if item["value"] else None
        return data


__all__ = [
    "Annotation",
    "Attribution",
    "CanonicalEntity",
    "DateMention",
    "Entity",
    "Mention",
    "Quantity",
    "Quote",
    "QuoteKind",
    "Sentence",
]
