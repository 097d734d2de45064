"""Inline SVG plots: escaped labels, marks besides colour, and nothing for empty input."""

from __future__ import annotations

from newsprism.render.svg import coverage_matrix_svg, outlet_overlap, overlap_svg, timeline_svg

EVIL = "<script>alert(1)</script>"


def test_coverage_matrix_ticks_carried_cells_and_escapes_labels() -> None:
    svg = str(
        coverage_matrix_svg(
            [{"id": "c1", "articles": ["a"], "conflict": True}], [("a", EVIL), ("b", "Other")]
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<path") == 1  # one tick: colour is not the only signal
    assert "c1!" in svg  # the conflict is marked in text


def test_timeline_places_dated_articles_only() -> None:
    svg = str(
        timeline_svg(
            [
                {"date": "2026-04-14T08:00:00+02:00", "outlet": EVIL, "title": EVIL},
                {"date": "2026-04-15", "outlet": "B", "title": "naive date"},
                {"date": None, "outlet": "C", "title": "undated"},
                {"date": "not a date", "outlet": "D", "title": "bad"},
            ]
        )
    )
    assert svg.count("<circle") == 2
    assert "<script>" not in svg


def test_overlap_prints_numbers() -> None:
    labels, counts = outlet_overlap(
        [{"articles": ["a", "b"]}, {"articles": ["a"]}], {"a": "A", "b": "B"}
    )
    assert labels == ["A", "B"] and counts == [[2, 1], [1, 1]]
    svg = str(overlap_svg(labels, counts, what="claims"))
    assert ">2</text>" in svg and ">1</text>" in svg


def test_empty_inputs_give_no_plot() -> None:
    assert str(coverage_matrix_svg([], [])) == ""
    assert str(timeline_svg([])) == ""
    assert str(overlap_svg(["A"], [[1]], what="claims")) == ""


def test_coverage_matrix_rows_carry_the_claim_label_escaped() -> None:
    svg = str(
        coverage_matrix_svg(
            [{"id": "c1", "articles": ["a"], "label": f"Dam burst {EVIL}"}], [("a", "A")]
        )
    )
    assert "c1 Dam burst &lt;script&gt;" in svg and "<script>" not in svg


def test_timeline_axis_shows_dates_people_read() -> None:
    svg = str(
        timeline_svg(
            [
                {"date": "2026-04-14T08:00:00+02:00", "outlet": "A", "title": "a"},
                {"date": "2026-04-15T09:30:00+00:00", "outlet": "B", "title": "b"},
            ]
        )
    )
    assert "14 April 2026, 06:00 UTC" in svg and "15 April 2026, 09:30 UTC" in svg
    assert "2026-04-14T" not in svg
