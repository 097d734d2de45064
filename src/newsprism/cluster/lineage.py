"""Wire-copy lineage: which articles of a story reuse the same agency text.

Two articles are copies when their own narration (quotations removed) shares copied text on
two counts (:class:`CopyRule`): sentences that align nearly word for word cover enough of the
shorter article (or run two in a row in both), and enough of its word 8-grams recur in the
other. Aligning sentences survives
the edits that copy desks make (trimmed or re-ordered paragraphs, a synonym spinner's word swaps);
the 8-grams keep two reports of one event that tell the same facts in similar sentences apart.
Quotations are blanked first because independent reports of one event quote the same speaker
verbatim (the seed pair both carry Xi's "Deviating from reality..." line) without sharing any
copy.

A translated wire story is still that wire story. Two articles in different languages (both
tagged, both supported by the packaged multilingual encoder, see :mod:`newsprism.multilingual`)
share no words to align, so their sentences are compared by the encoder instead: a sentence
pair aligns when its cosine reaches ``_CROSS_SENTENCE_MATCH``, and only the longest run of
pairs in the same order on both sides counts (a translation keeps the wire's order; an
independent report of the same facts tells them in its own). The coverage rule is the same
as for one language. Articles without a language, or in one language, are aligned as before.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from newsprism.cluster.features import terms
from newsprism.model import Article
from newsprism.multilingual import SUPPORTED, base_language

# Marks of double quotation (straight, curly, a tokenizer's `` ... ''; single quotes are too often
# apostrophes) and line ends, which may end a quotation (see _quote_spans).
_MARK = re.compile(r"``|''|[\"“”]|\n")
_OPENS_LINE = re.compile(r"[ \t]*(?:``|[\"“])")
_MAX_QUOTE = 600  # characters: an unclosed quotation ends at the first line end after this
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|\n|$)")
# Agency names, and where an article credits one as its own source: the credit field, a
# dateline ("WASHINGTON (AP) —", "(Reuters) -"), a byline ("By Jane Doe, Associated Press") or a
# sign-off ("(Reporting by ...", "Copyright 2024 The Associated Press"). An agency named
# elsewhere in the text ("Xinhua quoted Xi as saying", "she told Reuters") is not a credit.
_AGENCY_NAMES = (
    r"Reuters|Associated Press|AP|AFP|Agence France-Presse|Xinhua|dpa|Deutsche Presse-Agentur|"
    r"ANSA|EFE|Kyodo|PTI|Press Trust of India|Bloomberg|UPI|Canadian Press|CP|news agencies"
)
_AGENCY = re.compile(rf"\b({_AGENCY_NAMES})\b")
_DATELINE = re.compile(rf"\(({_AGENCY_NAMES})\)\s*[-—–:]|^\W*({_AGENCY_NAMES})\s*[-—–:]", re.M)
_BYLINE = re.compile(rf"^\s*(?:By|BY)\b[^\n]{{0,80}}?\b({_AGENCY_NAMES})\b", re.M)
_SIGN_OFF = re.compile(
    rf"\((Reporting) by |(?:Copyright|©)[^\n]{{0,40}}?\b({_AGENCY_NAMES})\b", re.I
)
_NAMES = {
    "Associated Press": "AP",
    "Agence France-Presse": "AFP",
    "CP": "Canadian Press",
}
# The agency's own site in the article's URL is a credit too.
_AGENCY_SITE = re.compile(
    r"^(?:https?://)?(?:[\w-]+\.)*(?:(reuters)\.com|(apnews)\.com|bigstory\.(ap)\.org|"
    r"(afp)\.com|(xinhuanet)\.com)\b",
    re.I,
)
_SITES = {"reuters": "Reuters", "apnews": "AP", "ap": "AP", "afp": "AFP", "xinhuanet": "Xinhua"}
# First-hand reporting for an agency, in the text a group's members share: a statement made
# to the agency or records it obtained ("she told Reuters", "records obtained by The
# Associated Press"). One outlet quoting an agency's interview is not a copy of it, so this
# names a group's agency only when two members carry the phrase (the copied text), and only
# when no member credits an agency in its dateline, byline, sign-off or URL.
_FIRST_HAND = re.compile(
    rf"\b(?:told|obtained by|in an interview with)\s+(?:[Tt]he\s+)?({_AGENCY_NAMES})\b"
    r"(?!\s+news agency)"
)
_HEAD_CHARS = 400  # datelines and bylines sit at the top
_TAIL_CHARS = 400  # sign-offs at the bottom
_MIN_TERMS = 5  # shorter sentences ("He said.") align by chance
_SENTENCE_MATCH = 0.5  # Dice overlap of two sentences' terms: candidates for a copied pair
_SHINGLE = 8  # words in the n-grams of the containment test
# Across languages (no words to share): the share of the shorter article's narration that must
# align, in at least this many sentences.
_MIN_COVERAGE = 0.3
_MIN_SENTENCES = 2
# Work per sentence when aligning two articles: the sentences of the other article checked
# against it, and the index entries read to find them. Real articles stay far below both (a
# sentence's rarer words recur in a few sentences); long repetitive text reaches them instead
# of taking time and memory that grow with the product of the two lengths.
_MAX_CANDIDATES = 100
_MAX_POSTINGS = 1000
# Across languages: quotation marks of German, French and others too, and the encoder cosine a
# translated sentence pair reaches. On the hand-written fixtures of
# tests/cluster/test_multilingual.py translated pairs scored 0.63-0.87 (all but two >= 0.65)
# and the best pairs of independent reports of the same event at most 0.62.
_CROSS_QUOTE = re.compile(
    r"[\"“”„«»‹›][^\"“”„«»‹›]{0,600}[\"“”«»‹›]|[“„«‹][^\"“”„«»‹›]{0,600}$", re.M
)
_CROSS_SENTENCE_MATCH = 0.65
_CROSS_BLOCK = 512  # rows of the cosine matrix computed at once for long articles

# An item to align: (id, text) or (id, text, language code or None).
Item = tuple[str, str] | tuple[str, str, str | None]


@dataclass(frozen=True)
class CopyRule:
    """When two articles in one language are copies: enough of the 8-grams recur, and enough
    sentences are copied, covering a share of the shorter article or in a block.

    Chosen on half of the ECB+ dev events and judged on the other half, both ways
    (docs/clustering.md, "Wire lineage: copying or quoting"; ``newsprism eval lineage --folds 2``).
    """

    sentence_match: float = 0.8  # Dice overlap of a sentence pair that counts as copied
    coverage: float = 0.2  # share of the shorter article's narration in copied sentences
    containment: float = 0.12  # 8-grams of the smaller article found in the other, quotes out
    sentences: int = 1  # copied sentences at least
    block: int = 2  # or this many copied sentences in a row on both sides (0: coverage only)
    # Links that must join two groups of two or more before they become one: a single article
    # that mixes two wire stories (a mashup) then stays with the one it copies most.
    bridges: int = 2


COPY_RULE = CopyRule()


@dataclass(frozen=True)
class PairEvidence:
    """What two articles share, before any threshold: aligned sentence pairs (Dice >= 0.5),
    the narration length of each, and the 8-gram containment outside quotations."""

    passages: list[SharedPassage]
    length_a: int
    length_b: int
    containment: float
    coverage: float | None = None  # across languages: the coverage of the ordered run
    positions: list[tuple[int, int]] = field(default_factory=list)  # sentence numbers, a and b

    @property
    def strength(self) -> float:
        """How much is copied: the 8-gram containment (across languages, the coverage)."""
        return self.coverage if self.coverage is not None else self.containment

    def copies(self, rule: CopyRule = COPY_RULE) -> bool:
        """Whether the pair is one wire copy under ``rule`` (across languages: the ordered run)."""
        if self.coverage is not None:
            return self.coverage >= _MIN_COVERAGE
        if self.containment < rule.containment:
            return False
        copied = [p for p in self.passages if p.overlap >= rule.sentence_match]
        if len(copied) < rule.sentences:
            return False
        if self.length_a <= self.length_b:
            share = sum(p.end - p.start for p in copied) / max(self.length_a, 1)
        else:
            share = sum(p.other_end - p.other_start for p in copied) / max(self.length_b, 1)
        if share >= rule.coverage:
            return True
        return rule.block > 0 and self._block(rule.sentence_match) >= rule.block

    def _block(self, sentence_match: float) -> int:
        """The most copied sentences in a row, one after another in both articles."""
        copied = {
            at
            for at, p in zip(self.positions, self.passages, strict=True)
            if p.overlap >= sentence_match
        }
        longest = 0
        for i, j in copied:
            if (i - 1, j - 1) not in copied:
                run = 1
                while (i + run, j + run) in copied:
                    run += 1
                longest = max(longest, run)
        return longest


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


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` quotes someone, mark to mark.

    A quotation may run over lines; a paragraph that ends inside one while the next opens with
    a mark ends it (the convention for a quotation over several paragraphs). A straight mark
    opens when none is open, unless it is glued to the word before and not to the one after
    (a stray close); the next one closes it.
    """
    spans = []
    start: int | None = None
    for m in _MARK.finditer(text):
        mark, at = m.group(), m.start()
        if mark == "\n":
            if start is not None and (
                at - start > _MAX_QUOTE or _OPENS_LINE.match(text, at + 1) is not None
            ):
                spans.append((start, at))
                start = None
        elif start is None and mark in ("``", "“", '"'):
            glued_before = at > 0 and not text[at - 1].isspace()
            glued_after = at + 1 < len(text) and text[at + 1].isalnum()
            if mark != '"' or glued_after or not glued_before:
                start = at
        elif start is not None and mark in ("''", "”", '"'):
            spans.append((start, m.end()))
            start = None
    if start is not None:
        spans.append((start, min(len(text), start + _MAX_QUOTE)))
    return spans


def _cross_quote_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CROSS_QUOTE.finditer(text)]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], " " * (end - start)]
        last = end
    return "".join([*out, text[last:]])


def _narration(
    text: str, quotes: Callable[[str], list[tuple[int, int]]] = _quote_spans
) -> list[_Sentence]:
    """Sentences of ``text`` with quotations (``quotes``) blanked, keeping character offsets."""
    blanked = _blank(text, quotes(text))
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
    a_groups, b_groups = _same_terms(a), _same_terms(b)
    matches = _matching_groups(
        list(a_groups),
        list(b_groups),
        [at[0] * len(b) / len(a) for at in a_groups.values()],
        [at[0] for at in b_groups.values()],
        [len(at) for at in a_groups.values()],
    )
    pairs = _one_to_one_grouped(matches, list(a_groups.values()), list(b_groups.values()))
    coverage, passages = _covered(a_id, a, b_id, b, pairs)
    return coverage, sorted(passages, key=lambda p: p.start)


def _same_terms(sentences: list[_Sentence]) -> dict[frozenset[str], list[int]]:
    """Sentence positions by their terms, in order: a repeated sentence is aligned once."""
    groups: dict[frozenset[str], list[int]] = {}
    for k, sentence in enumerate(sentences):
        groups.setdefault(sentence.terms, []).append(k)
    return groups


def _prefix(words: frozenset[str], rank: dict[str, int]) -> list[str]:
    """The rarest words of a sentence, enough that any sentence reaching the Dice threshold
    with it shares one of them: a pair at threshold t shares at least t*n/(2-t) of n words."""
    least_shared = max(1, int(_SENTENCE_MATCH * len(words) / (2 - _SENTENCE_MATCH)))
    return sorted(words, key=rank.__getitem__)[: len(words) - least_shared + 1]


def _matching_groups(
    a: list[frozenset[str]],
    b: list[frozenset[str]],
    expected: list[float],
    b_at: list[int],
    repeats: list[int],
) -> list[tuple[float, int, int]]:
    """(dice, x, y) for term sets ``a[x]``, ``b[y]`` whose Dice overlap reaches the threshold.

    Each ``a[x]`` (found ``repeats[x]`` times) is checked against the sets that share one of
    its rarer words (see :func:`_prefix`), rarest word first, at most ``_MAX_CANDIDATES`` of
    them per repeat, after reading at most ``_MAX_POSTINGS`` index entries per repeat: work
    linear in the length of ``a``, and every pair found on real articles. When there are
    more, those nearest the ``expected`` place in ``b`` are checked first (a copy keeps the
    wire's order roughly); ``b_at`` are the first positions of the sets of ``b``.
    """
    frequency: dict[str, int] = {}
    for words in (*a, *b):
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    rank = {word: k for k, word in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    index: dict[str, list[int]] = {}
    for y, words in enumerate(b):
        for word in _prefix(words, rank):
            index.setdefault(word, []).append(y)
    matches = []
    for x, words in enumerate(a):
        near = bisect_left(b_at, expected[x])
        most, budget = _MAX_CANDIDATES * repeats[x], _MAX_POSTINGS * repeats[x]
        seen: dict[int, None] = {}  # insertion-ordered set
        read = 0
        for word in _prefix(words, rank):
            for y in _nearest(index.get(word, []), near, budget - read):
                seen[y] = None
                read += 1
                if len(seen) >= most:
                    break
            if len(seen) >= most or read >= budget:
                break
        for y in seen:
            common = len(words & b[y])
            dice = 2 * common / (len(words) + len(b[y]))
            if dice >= _SENTENCE_MATCH:
                matches.append((dice, x, y))
    return matches


def _nearest(postings: list[int], at: int, limit: int) -> Iterator[int]:
    """Up to ``limit`` entries of the sorted ``postings``, the nearest to ``at`` first."""
    right = bisect_left(postings, at)
    left = right - 1
    for _ in range(min(limit, len(postings))):
        if right < len(postings) and (left < 0 or postings[right] - at <= at - postings[left]):
            yield postings[right]
            right += 1
        else:
            yield postings[left]
            left -= 1


def _one_to_one_grouped(
    matches: list[tuple[float, int, int]], a_groups: list[list[int]], b_groups: list[list[int]]
) -> list[tuple[int, int, float]]:
    """:func:`_one_to_one` over groups of identical sentences, with the same result: at each
    score, strongest first, the sentences of ``a`` in order each take the first free sentence
    of ``b`` among their matching groups."""
    free_a = [deque(members) for members in a_groups]
    free_b = [deque(members) for members in b_groups]
    by_score: dict[float, dict[int, list[int]]] = {}
    for dice, x, y in matches:
        by_score.setdefault(dice, {}).setdefault(x, []).append(y)
    pairs = []
    for dice in sorted(by_score, reverse=True):
        partners = by_score[dice]
        waiting = [(free_a[x][0], x) for x in partners if free_a[x]]
        heapq.heapify(waiting)
        while waiting:
            i, x = heapq.heappop(waiting)
            open_groups = [y for y in partners[x] if free_b[y]]
            if not open_groups:
                continue  # every later sentence of this group finds none free either
            j = free_b[min(open_groups, key=lambda y: free_b[y][0])].popleft()
            free_a[x].popleft()
            pairs.append((i, j, dice))
            if free_a[x]:
                heapq.heappush(waiting, (free_a[x][0], x))
    return pairs


def _covered(
    a_id: str,
    a: list[_Sentence],
    b_id: str,
    b: list[_Sentence],
    pairs: list[tuple[int, int, float]],
) -> tuple[float, list[SharedPassage]]:
    """The passages of aligned sentence ``pairs`` and the share of the shorter article's
    narration they cover (0 below ``_MIN_SENTENCES`` pairs)."""
    passages = [
        SharedPassage(a_id, a[i].start, a[i].end, b_id, b[j].start, b[j].end, score)
        for i, j, score in pairs
    ]
    if len(pairs) < _MIN_SENTENCES:
        return 0.0, passages
    len_a = sum(s.end - s.start for s in a)
    len_b = sum(s.end - s.start for s in b)
    cov_a = sum(a[i].end - a[i].start for i, _, _ in pairs) / max(len_a, 1)
    cov_b = sum(b[j].end - b[j].start for _, j, _ in pairs) / max(len_b, 1)
    return (cov_a if len_a <= len_b else cov_b), passages


def _one_to_one(scored: list[tuple[float, int, int]]) -> list[tuple[int, int, float]]:
    """(i, j, score) sentence pairs matched one to one, strongest first (ties: lower i, j)."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for score, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j, score))
    return pairs


def _align_cross(
    a_id: str,
    a: list[_Sentence],
    a_vecs: np.ndarray,
    b_id: str,
    b: list[_Sentence],
    b_vecs: np.ndarray,
) -> tuple[float, list[SharedPassage]]:
    """:func:`_align` for two languages: encoder cosine instead of shared terms, and only the
    longest run of pairs in the same order on both sides."""
    if not a or not b:
        return 0.0, []
    return _covered(a_id, a, b_id, b, _ordered_run(_one_to_one(_cross_matches(a_vecs, b_vecs))))


def _cross_matches(a_vecs: np.ndarray, b_vecs: np.ndarray) -> list[tuple[float, int, int]]:
    """(cosine, i, j) for sentence pairs at ``_CROSS_SENTENCE_MATCH`` or above. Long articles
    are compared a block of rows at a time, keeping each sentence's ``_MAX_CANDIDATES`` best."""
    b64 = b_vecs.astype(np.float64).T
    if len(a_vecs) * len(b_vecs) <= _CROSS_BLOCK * _CROSS_BLOCK:  # as always: one product
        cosine = a_vecs.astype(np.float64) @ b64
        rows, cols = np.nonzero(cosine >= _CROSS_SENTENCE_MATCH)
        return [(float(cosine[i, j]), int(i), int(j)) for i, j in zip(rows, cols, strict=True)]
    scored = []
    for start in range(0, len(a_vecs), _CROSS_BLOCK):
        for row, values in enumerate(a_vecs[start : start + _CROSS_BLOCK].astype(np.float64) @ b64):
            cols = np.flatnonzero(values >= _CROSS_SENTENCE_MATCH)
            if len(cols) > _MAX_CANDIDATES:
                cols = cols[np.argsort(-values[cols], kind="stable")[:_MAX_CANDIDATES]]
            scored += [(float(values[c]), start + row, int(c)) for c in cols]
    return scored


def _ordered_run(pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The longest chain of aligned pairs increasing on both sides (ties: the stronger).

    Each pair extends the best chain ending below it on the other side, found in a Fenwick
    tree of (length, total score, -pair) over that side's positions: O(n log n) for n pairs.
    """
    pairs = sorted(pairs)
    size = max((j for _, j, _ in pairs), default=-1) + 1
    none = (0, 0.0, 1)
    tree = [none] * (size + 1)
    best: list[tuple[int, float, int]] = []  # per pair: (length, total score, previous)
    for k, (_i, j, score) in enumerate(pairs):
        top, at = none, j
        while at > 0:
            top = max(top, tree[at])
            at -= at & -at
        length, total, prev = (top[0] + 1, top[1] + score, -top[2]) if top[0] else (1, score, -1)
        best.append((length, total, prev))
        at = j + 1
        while at <= size:
            tree[at] = max(tree[at], (length, total, -k))
            at += at & -at
    if not best:
        return []
    at = max(range(len(best)), key=lambda k: (best[k][0], best[k][1], -k))
    run = []
    while at >= 0:
        run.append(pairs[at])
        at = best[at][2]
    return run[::-1]


def _languages_differ(a: str | None, b: str | None) -> bool:
    """Whether two articles are aligned across languages (both known, supported, different)."""
    return a is not None and b is not None and a != b and a in SUPPORTED and b in SUPPORTED


def _credit(article: Article) -> str | None:
    """The agency an article credits as its own source (credit field, dateline, byline,
    sign-off, the agency's site in its URL), never one it merely mentions."""
    text = article.text
    found = _AGENCY.search(article.credit or "")
    for pattern, part in (
        (_DATELINE, article.title + "\n" + text[:_HEAD_CHARS]),
        (_BYLINE, text[:_HEAD_CHARS]),
        (_SIGN_OFF, text[-_TAIL_CHARS:]),
    ):
        found = found or pattern.search(part)
    found = found or _AGENCY_SITE.match(article.url or "")
    if not found:
        return None
    name = next(g for g in found.groups() if g)
    if name.lower() in _SITES:
        return _SITES[name.lower()]
    return "Reuters" if name.lower() == "reporting" else _NAMES.get(name, name)


def _first_hand(members: list[Article]) -> tuple[Article, str, str] | None:
    """(the earliest member carrying it, the agency, the phrase) when two or more members of
    a group carry the same first-hand reporting phrase for one agency (see ``_FIRST_HAND``)."""
    carriers: dict[str, list[tuple[Article, str]]] = {}
    for article in members:
        seen = set()
        for match in _FIRST_HAND.finditer(article.text):
            agency = _NAMES.get(match.group(1), match.group(1))
            if agency not in seen:
                seen.add(agency)
                carriers.setdefault(agency, []).append((article, match.group(0)))
    agencies = [a for a, found in carriers.items() if len(found) >= 2]
    if len(agencies) != 1:  # none, or statements made to several agencies: a round-up
        return None
    found = sorted(
        carriers[agencies[0]],
        key=lambda c: (c[0].date is None, c[0].date or datetime.min, members.index(c[0])),
    )
    return found[0][0], agencies[0], found[0][1]


def _shingles(text: str) -> set[int]:
    """Hashes of the word 8-grams of ``text`` that touch no quotation."""
    out: set[int] = set()
    last = 0
    for start, end in [*_quote_spans(text), (len(text), len(text))]:
        words = [w.lower() for w in _WORD.findall(text, last, start)]
        out.update(hash(tuple(words[k : k + _SHINGLE])) for k in range(len(words) - _SHINGLE + 1))
        last = end
    return out


def _containment(a: set[int], b: set[int]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def pair_evidence(
    items: Sequence[Item], *, min_containment: float = 0.0
) -> dict[tuple[int, int], PairEvidence]:
    """What each pair ``(i, j)``, ``i < j``, of ``(id, text[, lang])`` items shares.

    ``min_containment``: pairs in one language whose 8-gram containment is below it are left
    out without aligning their sentences (a rule with that containment floor cannot link them;
    the alignment is most of the cost)."""
    narr = [_narration(item[1]) for item in items]
    langs = [base_language(item[2]) if len(item) > 2 else None for item in items]
    crossed: dict[int, tuple[list[_Sentence], np.ndarray]] = {}

    def cross(i: int) -> tuple[list[_Sentence], np.ndarray]:
        """Item ``i``'s sentences and their encoder vectors, worked out when first needed."""
        if i not in crossed:
            from newsprism.multilingual import DIM, default_encoder

            text = items[i][1]
            sentences = _narration(text, _cross_quote_spans)  # more kinds of quotation marks
            vecs = (
                default_encoder().encode([text[s.start : s.end] for s in sentences])
                if sentences
                else np.zeros((0, DIM), np.float32)
            )
            crossed[i] = (sentences, vecs)
        return crossed[i]

    shingles: dict[int, set[int]] = {}

    def shingled(i: int) -> set[int]:
        if i not in shingles:
            shingles[i] = _shingles(items[i][1])
        return shingles[i]

    evidence = {}
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if _languages_differ(langs[i], langs[j]):
                coverage, passages = _align_cross(items[i][0], *cross(i), items[j][0], *cross(j))
                evidence[i, j] = PairEvidence(passages, 0, 0, 0.0, coverage)
                continue
            containment = _containment(shingled(i), shingled(j))
            if containment < min_containment:
                continue
            _, passages = _align(items[i][0], narr[i], items[j][0], narr[j])
            if not passages:
                continue
            length_a = sum(s.end - s.start for s in narr[i])
            length_b = sum(s.end - s.start for s in narr[j])
            number_a = {s.start: k for k, s in enumerate(narr[i])}
            number_b = {s.start: k for k, s in enumerate(narr[j])}
            positions = [(number_a[p.start], number_b[p.other_start]) for p in passages]
            evidence[i, j] = PairEvidence(
                passages, length_a, length_b, containment, positions=positions
            )
    return evidence


def _lineage(
    items: Sequence[Item], rule: CopyRule = COPY_RULE
) -> tuple[list[list[str]], dict[frozenset[str], list[SharedPassage]]]:
    """Copy groups among ``(id, text[, lang])`` items and the passages of every linked pair."""
    evidence = pair_evidence(items, min_containment=rule.containment)
    groups = rule_groups([item[0] for item in items], evidence, rule)
    return groups, {
        frozenset((items[i][0], items[j][0])): found.passages
        for (i, j), found in evidence.items()
        if found.copies(rule)
    }


def rule_groups(
    ids: Sequence[str], evidence: dict[tuple[int, int], PairEvidence], rule: CopyRule = COPY_RULE
) -> list[list[str]]:
    """Copy groups of ``ids`` from their pairs' evidence under ``rule``."""
    links = sorted(
        (pair for pair, found in evidence.items() if found.copies(rule)),
        key=lambda pair: (-evidence[pair].strength, pair),
    )
    return copy_groups(ids, links, rule.bridges)


def copy_groups(
    ids: Sequence[str], links: Sequence[tuple[int, int]], bridges: int = 1
) -> list[list[str]]:
    """Groups (two or more) of ``ids`` joined by the linked index pairs, taken in order.

    With ``bridges`` > 1, two groups of two or more articles join only when that many of the
    links connect them; 1 gives the connected components.
    """
    linked = {(min(i, j), max(i, j)) for i, j in links}
    group = {i: [i] for i in range(len(ids))}
    for i, j in links:
        a, b = group[i], group[j]
        if a is b:
            continue
        if bridges > 1 and len(a) > 1 and len(b) > 1:
            joining = sum((min(u, v), max(u, v)) in linked for u in a for v in b)
            if joining < bridges:
                continue
        a.extend(b)
        for k in b:
            group[k] = a
    out, seen = [], set()
    for i in range(len(ids)):
        members = group[i]
        if len(members) > 1 and id(members) not in seen:
            seen.add(id(members))
            out.append([ids[k] for k in sorted(members)])
    return out


def independent_sources(items: Sequence[Item]) -> int:
    """Lineage groups plus articles that copy no one, for ``(id, text[, lang])`` items."""
    groups, _ = _lineage(items)
    return len(items) - sum(len(g) - 1 for g in groups)


def wire_lineage(articles: list[Article]) -> LineageResult:
    """Group copies and rewrites of the same wire text; name each group's likely origin.

    The origin is the article that credits an agency as its own source (credit field,
    dateline, byline, sign-off or the agency's site in its URL: Reuters, AP, AFP, "news
    agencies", ...), else the earliest dated one, else the first given. An agency the text
    only names ("Xinhua quoted Xi as saying", "one woman told AFP") names no origin: a BBC
    story quoting AFP interviews is not AFP's copy. When no member credits an agency,
    first-hand reporting for one agency that two or more members carry ("she told Reuters",
    "records obtained by The Associated Press") names it: that is the copied text.
    """
    by_id = {a.id: a for a in articles}
    groups, evidence = _lineage([(a.id, a.text, a.lang) for a in articles])
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
        first_hand = None if credit else _first_hand([by_id[m] for m in members])
        if credit:
            reason = f"credits {credit}"
        elif first_hand:
            origin, agency, phrase = first_hand
            reason = f"reported for {agency} (the copied text says {phrase!r})"
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
    "COPY_RULE",
    "CopyRule",
    "LineageGroup",
    "LineageResult",
    "PairEvidence",
    "SharedPassage",
    "copy_groups",
    "independent_sources",
    "pair_evidence",
    "rule_groups",
    "wire_lineage",
]
