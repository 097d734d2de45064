"""Who each outlet quotes or cites, by the role the text gives them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsprism.compare.lexicon import ROLE_KINDS
from newsprism.nlp.types import Annotation, Attribution

_CONTEXT = 80  # characters around a speaker mention searched for a role noun


def role_kind(description: str) -> str | None:
    """The kind of source a description names (government, state media, ...), if any."""
    low = description.lower()
    # Dict order matters: "state news agency" is state media before it is government.
    for kind, nouns in ROLE_KINDS.items():
        if any(re.search(rf"\b{re.escape(n)}\b", low) for n in nouns):
            return kind
    return None


def _describe(ann: Annotation, att: Attribution) -> tuple[str, str]:
    """(name, description) of who spoke: the entity name, its roles, and words around it."""
    name = att.speaker_entity or att.speaker or "unattributed"
    parts = [att.speaker or ""]
    for ent in ann.entities:
        if ent.name == att.speaker_entity:
            parts += ent.roles
    if att.speaker_start is not None:
        lo = max(0, att.speaker_start - _CONTEXT)
        hi = min(len(ann.text), (att.speaker_end or att.speaker_start) + _CONTEXT // 2)
        parts.append(ann.text[lo:hi])
    return name, " ".join(parts)


def sourcing(annotations: Sequence[Annotation], outlets: dict[str, str]) -> list[dict[str, Any]]:
    """Per article: its sources (speakers and channels), by role kind, and their diversity."""
    out = []
    for ann in annotations:
        sources: dict[str, dict[str, Any]] = {}
        for att, kind in [(q, "quotes") for q in ann.quotes if q.kind != "scare"] + [
            (a, "attributions") for a in ann.attributions
        ]:
            if att.speaker is None and att.speaker_entity is None:
                continue
            if (
                att.speaker
                and att.speaker.lower() in {"it", "who", "they", "he", "she"}
                and not (att.speaker_entity)
            ):
                continue
            name, description = _describe(ann, att)
            entry = sources.setdefault(
                name,
                {
                    "name": name,
                    "role": None,
                    "kind": None,
                    "quotes": 0,
                    "attributions": 0,
                    "via": [],
                },
            )
            entry[kind] += 1
            if entry["kind"] is None:
                entry["kind"] = role_kind(att.speaker or "") or role_kind(description)
            if entry["role"] is None:
                roles = [r for e in ann.entities if e.name == att.speaker_entity for r in e.roles]
                entry["role"] = roles[0] if roles else None
            if att.via and att.via not in entry["via"]:
                entry["via"].append(att.via)
                via_kind = role_kind(att.via)
                if via_kind and "channel_kind" not in entry:
                    entry["channel_kind"] = via_kind
        listed = sorted(
            sources.values(), key=lambda s: (-(s["quotes"] + s["attributions"]), s["name"])
        )
        kinds = sorted({s["kind"] for s in listed if s["kind"]})
        out.append(
            {
                "article": ann.doc_id,
                "outlet": outlets.get(ann.doc_id, ann.doc_id),
                "sources": listed,
                "kinds": kinds,
                "diversity": len(kinds),
            }
        )
    return out


__all__ = ["role_kind", "sourcing"]
