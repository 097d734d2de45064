"""When a watched source is polled next: durations, backoff after failures, Retry-After.

Times are seconds since the epoch (``time.time()``), so they survive a restart in the stored
fetch state.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from newsprism.errors import InputError

# Backoff doubles the interval after each failure in a row, up to this (or the interval itself,
# when that is longer): a source down for a day is asked a few times an hour, not every minute.
MAX_BACKOFF_S = 6 * 3600
# A Retry-After further away than this is taken as this: a server's typo must not silence a
# source for a year.
MAX_RETRY_AFTER_S = 7 * 24 * 3600

_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")


def parse_duration(text: str) -> float:
    """Seconds in ``90s``, ``15m``, ``1h30m``, ``2d``, ``500ms`` or a bare number of seconds."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    if not value or _PART.sub("", value):
        raise InputError(
            f"not a duration: {text!r}",
            hint="write a number and a unit: 90s, 15m, 1h, 1h30m, 2d (or 500ms)",
        )
    return sum(float(number) * _UNITS[unit] for number, unit in _PART.findall(value))


def format_duration(seconds: float) -> str:
    """``900`` → ``15m``; ``5400`` → ``1h30m``; ``0.5`` → ``500ms``."""
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    parts = []
    rest = round(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts)


def backoff_s(every_s: float, failures: int) -> float:
    """The wait after ``failures`` failed polls in a row: the interval, doubled per failure
    after the first, at most ``max(every_s, MAX_BACKOFF_S)``."""
    if failures <= 0:
        return every_s
    return min(every_s * 2 ** (failures - 1), max(every_s, MAX_BACKOFF_S))


def retry_after_s(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP-date), or None
    when it is absent or unreadable; at most :data:`MAX_RETRY_AFTER_S`."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_S)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, when.timestamp() - now), MAX_RETRY_AFTER_S)


def clock_time(at: float, now: float) -> str:
    """A time for the log: ``17:15:00`` on the same UTC day as ``now``, else the ISO date too."""
    moment = datetime.fromtimestamp(at, UTC)
    if moment.date() == datetime.fromtimestamp(now, UTC).date():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_time(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
