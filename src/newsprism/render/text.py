"""Plain-text renderings for the terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from newsprism.model import Article
from newsprism.render.dates import human_date, human_span


def render_article(article: Article, *, versions: Sequence[str] = ()) -> str:
    """One article: metadata header, body, then the removed lines with their reasons."""
    meta = [
        ("id", article.id),
        ("outlet", article.outlet),
        ("date", human_date(article.date.isoformat()) if article.date else None),
        ("author", article.author),
        ("url", article.url),
        ("lang", article.lang),
        ("credit", article.credit),
        ("source", article.source),
    ]
    if len(versions) > 1:
        meta.append(("versions", ", ".join(versions)))
    width = max(len(name) for name, _ in meta)
    lines = [article.title, "=" * min(len(article.title), 100)]
    lines += [f"{name:<{width}}  {value}" for name, value in meta if value]
    lines.append("")
    for paragraph in article.text.split("\n\n"):
        lines.append(textwrap.fill(paragraph, width=100))
        lines.append("")
    if article.removed:
        lines.append(f"Removed by cleaning ({len(article.removed)} lines):")
        for removed in article.removed:
            where = f"line {removed.line}: " if removed.line else ""
            lines.append(f"  - {where}{_clip(removed.text, 70)!r} — {removed.reason}")
    else:
        lines.append("Removed by cleaning: nothing")
    return "\n".join(lines).rstrip()


def render_listing(articles: Sequence[Article], *, total: int, offset: int = 0) -> str:
    """A table of articles: id, date, outlet, words, title."""
    if not articles:
        return "No articles stored yet: `newsprism ingest PATH...` adds some."
    rows = [
        (
            a.id,
            human_date(a.date.isoformat()) if a.date else "—",
            _clip(a.outlet or "—", 24),
            str(len(a.text.split())),
            _clip(a.title, 60) + (f" (v{a.version})" if a.version > 1 else ""),
        )
        for a in articles
    ]
    header = ("id", "date", "outlet", "words", "title")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    shown_to = offset + len(articles)
    out.append(f"{offset + 1}–{shown_to} of {total} articles")
    return "\n".join(out)


def render_stories(stories: Sequence[dict[str, Any]]) -> str:
    """A table of stories: id, time span, articles, outlets, independent sources, title."""
    if not stories:
        return "No stories yet: ingest some articles first."
    rows = [
        (
            str(s["id"]),
            human_span(s.get("start"), s.get("end")) or "—",
            str(len(s.get("articles", []))),
            str(len(s.get("outlets", []))),
            str(s.get("independent_sources", "—")),
            _clip(str(s.get("title") or "—"), 60),
        )
        for s in stories
    ]
    header = ("story", "when", "articles", "outlets", "independent", "title")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.append(f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}")
    return "\n".join(out)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
