"""Dates as people write them: "25 May 2022", "25–26 May 2022", "25 May 2022, 14:30 UTC".

Reports keep ISO 8601 strings (machines read those); everything a person reads goes through
:func:`human_date` or :func:`human_span`. A time is shown only when it says something: not for
a bare date or midnight (the time is then usually unknown), and in a span only when the span
lies within one day. Times are shown in UTC so articles from different zones compare at a
glance; a date without a time keeps its own calendar day. A time without a zone is read as
UTC, as ingest does.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_SHORT = [m[:3] for m in _MONTHS]
_MONTH_SPAN = timedelta(days=62)  # longer spans read by month: "Dec 2021 – Mar 2022"


def parse_date(iso: str | None) -> datetime | None:
    """An ISO 8601 date or datetime as an aware datetime (naive: UTC); None if unreadable."""
    if not iso or not isinstance(iso, str):
        return None
    try:
        value = datetime.fromisoformat(iso.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _has_time(value: datetime) -> bool:
    return value.timetz().replace(tzinfo=None) != time(0, 0)


def _day(value: datetime) -> datetime:
    """The calendar day people mean: its own day for a bare date, the UTC day for a time."""
    return value.astimezone(UTC) if _has_time(value) else value


def _d(value: datetime, *, year: bool = True, month: bool = True) -> str:
    parts = [str(value.day)]
    if month:
        parts.append(_MONTHS[value.month - 1])
    if year:
        parts.append(str(value.year))
    return " ".join(parts)


def _clock(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%H:%M")


def human_date(iso: str | None, *, with_time: bool = True) -> str:
    """ "25 May 2022", or "25 May 2022, 14:30 UTC" when a time is known; "" for no date.

    A string that is not ISO 8601 is returned as it is, so nothing a report holds is hidden.
    """
    value = parse_date(iso)
    if value is None:
        return (iso or "").strip()
    if with_time and _has_time(value):
        return f"{_d(_day(value))}, {_clock(value)} UTC"
    return _d(_day(value))


def human_span(start_iso: str | None, end_iso: str | None) -> str:
    """A time span as people write it: "25–26 May 2022", "30 May – 2 June 2022".

    Within one day it shows the times ("25 May 2022, 09:00–14:30 UTC"); across years or
    months it names both ("30 December 2021 – 2 January 2022"); a span over two months reads
    by month ("Dec 2021 – Mar 2022"). One missing end gives the other's date; none gives "".
    """
    start, end = parse_date(start_iso), parse_date(end_iso)
    if start is None or end is None:
        one = start_iso if start is not None else end_iso
        return human_date(one) if (start or end) else (start_iso or end_iso or "").strip()
    if end < start:
        start, end = end, start
        start_iso, end_iso = end_iso, start_iso
    first, last = _day(start), _day(end)
    if first.date() == last.date():
        if _has_time(start) and _has_time(end) and _clock(start) != _clock(end):
            return f"{_d(first)}, {_clock(start)}–{_clock(end)} UTC"
        return human_date(start_iso if _has_time(start) else end_iso)
    if end - start > _MONTH_SPAN:
        if first.year == last.year:
            return f"{_SHORT[first.month - 1]} – {_SHORT[last.month - 1]} {last.year}"
        return f"{_SHORT[first.month - 1]} {first.year} – {_SHORT[last.month - 1]} {last.year}"
    if first.year != last.year:
        return f"{_d(first)} – {_d(last)}"
    if first.month != last.month:
        return f"{_d(first, year=False)} – {_d(last)}"
    return f"{first.day}–{_d(last)}"


__all__ = ["human_date", "human_span", "parse_date"]
