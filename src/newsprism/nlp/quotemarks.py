"""Find quoted stretches of text from quotation marks alone, before any parsing.

Real news text mixes curly, straight and guillemet marks, nests single quotes inside double
ones, and sometimes drops a closing mark. The scanner works paragraph by paragraph: a quote
never crosses a paragraph boundary (news style reopens the mark on the next paragraph of a
multi-paragraph quote), and a quote whose closing mark is missing ends at its paragraph's end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„‟«"
DOUBLE_CLOSE = "”»"
DOUBLE_ANY = DOUBLE_OPEN + DOUBLE_CLOSE + '"'
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
SINGLE_ANY = SINGLE_OPEN + SINGLE_CLOSE + "'"

_OPEN_BEFORE = "([{—–-/ \t\n\r" + DOUBLE_OPEN + SINGLE_OPEN
_CLOSE_AFTER = ".,;:!?)]}—–-… \t\n\r" + DOUBLE_CLOSE + SINGLE_CLOSE
# A blank line always ends a paragraph; a single line break does when the line ends a sentence
# (a line break after a plain word is a wrapped line, as in "double\nstandards").
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=[.!?:”\"’')\]])[ \t\xa0]*\n\s*")


@dataclass(frozen=True)
class QuotedSpan:
    """Characters between an opening mark and its closing mark (or the paragraph's end)."""

    start: int  # first character after the opening mark
    end: int  # the closing mark's offset, or the paragraph end (trailing space trimmed)
    balanced: bool
    single: bool  # delimited by single marks (headline style), not double
    paragraph: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank-line separated, or a line break after a sentence end."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in spans) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _direction(text: str, i: int, start: int, end: int) -> str:
    """'open', 'close' or '?' from the characters around the mark at ``i``."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    opening = before in _OPEN_BEFORE and not after.isspace()
    closing = not before.isspace() and (after in _CLOSE_AFTER or after in "'\"")
    if opening and not closing:
        return "open"
    if closing and not opening:
        return "close"
    return "?"


def _double_role(text: str, i: int, start: int, end: int, inside: bool) -> str:
    """Whether a double mark opens or closes; context beats glyph because scrapes mix glyphs."""
    mark = text[i]
    if mark in "«»":  # French spacing puts blanks inside guillemets, so trust the glyph
        return "open" if mark == "«" else "close"
    ctx = _direction(text, i, start, end)
    if ctx != "?":
        return ctx
    if mark in DOUBLE_OPEN:
        return "open"
    if mark in DOUBLE_CLOSE:
        return "close"
    return "close" if inside else "open"


def _single_close(text: str, i: int, end: int) -> int | None:
    """The offset of the mark closing a top-level single quote opened at ``i``, if any.

    Apostrophes inside words ("don’t") are followed by a letter, so they never close.
    """
    j = i + 1
    while j < end:
        ch = text[j]
        if ch in "’'›":
            after = text[j + 1] if j + 1 < end else " "
            if not after.isalnum() and not text[j - 1].isspace():
                # "the countries’ rights" is a possessive, not a closing mark, when a
                # plural noun precedes and a lower-case word follows; quotes end before
                # punctuation or a clause far more often.
                return j
        elif ch in DOUBLE_ANY or (ch in ".?!" and j + 1 < end and text[j + 1] == "\n"):
            return None
        j += 1
    return None


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Every top-level quoted stretch of ``text``; nested single quotes stay inside their parent."""
    spans: list[QuotedSpan] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        spans.extend(_scan_paragraph(text, p_start, p_end, number))
    return spans


def _scan_paragraph(text: str, start: int, end: int, number: int) -> list[QuotedSpan]:
    found: list[QuotedSpan] = []
    open_at: int | None = None
    i = start
    while i < end:
        ch = text[i]
        if ch in DOUBLE_ANY:
            role = _double_role(text, i, start, end, open_at is not None)
            if open_at is None and role == "open":
                open_at = i + 1
            elif open_at is not None and role == "close":
                if i > open_at:
                    found.append(QuotedSpan(open_at, i, True, False, number))
                open_at = None
            elif open_at is not None and role == "open":
                # A new opening mark before the old one closed: the closing mark was dropped.
                s, e = _strip(text, open_at, i)
                if e > s:
                    found.append(QuotedSpan(s, e, False, False, number))
                open_at = i + 1
        elif (
            open_at is None
            and ch in "‘‹'"
            and _direction(text, i, start, end) == "open"
            and i + 1 < end
            and text[i + 1].isalpha()
        ):
            close = _single_close(text, i, end)
            if close is not None:
                found.append(QuotedSpan(i + 1, close, True, True, number))
                i = close
        i += 1
    if open_at is not None:
        s, e = _strip(text, open_at, end)
        if e > s:
            found.append(QuotedSpan(s, e, False, False, number))
    return found


__all__ = ["QuotedSpan", "find_quoted_spans", "paragraphs"]
