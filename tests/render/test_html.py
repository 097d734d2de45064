"""The self-contained HTML report: sections, escaping, offline, and defensive rendering."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from newsprism.render.html import render_html, render_report_body, word_diff
from tests.web.test_security import assert_inert

P = "<script>window.__xss=1</script><img src=x onerror=alert(1)>"


def report(payload: str = P) -> dict[str, Any]:
    """A report in the DESIGN.md contract with a payload in every string field."""
    text_a = f"The dam burst on Monday {payload}. Seven people died, officials said."
    text_b = f"Seven people died when the dam burst {payload}. The mayor blamed the builders."
    return {
        "schema_version": "1.0",
        "story": {
            "id": f"s1{payload}",
            "title": f"Dam {payload}",
            "start": "2026-04-14T08:00:00+00:00",
            "end": "2026-04-15T09:00:00+00:00",
            "outlets": [f"Out{payload}"],
        },
        "articles": [
            {
                "id": "a",
                "outlet": f"Out{payload}",
                "url": "javascript:alert(1)",
                "date": "2026-04-14T08:00:00+00:00",
                "title": f"A {payload}",
                "text": text_a,
                "removed": [{"text": payload, "reason": payload, "line": 1}],
            },
            {
                "id": f"b{payload}",
                "outlet": "Other",
                "url": "https://example.com/b",
                "date": "2026-04-15T09:00:00+00:00",
                "title": f"B {payload}",
                "text": text_b,
                "removed": [],
            },
        ],
        "claims": [
            {
                "id": "c1",
                "status": "consensus",
                "articles": ["a", f"b{payload}"],
                "conflict": True,
                "conflicts": [{"values": [{"article": "a", "text": payload}]}],
                "units": [
                    {"article": "a", "start": text_a.index("Seven"), "end": len(text_a)},
                    {"article": f"b{payload}", "start": 0, "end": text_b.index(".") + 1},
                ],
            },
            {
                "id": f"c2{payload}",
                "status": "unique",
                "articles": [f"b{payload}"],
                "units": [
                    {
                        "article": f"b{payload}",
                        "start": text_b.index("The mayor"),
                        "end": len(text_b),
                    }
                ],
            },
        ],
        "quotes": [
            {
                "id": "q1",
                "article": "a",
                "text": f"We will rebuild {payload}",
                "speaker": payload,
                "cue": payload,
                "via": payload,
            },
            {
                "id": "q2",
                "article": f"b{payload}",
                "text": "We shall rebuild it",
                "speaker": "Mayor",
            },
        ],
        "quote_groups": [
            {
                "id": "qg1",
                "relation": f"variant{payload}",
                "quotes": ["q1", "q2"],
                "speakers": [payload],
                "speaker_conflict": True,
            }
        ],
        "coverage": [{"article": "a", "claims": 1, "alone": [], "omits": [f"c2{payload}"]}],
        "framing": {
            "term_variants": [{"key": payload, "variants": {"a": [payload]}}],
            "per_article": [
                {"article": "a", "hedges": [{"text": payload}], "loaded": [], "scare_quotes": []}
            ],
        },
        "lineage": {
            "groups": [{"articles": ["a", f"b{payload}"], "origin": "a", "origin_reason": payload}],
            "singletons": [],
            "independent_sources": 1,
        },
        "timeline": [
            {
                "article": "a",
                "outlet": payload,
                "date": "2026-04-14T08:00:00+00:00",
                "title": payload,
            },
            {
                "article": f"b{payload}",
                "outlet": "Other",
                "date": "2026-04-15T09:00:00+00:00",
                "title": "b",
            },
        ],
        "summary": [
            {
                "text": payload,
                "articles": ["a", f"b{payload}"],
                "claim": "c1",
                "attribution": payload,
            }
        ],
        "notes": [{"kind": payload, "message": payload, "article": "a"}],
    }


def test_every_section_renders() -> None:
    html = render_html(report("safe"))
    for anchor in (
        "summary",
        "claims",
        "quotes",
        "coverage",
        "framing",
        "lineage",
        "overlap",
        "timeline",
        "articles",
    ):
        assert f'<section id="{anchor}"' in html
    assert "not available" not in html and "could not be shown" not in html
    assert html.count("<svg") == 3  # coverage matrix, overlap, timeline
    assert 'data-claim="c1"' in html and "claim selected" not in html


def test_payloads_in_every_field_stay_text() -> None:
    html = render_html(report())
    assert_inert(html, {"<inline>"})
    assert html.count("<script>") == 1  # the report's own script, nothing else
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert 'href="javascript' not in html


def test_csp_allows_exactly_the_inline_script_and_no_network() -> None:
    html = render_html(report("safe"))
    script = html.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp and f"sha256-{digest}" in csp.group(1).replace("&#39;", "'")
    assert "default-src &#39;none&#39;" in csp.group(1)
    assert not re.search(r'(src|href)="https?://', html.replace('href="https://example.com/b"', ""))
    assert "<link" not in html


def test_missing_sections_say_not_available() -> None:
    html = render_html({"story": {"title": "Only a title"}, "articles": []})
    assert "Only a title" in html
    assert html.count("not available") >= 6


def test_malformed_section_does_not_break_the_others() -> None:
    broken = report("safe")
    broken["coverage"] = [{"article": "a", "alone": None, "omits": 5}]
    broken["lineage"] = {"groups": "oops", "independent_sources": 1}
    broken["claims"][0]["units"][0]["start"] = "x"
    html = render_html(broken)
    assert "could not be shown" in html
    assert '<section id="quotes"' in html and "rebuild" in html


def test_report_body_links_articles_when_asked() -> None:
    body = str(render_report_body(report("safe"), article_href=lambda i: f"/articles/{i}"))
    assert 'href="/articles/a"' in body


def test_word_diff_marks_only_the_differing_words() -> None:
    marked = str(word_diff("Countries do not need patronising lecturers", "We don't need masters"))
    assert "<mark" in marked
    assert "need" in marked and 'qdiff">need' not in marked
    assert 'qdiff">patronising' in marked
    assert "<mark" not in str(word_diff("Same words here.", "same words, here"))


def test_claims_matrix_names_claims_in_words_with_their_sources() -> None:
    data = report("safe")
    data["claims"][0]["independent_sources"] = 2
    data["claims"][0]["units"][0]["text"] = "Seven people died, officials said."
    data["claims"][1]["label"] = "The mayor blamed the builders"
    html = render_html(data)
    table = html.split('<table class="claims">', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")
    assert ">Seven people died</a>" in rows[0]  # made from the sentence, attribution dropped
    assert '<td class="num">2<' in rows[0]
    assert ">The mayor blamed the builders</a>" in rows[1]  # the report's own label
    assert rows[0].count('class="on"') == 2 and rows[1].count('class="off"') == 1


def test_dates_read_as_people_write_them() -> None:
    html = render_html(report("safe"))
    assert "14–15 April 2026" in html  # the story's span
    assert '<time datetime="2026-04-14T08:00:00+00:00">14 April 2026, 08:00 UTC</time>' in html
    visible = re.sub(r'datetime="[^"]*"', "", html)
    assert "2026-04-14T08:00" not in visible
