"""Durations, backoff and Retry-After: the arithmetic of when a source is polled next."""

from __future__ import annotations

import pytest

from newsprism.errors import InputError
from newsprism.watch.schedule import (
    MAX_BACKOFF_S,
    MAX_RETRY_AFTER_S,
    backoff_s,
    clock_time,
    format_duration,
    parse_duration,
    retry_after_s,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("2d", 172800), ("45", 45),
     ("500ms", 0.5), (" 1H ", 3600), ("1.5m", 90)],
)  # fmt: skip
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "15 minutes", "m", "-5m", "1h-", "15x"])
def test_not_durations(text: str) -> None:
    with pytest.raises(InputError, match="not a duration"):
        parse_duration(text)


def test_format_duration_reads_back() -> None:
    for seconds in (0.5, 1, 90, 900, 5400, 90061):
        assert parse_duration(format_duration(seconds)) == seconds


def test_backoff_doubles_up_to_a_cap() -> None:
    assert [backoff_s(900, n) for n in range(6)] == [900, 900, 1800, 3600, 7200, 14400]
    assert backoff_s(900, 10) == MAX_BACKOFF_S
    assert backoff_s(86400, 5) == 86400  # an interval longer than the cap is kept


def test_retry_after_seconds_and_dates() -> None:
    now = 1_800_000_000.0
    assert retry_after_s("120", now) == 120
    # 1_800_000_000 is 2027-01-15T08:00:00Z: five minutes before the date given.
    assert retry_after_s("Fri, 15 Jan 2027 08:05:00 GMT", now) == 300
    assert retry_after_s("Thu, 01 Jan 2026 00:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_s("99999999", now) == MAX_RETRY_AFTER_S
    assert retry_after_s("soon", now) is None
    assert retry_after_s(None, now) is None


def test_clock_time_names_the_day_when_it_is_not_today() -> None:
    now = 1_796_576_400.0  # 2026-12-06T17:00:00Z
    assert clock_time(now + 900, now) == "17:15:00"
    assert clock_time(now + 86400, now) == "2026-12-07T17:00:00Z"
