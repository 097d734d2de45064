"""Awkward stories: an empty or off-topic article, another language, one article, many articles,
and the fictional multi-outlet example story (schema and answer-key checks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsprism.compare import compare_articles, validate_report
from newsprism.ingest import IngestReport, clean_sources
from newsprism.model import Article

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def _article(aid: str, title: str, text: str, lang: str | None = "en") -> Article:
    return Article(
        id=aid,
        title=title,
        text=text,
        source=f"{aid}.txt",
        kind="text",
        lang=lang,
        outlet=f"Outlet {aid}",
    )


@pytest.fixture(scope="module")
def example_report() -> dict[str, Any]:
    articles = list(clean_sources([EXAMPLES], IngestReport()))
    assert len(articles) == 7
    return compare_articles(articles)


def test_example_story_validates(example_report: dict[str, Any]) -> None:
    validate_report(example_report)
    assert example_report["lineage"]["independent_sources"] == 6


def test_example_wire_copies_count_as_one_source(example_report: dict[str, Any]) -> None:
    verbatim = [g for g in example_report["quote_groups"] if g["relation"] == "verbatim"]
    assert verbatim
    shared = [c for c in example_report["claims"] if len(c["articles"]) == 2]
    assert any(c["independent_sources"] == 1 for c in shared)


def test_example_toll_conflict_or_update(example_report: dict[str, Any]) -> None:
    judgements = {x["judgement"] for c in example_report["claims"] for x in c["conflicts"]}
    assert judgements & {"update", "incompatible", "compatible"}


def test_single_article_says_nothing_to_compare() -> None:
    report = compare_articles(
        [
            _article(
                "one",
                "Bridge closed",
                "The city closed the old bridge "
                "on Monday after engineers found cracks in two piers.",
            )
        ]
    )
    validate_report(report)
    assert any(n["kind"] == "single_source" for n in report["notes"])
    assert all(c["status"] == "unique" for c in report["claims"])


def test_empty_and_unreadable_language_not_compared_other_languages_join_claims() -> None:
    """Issue 15 item 6: an article in a language the multilingual encoder reads joins claims
    across languages (shown in its own words); one it cannot read, or an empty one, is noted."""
    base = (
        "The city closed the old bridge on Monday after engineers found cracks in two piers. "
        "Traffic was diverted to the ring road while repairs are planned."
    )
    spanish = (
        "La ciudad cerró el puente viejo el lunes después de que los ingenieros encontraran "
        "grietas en dos pilares. El tráfico se desvió a la carretera de circunvalación."
    )
    articles = [
        _article("a", "Bridge closed", base),
        _article(
            "b",
            "Old bridge shut",
            "Engineers found cracks in two piers of the old bridge, "
            "and the city shut it on Monday. Drivers must use the ring road.",
        ),
        _article("c", "Empty", ""),
        _article("d", "Puente cerrado", spanish, lang="es"),
        _article("e", "Bro stängd", "Staden stängde den gamla bron i måndags.", lang="sv"),
    ]
    report = compare_articles(articles)
    validate_report(report)
    kinds = {(n["article"], n["kind"]) for n in report["notes"]}
    assert {("c", "not_compared"), ("e", "not_compared"), ("d", "partly_compared")} <= kinds
    assert not {a for c in report["claims"] for a in c["articles"] if a in {"c", "e"}}
    shared_with_spanish = [
        c for c in report["claims"] if "d" in c["articles"] and len(c["articles"]) > 1
    ]
    assert shared_with_spanish, [c["articles"] for c in report["claims"]]
    spanish_units = [
        m["text"] for c in shared_with_spanish for m in c["units"] if m["article"] == "d"
    ]
    assert all(t in spanish for t in spanish_units)
    # The summary is worded in English; the Spanish article may only be cited.
    assert all(item["source"]["article"] != "d" for item in report["summary"])
    # Quotes, entities and framing read English only: none come from the Spanish article.
    assert not [q for q in report["quotes"] if q["article"] == "d"]


def test_off_topic_article_is_left_out() -> None:
    bridge = (
        "The city closed the old bridge on Monday after engineers found cracks in two piers. "
        "Traffic was diverted to the ring road while repairs are planned."
    )
    articles = [
        _article("a", "Bridge closed", bridge),
        _article(
            "b",
            "Old bridge shut",
            "Engineers found cracks in two piers of the old bridge, "
            "and the city shut it on Monday. Drivers must use the ring road for now.",
        ),
        _article(
            "c",
            "Bridge cracks",
            "Cracks in two piers forced the closure of the old bridge "
            "on Monday, the city said. Repairs will take months.",
        ),
        _article(
            "d",
            "Cake recipe",
            "Whisk three eggs with sugar until pale and fluffy. Fold in "
            "the flour gently and bake for forty minutes in a warm oven.",
        ),
    ]
    report = compare_articles(articles)
    validate_report(report)
    assert any(n["kind"] == "off_topic" and n["article"] == "d" for n in report["notes"])


def test_thirty_articles_do_not_crash() -> None:
    articles = [
        _article(
            f"n{i}",
            f"Bridge closed {i}",
            f"The city closed the old bridge on Monday, report "
            f"{i} says. Engineers found {i + 2} cracks in the piers of the bridge. "
            "Traffic was diverted to the ring road while repairs are planned.",
        )
        for i in range(30)
    ]
    report = compare_articles(articles)
    validate_report(report)
    assert len(report["coverage"]) == 30
    assert report["summary"]


def test_a_book_length_article_is_compared_in_part_and_said_so() -> None:
    """Issue 16 item 4: two long, similar texts must not take minutes and gigabytes; the
    comparison reads the first 100,000 characters of each and notes the limit."""
    lines = [
        f"Inspectors counted {n} cracked sleepers on the line near bridge {n % 7} on Monday."
        for n in range(1_400)
    ]
    long_a = "\n".join(lines)
    long_b = "\n".join(line.replace("counted", "found") for line in lines)
    assert len(long_a) > 100_000
    report = compare_articles(
        [_article("a", "Rail line", long_a), _article("b", "Rail line checked", long_b)]
    )
    validate_report(report)
    limits = {n["article"]: n["message"] for n in report["notes"] if n["kind"] == "limit"}
    assert set(limits) == {"a", "b"} and "first" in limits["a"]
    ends = [m["end"] for c in report["claims"] for m in c["units"]]
    assert ends and max(ends) <= 100_000
    # The report still carries each article's whole text.
    assert {a["id"]: len(a["text"]) for a in report["articles"]} == {
        "a": len(long_a),
        "b": len(long_b),
    }
