"""The Markdown and terminal reports: who reports what, in words, with dates people read."""

from __future__ import annotations

from typing import Any

from newsprism.render.markdown import render_markdown, render_text


def report() -> dict[str, Any]:
    text_a = "The ferry sank near the harbour on Monday, coastguards said. All crew survived."
    text_b = "All crew survived after the ferry sank. The owner blamed the weather."

    def unit(article: str, text: str, sentence: str) -> dict[str, Any]:
        start = text.index(sentence)
        return {
            "article": article,
            "start": start,
            "end": start + len(sentence),
            "text": sentence,
            "details": [],
        }

    def claim(cid: str, units: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        articles = sorted({u["article"] for u in units})
        return {
            "id": cid,
            "status": "consensus" if len(articles) == 2 else "unique",
            "articles": articles,
            "outlets": articles,
            "independent_sources": len(articles),
            "units": units,
            "conflict": False,
            "conflicts": [],
            **extra,
        }

    claims = [
        claim(
            "c1",
            [
                unit("a", text_a, "The ferry sank near the harbour on Monday, coastguards said."),
                unit("b", text_b, "All crew survived after the ferry sank."),
            ],
        ),
        claim("c2", [unit("b", text_b, "The owner blamed the weather.")], label="Owner | weather"),
    ]
    return {
        "story": {
            "title": "Ferry sinks",
            "start": "2026-05-30T06:00:00+00:00",
            "end": "2026-06-02T18:20:00+00:00",
            "articles": 2,
        },
        "articles": [
            {
                "id": "a",
                "outlet": "Coast News",
                "date": "2026-05-30T06:00:00+00:00",
                "title": "Ferry sinks",
                "compared": True,
            },
            {
                "id": "b",
                "outlet": "Bay Post",
                "date": "2026-06-02",
                "title": "Crew safe",
                "compared": True,
            },
        ],
        "notes": [],
        "summary": [],
        "claims": claims,
        "coverage": [
            {"article": "a", "outlet": "Coast News", "alone": [], "omits": ["c2"]},
            {"article": "b", "outlet": "Bay Post", "alone": ["c2"], "omits": []},
        ],
        "quote_groups": [],
        "quotes": [],
        "sourcing": [],
        "framing": {"term_variants": [], "per_article": [], "headlines": []},
        "lineage": {"independent_sources": 2, "groups": []},
    }


def test_matrix_rows_name_the_claim_and_mark_each_outlet() -> None:
    md = render_markdown(report())
    assert "## Who reports what" in md
    assert "| claim | sources | Coast News | Bay Post | what is reported |" in md
    assert "| c1 | 2 | ✓ | ✓ | The ferry sank near the harbour on Monday |" in md
    assert "| c2 | 1 | · | ✓ | Owner \\| weather |" in md  # the report's label, escaped
    assert md.index("| c1 |") < md.index("| c2 |")  # the report's order
    assert "Omits what most others report: Owner | weather" in md


def test_dates_read_as_people_write_them() -> None:
    md = render_markdown(report())
    assert "2 article(s), 30 May – 2 June 2026." in md
    assert "| Coast News | 30 May 2026, 06:00 UTC |" in md
    assert "| Bay Post | 2 June 2026 |" in md
    assert "T06:00" not in md


def test_terminal_report_aligns_the_matrix() -> None:
    text = render_text(report())
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("c")}
    header = next(line for line in text.splitlines() if line.startswith("claim "))
    column = header.index("what is reported")
    assert lines["c1"].index("The ferry sank") == column
    assert lines["c2"].index("Owner | weather") == column
    assert "**" not in text and "WHO REPORTS WHAT" in text
