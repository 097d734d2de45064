"""The bundled example articles (examples/, fictional) against their answer key (examples/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.ingest import IngestReport, clean_sources
from tests.conftest import ROOT

ARTICLES = ROOT / "examples" / "articles"

# Residue line numbers per plain-text file, from the answer key in examples/README.md.
RESIDUE = {
    "harbour_city_daily_dam_bursts.txt": [
        3,
        4,
        5,
        7,
        8,
        9,
        10,
        22,
        23,
        24,
        25,
        45,
        47,
        48,
        49,
        51,
        53,
    ],
    "northern_ledger_tesvaryn_anger.txt": [
        5,
        6,
        7,
        9,
        10,
        11,
        12,
        13,
        15,
        16,
        30,
        48,
        49,
        50,
        52,
        53,
        54,
        56,
    ],
    "tesvarin_courier_day2_toll.txt": [3, 4, 5, 7, 8, 9, 19, 20, 32, 33, 34, 35, 49, 50, 52],
}


@pytest.fixture(scope="module")
def examples() -> dict[str, object]:
    report = IngestReport()
    articles = {
        Path(a.source.split(":")[0]).name + (a.source[-2:] if ":" in a.source else ""): a
        for a in clean_sources([ARTICLES], report)
    }
    assert report.ok, report.failures
    return articles


def test_all_seven_articles_read(examples: dict[str, object]) -> None:
    assert len(examples) == 7


@pytest.mark.parametrize("name", sorted(RESIDUE))
def test_plain_text_residue_matches_the_answer_key(examples: dict, name: str) -> None:  # type: ignore[type-arg]
    article = examples[name]
    assert [r.line for r in article.removed] == RESIDUE[name]


def test_metadata_from_residue_lines(examples: dict) -> None:  # type: ignore[type-arg]
    ledger = examples["northern_ledger_tesvaryn_anger.txt"]
    assert ledger.author == "Marta Kovel"
    assert ledger.outlet == "Northern Ledger"
    assert ledger.date.isoformat() == "2026-04-14T17:45:00+02:00"
    daily = examples["harbour_city_daily_dam_bursts.txt"]
    assert daily.date.isoformat() == "2026-04-14T14:05:00+02:00"
    assert daily.credit.startswith("Reporting by")


def test_jsonl_residue_paragraphs_dropped(examples: dict) -> None:  # type: ignore[type-arg]
    signal = examples["newsdesk_export.jsonl:1"]
    assert len(signal.removed) == 3
    assert len(signal.text.split("\n\n")) == 9
    assert examples["newsdesk_export.jsonl:2"].removed == []


def test_html_pages_body_paragraphs(examples: dict) -> None:  # type: ignore[type-arg]
    herald = examples["valley_herald_kelmet_dam.html"]
    post = examples["eastbridge_post_kelmet_analysis.html"]
    assert herald.outlet == "The Valley Herald" and post.author == "Clara Weston"
    assert len(herald.text.split("\n\n")) == 14
    assert len(post.text.split("\n\n")) == 13
    assert "RELATED" not in herald.text and "Comments (" not in post.text
