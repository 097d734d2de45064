"""Render a comparison report (the Report JSON) as Markdown, or as plain text for terminals."""

from __future__ import annotations

import re
from typing import Any

from newsprism.compare.labels import label_of
from newsprism.render.dates import human_date, human_span

_MAX_ITEMS = 12  # per list; the JSON report has everything
_MAX_MATRIX = 40  # claims in the matrix


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


def _sources_word(n: object) -> str:
    return f"{n} independent source{'' if n == 1 else 's'}"


def _matrix(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    """Who reports what: one row per claim (in the report's order), a column per article."""
    claims = report["claims"]
    columns = [a["id"] for a in report["articles"] if a.get("compared", True)]
    lines = ["## Who reports what", ""]
    if not claims or not columns:
        return [*lines, "_No claims to compare._", ""]
    lines += [
        "| claim | sources | "
        + " | ".join(_cell(names[a]) for a in columns)
        + " | what is reported |",
        "|---|---|" + "---|" * len(columns) + "---|",
    ]
    for c in claims[:_MAX_MATRIX]:
        carried = set(c["articles"])
        marks = " | ".join("✓" if a in carried else "·" for a in columns)
        flag = " ⚠ figures differ" if c.get("conflict") else ""
        lines.append(
            f"| {c['id']} | {c['independent_sources']} | {marks} | {_cell(label_of(c))}{flag} |"
        )
    if len(claims) > _MAX_MATRIX:
        lines.append(f"\n_… and {len(claims) - _MAX_MATRIX} more claims (see the JSON report)_")
    note = (
        "_✓ the article carries the claim, · it does not; sources: independent sources "
        "(copies of one wire report count once)._"
    )
    return [*lines, "", note, ""]


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def _claims(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    claims = report["claims"]
    shared = [c for c in claims if c["status"] != "unique"]
    lines = ["## Claims reported by several outlets", ""]
    if not shared:
        lines.append("_None could be aligned across outlets._")
    for c in shared[: _MAX_ITEMS * 2]:
        tag = "all outlets" if c["status"] == "consensus" else f"{len(c['articles'])} outlets"
        lines.append(
            f"- **{c['id']} · {label_of(c)}** ({tag}; {_sources_word(c['independent_sources'])})"
        )
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
            omitted = "; ".join(label_of(units[c]) for c in cov["omits"][:5])
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
        lines.append(
            f"| {c['id']} · {_cell(label_of(c))} | {vals} | "
            f"{x['judgement']} ({x.get('reason', '')}) |"
        )
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


def _revisions(report: dict[str, Any], names: dict[str, str]) -> list[str]:
    """A line for each article whose text changed at its URL (``newsprism diff`` shows how)."""
    from newsprism.revisions.history import describe

    revised = [a for a in report["articles"] if a.get("revisions")]
    lines = [f"- {names[a['id']]} ({a['id']}) {describe(a['revisions'])}" for a in revised]
    return [*lines, ""] if lines else []


def render_markdown(report: dict[str, Any]) -> str:
    """The report as a Markdown document: summary, claims, figures, quotes, sources, framing."""
    names = _label(report)
    story = report["story"]
    span = human_span(story.get("start"), story.get("end")) or "dates unknown"
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
        when = human_date(a["date"]) or "—"
        lines.append(f"| {a['id']} | {names[a['id']]}{mark} | {when} | {_one_line(a['title'])} |")
    lines.append("")
    lines += _revisions(report, names)
    if report["notes"]:
        lines += ["## What could not be compared", ""]
        lines += [
            f"- {n['article'] + ': ' if n.get('article') else ''}{n['message']}"
            for n in report["notes"]
        ]
        lines.append("")
    for part in (_summary, _matrix, _claims, _conflicts, _quotes):
        lines += part(report, names)
    lines += _sources(report)
    lines += _framing(report, names)
    lines += _lineage(report, names)
    return "\n".join(lines).rstrip() + "\n"


def render_text(report: dict[str, Any]) -> str:
    """The same report as plain text for a terminal (no Markdown markup, tables aligned)."""
    out: list[str] = []
    table: list[list[str]] = []
    for line in [*render_markdown(report).splitlines(), ""]:
        if line.startswith("|"):
            if not line.startswith("|---"):
                cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
                table.append([_plain(c.strip().replace("\\|", "|")) for c in cells])
            continue
        if table:
            out += _aligned(table)
            table = []
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            out.append(title if line.startswith("###") else title.upper())
            continue
        out.append(_plain(line).rstrip())
    return "\n".join(out).rstrip() + "\n"


def _plain(text: str) -> str:
    return text.replace("**", "").replace("_", " ")


def _aligned(rows: list[list[str]]) -> list[str]:
    """Table rows as columns padded to a common width (the last column is left ragged)."""
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(max(map(len, rows)))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows]


__all__ = ["render_markdown", "render_text"]
