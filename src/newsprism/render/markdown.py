"""Render a comparison report (the Report JSON) as Markdown, or as plain text for terminals."""

from __future__ import annotations

import re
from typing import Any

_MAX_ITEMS = 12  # per list; the JSON report has everything


def _label(report: dict[str, Any]) -> dict[str, str]:
    return {a["id"]: a.get("outlet") or a.get("credit") or a["id"] for a in report["articles"]}


def _cite(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _marked(text: str, start: int, spans: list[tuple[int, int]]) -> str:
    """``text`` (beginning at ``start`` in its article) with the given spans in bold."""
    out, pos = [], 0
    for s, e in sorted(spans):
        s, e = max(s - start, pos), min(e - start, len(text))
        if s >= e:
            continue
        out += [text[pos:s], f"**{text[s:e]}**"]
        pos = e
    out.append(text[pos:])
    return _one_line("".join(out))


def _summary(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    lines = ["## Neutral summary", ""]
    if not report["summary"]:
        lines.append("_No summary: nothing to summarise._")
    for s in report["summary"]:
        text = _one_line(s["text"])
        if s["kind"] == "attributed":
            text = f"According to {names.get(s['source']['article'], s['attribution'])}: {text}"
        lines.append(f"- {text} {_cite(s['articles'])}")
    return [*lines, ""]


def _claims(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    claims = report["claims"]
    shared = [c for c in claims if c["status"] != "unique"]
    lines = ["## Claims reported by several outlets", ""]
    if not shared:
        lines.append("_None could be aligned across outlets._")
    for c in shared[: _MAX_ITEMS * 2]:
        tag = "all outlets" if c["status"] == "consensus" else f"{len(c['articles'])} outlets"
        lines.append(f"- **{c['id']}** ({tag}; {c['independent_sources']} independent source(s))")
        for u in c["units"]:
            spans = [(d["start"], d["end"]) for d in u["details"]]
            lines.append(f"  - {names[u['article']]}: “{_marked(u['text'], u['start'], spans)}”")
    lines += ["", "_Bold words appear in that outlet's version only._", ""]
    lines += ["## What each outlet alone reports", ""]
    units = {c["id"]: c for c in claims}
    for cov in report["coverage"]:
        lines.append(f"### {cov['outlet']} [{cov['article']}]")
        lines.append("")
        alone = cov["alone"]
        if not alone:
            lines.append("- _nothing the others do not also report_")
        for cid in alone[:_MAX_ITEMS]:
            lines.append(f"- {_one_line(units[cid]['units'][0]['text'])}")
        if len(alone) > _MAX_ITEMS:
            lines.append(f"- _… and {len(alone) - _MAX_ITEMS} more (see the JSON report)_")
        if cov["omits"]:
            omitted = "; ".join(
                _one_line(units[c]["units"][0]["text"])[:90] for c in cov["omits"][:5]
            )
            lines.append(f"- Omits what most others report: {omitted}")
        lines.append("")
    return lines


def _conflicts(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    rows = [(c, x) for c in report["claims"] for x in c["conflicts"]]
    if not rows:
        return ["## Figures compared", "", "_No differing figures among aligned claims._", ""]
    lines = ["## Figures compared", "", "| claim | values | judgement |", "|---|---|---|"]
    for c, x in rows:
        vals = "; ".join(f"{names[v['article']]}: “{v['text']}”" for v in x["values"])
        lines.append(f"| {c['id']} | {vals} | {x['judgement']} ({x.get('reason', '')}) |")
    return [*lines, ""]


def _quotes(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    quotes = {q["id"]: q for q in report["quotes"]}
    lines = ["## The same statement across outlets", ""]
    if not report["quote_groups"]:
        lines.append("_No quote appears in more than one outlet._")
    for g in report["quote_groups"]:
        flag = " — **same words, different speakers**" if g["speaker_conflict"] else ""
        who = ", ".join(g["speakers"]) or "unattributed"
        lines.append(f"- **{g['relation']}** ({who}){flag}")
        for qid in g["quotes"]:
            q = quotes[qid]
            spans = [(d["start"], d["end"]) for d in g["differences"] if d["quote"] == qid]
            via = f", via {q['via']}" if q.get("via") else ""
            lines.append(
                f"  - {names[q['article']]}{via}: “{_marked(q['text'], q['start'], spans)}”"
            )
    return [*lines, ""]


def _sources(report: dict[str, Any]) -> list[str]:
    lines = ["## Who each outlet quotes or cites", ""]
    for s in report.get("sourcing", []):
        listed = ", ".join(
            f"{x['name']} ({x['kind'] or 'role not stated'})" for x in s["sources"][:_MAX_ITEMS]
        )
        lines.append(
            f"- **{s['outlet']}** — {s['diversity']} kind(s) of source: {listed or 'none'}"
        )
    return [*lines, ""]


def _framing(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    f = report["framing"]
    lines = ["## Framing (evidence, not verdicts)", ""]
    for v in f["term_variants"]:
        per = "; ".join(f"{names[a]}: {', '.join(sp)}" for a, sp in v["variants"].items())
        lines.append(f"- Spelling/term variants — {per}")
    for p in f["per_article"]:
        own = sorted({h["text"].lower() for h in p["loaded"] if h["voice"] == "own"})
        quoted = sorted({h["text"].lower() for h in p["loaded"] if h["voice"] == "quoted"})
        hedges = sorted({h["text"].lower() for h in p["hedges"]})
        scare = [s["text"] for s in p["scare_quotes"]]
        lines.append(
            f"- **{names[p['article']]}** — hedges: {', '.join(hedges) or 'none'}; loaded words in "
            f"its own voice: {', '.join(own) or 'none'}; in quotes: {', '.join(quoted) or 'none'}; "
            f"scare quotes: {', '.join('“' + s + '”' for s in scare) or 'none'}"
        )
    lines += ["", "| outlet | headline | hedges | loaded |", "|---|---|---|---|"]
    for h in f["headlines"]:
        lines.append(
            f"| {names[h['article']]} | {_one_line(h['title'])} | "
            f"{', '.join(h['hedges']) or '—'} | {', '.join(h['loaded']) or '—'} |"
        )
    return [*lines, ""]


def _lineage(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    lin = report["lineage"]
    lines = ["## Wire copy", "", f"Independent sources: **{lin['independent_sources']}**.", ""]
    for g in lin["groups"]:
        members = ", ".join(names.get(a, a) for a in g["articles"])
        lines.append(
            f"- Same wire text: {members} (origin {names.get(g['origin'], g['origin'])}, "
            f"{g['origin_reason']})"
        )
    return [*lines, ""]


def render_markdown(report: dict[str, Any]) -> str:
    """The report as a Markdown document: summary, claims, figures, quotes, sources, framing."""
    names = _label(report)
    story = report["story"]
    span = " – ".join(x for x in (story.get("start"), story.get("end")) if x) or "dates unknown"
    lines = [
        f"# {story['title'] or 'Untitled story'}",
        "",
        f"{story['articles']} article(s), {span}.",
        "",
        "| id | outlet | date | title |",
        "|---|---|---|---|",
    ]
    for a in report["articles"]:
        mark = "" if a["compared"] else " (not compared)"
        lines.append(
            f"| {a['id']} | {names[a['id']]}{mark} | {a['date'] or '—'} | {_one_line(a['title'])} |"
        )
    lines.append("")
    if report["notes"]:
        lines += ["## What could not be compared", ""]
        lines += [
            f"- {n['article'] + ': ' if n.get('article') else ''}{n['message']}"
            for n in report["notes"]
        ]
        lines.append("")
    for part in (_summary, _claims, _conflicts, _quotes):
        lines += part(report, names)
    lines += _sources(report)
    lines += _framing(report, names)
    lines += _lineage(report, names)
    return "\n".join(lines).rstrip() + "\n"


def render_text(report: dict[str, Any]) -> str:
    """The same report as plain text for a terminal (no Markdown markup)."""
    out = []
    for line in render_markdown(report).splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            out += [title.upper() if line.startswith("## ") or line.startswith("# ") else title]
            continue
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            line = "  ".join(c.strip() for c in line.strip("|").split("|"))
        out.append(line.replace("**", "").replace("_", " ").rstrip())
    return "\n".join(out) + "\n"


__all__ = ["render_markdown", "render_text"]
