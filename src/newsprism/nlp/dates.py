"""Date expressions, absolute and relative, resolved against the publication date.

"on Wednesday" → the latest Wednesday on or before publication (news reports the past);
"last year" → 1 January of the previous year; "in 2019" → 2019-01-01 with year granularity;
"May 25" → that day in the publication year. Without a publication date, relative expressions
are kept with ``resolved=False`` and no value; absolute ones with a year still resolve.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from newsprism.nlp.types import DateMention

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
_MONTH_RE = (
    "|".join(m.capitalize() for m in _MONTHS) + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_PATTERN = re.compile(
    rf"\b(?:(?P<md>(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?)"
    rf"|(?P<dm>(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE})(?:\s+(?P<y2>\d{{4}}))?)"
    rf"|(?P<my>(?P<m3>{_MONTH_RE})\s+(?P<y3>\d{{4}}))"
    r"|(?P<rel>(?:last|next|this)\s+(?P<relunit>year|month|week))"
    r"|(?P<day>(?:(?:last|this|next)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
    r"|(?P<deictic>yesterday|today|tomorrow)"
    r"|(?:in\s+)(?P<year>(?:1[89]|20)\d{2})(?!\d))\b",
    re.IGNORECASE,
)


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(name.lower()[:3]))


def find_dates(text: str, published: datetime | None) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published`` where relative."""
    base = published.date() if published else None
    found: list[DateMention] = []
    for m in _PATTERN.finditer(text):
        start, end = m.span()
        if m.group("year"):
            start = m.start("year")
        surface = text[start:end]
        value: date | None = None
        granularity = None
        relative = False
        try:
            if m.group("md") or m.group("dm"):
                month = _month(m.group("m1") or m.group("m2"))
                day = int(m.group("d1") or m.group("d2"))
                year_text = m.group("y1") or m.group("y2")
                relative = year_text is None
                year = int(year_text) if year_text else (base.year if base else None)
                if year is not None:
                    value = date(year, month, day)
                    if relative and base and value > base + timedelta(days=7):
                        value = date(year - 1, month, day)  # "Dec 30" read in January
                granularity = "day"
            elif m.group("my"):
                value = date(int(m.group("y3")), _month(m.group("m3")), 1)
                granularity = "month"
            elif m.group("year"):
                value = date(int(m.group("year")), 1, 1)
                granularity = "year"
            elif m.group("rel"):
                relative, unit = True, m.group("relunit").lower()
                step = {"last": -1, "this": 0, "next": 1}[surface.split()[0].lower()]
                granularity = unit
                if base:
                    if unit == "year":
                        value = date(base.year + step, 1, 1)
                    elif unit == "month":
                        month_index = base.year * 12 + base.month - 1 + step
                        value = date(month_index // 12, month_index % 12 + 1, 1)
                    else:
                        monday = base - timedelta(days=base.weekday())
                        value = monday + timedelta(weeks=step)
            elif m.group("day"):
                relative, granularity = True, "day"
                if base:
                    target = _WEEKDAYS.index(m.group("wd").lower())
                    back = (base.weekday() - target) % 7
                    if surface.lower().startswith("next"):
                        value = base + timedelta(days=(target - base.weekday()) % 7 or 7)
                    else:
                        if surface.lower().startswith("last") and back == 0:
                            back = 7
                        value = base - timedelta(days=back)
            elif m.group("deictic"):
                relative, granularity = True, "day"
                if base:
                    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[surface.lower()]
                    value = base + timedelta(days=shift)
        except ValueError:
            value = None
        found.append(
            DateMention(start, end, surface, value, granularity, value is not None, relative)  # type: ignore[arg-type]
        )
    return found


__all__ = ["find_dates"]
