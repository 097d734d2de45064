"""Plain-text cleaning: the seeds, and residue of many shapes written for these tests."""

from __future__ import annotations

import json
import re

import pytest

from newsprism.clean import (
    R_CAPTION,
    R_CAPTION_CREDIT,
    R_CAPTION_LINE,
    R_COOKIE,
    R_CREDIT,
    R_DUPLICATE,
    R_FOOTER,
    R_LABEL,
    R_PICTURE_CREDIT,
    R_PROMPT,
    R_READ_TIME,
    R_WIDGET,
    clean_text,
)
from newsprism.ingest.build import to_article
from newsprism.ingest.readers import read_jsonl_bytes
from newsprism.model import RawArticle
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


# Captions and picture credits by their shape. Every line here is invented for these tests.
def _in_article(line: str) -> str:
    return (
        "Tram line reopens after repairs\n\n"
        "The tram line between Velden and Orsa reopened on Friday after six weeks of repairs.\n\n"
        f"{line}\n\n"
        "Passengers will pay the old fares until the end of the month, the operator said.\n"
    )


def _reason_of(line: str) -> str | None:
    result = clean_text(_in_article(line))
    assert "reopened on Friday" in result.text and "the operator said" in result.text
    reasons = _removed_reasons(result)
    assert set(reasons) <= {line}, reasons
    return reasons.get(line)


@pytest.mark.parametrize(
    "line",
    [
        "In this photo taken on March 3, 2031, volunteers stack sandbags along the canal in Orsa.",
        "In this Feb. 9, 2030, file photo, a tram crosses the Velden bridge at dusk.",
        "In this image made from video, a crane lifts the new rail section into place.",
        "This handout picture released by the city transport office shows the repaired junction.",
        "This undated photo provided by the museum shows the stolen violin in its case.",
        "FILE - A tram waits at the Orsa depot on Sept. 2, 2029.",
        "FILE PHOTO: Workers inspect the overhead line near Velden station.",
        "Caption: Engineers test the new signals",
        "Pictured: the first tram to leave the depot on Friday",
        "Cover image: an engineer at work on the overhead line",
        '[caption id="attachment_7" align="alignleft"]The new depot[/caption]',
    ],
)
def test_caption_lines_are_removed_by_their_shape(line: str) -> None:
    assert _reason_of(line) == R_CAPTION_LINE


@pytest.mark.parametrize(
    "line",
    [
        "Local television footage of the flooded underpass /Orsa Broadcasting",
        "A tram crosses the Velden bridge on Friday. VELDEN POST/Ana Ruiz",
        "A tram crosses the Velden bridge on Friday. Photograph: Ana Ruiz/Velden Post",
        "A tram crosses the Velden bridge on Friday, May 2, 2031. (AP Photo/Ana Ruiz)",
        "Commuters board the first tram of the morning [Tomas Varga/Orsa Daily]",
        "| The new depot at dusk. (credit: Orsa Transit/Ana Ruiz) |",
    ],
)
def test_captions_ending_in_a_picture_credit_are_removed(line: str) -> None:
    assert _reason_of(line) == R_CAPTION_CREDIT


@pytest.mark.parametrize(
    "line",
    [
        "Photo: Ana Ruiz",
        "Photo by Tomas Varga",
        "Image: Ana Ruiz/Velden Post Pictures",
        "Main image credit: Orsa Images",
        "(AP Photo/Ana Ruiz)",
        "VELDEN POST/Tomas Varga",
        "Ana Ruiz/AFP via Orsa Images",
        "Velden Stock Photo",
    ],
)
def test_picture_credit_lines_are_removed(line: str) -> None:
    assert _reason_of(line) == R_PICTURE_CREDIT


def test_picture_credit_is_not_taken_as_the_articles_credit() -> None:
    result = clean_text(_in_article("Credit: Ana Ruiz/Velden Post"))
    assert _removed_reasons(result) == {"Credit: Ana Ruiz/Velden Post": R_PICTURE_CREDIT}
    assert result.credit is None  # a photographer is not the outlet
    text_credit = clean_text(_in_article("Credits: Reporting by Ana Ruiz; Editing by Tom Hall"))
    assert text_credit.credit == "Reporting by Ana Ruiz; Editing by Tom Hall"


def test_unpunctuated_caption_above_its_credit_goes_with_it() -> None:
    raw = _in_article("Engineers test the signals at Orsa junction\nPhoto: Tomas Varga/Orsa Daily")
    reasons = _removed_reasons(clean_text(raw))
    assert reasons == {
        "Engineers test the signals at Orsa junction": R_CAPTION_CREDIT,
        "Photo: Tomas Varga/Orsa Daily": R_PICTURE_CREDIT,
    }
    # A sentence above a credit is reporting, not its caption.
    raw = _in_article("Repairs cost 4 million euros, the city said.\nPhoto: Tomas Varga/Orsa Daily")
    assert "Repairs cost 4 million euros" in clean_text(raw).text


@pytest.mark.parametrize(
    "line",
    [
        "The photo was taken by a bystander and posted online, police said.",
        "This photo, taken by a neighbour, was shared thousands of times on Saturday.",
        "In a photo posted on social media, the driver is seen waving from the cab.",
        "Footage of the derailment was broadcast on national television that evening.",
        "Several pictures show the bridge before the repairs began.",
        "The agency released the image on Tuesday, two days after the crash.",
        'This video shows "the worst damage I have seen", the engineer told reporters.',
        "Ruiz photographed the site for the Velden Post in 2029.",
        "Funding for research on HIV/AIDS rose by a third",
        "Velden/Orsa",
        "In this case, photographs of the site were never made public.",
        "Photos of the new trams drew thousands of comments (most of them kind).",
    ],
)
def test_reporting_about_photos_is_kept(line: str) -> None:
    assert _reason_of(line) is None


def test_date_line_does_not_take_the_next_line_with_it() -> None:
    # One sentence a line, one block, as some corpora give text; the second sentence is wrapped.
    raw = (
        "2 May 2031\nRuiz reports that the operator\nhas ordered twelve new trams.\n"
        "The first will arrive in the spring.\nThe old ones will go to a museum.\n"
    )
    result = clean_text(raw, title_in_text=False)
    assert "Ruiz reports that the operator has ordered twelve new trams." in result.text


def test_jsonl_text_is_cleaned_of_captions_like_plain_text() -> None:
    record = {
        "id": "t1",
        "outlet": "Velden Post",
        "title": "Tram line reopens after repairs",
        "text": _in_article("FILE - A tram waits at the Orsa depot on Sept. 2, 2029."),
    }
    (raw,) = read_jsonl_bytes(json.dumps(record).encode(), where="test.jsonl")
    assert isinstance(raw, RawArticle)
    article = to_article(raw)
    assert "FILE -" not in article.text and "reopened on Friday" in article.text
    assert [(r.text, r.reason) for r in article.removed] == [
        ("FILE - A tram waits at the Orsa depot on Sept. 2, 2029.", R_CAPTION_LINE)
    ]
