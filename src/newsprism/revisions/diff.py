"""A word-level diff of two versions of a text: what was added, removed and reworded.

Tokens are words (``don't``, ``3.5``, ``U.S``, ``well-known`` stay whole; each Chinese or
Japanese character is a word of its own) and runs of punctuation, each with its character span.
Whitespace is never a change: two texts that differ only in spacing or line breaks are equal.

Two passes keep it fast on long articles: the texts are first compared sentence by sentence
(sentences as token tuples, which are nearly all distinct, so ``difflib`` anchors at once), and
only the sentences that differ are compared word by word. A block of changed sentences larger
than :data:`WORD_DIFF_LIMIT` token pairs is compared with difflib's junk heuristic on, which
bounds its time (a whole 100 KB article rewritten diffs in well under a second).

A change next to another, with only punctuation between them, is one reworded passage: the
comma between two replaced words is not an unchanged part worth showing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["equal", "added", "removed", "reworded"]

# Token pairs (old × new) above which a block of changed sentences is compared with difflib's
# autojunk on: its time then stays near linear instead of growing with the product.
WORD_DIFF_LIMIT = 4_000_000

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(
    rf"[{_CJK}]"  # one ideograph or kana: these scripts write no spaces between words
    rf"|(?:(?![{_CJK}])\w)+(?:['’.\-](?:(?![{_CJK}])\w)+)*"  # a word, inner ' ’ . - kept
    r"|[^\w\s]+"  # a run of punctuation (or symbols)
)
_SENTENCE_END = re.compile(r"[.!?…。！？]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return any(c.isalnum() for c in self.text)


def tokenize(text: str) -> list[Token]:
    """The words and punctuation runs of ``text`` with their character spans."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Change:
    """One operation of a diff, with its character spans in the old and the new text.

    ``added`` has an empty old span (where the words go in the old text) and ``removed`` an
    empty new span (where they were, in the new text); ``old``/``new`` are the spanned texts.
    ``old_words``/``new_words`` count words, not punctuation.
    """

    kind: Kind
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    old: str
    new: str
    old_words: int
    new_words: int

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "old": [self.old_start, self.old_end],
            "new": [self.new_start, self.new_end],
            "old_text": self.old,
            "new_text": self.new,
        }


@dataclass(frozen=True)
class Counts:
    reworded: int = 0  # passages
    added: int = 0  # words, in passages only added
    removed: int = 0  # words, in passages only removed
    unchanged: int = 0  # words
    punctuation: int = 0  # changes of punctuation alone

    def summary(self) -> str:
        """``3 passages reworded, 12 words added, 2 removed`` (then ``1 punctuation change``);
        ``no changes`` when the texts differ at most in spacing."""
        parts = []
        if self.reworded:
            parts.append(_plural(self.reworded, "passage") + " reworded")
        if self.added:
            parts.append(_plural(self.added, "word") + " added")
        if self.removed:  # "12 words added, 2 removed": the noun is said once
            words = str(self.removed) if self.added else _plural(self.removed, "word")
            parts.append(words + " removed")
        if self.punctuation:
            parts.append(_plural(self.punctuation, "punctuation change"))
        return ", ".join(parts) if parts else "no changes"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class TextDiff:
    """The changes from ``old`` to ``new``: every token of both texts is in one operation."""

    old: str
    new: str
    ops: list[Change] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return [c for c in self.ops if c.kind != "equal"]

    @property
    def counts(self) -> Counts:
        ops = self.ops
        return Counts(
            reworded=sum(c.kind == "reworded" and c.old_words + c.new_words > 0 for c in ops),
            added=sum(c.new_words for c in ops if c.kind == "added"),
            removed=sum(c.old_words for c in ops if c.kind == "removed"),
            unchanged=sum(c.new_words for c in ops if c.kind == "equal"),
            punctuation=sum(c.kind != "equal" and c.old_words + c.new_words == 0 for c in ops),
        )

    def summary(self) -> str:
        return self.counts.summary()

    def to_dict(self) -> dict[str, object]:
        counts = self.counts
        return {
            "summary": counts.summary(),
            "counts": {
                "reworded": counts.reworded,
                "added": counts.added,
                "removed": counts.removed,
                "unchanged": counts.unchanged,
                "punctuation": counts.punctuation,
            },
            "changes": [c.to_dict() for c in self.changes],
        }


def diff_text(old: str, new: str) -> TextDiff:
    """The word-level diff of two texts (see the module docstring for the method and bound)."""
    a, b = tokenize(old), tokenize(new)
    runs: list[tuple[str, int, int, int, int]] = []  # (difflib tag, a from, a to, b from, b to)
    sa, sb = _sentences(a), _sentences(b)
    keys_a = [tuple(t.text for t in a[i:j]) for i, j in sa]
    keys_b = [tuple(t.text for t in b[i:j]) for i, j in sb]
    matcher = SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ta = (sa[i1][0], sa[i2 - 1][1]) if i2 > i1 else (_at(sa, i1, len(a)),) * 2
        tb = (sb[j1][0], sb[j2 - 1][1]) if j2 > j1 else (_at(sb, j1, len(b)),) * 2
        if tag == "replace":
            runs += _word_runs(a, b, ta, tb)
        else:
            runs.append((tag, ta[0], ta[1], tb[0], tb[1]))
    return TextDiff(old, new, _changes(old, new, a, b, _merged(runs, old, new, a, b)))


def _sentences(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token ranges of sentences: ending after . ! ? (and any closing punctuation after)."""
    out, first = [], 0
    for i, token in enumerate(tokens):
        ends = not token.is_word and _SENTENCE_END.search(token.text)
        if ends and (i + 1 == len(tokens) or tokens[i + 1].is_word):
            out.append((first, i + 1))
            first = i + 1
    if first < len(tokens):
        out.append((first, len(tokens)))
    return out


def _at(ranges: Sequence[tuple[int, int]], index: int, total: int) -> int:
    """The token index where range ``index`` starts (the end when past the last)."""
    return ranges[index][0] if index < len(ranges) else total


def _word_runs(
    a: Sequence[Token], b: Sequence[Token], ta: tuple[int, int], tb: tuple[int, int]
) -> list[tuple[str, int, int, int, int]]:
    words_a = [t.text for t in a[ta[0] : ta[1]]]
    words_b = [t.text for t in b[tb[0] : tb[1]]]
    big = len(words_a) * len(words_b) > WORD_DIFF_LIMIT
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=big)
    return [
        (tag, ta[0] + i1, ta[0] + i2, tb[0] + j1, tb[0] + j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _merged(
    runs: list[tuple[str, int, int, int, int]],
    old: str,
    new: str,
    a: Sequence[Token],
    b: Sequence[Token],
) -> list[tuple[str, int, int, int, int]]:
    """Adjacent runs of the same kind joined; two changes with only punctuation inside a
    sentence between them (a comma, a quotation mark; not a full stop or a line break) joined
    into one replace."""
    out: list[tuple[str, int, int, int, int]] = []
    for run in runs:
        tag, i1, i2, j1, j2 = run
        if i1 == i2 and j1 == j2:
            continue
        if out and out[-1][0] == tag:
            out[-1] = (tag, out[-1][1], i2, out[-1][3], j2)
            continue
        if (
            tag != "equal"
            and len(out) >= 2
            and out[-1][0] == "equal"
            and out[-2][0] != "equal"
            and _inner_punctuation(old, a, out[-1][1], out[-1][2])
            and _inner_punctuation(new, b, out[-1][3], out[-1][4])
        ):
            out.pop()
            prev = out.pop()
            out.append(("replace", prev[1], i2, prev[3], j2))
            continue
        out.append(run)
    return out


def _inner_punctuation(old: str, a: Sequence[Token], i1: int, i2: int) -> bool:
    """Whether tokens ``i1:i2`` are punctuation that does not end a sentence, with no line
    break between the tokens around them."""
    if any(t.is_word or _SENTENCE_END.search(t.text) for t in a[i1:i2]):
        return False
    start = a[i1 - 1].end if i1 > 0 else 0
    end = a[i2].start if i2 < len(a) else len(old)
    return "\n" not in old[start:end]


def _changes(
    old: str,
    new: str,
    a: Sequence[Token],
    b: Sequence[Token],
    runs: list[tuple[str, int, int, int, int]],
) -> list[Change]:
    kinds: dict[str, Kind] = {
        "equal": "equal",
        "insert": "added",
        "delete": "removed",
        "replace": "reworded",
    }
    out: list[Change] = []
    old_at = new_at = 0  # where an empty span goes: after the previous operation
    for tag, i1, i2, j1, j2 in runs:
        os_, oe = (a[i1].start, a[i2 - 1].end) if i2 > i1 else (old_at, old_at)
        ns, ne = (b[j1].start, b[j2 - 1].end) if j2 > j1 else (new_at, new_at)
        out.append(
            Change(
                kinds[tag],
                os_,
                oe,
                ns,
                ne,
                old[os_:oe],
                new[ns:ne],
                sum(t.is_word for t in a[i1:i2]),
                sum(t.is_word for t in b[j1:j2]),
            )
        )
        old_at, new_at = oe, ne
    return out


Segment = tuple[Literal["same", "added", "removed"], str]


def segments(diff: TextDiff) -> Iterator[Segment]:
    """The new text in pieces to show: unchanged text (with its spacing), added and removed
    passages in reading order (a reworded passage is its removed text, then its added text).

    Removed words are shown where they were, with a space before them when the old text had one.
    """
    new, old = diff.new, diff.old
    at = 0
    for change in diff.ops:
        if change.new_start > at:
            yield ("same", new[at : change.new_start])
        if change.kind == "equal":
            yield ("same", change.new)
        elif change.kind == "added":
            yield ("added", change.new)
        else:
            spaced = change.kind == "removed" and change.new_start > 0
            if spaced and change.old_start > 0 and old[change.old_start - 1].isspace():
                yield ("same", " ")
            yield ("removed", change.old)
            if change.kind == "reworded":
                yield ("added", change.new)
            elif change.new_start == 0 and new and not new[0].isspace():
                yield ("same", " ")
        at = change.new_end
    if at < len(new):
        yield ("same", new[at:])


__all__ = [
    "WORD_DIFF_LIMIT",
    "Change",
    "Counts",
    "TextDiff",
    "Token",
    "diff_text",
    "segments",
    "tokenize",
]
