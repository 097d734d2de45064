"""The claim step alone, on hand-made units and vectors: one fact per claim, no chaining."""

from __future__ import annotations

import numpy as np

from newsprism.compare.claims import AlignConfig, ClaimUnit, align, centred, split_units
from tests.compare.units import unit as _unit


def _vectors(*rows: list[float]) -> np.ndarray:
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def _claims(units: list[ClaimUnit], vectors: np.ndarray, bar: float = 0.4) -> list[set[str]]:
    # lex_weight 0: the decision rests on the vectors given here alone.
    groups = align(units, vectors, AlignConfig(lex_weight=0.0, bar=bar))
    return [{u.id for u in g.units} for g in groups]


def test_a_chain_of_resemblances_does_not_make_one_claim() -> None:
    # a~b and b~c, but a and c are far apart: no claim holds both a and c.
    units = [_unit("A", 0, "x one two"), _unit("B", 0, "y one two"), _unit("C", 0, "z one two")]
    vectors = _vectors(
        [1.0, 0.0, 0.0, 0.0],
        [0.7, 0.7, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],  # a fourth, unrelated sentence sets the story's centre
        [0.0, 0.0, 0.0, 1.0],
    )
    units += [_unit("D", 0, "unrelated words here"), _unit("E", 0, "other words there")]
    claims = _claims(units, vectors)
    assert not any({"A:u0", "C:u0"} <= c for c in claims)
    # The sentence in the middle carries both facts: it is in two claims.
    assert sum("B:u0" in c for c in claims) == 2


def test_one_unit_per_article_unless_the_article_repeats_itself() -> None:
    units = [
        _unit("A", 0, "the council approved lanes"),
        _unit("B", 0, "council approves new lanes"),
        _unit("B", 1, "the council approved the lanes again"),  # B repeats the fact
        _unit("B", 2, "shopkeepers fear losing parking"),
        _unit("C", 0, "weather was fine all week"),
    ]
    vectors = _vectors(
        [1.0, 0.05, 0.0, 0.0],
        [1.0, 0.0, 0.05, 0.0],
        [1.0, 0.0, 0.0, 0.05],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    )
    claims = _claims(units, vectors)
    assert {"A:u0", "B:u0", "B:u1"} in claims
    assert {"B:u2"} in claims and {"C:u0"} in claims


def test_two_units_of_one_article_that_differ_never_share_a_claim() -> None:
    # A's sentence matches two different sentences of B that do not match each other.
    units = [_unit("A", 0, "aa bb cc dd"), _unit("B", 0, "aa bb ee"), _unit("B", 1, "cc dd ff")]
    units += [_unit("C", k, f"zz yy xx {k}") for k in range(4)]
    vectors = _vectors(
        [1.0, 1.0, 0, 0, 0, 0],
        [1.0, 0, 0, 0, 0, 0],
        [0, 1.0, 0, 0, 0, 0],
        *(list(row) for row in np.eye(6)[2:]),
    )
    claims = _claims(units, vectors)
    assert {"A:u0", "B:u0"} in claims and {"A:u0", "B:u1"} in claims
    assert not any({"B:u0", "B:u1"} <= c for c in claims)


def test_centring_takes_out_what_every_sentence_shares() -> None:
    topic = np.array([1.0, 0.0, 0.0])
    rows = _vectors(*(list(topic * 3 + d) for d in np.eye(3)))
    # Raw cosine says all three are near-identical; centred, they are unrelated.
    assert float(rows[0] @ rows[1]) > 0.8
    cen = centred(rows)
    assert float(cen[0] @ cen[1]) < 0.1


def test_units_are_whole_sentences_and_headline_lines_are_not_units() -> None:
    text = (
        "Dam Gives Way In The Night\n"
        "The dam gave way shortly after midnight, flooding the valley below.\n"
        "Rescuers reached the village by boat; three people are missing."
    )
    # The sentence splitter ran the headline into the lead: units still start at the line.
    spans = [(0, text.index("Rescuers") - 1), (text.index("Rescuers"), len(text))]
    units = split_units("a", text, spans)
    assert [u.text for u in units] == [
        "The dam gave way shortly after midnight, flooding the valley below.",
        "Rescuers reached the village by boat; three people are missing.",
    ]


def test_word_overlap_of_all_pairs_matches_the_pair_by_pair_definition() -> None:
    from newsprism.compare.claims import story_idf, word_overlap

    units = [
        _unit("A", 0, "The council approved twelve kilometres of cycle lanes on Tuesday."),
        _unit("B", 0, "Twelve kilometres of new cycle lanes were approved by the council."),
        _unit("C", 0, "Shopkeepers fear losing parking spaces near the lanes."),
        _unit("D", 0, "Rain is expected over the weekend across the region."),
    ]
    idf = story_idf(units)
    n = len(units)
    rows, cols = np.divmod(np.arange(n * n), n)
    got = word_overlap(units, idf, rows, cols).reshape(n, n)
    for i, a in enumerate(units):
        for j, b in enumerate(units):
            common = a.terms & b.terms
            if not common:
                assert got[i, j] == 0.0
                continue
            shared = sum(idf[t] for t in common)
            wa, wb = sum(idf[t] for t in a.terms), sum(idf[t] for t in b.terms)
            expected = (2 * shared / (wa + wb) + shared / min(wa, wb)) / 2
            assert abs(got[i, j] - expected) < 1e-12
    assert got[0, 1] > got[0, 2] > got[0, 3] == 0.0
