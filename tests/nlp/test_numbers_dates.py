"""Quantities with their unit and qualifier; dates resolved against the publication date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsprism.nlp.dates import find_dates
from newsprism.nlp.numbers import find_quantities


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("held at least two million Tamils in camps", 2e6, "Tamils", ">="),
        ("more than a million voters stayed home", 1e6, "voters", ">"),
        ("the first such visit in 23 years", 23, "years", "="),
        ("a nine-day tour of the region", 9, "day", "="),
        ("prices rose about 4.5% last month", 4.5, "%", "~"),
        ("a fine of $3 billion was imposed", 3e9, "$", "="),
        ("nearly forty-two houses burned", 42, "houses", "<"),
    ],
)
def test_quantities(text: str, value: float, unit: str, qualifier: str) -> None:
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert (q.value, q.unit, q.qualifier) == (value, unit, qualifier)
    assert text[q.start : q.end] == q.text


def test_years_and_codes_are_not_quantities() -> None:
    assert find_quantities("In 2019 the Covid-19 rules changed.") == []


PUBLISHED = datetime(2023, 3, 16, 9, 0, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("the minister spoke on Wednesday", date(2023, 3, 15), "day"),
        ("the minister spoke on Thursday", date(2023, 3, 16), "day"),
        ("prices fell last year", date(2022, 1, 1), "year"),
        ("the law passed in 2019", date(2019, 1, 1), "year"),
        ("talks resume next week", date(2023, 3, 20), "week"),
        ("he resigned yesterday", date(2023, 3, 15), "day"),
        ("the vote on March 2 was close", date(2023, 3, 2), "day"),
        ("the vote on 2 March 2021 was close", date(2021, 3, 2), "day"),
    ],
)
def test_dates_resolve_against_publication(text: str, value: date, granularity: str) -> None:
    found = find_dates(text, PUBLISHED)
    assert len(found) == 1, found
    assert found[0].value == value
    assert found[0].granularity == granularity
    assert found[0].resolved


def test_relative_dates_without_publication_date_are_unresolved() -> None:
    (found,) = find_dates("they met on Monday", None)
    assert found.relative and not found.resolved and found.value is None
    (absolute,) = find_dates("in 2019 they met", None)
    assert absolute.resolved and absolute.value == date(2019, 1, 1)
