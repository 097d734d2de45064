"""Claim labels: the first clause of a claim's sentence, without attribution, quotes balanced."""

from __future__ import annotations

import pytest

from newsprism.compare.labels import claim_label, label_of


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        # attribution tails go
        (
            "The bridge reopened to traffic on Friday, officials said.",
            "The bridge reopened to traffic on Friday",
        ),
        ("Nine miners were rescued, the company said in a statement.", "Nine miners were rescued"),
        (
            "Ferry services were cancelled, according to the port authority.",
            "Ferry services were cancelled",
        ),
        ("The vote was postponed, said council spokeswoman Ana Ruiz.", "The vote was postponed"),
        (
            "Two suspects were arrested, police told reporters on Sunday.",
            "Two suspects were arrested",
        ),
        # discourse openers go
        ("But the plant will stay closed until spring.", "The plant will stay closed until spring"),
        ("And yet the museum sold every ticket.", "The museum sold every ticket"),
        (
            "However, the league refused to change the schedule.",
            "The league refused to change the schedule",
        ),
        # a pronoun speaker goes, a named one stays
        (
            "He said that the harbour would be dredged next year.",
            "The harbour would be dredged next year",
        ),
        (
            "Governor Okafor said that the harbour would be dredged next year.",
            "Governor Okafor: The harbour would be dredged next year",
        ),
        # quotations keep their marks and lose the attribution after them
        ("“We will rebuild every school,” the mayor said.", "“We will rebuild every school”"),
        (
            "“The water is safe to drink again,” said Dr Lena Ortiz.",
            "“The water is safe to drink again”",
        ),
        # short sentences stay whole
        ("Turnout rose to 71 per cent.", "Turnout rose to 71 per cent"),
        ("The flight landed in the U.S.", "The flight landed in the U.S."),
    ],
)
def test_label_drops_what_a_headline_would_drop(sentence: str, label: str) -> None:
    assert claim_label(sentence) == label


def test_long_sentence_is_cut_at_a_clause_boundary_with_an_ellipsis() -> None:
    label = claim_label(
        "The regional water board approved a new reservoir near the old quarry, ending a "
        "dispute that had lasted for more than a decade between farmers and the city."
    )
    assert label == "The regional water board approved a new reservoir near the old quarry…"


def test_cut_before_a_clause_word_when_there_is_no_comma() -> None:
    label = claim_label(
        "Rescue teams searched the flooded valley for three more days after the river "
        "finally fell below its banks on Thursday evening."
    )
    assert label == "Rescue teams searched the flooded valley for three more days…"


def test_cut_never_ends_on_a_function_word() -> None:
    label = claim_label(
        "Thousands of commuters waited for hours at the central station of the capital of the "
        "northern province yesterday"
    )
    assert label.endswith("…")
    assert label[:-1].split()[-1].lower() not in {"the", "of", "at", "for"}


def test_an_introductory_phrase_alone_is_not_a_label() -> None:
    label = claim_label(
        "In a brief statement on Tuesday night, the festival organisers cancelled the "
        "remaining concerts because of the storm."
    )
    assert label.startswith("In a brief statement on Tuesday night, the festival")
    assert label.endswith("…")


def test_cut_inside_a_quotation_closes_it_after_the_ellipsis() -> None:
    label = claim_label(
        "“We have never seen the lake this low in all the years we have been measuring it "
        "here,” the hydrologist said."
    )
    assert label.startswith("“We have never seen the lake")
    assert label.endswith("…”")


def test_a_fragment_that_ends_a_quotation_gets_its_opening_mark() -> None:
    label = claim_label("nor should the archive be sold to private collectors,” she said.")
    assert label == "“Nor should the archive be sold to private collectors”"


def test_only_the_first_sentence_is_used() -> None:
    text = "Mr. Adeyemi resigned on Monday. His deputy will lead the agency until March."
    assert claim_label(text) == "Mr. Adeyemi resigned on Monday"


def test_whitespace_and_empty_text() -> None:
    assert claim_label("  The   ferry\nsank  .") == "The ferry sank"
    assert claim_label("") == ""


def test_max_words_is_respected() -> None:
    sentence = " ".join(f"word{i}" for i in range(30))
    assert len(claim_label(sentence, max_words=8).split()) == 8


def test_label_of_prefers_the_reports_label() -> None:
    claim = {"id": "c3", "label": "Ferry sank", "units": [{"text": "The ferry sank, police said."}]}
    assert label_of(claim) == "Ferry sank"
    assert label_of({**claim, "label": ""}) == "The ferry sank"
    assert label_of({"id": "c4", "units": []}) == "c4"


def test_a_quote_attributed_twice_loses_both_attributions() -> None:
    label = claim_label("“The report is fair,” she replied to critics, two aides present said.")
    assert label == "“The report is fair”"
