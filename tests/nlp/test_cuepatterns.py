"""Attributions written right against the quote marks, read from the surface text."""

from __future__ import annotations

import pytest

from newsprism.nlp import Quote, annotate
from newsprism.nlp.cuepatterns import after_quote, before_quote, transcript_speaker
from newsprism.nlp.lexicon import CUE_LEMMA_OF

pytestmark = pytest.mark.usefixtures("nlp")


def _quote(text: str, opening: str) -> Quote:
    found = [q for q in annotate(text).quotes if q.text.startswith(opening)]
    assert found, annotate(text).quotes
    return found[0]


def _after(text: str) -> str | None:
    close = text.index("”")
    found = after_quote(text, close, len(text))
    return text[found.speaker_start : found.speaker_end] if found else None


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "“We will build it,” said Tomas Lindqvist, a senior fellow at the institute.",
            "Tomas Lindqvist",
        ),
        ("“Why now?” Lindqvist demanded.", "Lindqvist"),
        ("“We will build it,” Rep. Ana Ortiz (D-Ore.) said in an interview.", "Rep. Ana Ortiz"),
        ("“We will build it,” the spokeswoman told reporters.", "the spokeswoman"),
        ("“We will build it,” said Ortiz.", "Ortiz"),
        # A full stop inside the marks ends the sentence: the next one is not an attribution.
        ("He called it an “outlaw nation.” Spain insisted that talks go on.", None),
        # "state" is a cue verb only where a verb can stand, not in "state news agency".
        ("“We will build it,” the state news agency reported.", "the state news agency"),
    ],
)
def test_attribution_after_the_closing_mark(text: str, speaker: str | None) -> None:
    assert _after(text) == speaker


def test_attribution_before_the_opening_mark() -> None:
    text = "Said Lindqvist: “Nobody asked us.”"
    found = before_quote(text, text.index("“"), 0)
    assert found is not None
    assert text[found.speaker_start : found.speaker_end] == "Lindqvist"


def test_transcript_turn_label() -> None:
    text = "“HOST: Will you run again?”"
    found = transcript_speaker(text, 1)
    assert found is not None and text[found.speaker_start : found.speaker_end] == "HOST"
    assert transcript_speaker("“We will: no doubt.”", 1) is None


def test_inverted_cue_with_long_appositive_gets_its_speaker() -> None:
    text = (
        "Budgets are tight, analysts say.\n\n"
        "“If the council does not act now, the bridge will close within a year,” said Tomas "
        "Lindqvist, a physicist who is co-director of the infrastructure programme at the "
        "institute."
    )
    assert _quote(text, "If the council").speaker_entity == "Tomas Lindqvist"


def test_pronoun_prefers_the_subject_of_the_sentence_just_read() -> None:
    text = (
        "“We will not pay,” Mayor Anna Kowalski said on Monday.\n\n"
        "Governor Piotr Nowak condemned what he called a reckless budget. "
        "“I count on the council to act,” he told reporters."
    )
    assert _quote(text, "I count on").speaker_entity == "Piotr Nowak"


def test_cue_lemmas_come_from_a_lookup_not_the_lemmatizer() -> None:
    assert CUE_LEMMA_OF["said"] == "say"
    assert CUE_LEMMA_OF["admitted"] == "admit"
    assert CUE_LEMMA_OF["quipped"] == "quip"
    assert CUE_LEMMA_OF["replied"] == "reply"


def test_party_tag_becomes_a_role() -> None:
    ann = annotate("“We will build it,” said Rep. Ana Ortiz (D-Ore.), who chairs the panel.")
    ortiz = next(e for e in ann.entities if e.name == "Ana Ortiz")
    assert "Democrat" in ortiz.roles


def test_many_articles_in_worker_processes_keep_their_order() -> None:
    from newsprism.nlp import annotate_many

    texts = [f"“Item {i} is ready,” said Ana Ortiz." for i in range(10)]
    items = [(str(i), t, None) for i, t in enumerate(texts)]
    parallel = list(annotate_many(items, n_process=2))
    serial = list(annotate_many(items, n_process=1))
    assert [a.doc_id for a in parallel] == [str(i) for i in range(10)]
    assert [a.to_dict() for a in parallel] == [a.to_dict() for a in serial]


def test_worker_processes_start_afresh_when_other_threads_run() -> None:
    import threading

    from newsprism.nlp import annotate_many

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        items = [(str(i), f"“Item {i} is ready,” said Ana Ortiz.", None) for i in range(8)]
        notes = list(annotate_many(items, n_process=2))
    finally:
        stop.set()
        other.join()
    assert [n.quotes[0].speaker_entity for n in notes] == ["Ana Ortiz"] * 8
