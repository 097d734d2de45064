"""The language layer: sentences, entities, quotes with speakers, quantities and dates."""

from newsprism.nlp.entities import canonicalise_across
from newsprism.nlp.pipeline import annotate, annotate_many, load_pipeline
from newsprism.nlp.render import format_annotation
from newsprism.nlp.types import (
    Annotation,
    Attribution,
    CanonicalEntity,
    DateMention,
    Entity,
    Mention,
    Quantity,
    Quote,
    Sentence,
)

__all__ = [
    "Annotation",
    "Attribution",
    "CanonicalEntity",
    "DateMention",
    "Entity",
    "Mention",
    "Quantity",
    "Quote",
    "Sentence",
    "annotate",
    "annotate_many",
    "canonicalise_across",
    "format_annotation",
    "load_pipeline",
]
