"""Dates as people write them, from the ISO strings a report holds."""

from __future__ import annotations

import pytest

from newsprism.render.dates import human_date, human_span


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2022-05-25", "25 May 2022"),
        ("2022-05-25T00:00:00+00:00", "25 May 2022"),
        ("2022-05-25T14:30:00+00:00", "25 May 2022, 14:30 UTC"),
        ("2022-05-25T14:30:00Z", "25 May 2022, 14:30 UTC"),
        ("2022-05-25T16:30:00+02:00", "25 May 2022, 14:30 UTC"),
        ("2022-05-26T01:15:00+05:00", "25 May 2022, 20:15 UTC"),  # the UTC day
        ("2022-05-25T00:00:00+09:00", "25 May 2022"),  # a bare date keeps its own day
        ("2022-05-25T14:30:00", "25 May 2022, 14:30 UTC"),  # naive: UTC, as ingest reads it
        (None, ""),
        ("", ""),
        ("some day in May", "some day in May"),
    ],
)
def test_human_date(iso: str | None, shown: str) -> None:
    assert human_date(iso) == shown


def test_human_date_without_time() -> None:
    assert human_date("2022-05-25T14:30:00+00:00", with_time=False) == "25 May 2022"


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2022-05-25T00:00:00+00:00", "2022-05-26T00:00:00+00:00", "25–26 May 2022"),
        ("2022-05-25T08:00:00+00:00", "2022-05-26T19:45:00+00:00", "25–26 May 2022"),
        ("2022-05-30", "2022-06-02", "30 May – 2 June 2022"),
        ("2021-12-30", "2022-01-02", "30 December 2021 – 2 January 2022"),
        ("2021-12-01", "2022-03-15", "Dec 2021 – Mar 2022"),
        ("2022-01-03", "2022-04-20", "Jan – Apr 2022"),
        ("2022-05-25T09:00:00+00:00", "2022-05-25T14:30:00+00:00", "25 May 2022, 09:00–14:30 UTC"),
        ("2022-05-25T09:00:00+00:00", "2022-05-25T09:00:00+00:00", "25 May 2022, 09:00 UTC"),
        ("2022-05-25", "2022-05-25", "25 May 2022"),
        ("2022-05-26", "2022-05-25", "25–26 May 2022"),  # given the wrong way round
        ("2022-05-25T11:00:00+02:00", "2022-05-25T16:00:00-04:00", "25 May 2022, 09:00–20:00 UTC"),
        ("2022-05-25", None, "25 May 2022"),
        (None, "2022-05-26T10:00:00+00:00", "26 May 2022, 10:00 UTC"),
        (None, None, ""),
    ],
)
def test_human_span(start: str | None, end: str | None, shown: str) -> None:
    assert human_span(start, end) == shown
