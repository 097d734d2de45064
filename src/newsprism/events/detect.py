"""Incremental event detection: one new article (or version) against a story's saved state.

The comparison's own rules decide every event, applied to the new article alone:

* claims: a sentence of the new article (a claim unit, :func:`newsprism.compare.claims.
  split_units`) joins a known claim when its pair score reaches the compare bar
  (:class:`AlignConfig`, 0.45) against *every* kept member of that claim (complete link, as
  :func:`newsprism.compare.claims.align`); the score is compare's: MiniLM cosine with the story
  mean taken out plus the rarity-weighted word overlap (:func:`word_overlap`), with the mean and
  the rarity weights of the whole story including the new article;
* independent sources: the new article copies an earlier one when compare's wire-lineage rule
  (:class:`newsprism.cluster.lineage.CopyRule`) says so; only articles whose 8-gram containment
  reaches the rule's own ``containment`` floor are read and aligned, a floor every copy passes;
* figures: compare's ``same_measure``/``compatible`` and its judgement (update or incompatible);
* quotes: compare's :func:`newsprism.compare.quotes.relation` and ``differences``.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from newsprism.compare.claims import AlignConfig, ClaimUnit, split_units, word_overlap
from newsprism.compare.numbers import Amount, compatible, same_measure
from newsprism.compare.quotes import QuoteItem
from newsprism.events.evidence import Found, outlet_of, short, span
from newsprism.events.quotes import quote_changes
from newsprism.events.state import StoryState, pack_ints, unpack_ints
from newsprism.model import Article

MAX_MEMBERS = 5  # member sentences a claim keeps for the complete-link check
MAX_FIGURES = 20  # figures a claim keeps


def base_id(article_id: str) -> str:
    """The id every version of one article shares (the store names versions ``base~N``)."""
    return article_id.split("~", 1)[0]


def text_key(text: str) -> str:
    """A sentence's key in the state, whatever its spacing: 64 bits of BLAKE2b, so two
    different sentences of a story never share one (a 32-bit checksum could, and the second
    would then take the first's vector)."""
    return hashlib.blake2b(" ".join(text.split()).encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class Incoming:
    """One article ready to be taken in: its claim units and quotes, with their vectors."""

    article: Article
    units: list[ClaimUnit]
    quotes: list[QuoteItem]
    unit_vectors: np.ndarray
    quote_vectors: np.ndarray
    shingles: np.ndarray
    compared: bool = True  # False: a language the claims do not read (outlet, source, headline)
    quote_rows: dict[int, int] = field(default_factory=dict)  # quote index -> existing row
    embedded_quotes: set[int] = field(default_factory=set)  # quotes with a vector here

    @property
    def base(self) -> str:
        return base_id(self.article.id)


def shingles(text: str) -> np.ndarray:
    """Stable hashes of the article's word 8-grams outside quotations (lineage's containment
    test, with a hash that is the same in every process), sorted and unique."""
    from newsprism.cluster.lineage import _SHINGLE, _WORD, _quote_spans

    out: set[int] = set()
    last = 0
    for start, end in [*_quote_spans(text), (len(text), len(text))]:
        words = [w.lower() for w in _WORD.findall(text, last, start)]
        out.update(
            zlib.crc32("\x1f".join(words[k : k + _SHINGLE]).encode("utf-8"))
            for k in range(len(words) - _SHINGLE + 1)
        )
        last = end
    return np.array(sorted(out), dtype=np.uint32)


def units_of(article: Article, annotation: dict[str, Any]) -> list[ClaimUnit]:
    spans = [(s["start"], s["end"]) for s in annotation.get("sentences", [])]
    return split_units(article.id, article.text, spans)


# -- the score ----------------------------------------------------------------------------
def _idf(df: dict[str, int], n_units: int) -> dict[str, float]:
    """:func:`newsprism.compare.claims.story_idf` from saved counts instead of the units."""
    n = n_units + 1
    raw = {t: math.log(n / c) + 0.1 for t, c in df.items()}
    top = max(raw.values(), default=1.0)
    return {t: v / top for t, v in raw.items()}


def _centre(rows: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Rows minus the story mean, re-normalised (:func:`newsprism.compare.claims.centred`)."""
    out = rows - mean
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.where(norms > 1e-9, norms, 1.0), dtype=np.float32)


def _term_unit(terms: Sequence[str]) -> ClaimUnit:
    return ClaimUnit("", "", 0, 0, 0, "", frozenset(terms))


def cosines(
    state: StoryState, units: Sequence[ClaimUnit], vectors: np.ndarray, rows: Sequence[int]
) -> np.ndarray:
    """Cosines of the new units and the stored rows with the story's mean (the new units
    included) taken out of both, as compare centres a story's vectors."""
    if not len(units) or not rows:
        return np.zeros((len(units), len(rows)))
    mean = (state.vector_sum + vectors.sum(axis=0)) / max(state.n_units + len(units), 1)
    mine = _centre(vectors, mean)
    theirs = _centre(state.vectors[list(rows)], mean)
    return (mine @ theirs.T).astype(np.float64)


def pair_matrix(
    state: StoryState,
    units: Sequence[ClaimUnit],
    vectors: np.ndarray,
    rows: Sequence[int],
    wanted: np.ndarray | None = None,
    cos: np.ndarray | None = None,
) -> np.ndarray:
    """Compare's pair score of each new unit against each stored vector row in ``rows``.

    ``wanted`` (a boolean matrix of the same shape) limits the word overlap to the pairs a
    decision rests on; the others keep their cosine. ``cos``: :func:`cosines`, if known.
    """
    cfg = AlignConfig()
    scores = cosines(state, units, vectors, rows) if cos is None else cos.copy()
    if not scores.size:
        return scores
    df = dict(state.df)
    for u in units:
        for t in u.terms:
            df[t] = df.get(t, 0) + 1
    # Word overlap only where the cosine leaves the pair within reach of the bar (as compare).
    reach = scores >= cfg.bar - cfg.lex_weight
    ii, jj = np.nonzero(reach if wanted is None else reach & wanted)
    if len(ii):
        used, local = np.unique(jj, return_inverse=True)
        pseudo = [*units, *(_term_unit(state.row_terms[rows[k]]) for k in used)]
        overlap = word_overlap(pseudo, _idf(df, state.n_units + len(units)), ii, local + len(units))
        scores[ii, jj] += cfg.lex_weight * overlap
    return scores


# -- taking one article in ----------------------------------------------------------------
def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _amount(raw: dict[str, Any]) -> Amount:
    return Amount(
        raw["start"], raw["end"], raw["text"], raw["value"], raw["unit"], raw["qualifier"]
    )


def _figure(article: Article, base: str, a: Amount) -> dict[str, Any]:
    return {
        "article": article.id,
        "base": base,
        "start": a.start,
        "end": a.end,
        "text": a.text,
        "value": a.value,
        "unit": a.unit,
        "qualifier": a.qualifier,
        "published": article.date.isoformat() if article.date else None,
    }


def take_in(
    state: StoryState,
    item: Incoming,
    story_id: str,
    *,
    load_text: Callable[[str], str | None],
    silent: bool = False,
    at: str | None = None,
) -> list[dict[str, Any]]:
    """Add one article to the state; the events it brings (none when ``silent``)."""
    from newsprism.compare.report import _outlet_name

    article, base = item.article, item.base
    at = at or _now()
    previous = state.articles.get(base)
    first = not state.articles
    outlet = _outlet_name(article)
    events: list[dict[str, Any]] = []

    def event(kind: str, summary: str, evidence: list[dict[str, Any]], **data: Any) -> None:
        events.append(
            {
                "story_id": story_id,
                "kind": kind,
                "article_id": article.id,
                "at": at,
                "outlet": outlet,
                "article_title": article.title,
                "published": article.date.isoformat() if article.date else None,
                "summary": summary,
                "evidence": evidence,
                **data,
            }
        )

    title_span = [span(article.id, 0, 0, article.title, field="title")]
    if previous is not None:
        family = previous["family"]
        if previous.get("title") != article.title:
            event(
                "headline_changed",
                f"{outlet} changed its headline: “{short(previous.get('title') or '')}” → "
                f"“{short(article.title)}”",
                [
                    span(previous["id"], 0, 0, previous.get("title") or "", field="title"),
                    *title_span,
                ],
                previous_article=previous["id"],
                before=previous.get("title"),
                after=article.title,
            )
    else:
        family, copied = _family(state, item, load_text)
        if first:
            event("new_story", f"New story: “{short(article.title)}” ({outlet})", title_span)
        else:
            if outlet not in state.outlets:
                copy_of = state.articles[copied]["id"] if copied else None
                summary = f"First report from {outlet}"
                if copied:
                    summary += f" (a copy of {state.articles[copied]['outlet']}'s text)"
                event("new_outlet", summary, title_span, outlets=len(state.outlets) + 1,
                      copy_of=copy_of)  # fmt: skip
            if family not in state.families:
                n = len(state.families) + 1
                event(
                    "new_source",
                    f"{outlet} is a new independent source ({n} independent sources now)",
                    title_span,
                    independent_sources=n,
                )
    if item.compared:
        claim_events = _claims(state, item, family)
        quote_events = quote_changes(state, item, previous)
        if not first:
            for kind, summary, evidence, data in claim_events + quote_events:
                event(kind, summary, evidence, **data)
    state.articles[base] = {
        "id": article.id,
        "outlet": outlet,
        "title": article.title,
        "published": article.date.isoformat() if article.date else None,
        "family": family,
        "shingles": pack_ints(item.shingles),
        "units": sorted(
            {*((previous or {}).get("units", [])), *(text_key(u.text) for u in item.units)}
        ),
    }
    state.seen.append(article.id)
    return [] if silent else events


def _family(
    state: StoryState, item: Incoming, load_text: Callable[[str], str | None]
) -> tuple[str, str | None]:
    """The lineage family the new article joins: that of the earlier article it copies most
    (compare's rule), else its own (a new independent source)."""
    from newsprism.cluster.lineage import COPY_RULE, pair_evidence

    mine = item.shingles
    best: tuple[float, str] | None = None
    for base, facts in state.articles.items():
        theirs = unpack_ints(facts["shingles"])
        smaller = min(len(mine), len(theirs))
        if not smaller:
            continue
        containment = len(np.intersect1d(mine, theirs, assume_unique=True)) / smaller
        if containment < COPY_RULE.containment:
            continue  # every copy reaches the rule's containment floor: no need to align
        text = load_text(facts["id"])
        if text is None:
            continue
        found = pair_evidence([(item.article.id, item.article.text), (facts["id"], text)])
        evidence = found.get((0, 1))
        copies = evidence is not None and evidence.copies(COPY_RULE)
        if evidence is not None and copies and (best is None or evidence.strength > best[0]):
            best = (evidence.strength, base)
    if best is None:
        return item.base, None
    return state.articles[best[1]]["family"], best[1]


def _claims(state: StoryState, item: Incoming, family: str) -> list[Found]:
    """Match the new units to the claims; update the claims; what that taught us."""
    from newsprism.compare.report import _judge

    article, base, units = item.article, item.base, item.units
    vectors = item.unit_vectors
    found: list[Found] = []
    member_rows = sorted({r for c in state.claims for r in c["rows"]})
    column = {r: k for k, r in enumerate(member_rows)}
    cfg = AlignConfig()
    bar = cfg.bar
    # The word overlap is worked out only for claims every member of which the cosine alone
    # leaves within reach of the bar: no other claim can take the unit.
    cos = cosines(state, units, vectors, member_rows)
    reach = cos >= bar - cfg.lex_weight
    wanted = np.zeros_like(reach)
    for claim in state.claims:
        cols = np.array([column[r] for r in claim["rows"]])
        wanted[np.ix_(np.flatnonzero(reach[:, cols].all(axis=1)), cols)] = True
    scores = pair_matrix(state, units, vectors, member_rows, wanted, cos)
    claims_of_unit: list[list[int]] = []
    for i in range(len(units)):
        row = scores[i]
        claims_of_unit.append(
            [
                c
                for c, claim in enumerate(state.claims)
                if all(row[column[r]] >= bar for r in claim["rows"])
            ]
        )
    # The story's statistics take the new units in (after scoring: compare scores with them).
    for u in units:
        for t in u.terms:
            state.df[t] = state.df.get(t, 0) + 1
    state.n_units += len(units)
    if len(units):
        state.vector_sum = state.vector_sum + vectors.sum(axis=0)
    joined: set[int] = set()

    def keep(i: int, u: ClaimUnit) -> int:
        """Store unit ``i``'s vector and terms as a claim member row."""
        return state.add_rows(vectors[i : i + 1], [sorted(u.terms)], base, [text_key(u.text)])[0]

    for i, (u, matched) in enumerate(zip(units, claims_of_unit, strict=True)):
        where = span(article.id, u.start, u.end, u.text)
        if not matched:
            row = keep(i, u)
            claim_id = f"k{state.next_claim}"
            state.next_claim += 1
            state.claims.append(
                {
                    "id": claim_id,
                    "rows": [row],
                    "articles": [base],
                    "families": [family],
                    "first": where,
                    "figures": [_figure(article, base, a) for a in u.amounts][:MAX_FIGURES],
                }
            )
            found.append(
                (
                    "new_claim",
                    f"New claim from {outlet_of(state, base, article)}: “{short(u.text)}”",
                    [where],
                    {"claim": claim_id},
                )
            )
            continue
        for c in matched:
            claim = state.claims[c]
            if c not in joined and family not in claim["families"]:
                before = len(claim["families"])
                claim["families"].append(family)
                found.append(
                    (
                        "claim_corroborated",
                        f"Claim now carried by {before + 1} independent sources: "
                        f"“{short(claim['first']['text'])}”",
                        [claim["first"], where],
                        {"claim": claim["id"], "sources_before": before, "sources": before + 1},
                    )
                )
            joined.add(c)
            if base not in claim["articles"]:
                claim["articles"].append(base)
            found += _figure_conflicts(state, claim, article, base, u, _judge)
            if len(claim["rows"]) < MAX_MEMBERS:
                added = state.add_rows(
                    vectors[i : i + 1], [sorted(u.terms)], base, [text_key(u.text)]
                )
                claim["rows"].append(added[0])
    return found


def _figure_conflicts(
    state: StoryState,
    claim: dict[str, Any],
    article: Article,
    base: str,
    unit: ClaimUnit,
    judge: Callable[..., dict[str, Any]],
) -> list[Found]:
    """Figures of the new unit that cannot be true together with one the claim carries."""
    out: list[Found] = []
    known = list(claim["figures"])
    # A disagreement already reported (the same two wordings) is not news when a copy repeats it.
    reported = {tuple(pair) for pair in claim.get("conflicts", [])}
    for x in unit.amounts:
        for raw in known:
            if raw["article"] == article.id:
                continue
            y = _amount(raw)
            if not same_measure(x, y) or (x.value == y.value and x.qualifier == y.qualifier):
                continue
            pair = tuple(sorted((x.text.casefold(), y.text.casefold())))
            if compatible(x, y) or pair in reported:
                continue
            reported.add(pair)
            dates = {
                article.id: article.date,
                raw["article"]: datetime.fromisoformat(raw["published"])
                if raw.get("published")
                else None,
            }
            verdict = judge(raw["article"], y, article.id, x, dates)
            if raw["base"] == base:
                verdict["judgement"] = "update"
                verdict["reason"] = "a later version of the same article changed the figure"
            other = state.articles.get(raw["base"], {}).get("outlet", raw["article"])
            out.append(
                (
                    "figure_conflict",
                    f"Figures differ: “{y.text}” ({other}) vs “{x.text}” "
                    f"({outlet_of(state, base, article)}), {verdict['judgement']}",
                    [
                        span(raw["article"], y.start, y.end, y.text),
                        span(article.id, x.start, x.end, x.text),
                    ],
                    {"claim": claim["id"], **verdict},
                )
            )
    claim["conflicts"] = sorted(list(p) for p in reported)
    claim["figures"] = (known + [_figure(article, base, a) for a in unit.amounts])[:MAX_FIGURES]
    return out


__all__ = ["Incoming", "base_id", "cosines", "pair_matrix", "shingles", "take_in", "units_of"]
