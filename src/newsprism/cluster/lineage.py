"""Wire-copy lineage: which articles of a story reuse the same agency text.

Two articles are copies when enough of their own narration (quotations removed) aligns
sentence by sentence. Aligning sentences rather than hashing shingles survives the edits that
copy desks make: trimmed or re-ordered paragraphs, a synonym spinner's word swaps. Quotations
are blanked first because independent reports of one event quote the same speaker verbatim
(the seed pair both carry Xi's "Deviating from reality..." line) without sharing any copy.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from newsprism.cluster.features import terms
from newsprism.model import Article

# Double-quoted spans (straight or curly); single quotes are too often apostrophes.
_QUOTE = re.compile(r"[\"“”][^\"“”]{0,600}[\"“”]|“[^”]{0,600}$", re.M)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|\n|$)")
# An explicit agency credit in the text or the credit field.
_AGENCY = re.compile(
    r"\b(Reuters|Associated Press|\(AP\)|AP\b|AFP|Agence France-Presse|news agencies|"
    r"Xinhua|dpa|Deutsche Presse-Agentur|ANSA|EFE|Kyodo|PTI|Press Trust of India|Bloomberg)",
)
_MIN_TERMS = 5  # shorter sentences ("He said.") align by chance
_SENTENCE_MATCH = 0.5  # Dice overlap of two sentences' terms
_MIN_COVERAGE = 0.3  # share of the shorter article's narration that must align
_MIN_SENTENCES = 2


@dataclass(frozen=True)
class SharedPassage:
    """One aligned sentence pair: character spans in each article's text, and their overlap."""

    article: str
    start: int
    end: int
    other: str
    other_start: int
    other_end: int
    overlap: float


@dataclass
class LineageGroup:
    """Articles that carry the same wire text, with the evidence and the likely origin."""

    articles: list[str]
    origin: str
    origin_reason: str
    passages: list[SharedPassage] = field(default_factory=list)


@dataclass
class LineageResult:
    groups: list[LineageGroup]
    singletons: list[str]
    independent_sources: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    terms: frozenset[str]


def _narration(text: str) -> list[_Sentence]:
    """Sentences of ``text`` with quotations blanked, keeping character offsets."""
    blanked = _QUOTE.sub(lambda m: " " * len(m.group()), text)
    out = []
    for m in _SENTENCE.finditer(blanked):
        words = frozenset(terms(m.group()))
        if len(words) >= _MIN_TERMS:
            out.append(_Sentence(m.start(), m.end(), words))
    return out


def _align(
    a_id: str, a: list[_Sentence], b_id: str, b: list[_Sentence]
) -> tuple[float, list[SharedPassage]]:
    """Greedy one-to-one sentence alignment; returns coverage of the shorter side and passages."""
    scored = []
    for i, sa in enumerate(a):
        for j, sb in enumerate(b):
            common = len(sa.terms & sb.terms)
            if not common:
                continue
            dice = 2 * common / (len(sa.terms) + len(sb.terms))
            if dice >= _SENTENCE_MATCH:
                scored.append((dice, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    passages = []
    for dice, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        sa, sb = a[i], b[j]
        passages.append(SharedPassage(a_id, sa.start, sa.end, b_id, sb.start, sb.end, dice))
    if len(passages) < _MIN_SENTENCES:
        return 0.0, passages
    len_a = sum(s.end - s.start for s in a)
    len_b = sum(s.end - s.start for s in b)
    cov_a = sum(a[i].end - a[i].start for i in used_a) / max(len_a, 1)
    cov_b = sum(b[j].end - b[j].start for j in used_b) / max(len_b, 1)
    coverage = cov_a if len_a <= len_b else cov_b
    return coverage, sorted(passages, key=lambda p: p.start)


def _credit(article: Article) -> str | None:
    for source in (article.credit or "", article.text):
        m = _AGENCY.search(source)
        if m:
            return m.group(1).strip("()")
    return None


def _lineage(
    items: list[tuple[str, str]],
) -> tuple[list[list[str]], dict[frozenset[str], list[SharedPassage]]]:
    """Copy groups among ``(id, text)`` items and the passages of every linked pair."""
    narr = [_narration(text) for _, text in items]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    evidence: dict[frozenset[str], list[SharedPassage]] = {}
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            coverage, passages = _align(items[i][0], narr[i], items[j][0], narr[j])
            if coverage >= _MIN_COVERAGE:
                evidence[frozenset((items[i][0], items[j][0]))] = passages
                parent[find(i)] = find(j)
    groups: dict[int, list[str]] = {}
    for i, (aid, _) in enumerate(items):
        groups.setdefault(find(i), []).append(aid)
    return [g for g in groups.values() if len(g) > 1], evidence


def independent_sources(items: list[tuple[str, str]]) -> int:
    """Lineage groups plus articles that copy no one, for ``(id, text)`` pairs."""
    groups, _ = _lineage(items)
    return len(items) - sum(len(g) - 1 for g in groups)


def wire_lineage(articles: list[Article]) -> LineageResult:
    """Group copies and rewrites of the same wire text; name each group's likely origin.

    The origin is the article with an explicit agency credit (Reuters, AP, AFP, "news
    agencies", ...), else the earliest dated one, else the first given.
    """
    by_id = {a.id: a for a in articles}
    groups, evidence = _lineage([(a.id, a.text) for a in articles])
    out = []
    for members in groups:
        ranked = sorted(
            (by_id[m] for m in members),
            key=lambda a: (
                _credit(a) is None,
                a.date is None,
                a.date or datetime.min,
                members.index(a.id),
            ),
        )
        origin = ranked[0]
        credit = _credit(origin)
        if credit:
            reason = f"credits {credit}"
        elif origin.date is not None:
            reason = "earliest"
        else:
            reason = "first given (no credit, no dates)"
        passages = [p for pair, ps in evidence.items() if pair <= set(members) for p in ps]
        out.append(LineageGroup(sorted(members), origin.id, reason, passages))
    grouped = {m for g in groups for m in g}
    singletons = [a.id for a in articles if a.id not in grouped]
    return LineageResult(out, singletons, len(out) + len(singletons))


__all__ = [
    "LineageGroup",
    "LineageResult",
    "SharedPassage",
    "independent_sources",
    "wire_lineage",
]
