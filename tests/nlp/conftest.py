"""One spaCy pipeline per test session: loading it is the slow part."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsprism.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()
