"""Inline SVG plots: coverage matrix, timeline and outlet overlap.

Each plot is a small, self-contained ``<svg>`` element (no script, no external font or image) that
can be pasted into an HTML page. Every value is escaped because outlet names, titles and claim
texts come from untrusted articles. Colour is never the only signal: a cell that carries a claim
holds a mark *and* a different fill, overlap cells print their number, and every shape has a
``<title>`` that screen readers and mouse users both get.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup

from newsprism.render.dates import human_date

_FONT = 'font-family="system-ui, sans-serif" font-size="12"'
_INK = "#1b1b1b"
_MUTED = "#6b6b6b"
_ON = "#1f5fa8"
_CONFLICT = "#b3261e"


def _clip(text: object, limit: int) -> str:
    value = str(text) if text is not None else ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _svg(width: int, height: int, label: str, body: list[Markup]) -> Markup:
    head = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" aria-label="{label}" {font}><title>{label}</title>'
    ).format(w=width, h=height, label=label, font=Markup(_FONT))
    return head + Markup("").join(body) + Markup("</svg>")


def coverage_matrix_svg(
    claims: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    max_rows: int = 60,
) -> Markup:
    """Claims (rows) × articles (columns): a filled, ticked square where the article carries it.

    ``columns`` is ``[(article_id, label)]``. Each row is named by the claim's ``label`` (its
    id when it has none); a conflicting claim gets a "!".
    """
    rows = list(claims)[:max_rows]
    if not rows or not columns:
        return Markup("")
    named = any(c.get("label") for c in rows)
    cell, left, top = 18, 330 if named else 56, 110
    width = left + cell * len(columns) + 10
    height = top + cell * len(rows) + 10
    body: list[Markup] = []
    for j, (_, label) in enumerate(columns):
        x = left + j * cell + cell // 2
        body.append(
            Markup(
                '<text x="{x}" y="{y}" transform="rotate(-60 {x} {y})" fill="{ink}">{t}</text>'
            ).format(x=x, y=top - 6, ink=_INK, t=_clip(label, 18))
        )
    for i, claim in enumerate(rows):
        y = top + i * cell
        cid = str(claim.get("id", i + 1))
        mark = "!" if claim.get("conflict") else ""
        name = str(claim.get("label") or "")
        body.append(
            Markup('<text x="4" y="{y}" fill="{ink}">{t}</text>').format(
                y=y + 13,
                ink=_CONFLICT if mark else _INK,
                t=f"{cid}{mark} {_clip(name, 52)}" if name else f"{cid}{mark}",
            )
        )
        carried = {str(a) for a in claim.get("articles", []) or []}
        for j, (article_id, label) in enumerate(columns):
            x = left + j * cell
            on = article_id in carried
            tip = f"{cid} {name}: {'carried by' if on else 'not in'} {label}".replace("  ", " ")
            body.append(
                Markup(
                    '<g><title>{tip}</title><rect x="{x}" y="{y}" width="{s}" height="{s}" '
                    'fill="{fill}" stroke="{stroke}"/>{tick}</g>'
                ).format(
                    tip=tip,
                    x=x + 1,
                    y=y + 1,
                    s=cell - 2,
                    fill=_ON if on else "#ffffff",
                    stroke=_ON if on else "#b0b0b0",
                    tick=Markup(
                        '<path d="M{a} {b} l4 4 l7 -8" stroke="#fff" stroke-width="2" fill="none"/>'
                    ).format(a=x + 4, b=y + 9)
                    if on
                    else Markup(""),
                )
            )
    label = f"Coverage matrix: {len(rows)} claims by {len(columns)} articles"
    return _svg(width, height, label, body)


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Mixed naive and aware dates cannot be compared; naive ones are read as UTC.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def timeline_svg(events: Sequence[Mapping[str, Any]]) -> Markup:
    """Articles over time, one row per outlet: a labelled dot per article.

    ``events`` are ``{"date", "outlet", "title"}`` mappings; undated ones are left out.
    """
    dated = [(d, e) for e in events if (d := _parse(e.get("date"))) is not None]
    if not dated:
        return Markup("")
    dated.sort(key=lambda pair: pair[0])
    outlets: list[str] = []
    for _, e in dated:
        name = str(e.get("outlet") or "unknown outlet")
        if name not in outlets:
            outlets.append(name)
    left, right, top, row = 150, 20, 20, 26
    plot_w = 480
    width = left + plot_w + right
    height = top + row * len(outlets) + 40
    first, last = dated[0][0], dated[-1][0]
    span = max((last - first).total_seconds(), 1.0)
    body: list[Markup] = []
    for k, name in enumerate(outlets):
        y = top + k * row + row // 2
        body.append(
            Markup(
                '<text x="4" y="{ty}" fill="{ink}">{t}</text>'
                '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="#dddddd"/>'
            ).format(ty=y + 4, ink=_INK, t=_clip(name, 22), l=left, r=left + plot_w, y=y)
        )
    for n, (when, e) in enumerate(dated):
        x = left + (when - first).total_seconds() / span * plot_w if len(dated) > 1 else left
        y = top + outlets.index(str(e.get("outlet") or "unknown outlet")) * row + row // 2
        tip = f"{n + 1}. {human_date(when.isoformat())} — {_clip(e.get('title'), 120)}"
        body.append(
            Markup(
                '<g><title>{tip}</title><circle cx="{x:.1f}" cy="{y}" r="6" fill="{on}" '
                'stroke="{ink}"/><text x="{x:.1f}" y="{ty}" text-anchor="middle" '
                'font-size="9" fill="#ffffff">{n}</text></g>'
            ).format(tip=tip, x=x, y=y, on=_ON, ink=_INK, ty=y + 3, n=n + 1)
        )
    axis_y = top + row * len(outlets) + 16
    body.append(
        Markup(
            '<text x="{l}" y="{y}" fill="{m}">{a}</text>'
            '<text x="{r}" y="{y}" text-anchor="end" fill="{m}">{b}</text>'
        ).format(
            l=left,
            r=left + plot_w,
            y=axis_y,
            m=_MUTED,
            a=human_date(first.isoformat()),
            b=human_date(last.isoformat()),
        )
    )
    label = f"Timeline: {len(dated)} dated articles from {len(outlets)} outlets"
    return _svg(width, height, label, body)


def overlap_svg(labels: Sequence[str], counts: Sequence[Sequence[int]], *, what: str) -> Markup:
    """A square matrix of outlets with the number of shared ``what`` printed in each cell."""
    n = len(labels)
    if n < 2:
        return Markup("")
    cell, left, top = 34, 150, 120
    width, height = left + cell * n + 10, top + cell * n + 10
    peak = max((c for row in counts for c in row), default=0) or 1
    body: list[Markup] = []
    for j, name in enumerate(labels):
        x = left + j * cell + cell // 2
        body.append(
            Markup(
                '<text x="{x}" y="{y}" transform="rotate(-50 {x} {y})" fill="{ink}">{t}</text>'
            ).format(x=x, y=top - 6, ink=_INK, t=_clip(name, 18))
        )
    for i, name in enumerate(labels):
        y = top + i * cell
        body.append(
            Markup('<text x="4" y="{y}" fill="{ink}">{t}</text>').format(
                y=y + cell // 2 + 4, ink=_INK, t=_clip(name, 22)
            )
        )
        for j in range(n):
            value = int(counts[i][j])
            shade = 245 - int(150 * value / peak)
            text_fill = "#ffffff" if shade < 160 else _INK
            tip = f"{labels[i]} and {labels[j]}: {value} shared {what}"
            body.append(
                Markup(
                    '<g><title>{tip}</title><rect x="{x}" y="{y}" width="{s}" height="{s}" '
                    'fill="rgb({c},{c},255)" stroke="#ffffff"/><text x="{tx}" y="{ty}" '
                    'text-anchor="middle" fill="{tf}">{v}</text></g>'
                ).format(
                    tip=tip,
                    x=left + j * cell,
                    y=y,
                    s=cell,
                    c=max(shade, 60),
                    tx=left + j * cell + cell // 2,
                    ty=y + cell // 2 + 4,
                    tf=text_fill,
                    v=value,
                )
            )
    return _svg(width, height, f"Outlet overlap: shared {what} between {n} outlets", body)


def outlet_overlap(
    claims: Sequence[Mapping[str, Any]], outlet_of: Mapping[str, str]
) -> tuple[list[str], list[list[int]]]:
    """Outlets and, for each pair, how many claims both carry (diagonal: claims each carries)."""
    labels = sorted({outlet_of[a] for a in outlet_of})
    index = {name: i for i, name in enumerate(labels)}
    counts = [[0] * len(labels) for _ in labels]
    for claim in claims:
        present = sorted({index[outlet_of[a]] for a in claim.get("articles", []) if a in outlet_of})
        for i in present:
            for j in present:
                counts[i][j] += 1
    return labels, counts


__all__ = [
    "coverage_matrix_svg",
    "outlet_overlap",
    "overlap_svg",
    "timeline_svg",
]
