"""Canonical names within an article and across a story's articles."""

from __future__ import annotations

import pytest

from newsprism.nlp import annotate, canonicalise_across

pytestmark = pytest.mark.usefixtures("nlp")

ARTICLE_A = (
    "Brazilian President Lucia Ferreira met farmers in Goias on Tuesday. "
    "Ferreira promised new credit lines.\n\n"
    "Ms Ferreira said the drought was the worst in 40 years. "
    "The president later flew back to Brasilia."
)
ARTICLE_B = (
    "Lucia Ferreira visited drought-hit farms. The Brazilian president was joined by "
    "agriculture minister Rui Campos.\n\n"
    "Mr Campos said aid would arrive in March."
)


def test_person_mentions_collapse_onto_the_full_name() -> None:
    ann = annotate(ARTICLE_A)
    people = [e for e in ann.entities if e.label == "PERSON"]
    assert [p.name for p in people] == ["Lucia Ferreira"]
    person = people[0]
    assert {"Lucia Ferreira", "Ferreira", "Ms Ferreira"} <= set(person.variants)
    assert person.gender == "f"
    assert any("President" in role for role in person.roles)
    # "The president" is attached as a role mention of the same person.
    assert any(m.kind == "role" and m.text.lower() == "the president" for m in person.mentions)
    for m in person.mentions:
        assert ARTICLE_A[m.start : m.end] == m.text


def test_roles_become_aliases() -> None:
    ann = annotate(ARTICLE_B)
    campos = next(e for e in ann.entities if e.name == "Rui Campos")
    assert campos.roles == ["agriculture minister"]
    assert campos.gender == "m"


def test_across_articles_one_entity_with_each_outlets_variants() -> None:
    a = annotate(ARTICLE_A, doc_id="a")
    b = annotate(ARTICLE_B, doc_id="b")
    merged = canonicalise_across([a, b])
    ferreira = next(c for c in merged.values() if c.name == "Lucia Ferreira")
    assert set(ferreira.variants) == {"a", "b"}
    assert "Ms Ferreira" in ferreira.variants["a"]
    assert ferreira.mentions["a"] >= 3


def test_spelling_variants_merge_and_are_kept() -> None:
    a = annotate("The Uighurs protested in Almaty. Covid-19 rules were lifted.", doc_id="a")
    b = annotate("The Uyghurs protested in Almaty. COVID-19 rules were lifted.", doc_id="b")
    merged = canonicalise_across([a, b])
    spellings = [sorted({v for vs in c.variants.values() for v in vs}) for c in merged.values()]
    assert ["Almaty"] in spellings
    multi = [s for s in spellings if len(s) > 1]
    assert ["Uighurs", "Uyghurs"] in multi or ["COVID-19", "Covid-19"] in multi


def test_a_surname_the_ner_missed_joins_the_person(nlp) -> None:  # type: ignore[no-untyped-def]
    from newsprism.nlp.entities import extract_entities

    text = "Jane Marlow, a city councillor, resigned on Monday. Marlow later apologised."
    doc = nlp(text)
    # What the small model sometimes does: it leaves the lone surname out.
    doc.ents = [e for e in doc.ents if e.text != "Marlow"]
    index = extract_entities(doc, text)
    person = next(e for e in index.entities if e.name == "Jane Marlow")
    second = text.rindex("Marlow")
    assert any(m.start == second for m in person.mentions)


def test_a_role_stops_at_a_preposition() -> None:
    ann = annotate("The programme began under President Amara Diallo in 2010.")
    person = next(e for e in ann.entities if e.label == "PERSON")
    assert person.roles == ["President"]
