"""Quote phenomena on hand-written sentences: marks, splits, speakers, channels, kinds."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsprism.nlp import Quote, annotate


def quotes(text: str) -> list[Quote]:
    return annotate(text).quotes


def only(text: str) -> Quote:
    found = [q for q in quotes(text) if q.kind != "scare"]
    assert len(found) == 1, found
    return found[0]


pytestmark = pytest.mark.usefixtures("nlp")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("“We will rebuild the bridge by spring,” Mayor Anna Kowalski said.", "We will rebuild"),
        ('"We will rebuild the bridge by spring," Mayor Anna Kowalski said.', "We will rebuild"),
        ("«We will rebuild the bridge by spring», Mayor Anna Kowalski said.", "We will rebuild"),
    ],
)
def test_curly_straight_and_guillemet_marks(text: str, words: str) -> None:
    q = only(text)
    assert q.text.startswith(words)
    assert q.speaker_entity == "Anna Kowalski"
    assert q.cue == "said"
    assert q.kind == "full"
    assert text[q.start : q.end] == q.text


def test_nested_single_quotes_stay_inside_the_outer_quote() -> None:
    text = "“Nobody needs ‘teachers’ who shout at farmers,” the minister, Tomas Berg, said."
    q = only(text)
    assert "‘teachers’" in q.text
    assert q.text.endswith("farmers")


def test_multi_sentence_quote() -> None:
    text = (
        "Senator Ruth Adeyemi spoke after the vote.\n\n"
        "“The plan is dead. It will not come back this year,” Adeyemi told reporters."
    )
    q = only(text)
    assert q.text.startswith("The plan is dead. It will not")
    assert q.speaker_entity == "Ruth Adeyemi"


def test_quote_split_around_its_attribution() -> None:
    text = (
        "“The river has never been this low,” said hydrologist Pieter Vos, “and it keeps falling.”"
    )
    found = quotes(text)
    assert [q.speaker_entity for q in found] == ["Pieter Vos", "Pieter Vos"]


def test_unbalanced_quote_ends_at_paragraph_end() -> None:
    text = (
        "Governor Lena Marsh visited the dam on Friday.\n\n"
        "She added: “Nobody will lose their home because of this flood.\n\n"
        "Engineers are still inspecting the walls."
    )
    q = only(text)
    assert not q.balanced
    assert q.text == "Nobody will lose their home because of this flood."
    assert q.speaker_entity == "Lena Marsh"
    assert q.cue == "added"


def test_scare_quote_is_marked_and_has_no_speaker() -> None:
    text = "The company described the layoffs as a “restructuring” of its “family” of brands."
    assert all(q.kind in {"scare", "partial"} for q in quotes(text))
    text = "Residents were moved to so-called “safe zones” outside the town."
    q = quotes(text)[0]
    assert q.kind == "scare"
    assert q.speaker is None


def test_partial_quote_takes_the_speaker_of_its_clause() -> None:
    text = "Finance Minister Karl Ostrander said the budget was “balanced and fair” to all regions."
    q = quotes(text)[0]
    assert q.kind == "partial"
    assert q.speaker_entity == "Karl Ostrander"


def test_quote_reported_through_a_channel() -> None:
    text = (
        "“Our borders will stay open,” the Baltic News Agency quoted President Ilse Varga as "
        "saying."
    )
    q = only(text)
    assert q.speaker_entity == "Ilse Varga"
    assert q.via is not None and "Baltic News Agency" in q.via


def test_pronoun_speaker_resolves_to_the_person() -> None:
    text = (
        "Prime Minister Omar Haddad met farmers in the north on Monday.\n\n"
        "“We will pay for every lost harvest,” he said."
    )
    q = only(text)
    assert q.speaker == "he"
    assert q.speaker_entity == "Omar Haddad"


def test_role_description_resolves_to_the_person() -> None:
    text = (
        "The talks were led by foreign minister Nadia Petrova.\n\n"
        "“There is no deal yet,” the minister told reporters."
    )
    q = only(text)
    assert q.speaker_entity == "Nadia Petrova"


def test_speaker_named_in_the_previous_paragraph() -> None:
    text = (
        "Reporting from the port, correspondent Jonas Ekberg said the mood was “tense”.\n\n"
        "“Ships have been waiting for a week and nobody knows when the cranes will restart.”"
    )
    full = [q for q in quotes(text) if q.kind == "full"]
    assert len(full) == 1
    assert full[0].speaker_entity == "Jonas Ekberg"


def test_unattributed_quote_gets_no_speaker() -> None:
    text = (
        "The storm reached the coast at dawn.\n\n"
        "“Stay indoors until the warning is lifted.”\n\n"
        "Schools were closed across the region."
    )
    q = only(text)
    assert q.speaker is None
    assert q.speaker_entity is None


def test_indirect_attributions_are_a_second_kind() -> None:
    text = (
        "Chancellor Maria Lind told the parliament that taxes would not rise. "
        "Activists say the new law will hurt small farms."
    )
    ann = annotate(text)
    assert not ann.quotes
    speakers = {a.speaker_entity for a in ann.attributions}
    assert "Maria Lind" in speakers
    assert "Activists" in speakers
    lind = next(a for a in ann.attributions if a.speaker_entity == "Maria Lind")
    assert "taxes would not rise" in lind.text


def test_according_to_attribution() -> None:
    text = "The factory will close next month, according to the regional labour office."
    ann = annotate(text)
    assert len(ann.attributions) == 1
    assert "labour office" in (ann.attributions[0].speaker or "")
    assert "factory will close" in ann.attributions[0].text


def test_spans_point_into_the_text(nlp: Language) -> None:
    text = "Intro line.\n\n“Rates stay put,” central bank governor Ada Mwangi said on Tuesday."
    ann = annotate(text)
    for q in ann.quotes:
        assert text[q.start : q.end] == q.text
        assert q.speaker_start is not None and q.speaker_end is not None
        assert text[q.speaker_start : q.speaker_end] == q.speaker
        assert q.cue_start is not None and text[q.cue_start : q.cue_end] == q.cue
    assert ann.to_dict()["quotes"][0]["speaker_entity"] == "Ada Mwangi"


def test_long_quote_attribution_offsets_survive_the_short_parse() -> None:
    # The parser reads a long quoted statement as a short stand-in; every offset must still
    # point into the article.
    text = (
        "The council met on Tuesday.\n\n"
        "“We will rebuild the bridge by spring, and we will pay for it without raising a single "
        "local tax, whatever the ministry decides next month,” Mayor Anna Kowalski told "
        "reporters after the vote."
    )
    q = only(text)
    assert q.speaker_entity == "Anna Kowalski"
    assert q.speaker_start is not None and q.speaker_end is not None
    assert "Anna Kowalski" in text[q.speaker_start : q.speaker_end]
    assert q.text.startswith("We will rebuild") and q.text.endswith("next month")
    assert text[q.start : q.end] == q.text


def test_she_prefers_a_person_known_to_be_a_woman() -> None:
    text = (
        "Ms Dana Whitlock wrote to the board on Friday. The letter was also sent to "
        "Robin Ashe.\n\n"
        "“I expect an answer within a week,” she said."
    )
    q = only(text)
    assert q.speaker == "she"
    assert q.speaker_entity == "Dana Whitlock"


def test_role_description_continues_the_person_just_quoted() -> None:
    text = (
        "“The dam will be finished next year,” says Tomas Reyes. "
        "“Water is life for the whole valley and its farms,” the regional governor continues."
    )
    found = [q for q in quotes(text) if q.kind == "full"]
    assert [q.speaker_entity for q in found] == ["Tomas Reyes", "Tomas Reyes"]


def test_a_spokesman_is_not_the_person_just_quoted() -> None:
    text = (
        "“The dam will be finished next year,” says Tomas Reyes. "
        "“The budget for the dam is not settled yet,” the spokesman added."
    )
    found = [q for q in quotes(text) if q.kind == "full"]
    assert found[0].speaker_entity == "Tomas Reyes"
    assert found[1].speaker_entity != "Tomas Reyes"


def test_long_nested_quotes_keep_their_offsets() -> None:
    text = (
        "“We will not accept ‘Those Who Lecture Others About Rivers And Bridges Every Single "
        "Week’ as our partners in this plan for the valley,” Mayor Anna Kowalski said."
    )
    found = [q for q in quotes(text) if q.kind == "full"]
    assert found and found[0].speaker_entity == "Anna Kowalski"
    for q in quotes(text):
        assert text[q.start : q.end] == q.text
