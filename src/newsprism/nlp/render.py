"""A human-readable rendering of an annotation (`newsprism annotate --format text`)."""

from __future__ import annotations

from newsprism.nlp.types import Annotation


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def format_annotation(a: Annotation) -> str:
    """Sections for entities, quotes, reported speech, quantities and dates, with offsets."""
    lines = [f"{a.doc_id or '(article)'}: {len(a.sentences)} sentences"]
    lines.append(f"\nEntities ({len(a.entities)})")
    for e in a.entities:
        extra = f"  roles: {'; '.join(e.roles)}" if e.roles else ""
        variants = ", ".join(v for v in e.variants if v != e.name)
        lines.append(
            f"  {e.name} [{e.label}] ×{len(e.mentions)}"
            + (f"  also: {variants}" if variants else "")
            + extra
        )
    lines.append(f"\nQuotes ({len(a.quotes)})")
    for q in a.quotes:
        who = q.speaker_entity or "(unattributed)"
        if q.speaker and q.speaker != q.speaker_entity:
            who += f" ← “{q.speaker}”"
        cue = f" cue: {q.cue}" if q.cue else ""
        via = f" via: {q.via}" if q.via else ""
        flag = "" if q.balanced else " [unclosed]"
        lines.append(f"  [{q.start}:{q.end}] {q.kind:<7} {who}{cue}{via}{flag}")
        lines.append(f"      “{_short(q.text)}”")
    lines.append(f"\nReported speech ({len(a.attributions)})")
    for r in a.attributions:
        lines.append(
            f"  [{r.start}:{r.end}] {r.speaker_entity or r.speaker} ({r.cue}): {_short(r.text, 70)}"
        )
    lines.append(f"\nQuantities ({len(a.quantities)})")
    for n in a.quantities:
        lines.append(f"  [{n.start}:{n.end}] {n.text!r} = {n.qualifier} {n.value:g} {n.unit or ''}")
    lines.append(f"\nDates ({len(a.dates)})")
    for d in a.dates:
        value = d.value.isoformat() if d.value else "unresolved"
        lines.append(f"  [{d.start}:{d.end}] {d.text!r} → {value} ({d.granularity})")
    return "\n".join(lines)


__all__ = ["format_annotation"]
