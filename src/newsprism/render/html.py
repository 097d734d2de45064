"""The comparison report as HTML: one self-contained file, and the body the web app reuses.

Everything in a report that came from an article (titles, text, outlet names, URLs, quotes,
even ids) is untrusted, so every value goes through :func:`markupsafe.escape` — markup is only
ever built with ``Markup(...).format(...)``, which escapes its arguments. The standalone file
carries a Content-Security-Policy that allows no network request and only its own inline script
(by hash), so even a rendering bug could not run a script from an article.

Sections are rendered one by one; a section the report lacks, or one in an unexpected shape,
shows "not available" instead of breaking the whole page.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from newsprism.compare.labels import label_of
from newsprism.render.dates import human_date, human_span, parse_date
from newsprism.render.svg import coverage_matrix_svg, outlet_overlap, overlap_svg, timeline_svg

Report = Mapping[str, Any]
_WORD = re.compile(r"\S+")
_NORM = re.compile(r"[\W_]+", re.UNICODE)
_STATUS_LABEL = {
    "consensus": "all outlets",
    "several": "several outlets",
    "unique": "one outlet only",
}


def asset(name: str) -> str:
    """The text of a CSS or JS file shipped in ``newsprism/web/static``."""
    return (resources.files("newsprism") / "web" / "static" / name).read_text(encoding="utf-8")


def render_html(report: Report) -> str:
    """One self-contained HTML document for a report: inline CSS and JS, no network requests."""
    script = asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    title = str((report.get("story") or {}).get("title") or "Story comparison")
    head = Markup(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        "<title>{title} — newsprism</title><style>{css}</style></head>"
        '<body><a class="skip" href="#report">Skip to the report</a>'
        '<main id="report" class="report-page">'
    ).format(csp=csp, title=title, css=Markup(asset("report.css")))
    tail = Markup(
        '</main><footer class="foot">Made by newsprism. Every sentence links back to the '
        "articles it came from.</footer><script>{js}</script></body></html>\n"
    ).format(js=Markup(script))
    return str(head + render_report_body(report) + tail)


def render_report_body(
    report: Report, *, article_href: Callable[[str], str] | None = None
) -> Markup:
    """The report's sections as an HTML fragment (the web app wraps it in its own page).

    ``article_href`` turns an article id into a link to its own page (the web app passes one).
    """
    ctx = _Context(report, article_href)
    parts = [_header(ctx), _contents()]
    for anchor, heading, section in _SECTIONS:
        parts.append(_section(ctx, anchor, heading, section))
    return Markup("").join(parts)


class _Context:
    """What every section needs: the report, article labels, and claims by id."""

    def __init__(self, report: Report, article_href: Callable[[str], str] | None) -> None:
        self.report = report
        self.article_href = article_href
        self.articles: list[Mapping[str, Any]] = [
            a for a in _list(report.get("articles")) if isinstance(a, Mapping) and "id" in a
        ]
        self.index = {str(a["id"]): n for n, a in enumerate(self.articles)}
        self.claims = {str(c.get("id")): c for c in _list(report.get("claims")) if _is_map(c)}

    def label(self, article_id: object) -> str:
        """Short, stable label for citations: "A1 Al Jazeera"."""
        n = self.index.get(str(article_id))
        if n is None:
            return str(article_id)
        art = self.articles[n]
        return f"A{n + 1} {art.get('outlet') or art.get('credit') or 'unknown outlet'}"

    def anchor(self, article_id: object) -> str:
        n = self.index.get(str(article_id))
        return f"#art-{n + 1}" if n is not None else "#articles"

    def cite(self, article_id: object) -> Markup:
        return Markup('<a class="cite" href="{h}">{t}</a>').format(
            h=self.anchor(article_id), t=self.label(article_id)
        )

    def claim_link(self, claim_id: object, text: str | None = None) -> Markup:
        """A link that selects a claim (with JS) or jumps to its first occurrence (without)."""
        cid = str(claim_id)
        claim = self.claims.get(cid, {})
        first = next(iter(_list(claim.get("units"))), None)
        target = "#articles"
        if _is_map(first) and str(first.get("article")) in self.index:
            target = f"#m-{cid}-{self.index[str(first['article'])] + 1}"
        return Markup(
            '<a class="claim-pick" href="{h}" data-claim="{c}" aria-pressed="false">{t}</a>'
        ).format(h=target, c=cid, t=text if text is not None else cid)

    def claim_label(self, claim_id: object) -> str:
        """The claim in a few words: the report's label, or one made from its first sentence."""
        claim = self.claims.get(str(claim_id))
        return label_of(claim) if claim is not None else str(claim_id)


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _time(iso: object, fallback: str = "undated") -> Markup:
    """A date people read, with the machine-readable ISO value in ``datetime``."""
    shown = human_date(_str(iso))
    if not shown:
        return escape(fallback)
    if parse_date(_str(iso)) is None:  # not ISO 8601: shown as the report has it
        return escape(shown)
    return Markup('<time datetime="{i}">{s}</time>').format(i=iso, s=shown)


def _is_map(value: object) -> TypeGuard[Mapping[str, Any]]:
    return isinstance(value, Mapping)


def _not_available(why: str = "not available in this report") -> Markup:
    return Markup('<p class="na">{w}</p>').format(w=why)


def _section(
    ctx: _Context, anchor: str, heading: str, body: Callable[[_Context], Markup]
) -> Markup:
    try:
        content = body(ctx)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
        # A report from another version may hold a section in a shape this renderer does not
        # know; the reader still gets every other section.
        content = _not_available(f"could not be shown ({type(err).__name__}: {err})")
    return Markup(
        '<section id="{a}" aria-labelledby="{a}-h"><h2 id="{a}-h">{h}</h2>{c}</section>'
    ).format(a=anchor, h=heading, c=content)


def _contents() -> Markup:
    items = Markup("").join(
        Markup('<li><a href="#{a}">{h}</a></li>').format(a=a, h=h) for a, h, _ in _SECTIONS
    )
    return Markup('<nav class="toc" aria-label="Report sections"><ul>{i}</ul></nav>').format(
        i=items
    )


def _header(ctx: _Context) -> Markup:
    story = ctx.report.get("story")
    story = story if _is_map(story) else {}
    outlets = _list(story.get("outlets")) or sorted(
        {str(a.get("outlet")) for a in ctx.articles if a.get("outlet")}
    )
    lineage = ctx.report.get("lineage")
    independent = lineage.get("independent_sources") if _is_map(lineage) else None
    span = human_span(_str(story.get("start")), _str(story.get("end"))) or "undated"
    facts = [
        ("Time span", span),
        ("Outlets", ", ".join(str(o) for o in outlets) or "unknown"),
        ("Articles", str(len(ctx.articles))),
        ("Independent sources", str(independent) if independent is not None else "not available"),
    ]
    notes = [n for n in _list(ctx.report.get("notes")) if _is_map(n)]
    note_items = Markup("").join(
        Markup("<li><strong>{k}</strong>: {m}{a}</li>").format(
            k=n.get("kind", "note"),
            m=n.get("message", ""),
            a=Markup(" ({})").format(ctx.label(n["article"])) if n.get("article") else "",
        )
        for n in notes
    )
    return Markup(
        '<header class="story-head"><p class="kicker">Story comparison</p><h1>{t}</h1>'
        '<dl class="facts">{f}</dl>{n}</header>'
    ).format(
        t=story.get("title") or "Untitled story",
        f=Markup("").join(
            Markup("<div><dt>{}</dt><dd>{}</dd></div>").format(k, v) for k, v in facts
        ),
        n=Markup('<ul class="notes" aria-label="Notes">{}</ul>').format(note_items)
        if notes
        else "",
    )


def _summary(ctx: _Context) -> Markup:
    sentences = [s for s in _list(ctx.report.get("summary")) if _is_map(s)]
    if not sentences:
        return _not_available()
    items = []
    for s in sentences:
        cites = Markup(" ").join(ctx.cite(a) for a in _list(s.get("articles")))
        who = s.get("attribution")
        lead = Markup("<em>According to {}:</em> ").format(who) if who else Markup("")
        pick = ctx.claim_link(s["claim"], "show") if s.get("claim") in ctx.claims else ""
        items.append(
            Markup('<li>{l}{t} <span class="cites">[{c}]</span> {p}</li>').format(
                l=lead, t=s.get("text", ""), c=cites, p=pick
            )
        )
    return Markup('<ol class="summary">{}</ol>').format(Markup("").join(items))


def _claims(ctx: _Context) -> Markup:
    claims = list(ctx.claims.values())
    if not claims:
        return _not_available()
    columns = [(str(a["id"]), ctx.label(a["id"])) for a in ctx.articles]
    head = Markup("").join(
        Markup('<th scope="col" class="art-col"><a href="{h}">{t}</a></th>').format(
            h=ctx.anchor(i), t=label
        )
        for i, label in columns
    )
    rows = []
    for c in claims:
        cid = str(c.get("id"))
        carried = {str(a) for a in _list(c.get("articles"))}
        cells = Markup("").join(
            Markup('<td class="{k}">{s}</td>').format(
                k="on" if i in carried else "off",
                s=Markup('<span aria-hidden="true">✓</span><span class="sr">carries</span>')
                if i in carried
                else Markup('<span aria-hidden="true">·</span><span class="sr">absent</span>'),
            )
            for i, _ in columns
        )
        status = str(c.get("status", ""))
        conflict = Markup("")
        if c.get("conflict"):
            values = "; ".join(
                f"{ctx.label(v.get('article'))}: {v.get('text')}"
                for x in _list(c.get("conflicts"))
                if _is_map(x)
                for v in _list(x.get("values"))
                if _is_map(v)
            )
            conflict = Markup(' <strong class="conflict">⚠ conflict: {}</strong>').format(values)
        independent = c.get("independent_sources")
        rows.append(
            Markup(
                '<tr><th scope="row" class="claim-label">{pick}{cf}'
                '<span class="claim-id">{cid}</span></th>'
                '<td class="num">{n}<span class="sr"> independent sources</span></td>'
                '<td class="status st-{s}">{sl}</td>{cells}</tr>'
            ).format(
                pick=ctx.claim_link(cid, ctx.claim_label(cid)),
                cf=conflict,
                cid=cid,
                n=independent if independent is not None else "?",
                s=status,
                sl=_STATUS_LABEL.get(status, status),
                cells=cells,
            )
        )
    figure = coverage_matrix_svg(
        [{**c, "label": ctx.claim_label(c.get("id"))} for c in claims], columns
    )
    return Markup(
        '<p class="hint">Each claim in a few words, with how many independent sources carry '
        "it. Select one to highlight it in every article that carries it (keys: <kbd>j</kbd>/"
        "<kbd>k</kbd> next/previous, <kbd>Esc</kbd> clear).</p>"
        '<p id="claim-status" class="status-line" role="status" aria-live="polite"></p>'
        '<div class="scroll"><table class="claims"><caption>Who reports what: ✓ marks an '
        "article that carries the claim</caption>"
        '<thead><tr><th scope="col">Claim</th><th scope="col" class="num">Independent sources'
        '</th><th scope="col">Carried by</th>{head}</tr></thead><tbody>{rows}</tbody>'
        "</table></div>"
        '<details class="plot-more"><summary>Coverage matrix as a picture</summary>'
        '<figure class="plot-wrap">{fig}<figcaption>Coverage matrix: a filled, ticked square '
        "marks an article that carries the claim.</figcaption></figure></details>"
    ).format(fig=figure, head=head, rows=Markup("").join(rows))


def word_diff(text: str, other: str) -> Markup:
    """``text`` with the words that ``other`` does not have (in order) marked."""
    mine = [(m.group(), _NORM.sub("", m.group().casefold())) for m in _WORD.finditer(text)]
    theirs = [_NORM.sub("", m.group().casefold()) for m in _WORD.finditer(other)]
    matcher = difflib.SequenceMatcher(None, [n for _, n in mine], theirs, autojunk=False)
    shared = {i for a, _, size in matcher.get_matching_blocks() for i in range(a, a + size)}
    out = []
    for i, (word, _) in enumerate(mine):
        out.append(
            escape(word)
            if i in shared
            else Markup('<mark class="qdiff">{}<span class="sr"> (differs)</span></mark>').format(
                word
            )
        )
    return Markup(" ").join(out)


def _quotes(ctx: _Context) -> Markup:
    groups = [g for g in _list(ctx.report.get("quote_groups")) if _is_map(g)]
    quotes = {str(q.get("id")): q for q in _list(ctx.report.get("quotes")) if _is_map(q)}
    if not groups:
        if quotes:
            return _not_available(f"{len(quotes)} quotes found; none appears in two articles")
        return _not_available()
    blocks = []
    for n, g in enumerate(groups):
        members = [quotes[str(q)] for q in _list(g.get("quotes")) if str(q) in quotes]
        if not members:
            continue
        cols = []
        for k, q in enumerate(members):
            other = members[1 if k == 0 and len(members) > 1 else 0]
            body = (
                word_diff(str(q.get("text", "")), str(other.get("text", "")))
                if len(members) > 1
                else escape(q.get("text", ""))
            )
            via = Markup(" via {}").format(q["via"]) if q.get("via") else ""
            cols.append(
                Markup(
                    '<div class="quote-col"><p class="who">{c} — {sp}{via}, “{cue}”</p>'
                    "<blockquote>{b}</blockquote></div>"
                ).format(
                    c=ctx.cite(q.get("article")),
                    sp=q.get("speaker_entity") or q.get("speaker") or "unattributed",
                    via=via,
                    cue=q.get("cue") or "—",
                    b=body,
                )
            )
        speakers = ", ".join(str(s) for s in _list(g.get("speakers"))) or "unknown speaker"
        warn = (
            Markup(' <strong class="conflict">⚠ attributed to different speakers</strong>')
            if g.get("speaker_conflict")
            else ""
        )
        blocks.append(
            Markup(
                '<details class="qgroup"{o}><summary><span class="rel rel-{r}">{r}</span> '
                '{sp} · {k} articles{w}</summary><div class="quote-cols">{cols}</div></details>'
            ).format(
                o=Markup(" open") if n == 0 else "",
                r=g.get("relation", "group"),
                sp=speakers,
                k=len({str(q.get("article")) for q in members}),
                w=warn,
                cols=Markup("").join(cols),
            )
        )
    return Markup(
        '<p class="hint">Words one wording has and the other lacks are <mark class="qdiff">'
        "underlined and bold</mark>.</p>{}"
    ).format(Markup("").join(blocks))


def _coverage(ctx: _Context) -> Markup:
    entries = [c for c in _list(ctx.report.get("coverage")) if _is_map(c)]
    if not entries:
        return _not_available()
    items = []
    for e in entries:

        def listing(ids: list[Any], empty: str) -> Markup:
            if not ids:
                return Markup('<p class="na">{}</p>').format(empty)
            return Markup("<ul>{}</ul>").format(
                Markup("").join(
                    Markup("<li>{}</li>").format(ctx.claim_link(i, ctx.claim_label(i))) for i in ids
                )
            )

        items.append(
            Markup(
                '<article class="cov"><h3>{c}</h3><p>Carries {n} claims.</p>'
                "<h4>Reports alone ({na})</h4>{alone}<h4>Omits what most others report ({no})</h4>"
                "{omits}</article>"
            ).format(
                c=ctx.cite(e.get("article")),
                n=e.get("claims", "?"),
                na=len(_list(e.get("alone"))),
                alone=listing(_list(e.get("alone")), "nothing of its own"),
                no=len(_list(e.get("omits"))),
                omits=listing(_list(e.get("omits")), "omits nothing that most others report"),
            )
        )
    return Markup('<div class="cov-grid">{}</div>').format(Markup("").join(items))


def _framing(ctx: _Context) -> Markup:
    framing = ctx.report.get("framing")
    if not _is_map(framing):
        return _not_available()
    parts = []
    variants = [v for v in _list(framing.get("term_variants")) if _is_map(v)]
    if variants:
        rows = Markup("").join(
            Markup('<tr><th scope="row">{k}</th><td>{v}</td></tr>').format(
                k=v.get("key"),
                v=Markup("; ").join(
                    Markup("{}: {}").format(ctx.label(a), ", ".join(map(str, words)))
                    for a, words in (v.get("variants") or {}).items()
                ),
            )
            for v in variants
        )
        parts.append(
            Markup(
                '<div class="scroll"><table><caption>Spelling and term variants</caption><thead>'
                '<tr><th scope="col">Term</th><th scope="col">Wording per article</th></tr>'
                "</thead><tbody>{}</tbody></table></div>"
            ).format(rows)
        )
    per = [p for p in _list(framing.get("per_article")) if _is_map(p)]
    if per:

        def words_of(items: object, voice: str | None = None) -> str:
            return (
                ", ".join(
                    str(h.get("text"))
                    for h in _list(items)
                    if _is_map(h) and (voice is None or h.get("voice") == voice)
                )
                or "—"
            )

        rows = Markup("").join(
            Markup(
                '<tr><th scope="row">{a}</th><td>{h}</td><td>{lo}</td><td>{lq}</td>'
                "<td>{s}</td></tr>"
            ).format(
                a=ctx.cite(p.get("article")),
                h=words_of(p.get("hedges")),
                lo=words_of(p.get("loaded"), "own"),
                lq=words_of(p.get("loaded"), "quoted"),
                s=words_of(p.get("scare_quotes")),
            )
            for p in per
        )
        parts.append(
            Markup(
                '<div class="scroll"><table><caption>Word choice per article</caption><thead><tr>'
                '<th scope="col">Article</th><th scope="col">Hedges</th>'
                '<th scope="col">Loaded words (own voice)</th>'
                '<th scope="col">Loaded words (quoted)</th><th scope="col">Scare quotes</th>'
                "</tr></thead><tbody>{}</tbody></table></div>"
            ).format(rows)
        )
    return Markup("").join(parts) if parts else _not_available()


def _lineage(ctx: _Context) -> Markup:
    lineage = ctx.report.get("lineage")
    if not _is_map(lineage):
        return _not_available()
    groups = [g for g in _list(lineage.get("groups")) if _is_map(g)]
    intro = Markup("<p>{n} independent sources among {m} articles.</p>").format(
        n=lineage.get("independent_sources", "?"), m=len(ctx.articles)
    )
    if not groups:
        return intro + Markup("<p>No article copies another's wire text.</p>")
    items = Markup("").join(
        Markup("<li>Origin {o} <em>({r})</em>, copied by: {c}</li>").format(
            o=ctx.cite(g.get("origin")),
            r=g.get("origin_reason", ""),
            c=Markup(", ").join(
                ctx.cite(a) for a in _list(g.get("articles")) if a != g.get("origin")
            ),
        )
        for g in groups
    )
    single = Markup(", ").join(ctx.cite(a) for a in _list(lineage.get("singletons")))
    return intro + Markup('<ul class="lineage">{i}</ul><p>Written independently: {s}</p>').format(
        i=items, s=single or "none"
    )


def _outlet_overlap(ctx: _Context) -> Markup:
    outlet_of = {str(a["id"]): ctx.label(a["id"]) for a in ctx.articles}
    labels, counts = outlet_overlap(list(ctx.claims.values()), outlet_of)
    figure = overlap_svg(labels, counts, what="claims")
    if not figure:
        return _not_available("needs at least two articles with claims")
    return Markup(
        '<figure class="plot-wrap">{}<figcaption>Number of claims each pair of '
        "articles both carries (diagonal: claims per article).</figcaption></figure>"
    ).format(figure)


def _timeline(ctx: _Context) -> Markup:
    events = [e for e in _list(ctx.report.get("timeline")) if _is_map(e)]
    if not events:
        return _not_available("no article in this story has a publication date")
    figure = timeline_svg(events)
    items = Markup("").join(
        Markup("<li>{d} {c}: {t}</li>").format(
            d=_time(e.get("date")), c=ctx.cite(e.get("article")), t=e.get("title") or ""
        )
        for e in events
    )
    return Markup('<figure class="plot-wrap">{f}</figure><ol class="timeline">{i}</ol>').format(
        f=figure, i=items
    )


def _highlighted(ctx: _Context, article_id: str, text: str) -> Markup:
    """The article text with each claim's span wrapped in a selectable mark."""
    n = ctx.index[article_id] + 1
    spans = []
    for cid, claim in ctx.claims.items():
        for u in _list(claim.get("units")):
            if _is_map(u) and str(u.get("article")) == article_id:
                start, end = int(u.get("start", 0)), int(u.get("end", 0))
                if 0 <= start < end <= len(text):
                    spans.append((start, end, cid, str(claim.get("status", ""))))
    spans.sort()
    out, pos, seen = [], 0, set()
    for start, end, cid, status in spans:
        if start < pos:  # overlapping units: the first one wins, the text stays whole
            continue
        out.append(escape(text[pos:start]))
        first = cid not in seen
        seen.add(cid)
        out.append(
            Markup(
                '<mark class="claim st-{s}"{i} data-claim="{c}" tabindex="-1" title="{c}: {lb} '
                '({sl})">{t}</mark>'
            ).format(
                s=status,
                i=Markup(' id="m-{}-{}"').format(cid, n) if first else "",
                c=cid,
                lb=ctx.claim_label(cid),
                sl=_STATUS_LABEL.get(status, status),
                t=text[start:end],
            )
        )
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _safe_url(url: object) -> str | None:
    """Only http(s) URLs become links: a ``javascript:`` URL from an article never does."""
    if not isinstance(url, str):
        return None
    return url if urlsplit(url.strip()).scheme.lower() in {"http", "https"} else None


def _revised(entry: object) -> Markup:
    """The line saying the article's text changed at its URL, and what changed (escaped)."""
    if not _is_map(entry):
        return Markup("")
    from newsprism.revisions.history import describe

    line = describe(dict(entry))
    return Markup('<p class="meta revised">{}</p>').format(line[:1].upper() + line[1:])


def _articles(ctx: _Context) -> Markup:
    if not ctx.articles:
        return _not_available()
    blocks = []
    for n, a in enumerate(ctx.articles):
        aid = str(a["id"])
        url = _safe_url(a.get("url"))
        link = (
            Markup(' · <a href="{u}" rel="noopener noreferrer nofollow">original</a>').format(u=url)
            if url
            else ""
        )
        own = (
            Markup(' · <a href="{}">article page</a>').format(ctx.article_href(aid))
            if ctx.article_href
            else ""
        )
        removed = [r for r in _list(a.get("removed")) if _is_map(r)]
        residue = Markup(
            '<details class="removed"><summary>Removed by cleaning ({n} lines)</summary>'
            "<ul>{i}</ul></details>"
        ).format(
            n=len(removed),
            i=Markup("").join(
                Markup("<li><q>{t}</q> — {r}</li>").format(t=r.get("text"), r=r.get("reason"))
                for r in removed
            ),
        )
        blocks.append(
            Markup(
                '<article class="art" id="art-{n}" aria-labelledby="art-{n}-h">'
                '<h3 id="art-{n}-h"><span class="tag">A{n}</span> {t}</h3>'
                '<p class="meta">{o} · {d}{link}{own}</p>{rev}<div class="text">{body}</div>{res}'
                "</article>"
            ).format(
                rev=_revised(a.get("revisions")),
                n=n + 1,
                t=a.get("title") or "Untitled",
                o=a.get("outlet") or a.get("credit") or "unknown outlet",
                d=_time(a.get("date")),
                link=link,
                own=own,
                body=_highlighted(ctx, aid, str(a.get("text", ""))),
                res=residue if removed else "",
            )
        )
    return Markup('<div class="articles">{}</div>').format(Markup("").join(blocks))


_SECTIONS: Sequence[tuple[str, str, Callable[[_Context], Markup]]] = (
    ("summary", "Neutral summary", _summary),
    ("claims", "Claims and coverage matrix", _claims),
    ("quotes", "Quote comparison", _quotes),
    ("coverage", "What each article alone reports, and omits", _coverage),
    ("framing", "Framing and word choice", _framing),
    ("lineage", "Wire copy lineage", _lineage),
    ("overlap", "Article overlap", _outlet_overlap),
    ("timeline", "Timeline", _timeline),
    ("articles", "Articles", _articles),
)

__all__ = ["asset", "render_html", "render_report_body", "word_diff"]
