"""The seed pair: the claims issue #5 lists as unique or shared, the quote variant, the schema."""

from __future__ import annotations

from typing import Any

import pytest

from newsprism.compare import compare_articles, validate_report
from newsprism.ingest import IngestReport, clean_sources
from newsprism.render.markdown import render_markdown, render_text
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def seed_report() -> dict[str, Any]:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    articles = list(clean_sources(seeds, IngestReport()))
    assert len(articles) == 2
    return compare_articles(articles)


def _ids(report: dict[str, Any]) -> tuple[str, str]:
    by_name = {a["id"]: a["title"] for a in report["articles"]}
    aj = next(i for i, t in by_name.items() if t.startswith("Xi defends"))
    other = next(i for i in by_name if i != aj)
    return aj, other


def _alone_text(report: dict[str, Any], article: str) -> str:
    """Everything the article alone reports: its unique claims and its own details of shared ones."""
    claims = {c["id"]: c for c in report["claims"]}
    cov = next(c for c in report["coverage"] if c["article"] == article)
    parts = [u["text"] for cid in cov["alone"] for u in claims[cid]["units"]]
    parts += [d["text"] for d in cov["alone_details"]]
    return " ".join(parts)


def _shared_text(report: dict[str, Any]) -> str:
    return " ".join(
        u["text"] for c in report["claims"] if len(c["articles"]) > 1 for u in c["units"]
    )


def test_report_validates_against_schema(seed_report: dict[str, Any]) -> None:
    validate_report(seed_report)


@pytest.mark.parametrize(
    "phrase", ["Ned Price", "torture and sexual assault", "eradicating poverty"]
)
def test_unique_to_002(seed_report: dict[str, Any], phrase: str) -> None:
    _, other = _ids(seed_report)
    assert phrase in _alone_text(seed_report, other)


@pytest.mark.parametrize(
    "phrase",
    [
        "Adrian Zenz",
        "Katrina Yu",
        "Wang Wenbin",
        "Guangzhou",
        "Wang Yi",
        "Kashgar",
        "Shohrat Zakir",
    ],
)
def test_unique_to_000(seed_report: dict[str, Any], phrase: str) -> None:
    aj, _ = _ids(seed_report)
    assert phrase in _alone_text(seed_report, aj)


@pytest.mark.parametrize(
    "phrase",
    [
        "17 years",
        "closed loop",
        "million",
        "denied",
        # Both articles report that the visit coincided with the leaked files, in sentences
        # whose pair score is 0.27 (one also carries Xi's call, the other the files' content):
        # below the bar of 0.45 chosen on the dev stories. A known miss, kept visible.
        pytest.param(
            "coincided",
            marks=pytest.mark.xfail(strict=True, reason="the two wordings score below the bar"),
        ),
        "stage-manage",
    ],
)
def test_shared_claims(seed_report: dict[str, Any], phrase: str) -> None:
    aj, other = _ids(seed_report)
    shared = [c for c in seed_report["claims"] if set(c["articles"]) == {aj, other}]
    texts = {
        a: " ".join(u["text"] for c in shared for u in c["units"] if u["article"] == a)
        for a in (aj, other)
    }
    assert phrase in texts[aj] or phrase in texts[other], phrase
    assert any(phrase in u["text"] for c in shared for u in c["units"])


def test_million_figures_are_compatible(seed_report: dict[str, Any]) -> None:
    conflicts = [x for c in seed_report["claims"] for x in c["conflicts"]]
    million = [x for x in conflicts if all(v["value"] == 1_000_000 for v in x["values"])]
    assert million and all(x["judgement"] == "compatible" for x in million)


def test_xi_statement_is_a_variant_with_marked_words(seed_report: dict[str, Any]) -> None:
    quotes = {q["id"]: q for q in seed_report["quotes"]}
    variants = [g for g in seed_report["quote_groups"] if g["relation"] == "variant"]
    group = next(
        g for g in variants if any("patronising" in quotes[q]["text"] for q in g["quotes"])
    )
    assert any("masters" in quotes[q]["text"] for q in group["quotes"])
    marked = " ".join(d["text"] for d in group["differences"])
    assert "patronising" in marked and "masters" in marked
    verbatim = [g for g in seed_report["quote_groups"] if g["relation"] == "verbatim"]
    assert any(any("Deviating" in quotes[q]["text"] for q in g["quotes"]) for g in verbatim)


def test_every_span_points_into_the_text(seed_report: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in seed_report["articles"]}
    for c in seed_report["claims"]:
        for u in c["units"]:
            assert texts[u["article"]][u["start"] : u["end"]] == u["text"]
            for d in u["details"]:
                assert texts[u["article"]][d["start"] : d["end"]] == d["text"]
    for q in seed_report["quotes"]:
        assert texts[q["article"]][q["start"] : q["end"]] == q["text"]
    for s in seed_report["summary"]:
        src = s["source"]
        assert texts[src["article"]][src["start"] : src["end"]] == s["text"]


def test_summary_cites_articles_consensus_first(seed_report: dict[str, Any]) -> None:
    summary = seed_report["summary"]
    assert summary
    kinds = [s["kind"] for s in summary]
    assert kinds == sorted(kinds, key=lambda k: k != "consensus")
    ids = {a["id"] for a in seed_report["articles"]}
    for s in summary:
        assert s["articles"] and set(s["articles"]) <= ids


def test_framing_finds_the_spelling_variant(seed_report: dict[str, Any]) -> None:
    variants = seed_report["framing"]["term_variants"]
    spellings = {sp.lower() for v in variants for sps in v["variants"].values() for sp in sps}
    assert {"uighurs", "uyghurs"} <= spellings


def test_renders(seed_report: dict[str, Any]) -> None:
    md = render_markdown(seed_report)
    assert md.startswith("# ") and "## Neutral summary" in md
    text = render_text(seed_report)
    assert "**" not in text and "NEUTRAL SUMMARY" in text
