"""Numbers and quantities: value, what is counted, and the hedge around it.

"at least one million Uighurs" → (1e6, "Uighurs", ">="); "more than a million Uyghurs" →
(1e6, "Uyghurs", ">"); "17 years" → (17, "years", "="); "six-day trip" → (6, "day", "=").
Later stages compare these: two figures with the same unit conflict only if their ranges do.
"""

from __future__ import annotations

import re

from newsprism.nlp.types import Qualifier, Quantity

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a": 1, "an": 1,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
_QUALIFIERS: list[tuple[str, Qualifier]] = [
    ("at least", ">="), ("no fewer than", ">="), ("more than", ">"), ("over", ">"),
    ("upwards of", ">"), ("nearly", "<"), ("almost", "<"), ("fewer than", "<"),
    ("less than", "<"), ("under", "<"), ("up to", "<="), ("at most", "<="),
    ("about", "~"), ("around", "~"), ("roughly", "~"), ("approximately", "~"),
    ("some", "~"), ("an estimated", "~"), ("estimated", "~"),
]  # fmt: skip
_NUMBER_WORD = "|".join(w for w in _UNITS_WORDS if w not in {"a", "an"})
_QUAL = "|".join(re.escape(q) for q, _ in _QUALIFIERS)
_PATTERN = re.compile(
    r"(?<![^\W_])"  # never from inside a word: keeps the scan fast
    rf"(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?P<cur>[$€£¥])?"
    rf"(?P<num>\d+(?:[.,]\d+)*|(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))?"
    r"|(?<=\s)an?(?=\s+(?:million|billion|thousand|dozen|hundred)\b))"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|m)\b)?"
    r"(?P<pct>\s*(?:%|percent|per cent))?"
    r"(?:(?:-|\s+)(?P<unit>(?:[A-Za-z][\w’'-]*)))?",
    re.IGNORECASE,
)
_NOT_UNITS = frozenset(
    [
        "and",
        "or",
        "of",
        "to",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "was",
        "were",
        "are",
    ]
)


def _value(num: str) -> float | None:
    num = num.lower()
    if num[0].isdigit():
        try:
            return float(num.replace(",", ""))
        except ValueError:
            return None
    total = 0.0
    for part in re.split(r"[- ]", num):
        if part in _UNITS_WORDS:
            total = total * 100 if part == "hundred" and total else total + _UNITS_WORDS[part]
    return total


def find_quantities(text: str) -> list[Quantity]:
    """Every number in ``text`` with its counted noun and qualifier (years like 2019 excluded)."""
    found: list[Quantity] = []
    for match in _PATTERN.finditer(text):
        start = match.start()
        if start > 0 and (
            text[start - 1].isalnum()
            or (text[start - 1] == "-" and start > 1 and text[start - 2].isalnum())
        ):
            continue  # part of a word or a code ("Covid-19")
        num = match.group("num")
        value = _value(num)
        if value is None:
            continue
        scale = match.group("scale")
        unit = match.group("unit")
        if scale:
            value *= _SCALES[scale.lower()]
        elif num.lower() in {"a", "an"}:
            continue
        elif num.isdigit() and len(num) == 4 and 1800 <= value <= 2100 and not match.group("cur"):
            continue  # a year: dates.py reads those
        if match.group("cur"):
            unit = match.group("cur")
        elif match.group("pct"):
            unit = "%"
        elif unit and unit.lower() in _NOT_UNITS:
            unit = None
        qualifier: Qualifier = "="
        if match.group("qual"):
            qualifier = dict(_QUALIFIERS)[match.group("qual").lower()]
        end = match.end() if unit == match.group("unit") and unit else match.end("num")
        if scale:
            end = max(end, match.end("scale"))
        if match.group("pct"):
            end = max(end, match.end("pct"))
        found.append(Quantity(start, end, text[start:end], value, unit, qualifier))
    return found


__all__ = ["find_quantities"]
