"""Numbers in claims, and whether two reported values can both be true.

Used when the language layer gives no quantities for an article: a small reader for digits,
number words and scale words ("at least one million", "more than a dozen", "about 4,000").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from newsprism.compare.lexicon import stem

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "a million": 1_000_000,
    "a billion": 1_000_000_000,
    "a thousand": 1000,
    "a hundred": 100,
}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_QUALIFIERS = (
    (">=", ("at least", "no fewer than", "no less than", "a minimum of")),
    (">", ("more than", "over", "upwards of", "passes", "passed", "exceeds", "above")),
    ("<=", ("at most", "up to", "no more than")),
    ("<", ("fewer than", "less than", "under", "below", "nearly", "almost")),
    ("~", ("about", "around", "some", "roughly", "approximately", "an estimated", "nearly")),
)
_NUM = (
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(k) for k in _NUMBER_WORDS), key=len, reverse=True))
    + r")"
)
_QUAL = "|".join(sorted((re.escape(p) for _, ps in _QUALIFIERS for p in ps), key=len, reverse=True))
_PATTERN = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?\b{_NUM}\b(?:\s+(?P<scale>thousand|million|billion|trillion))?"
    r"(?:\s*(?P<pct>%|per ?cent|percent))?"
    r"(?:[\s-]+(?:of\s+)?(?:the\s+)?(?P<unit>[A-Za-z][A-Za-z\-]+))?",
    re.IGNORECASE,
)
_NOT_UNITS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "was",
        "were",
    ]
)


@dataclass(frozen=True)
class Amount:
    """One number in a claim unit, with the noun it counts and its qualifier."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    qualifier: str  # "=", ">=", ">", "<=", "<", "~"


def find_amounts(text: str, offset: int = 0) -> list[Amount]:
    """Numbers in ``text`` (offsets shifted by ``offset``); four-digit years are left to dates."""
    out = []
    for m in _PATTERN.finditer(text):
        raw = m.group("num").lower()
        word_value = _NUMBER_WORDS.get(raw)
        if word_value is not None:
            value = float(word_value)
        else:
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                continue
        if m.group("scale"):
            value *= _SCALE[m.group("scale").lower()]
        unit = m.group("unit")
        if m.group("pct"):
            unit = "%"
        if unit and unit.lower() in _NOT_UNITS:
            unit = None
        if unit is None and re.fullmatch(r"(1[89]|20)\d\d", raw):
            continue  # a bare year is a date, not a count
        qualifier = "="
        qual = (m.group("qual") or "").lower()
        for symbol, phrases in _QUALIFIERS:
            if qual in phrases:
                qualifier = symbol
                break
        end = m.end("unit") if m.group("unit") and unit else m.end()
        out.append(
            Amount(
                m.start() + offset,
                end + offset,
                text[m.start() : end],
                float(value),
                stem(unit) if unit and unit != "%" else unit,
                qualifier,
            )
        )
    return out


def _interval(amount: Amount) -> tuple[float, float]:
    v = amount.value
    return {
        "=": (v * 0.98, v * 1.02),
        "~": (v * 0.85, v * 1.15),
        ">=": (v, math.inf),
        ">": (v, math.inf),
        "<=": (0.0, v),
        "<": (v * 0.8, v),
    }.get(amount.qualifier, (v, v))


def compatible(a: Amount, b: Amount) -> bool:
    """Whether both values can be true at once ("at least one million" vs "more than a million")."""
    lo_a, hi_a = _interval(a)
    lo_b, hi_b = _interval(b)
    return lo_a <= hi_b and lo_b <= hi_a


def same_measure(a: Amount, b: Amount) -> bool:
    """Whether two amounts count the same kind of thing (their units agree or one is unstated)."""
    if a.unit == "%" or b.unit == "%":
        return a.unit == b.unit
    if a.unit and b.unit:
        return a.unit == b.unit or a.unit[:5] == b.unit[:5]
    return False


__all__ = ["Amount", "compatible", "find_amounts", "same_measure"]
