"""Acceptance on the seed pair: every direct quote found, with the right speaker."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.nlp import Annotation, annotate
from tests.conftest import shared_path

pytestmark = pytest.mark.usefixtures("nlp")


def _annotate(name_prefix: str) -> Annotation:
    seeds: Path = shared_path("seeds")
    path = next(seeds.glob(f"{name_prefix}_*.txt"))
    return annotate(path.read_text(encoding="utf-8"), doc_id=path.stem)


def _speaker_of(ann: Annotation, opening: str) -> str | None:
    matches = [q for q in ann.quotes if q.text.startswith(opening)]
    assert matches, f"quote starting {opening!r} not found"
    return matches[0].speaker_entity


def test_seed_000_full_quotes_and_speakers() -> None:
    ann = _annotate("000")
    full = [q for q in ann.quotes if q.kind == "full"]
    assert all(q.speaker_entity for q in full), [(q.text[:30], q.speaker) for q in full]
    assert _speaker_of(ann, "Deviating") == "Xi Jinping"
    assert _speaker_of(ann, "In the end") == "Xi Jinping"
    assert _speaker_of(ann, "Countries do not need") == "Xi Jinping"
    assert _speaker_of(ann, "I’m a grown woman") == "Michelle Bachelet"
    assert _speaker_of(ann, "I’m able to read") == "Michelle Bachelet"
    assert _speaker_of(ann, "There are no journalists") == "Katrina Yu"
    assert _speaker_of(ann, "This is by far") == "Adrian Zenz"
    assert _speaker_of(ann, "It’s much more significant") == "Adrian Zenz"
    deviating = next(q for q in ann.quotes if q.text.startswith("Deviating"))
    assert deviating.via is not None and "Xinhua" in deviating.via
    grown = next(q for q in ann.quotes if q.text.startswith("I’m a grown woman"))
    assert grown.via is not None and "diplomats" in grown.via


def test_seed_000_partial_quotes() -> None:
    ann = _annotate("000")
    assert _speaker_of(ann, "suits its own national conditions") == "Xi Jinping"
    assert _speaker_of(ann, "graduated") == "Shohrat Zakir"
    assert _speaker_of(ann, "very opaque") == "Katrina Yu"
    assert _speaker_of(ann, "spreading lies and rumours") == "Wang Wenbin"


def test_seed_002_quotes_including_the_unbalanced_one() -> None:
    ann = _annotate("002")
    unbalanced = [q for q in ann.quotes if not q.balanced]
    assert len(unbalanced) == 1
    assert unbalanced[0].text.startswith("Deviating")
    assert unbalanced[0].text.endswith("disastrous consequences.")
    assert unbalanced[0].speaker_entity == "Xi Jinping"
    assert _speaker_of(ann, "We don’t need masters") == "Xi Jinping"
    assert _speaker_of(ann, "Through long-term") == "Xi Jinping"
    assert _speaker_of(ann, "We don’t need ‘masters’") == "Xi Jinping"
    assert _speaker_of(ann, "a mistake") == "Ned Price"
    assert _speaker_of(ann, "We think it was a mistake") == "Ned Price"
    assert _speaker_of(ann, "eradicating poverty") == "Michelle Bachelet"
