"""The neutral summary's selection rules, on hand-made claim groups (no models needed)."""

from __future__ import annotations

from newsprism.compare.claims import ClaimGroup
from newsprism.compare.summary import SummaryConfig, charge, select, unit_ranks
from tests.compare.units import unit as _unit

LEAD_A = _unit("a", 0, "The council approved twelve kilometres of new cycle lanes on Tuesday.")
LEAD_B = _unit(
    "b",
    0,
    "The council slammed through a catastrophic plan for twelve kilometres of new cycle lanes "
    "on Tuesday.",
)
COST_A = _unit("a", 1, "Work will start in June and cost about four million euros.")
PRONOUN_B = _unit("b", 1, "It will cost about four million euros when work starts in June.")
ONLY_B = _unit("b", 2, "Shopkeepers on the high street fear losing parking spaces near the lanes.")
GROUPS = [
    ClaimGroup([LEAD_A, LEAD_B]),
    ClaimGroup([COST_A, PRONOUN_B]),
    ClaimGroup([ONLY_B]),
]
UNITS = [u for g in GROUPS for u in g.units]
INDEPENDENT = {0: 2, 1: 2, 2: 1}


def test_consensus_first_then_attributed_each_citing_its_articles() -> None:
    whole = SummaryConfig(ratio=1.0)
    picks = select(
        GROUPS, unit_ranks(UNITS), INDEPENDENT, whole, titles=["Council approves cycle lanes"]
    )
    kinds = [p.kind for p in picks]
    assert kinds == sorted(kinds, key=lambda k: k != "consensus")
    assert {p.group for p in picks} == {0, 1, 2}
    by_group = {p.group: p for p in picks}
    assert by_group[0].articles == ["a", "b"] and by_group[0].kind == "consensus"
    assert by_group[2].articles == ["b"] and by_group[2].kind == "attributed"


def test_prefers_the_more_neutral_of_two_wordings() -> None:
    assert charge(LEAD_B.text) > charge(LEAD_A.text)
    picks = select(GROUPS, unit_ranks(UNITS), INDEPENDENT)
    lead = next(p for p in picks if p.group == 0)
    assert lead.unit is LEAD_A


def test_a_sentence_leaning_on_the_one_before_is_not_quoted() -> None:
    picks = select(GROUPS, unit_ranks(UNITS), INDEPENDENT)
    assert all(p.unit is not PRONOUN_B for p in picks)


def test_length_follows_the_input_up_to_the_cap() -> None:
    short = select(GROUPS, unit_ranks(UNITS), INDEPENDENT, SummaryConfig(ratio=0.1, min_budget=5))
    assert len(short) == 1  # however tight the budget, one sentence goes through
    capped = select(GROUPS, unit_ranks(UNITS), INDEPENDENT, SummaryConfig(max_sentences=2))
    assert len(capped) == 2


def test_nothing_to_summarise() -> None:
    assert select([], {}, {}) == []
