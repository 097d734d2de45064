"""Hand-made claim units for the tests of the claim and summary steps (no models needed)."""

from __future__ import annotations

from newsprism.compare.claims import ClaimUnit
from newsprism.compare.lexicon import content_terms


def unit(article: str, index: int, text: str) -> ClaimUnit:
    """A claim unit spanning the whole of ``text``, with its content words."""
    return ClaimUnit(
        id=f"{article}:u{index}",
        article=article,
        index=index,
        start=0,
        end=len(text),
        text=text,
        terms=frozenset(content_terms(text)),
    )
