"""Plain-text cleaning: the seeds, and residue of many shapes written for these tests."""

from __future__ import annotations

import re

import pytest

from newsprism.clean import (
    R_CAPTION,
    R_CAPTION_CREDIT,
    R_COOKIE,
    R_CREDIT,
    R_DUPLICATE,
    R_FOOTER,
    R_LABEL,
    R_PROMPT,
    R_READ_TIME,
    R_WIDGET,
    clean_text,
)
from tests.conftest import shared_path


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?”])\s+", text) if len(s.split()) >= 6]


def _removed_reasons(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.text: r.reason for r in result.removed}


def test_seed_000_drops_doubled_caption_and_turns_source_line_into_credit() -> None:
    path = next(shared_path("seeds").glob("000_*.txt"))
    raw = path.read_text(encoding="utf-8")
    result = clean_text(raw)
    reasons = [r.reason for r in result.removed]
    assert reasons.count(R_CAPTION) == 1 and reasons.count(R_CAPTION_CREDIT) == 1
    assert any("via AFP]" in r.text for r in result.removed if r.reason == R_CAPTION_CREDIT)
    assert result.credit == "Al Jazeera and news agencies"
    assert "Source:" not in result.text
    assert "via AFP" not in result.text
    # A sentence wrapped over two lines in the scrape is mended, not split.
    assert "to apply double standards" in result.text


def test_seed_002_drops_widgets_read_time_label_and_comment_footer() -> None:
    path = next(shared_path("seeds").glob("002_*.txt"))
    result = clean_text(path.read_text(encoding="utf-8"))
    reasons = [r.reason for r in result.removed]
    assert reasons.count(R_WIDGET) == 6  # two "Oops!" blocks of three lines
    assert R_READ_TIME in reasons and R_LABEL in reasons and R_FOOTER in reasons
    for residue in ("Oops", "Something went wrong", "min read", "In this article", "commenting"):
        assert residue not in result.text
    # The unbalanced quote (no closing mark) is reporting and stays.
    assert "He added: “Deviating from reality" in result.text


@pytest.mark.parametrize("seed", ["000_*.txt", "002_*.txt"])
def test_seeds_lose_no_sentence_of_reporting(seed: str) -> None:
    path = next(shared_path("seeds").glob(seed))
    raw = path.read_text(encoding="utf-8")
    result = clean_text(raw)
    kept = " ".join(result.text.split())
    removed = " ".join(r.text for r in result.removed)
    for paragraph in raw.split("\n\n")[1:]:
        for sentence in _sentences(" ".join(paragraph.split())):
            assert sentence in kept or sentence in removed
            if sentence in removed:
                assert not any(q in sentence for q in '“”"') or "commenting" in sentence


def test_every_line_is_either_kept_or_reported() -> None:
    raw = SAMPLE
    result = clean_text(raw)
    kept = " ".join(result.text.split())
    removed_lines = {r.line for r in result.removed}
    for number, line in enumerate(raw.split("\n"), start=1):
        content = line.strip().lstrip("•").strip()
        if not content or number == 1:
            continue
        assert number in removed_lines or content in kept, (number, line)


SAMPLE = """Storm closes harbour as ferries are cancelled

By Mira Okonkwo-Lind
Published: 3 March 2024 07:45 GMT
Accept our cookies to keep reading. Manage cookie settings in your privacy preferences.
Listen · 4 min read
Share
Loading…

Ferry services across the bay were cancelled on Sunday as winds reached 120km/h, the port authority said.

Lifeboat crews rescued two people from a yacht near the breakwater. "The sea was higher than I have seen in twenty years," said harbourmaster Ida Brandt.

Harbour wall at dawn
Harbour wall at dawn (Photo: J. Perez/Coastal Images)

Advertisement

Sign up for our weather alerts newsletter to get warnings in your inbox.
Related: How storms are named

Ferry services across the bay were cancelled on Sunday as winds reached 120km/h, the port authority said.

The authority expects to reopen the harbour on Tuesday if forecasts hold.

(Reporting by Lena Costa; Editing by Paul Marr)

We love hearing from our readers. Please keep comments civil and follow our community guidelines.
"""


def test_varied_residue_goes_and_metadata_is_kept() -> None:
    result = clean_text(SAMPLE)
    assert result.title == "Storm closes harbour as ferries are cancelled"
    assert result.author == "Mira Okonkwo-Lind"
    assert result.date_text is not None and "2024" in result.date_text
    assert result.credit == "Reporting by Lena Costa; Editing by Paul Marr"
    reasons = _removed_reasons(result)
    assert reasons["Harbour wall at dawn"] == R_CAPTION
    assert reasons["Advertisement"]
    assert (
        reasons["Sign up for our weather alerts newsletter to get warnings in your inbox."]
        == R_PROMPT
    )
    assert reasons["Related: How storms are named"] == R_PROMPT
    assert reasons["(Reporting by Lena Costa; Editing by Paul Marr)"] == R_CREDIT
    assert R_COOKIE in reasons.values() and R_DUPLICATE in reasons.values()
    assert R_FOOTER in reasons.values()
    assert result.text.count("Ferry services across the bay were cancelled") == 1
    assert "said harbourmaster Ida Brandt" in result.text
    assert "reopen the harbour on Tuesday" in result.text
    for residue in ("Loading", "Share", "cookie", "Advertisement", "newsletter", "civil"):
        assert residue not in result.text


def test_reporting_that_looks_like_residue_is_kept() -> None:
    raw = """Council votes on library hours

Residents who want to comment can sign up at the town hall before Friday, the council said.

"Please try again later was all the website told me," said resident Omar Vidal.

Our reporter asked the mayor about users of the new app, and she said the community would decide.
"""
    result = clean_text(raw)
    assert result.removed == []
    assert "sign up at the town hall" in result.text
    assert "Please try again later was all" in result.text
    assert "community would decide" in result.text


def test_title_given_separately_is_not_duplicated() -> None:
    result = clean_text("Body line one is here.\n\nAnother paragraph follows.", title_in_text=False)
    assert result.title == ""
    assert result.text.startswith("Body line one")
