"""Assemble the comparison report of one story (the Report JSON contract of DESIGN.md)."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import re
import sys
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from newsprism.compare.claims import (
    AlignConfig,
    ClaimGroup,
    ClaimUnit,
    PairScores,
    align,
    pair_scores,
    split_units,
    unique_details,
)
from newsprism.compare.framing import FramingInput, framing
from newsprism.compare.labels import claim_label
from newsprism.compare.lexicon import spelling_key, words
from newsprism.compare.numbers import Amount, compatible, same_measure
from newsprism.compare.quotes import QuoteItem, group_quotes, speaker_key
from newsprism.compare.sourcing import sourcing
from newsprism.compare.summary import SummaryConfig, charge, select, unit_ranks
from newsprism.embed import Embedder, default_embedder
from newsprism.model import Article
from newsprism.multilingual import base_language, supported
from newsprism.nlp.types import Annotation, Sentence

SCHEMA_VERSION = "1.0"
Report = dict[str, Any]
_OFF_TOPIC_COS = 0.3  # an article this far from every other one is not about the story
_UPDATE_GAP = timedelta(hours=1)
# Bounds for hostile or mistaken input (a book pasted as one article): a long news article has
# 10,000-20,000 characters and 100-150 sentences.
_MAX_COMPARED_CHARS = 100_000
_MAX_STORY_UNITS = 3_000
_MIN_UNITS = 150
_FALLBACK_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’')\]]*|\n|$)")


def _note(kind: str, message: str, article: str | None = None) -> dict[str, Any]:
    return {"kind": kind, "article": article, "message": message}


def _annotate(articles: Sequence[Article], notes: list[dict[str, Any]]) -> list[Annotation]:
    """Annotations from the language layer; plain sentences when it fails, with a note."""
    try:
        from newsprism.nlp import annotate_many

        # One story is a few articles: worker processes cost more to start than they save, and
        # on a busy machine they wait for a core (measured: 2.3-4.4 s serial vs 4.7-7.7 s with
        # two workers for ten articles at load ~8).
        return list(annotate_many([(a.id, a.text, a.date) for a in articles], n_process=1))
    except Exception as exc:  # the language layer is optional evidence: say so, go on
        notes.append(
            _note(
                "degraded",
                f"language layer failed ({exc}); sentences split by "
                "punctuation, no entities or quotes",
            )
        )
    out = []
    for a in articles:
        sents = [
            Sentence(m.start(), m.end(), m.group(), 0)
            for m in _FALLBACK_SENTENCE.finditer(a.text)
            if m.group().strip()
        ]
        out.append(Annotation(a.id, a.text, a.date, sentences=sents))
    return out


def _import_in_background(module: str) -> threading.Thread | None:
    """Start importing ``module`` on another thread (None when it is already imported).

    The sentence model's matrix products release the GIL, so a slow pure-Python import (the
    wire-lineage module pulls in scikit-learn, 1-2 s) runs alongside them on a second core.
    Failures are ignored here: the module's user imports it again and reports them.
    """
    if module in sys.modules:
        return None

    def run() -> None:
        with contextlib.suppress(Exception):
            importlib.import_module(module)

    thread = threading.Thread(target=run, name=f"import {module}", daemon=True)
    thread.start()
    return thread


def _canonical(annotations: Sequence[Annotation], notes: list[dict[str, Any]]) -> dict[str, Any]:
    try:
        from newsprism.nlp import canonicalise_across

        return dict(canonicalise_across(list(annotations)))
    except Exception as exc:
        notes.append(_note("degraded", f"entities not merged across articles ({exc})"))
        return {}


def _entity_keys(
    annotations: Sequence[Annotation], canon: dict[str, Any]
) -> dict[tuple[str, str], str]:
    """(article, entity id) -> story-wide key, spelling-blind so Uighurs meets Uyghurs."""
    out: dict[tuple[str, str], str] = {}
    for ann in annotations:
        for ent in ann.entities:
            key = None
            for ce in canon.values():
                if set(ce.variants.get(ann.doc_id, [])) & set(ent.variants or [ent.name]):
                    key = ce.key
                    break
            out[(ann.doc_id, ent.id)] = spelling_key(key or ent.name)
    return out


def _units(
    article: Article, ann: Annotation, keys: dict[tuple[str, str], str], first: int
) -> list[ClaimUnit]:
    units = split_units(article.id, article.text, [(s.start, s.end) for s in ann.sentences], first)
    quoted = [(q.start, q.end) for q in ann.quotes]
    for u in units:
        ents, people, named = set(), set(), set()
        for ent in ann.entities:
            if any(u.start <= m.start < u.end for m in ent.mentions):
                key = keys.get((ann.doc_id, ent.id), ent.name)
                ents.add(key)
                named.add((ent.label, key))
                if ent.label == "PERSON":
                    people.add(key)
        u.entities, u.people, u.named = frozenset(ents), frozenset(people), frozenset(named)
        inside = sum(max(0, min(e, u.end) - max(s, u.start)) for s, e in quoted)
        u.quoted = inside / max(u.end - u.start, 1)
    return units


def _families(
    articles: Sequence[Article], notes: list[dict[str, Any]]
) -> tuple[dict[str, str], dict[str, Any]]:
    """Article -> lineage family id, and the lineage section."""
    try:
        from newsprism.cluster import wire_lineage

        result = wire_lineage(list(articles))
    except Exception as exc:
        notes.append(_note("degraded", f"wire lineage not computed ({exc})"))
        return {a.id: a.id for a in articles}, {
            "groups": [],
            "singletons": [a.id for a in articles],
            "independent_sources": len(articles),
        }
    family = {a.id: a.id for a in articles}
    for g in result.groups:
        for m in g.articles:
            family[m] = g.origin
    return family, result.to_dict()


def _conflicts(group: ClaimGroup, dates: dict[str, datetime | None]) -> list[dict[str, Any]]:
    """Values of the same measure that differ across the articles of one claim."""
    out = []
    seen: set[tuple[str, str]] = set()
    for i, ua in enumerate(group.units):
        for ub in group.units[i + 1 :]:
            if ua.article == ub.article:
                continue
            for x in ua.amounts:
                for y in ub.amounts:
                    if not same_measure(x, y) or (
                        x.value == y.value and x.qualifier == y.qualifier
                    ):
                        continue
                    if (x.text, y.text) in seen:
                        continue
                    seen.add((x.text, y.text))
                    out.append(_judge(ua.article, x, ub.article, y, dates))
    return out


def _judge(
    a: str, x: Amount, b: str, y: Amount, dates: dict[str, datetime | None]
) -> dict[str, Any]:
    values = [
        {
            "article": art,
            "text": am.text,
            "start": am.start,
            "end": am.end,
            "value": am.value,
            "qualifier": am.qualifier,
            "published": _iso(dates[art]),
        }
        for art, am in ((a, x), (b, y))
    ]
    if compatible(x, y):
        judgement, reason = "compatible", "both values can be true at once"
    else:
        da, db = dates.get(a), dates.get(b)
        if da and db and abs(da - db) >= _UPDATE_GAP:
            later = a if da > db else b
            judgement, reason = "update", f"published later, {later} may carry an updated figure"
        else:
            judgement, reason = "incompatible", "the values cannot both be true"
    return {"measure": x.unit or y.unit, "values": values, "judgement": judgement, "reason": reason}


def compare_articles(articles: list[Article], *, embedder: Embedder | None = None) -> Report:
    """The JSON-ready comparison report of one story's articles (see DESIGN.md, Report JSON)."""
    notes: list[dict[str, Any]] = []
    by_id = {a.id: a for a in articles}
    outlets = {a.id: _outlet_name(a) for a in articles}
    comparable: list[Article] = []  # English: every part of the comparison
    foreign: list[Article] = []  # other languages the multilingual encoder reads: claims only
    for a in articles:
        lang = base_language(a.lang)
        if not a.text.strip():
            notes.append(_note("not_compared", "no article text after cleaning", a.id))
        elif lang in (None, "en"):
            comparable.append(a)
        elif supported(lang):
            foreign.append(a)
            notes.append(
                _note(
                    "partly_compared",
                    f"language {a.lang!r}: its sentences join claims across languages "
                    "through the multilingual encoder; quotes, entities, framing and sourcing "
                    "read English only, so this article has none",
                    a.id,
                )
            )
        else:
            notes.append(
                _note(
                    "not_compared",
                    f"language {a.lang!r}: neither the sentence models nor the "
                    "language layer read it",
                    a.id,
                )
            )
    comparable = [_within_limit(a, notes) for a in comparable]
    foreign = [_within_limit(a, notes) for a in foreign]
    annotations = _annotate(comparable, notes) if comparable else []
    canon = _canonical(annotations, notes) if annotations else {}
    keys = _entity_keys(annotations, canon)
    units_by_article: dict[str, list[ClaimUnit]] = {}
    for a, ann in zip(comparable, annotations, strict=True):
        units_by_article[a.id] = _units(a, ann, keys, 0)
    for a in foreign:
        units_by_article[a.id] = split_units(a.id, a.text, _plain_sentences(a.text))
    # The pair scores are a square matrix over the story's units: bound it.
    per_article = max(_MIN_UNITS, _MAX_STORY_UNITS // max(1, len(units_by_article)))
    for aid, us in units_by_article.items():
        if not us:
            notes.append(_note("not_compared", "no sentence long enough to carry a claim", aid))
        elif len(us) > per_article:
            units_by_article[aid] = us[:per_article]
            notes.append(
                _note(
                    "limit",
                    f"only its first {per_article} of {len(us)} sentences take part in the "
                    f"claims (at most {_MAX_STORY_UNITS} in a story)",
                    aid,
                )
            )
    embedder = embedder or default_embedder()
    all_units = [u for us in units_by_article.values() for u in us]
    quote_items = [
        QuoteItem(
            f"{ann.doc_id}:{q.id}",
            ann.doc_id,
            q.start,
            q.end,
            q.text,
            q.speaker_entity or q.speaker,
            speaker_key(q.speaker_entity or q.speaker),
        )
        for ann in annotations
        for q in ann.quotes
    ]
    # A quote's embedding only decides "same speaker, other words" (a variant), so only quotes
    # whose speaker another article also quotes are embedded; the rest keep a zero vector.
    quoted_by: dict[str, set[str]] = {}
    for q in quote_items:
        if q.speaker_key:
            quoted_by.setdefault(q.speaker_key, set()).add(q.article)
    need = [
        k for k, q in enumerate(quote_items) if q.speaker_key and len(quoted_by[q.speaker_key]) > 1
    ]
    texts = [u.text for u in all_units] + [quote_items[k].text for k in need]
    # Wire lineage (below) needs newsprism.cluster, whose import is slow: overlap it with encoding.
    preload = _import_in_background("newsprism.cluster") if texts else None
    matrix = embedder.encode(texts) if texts else np.zeros((0, 384), dtype=np.float32)
    if preload is not None:
        preload.join()
    vectors = {u.id: matrix[i] for i, u in enumerate(all_units)}
    quote_vecs = np.zeros((len(quote_items), matrix.shape[1] if texts else 384), dtype=np.float32)
    if need:
        quote_vecs[need] = matrix[len(all_units) :]

    # An article whose sentences resemble no other article's is off-topic: keep it out of the
    # alignment so it neither dilutes consensus nor counts as omitting the story.
    aligned_ids = [aid for aid, us in units_by_article.items() if us]
    # Across languages, sentences are compared in the multilingual encoder's space.
    cross_vectors = _cross_lingual(all_units, notes) if foreign else None
    if foreign and cross_vectors is None:  # without that space they cannot be compared
        for a in foreign:
            if a.id in aligned_ids:
                aligned_ids.remove(a.id)
                notes.append(_note("not_compared", "the multilingual encoder failed", a.id))
    story_space = cross_vectors if cross_vectors is not None else vectors
    if len(aligned_ids) >= 3:
        centroids = {
            aid: _centroid([story_space[u.id] for u in units_by_article[aid]])
            for aid in aligned_ids
        }
        for aid in list(aligned_ids):
            best = max(float(centroids[aid] @ centroids[o]) for o in aligned_ids if o != aid)
            if best < _OFF_TOPIC_COS:
                aligned_ids.remove(aid)
                notes.append(
                    _note(
                        "off_topic",
                        f"reads as off-topic (closest article similarity "
                        f"{best:.2f}); left out of claims and coverage",
                        aid,
                    )
                )
    if len(aligned_ids) < 2:
        notes.append(
            _note(
                "single_source",
                "fewer than two comparable articles: claims are "
                "listed but nothing could be compared across outlets",
            )
        )
    units = [u for aid in aligned_ids for u in units_by_article[aid]]
    unit_matrix = np.stack([vectors[u.id] for u in units]) if units else np.zeros((0, 384))
    align_cfg = AlignConfig()
    scores = pair_scores(units, unit_matrix, align_cfg)
    foreign_ids = {a.id for a in foreign}
    if cross_vectors is not None and units:
        _rescore_across_languages(scores, units, cross_vectors, foreign_ids, align_cfg)
    groups = align(units, unit_matrix, align_cfg, scores)
    family, lineage = _families([by_id[a] for a in aligned_ids], notes)
    dates = {a.id: a.date for a in articles}

    # Claims most widely carried first: by independent sources, then articles, then where
    # they stand in the articles.
    groups = sorted(
        groups,
        key=lambda g: (
            -len({family[a] for a in g.articles}),
            -len(g.articles),
            min(u.index for u in g.units),
            g.units[0].id,
        ),
    )
    memberships = Counter(u.id for g in groups for u in g.units)
    used_labels: set[str] = set()
    claims = []
    independent: dict[int, int] = {}
    for gi, g in enumerate(groups):
        arts = g.articles
        independent[gi] = len({family[a] for a in arts})
        status = (
            "unique"
            if len(arts) == 1
            else "consensus"
            if len(arts) == len(aligned_ids)
            else "several"
        )
        members = []
        for u in g.units:
            others = [o for o in g.units if o.article != u.article]
            details = unique_details(u, others) if others else []
            members.append(
                {
                    "article": u.article,
                    "start": u.start,
                    "end": u.end,
                    "text": u.text,
                    "details": [{"start": s, "end": e, "text": t} for s, e, t in details],
                }
            )
        # The label comes from the member this claim alone holds, where a sentence that
        # carries two facts is in two claims, and differs from the labels before it.
        ranked = sorted(g.units, key=lambda u: (memberships[u.id], u.article, u.index))
        labels = (claim_label(u.text) for u in ranked)
        first = next(labels)
        label = (
            first
            if first not in used_labels
            else next((x for x in labels if x not in used_labels), first)
        )
        used_labels.add(label)
        conflicts = _conflicts(g, dates)
        claims.append(
            {
                "id": f"c{gi + 1}",
                "label": label,
                "status": status,
                "articles": arts,
                "outlets": [outlets[a] for a in arts],
                "independent_sources": independent[gi],
                "units": members,
                "conflict": any(c["judgement"] != "compatible" for c in conflicts),
                "conflicts": conflicts,
            }
        )
    coverage = _coverage(claims, aligned_ids, outlets)
    picks = select(
        groups,
        unit_ranks(units),
        independent,
        SummaryConfig(),
        titles=[by_id[a].title for a in aligned_ids if by_id[a].title],
        vectors=vectors,
        scores=scores,
        family=family,
        foreign=frozenset(foreign_ids),
    )
    summary = [
        {
            "text": p.unit.text,
            "articles": p.articles,
            "kind": p.kind,
            "claim": f"c{p.group + 1}",
            "source": {"article": p.unit.article, "start": p.unit.start, "end": p.unit.end},
            "attribution": None if p.kind == "consensus" else outlets[p.unit.article],
            "charge": round(charge(p.unit.text), 2),
        }
        for p in picks
    ]

    quote_by_id = {q.id: q for q in quote_items}
    quote_groups = group_quotes(quote_items, quote_vecs) if quote_items else []
    del quote_by_id
    framing_inputs = [
        FramingInput(
            a.id,
            outlets[a.id],
            a.title,
            a.text,
            [(q.start, q.end) for q in ann.quotes],
            [
                {"article": a.id, "text": q.text, "start": q.start, "end": q.end}
                for q in ann.quotes
                if q.kind == "scare"
            ],
        )
        for a, ann in zip(comparable, annotations, strict=True)
    ]
    dated = sorted((a for a in articles if a.date), key=lambda a: a.date or datetime.min)
    return {
        "schema_version": SCHEMA_VERSION,
        "story": _story(articles, dated),
        "articles": [_article(a, a.id in aligned_ids) for a in articles],
        "entities": _entities(annotations, keys, canon),
        "quotes": _quotes(annotations),
        "quote_groups": quote_groups,
        "claims": claims,
        "coverage": coverage,
        "framing": framing(framing_inputs),
        "sourcing": sourcing(annotations, outlets),
        "lineage": lineage,
        "timeline": [
            {
                "article": a.id,
                "outlet": outlets[a.id],
                "date": a.date.isoformat() if a.date else None,
                "title": a.title,
            }
            for a in dated
        ],
        "summary": summary,
        "notes": notes,
    }


def _within_limit(article: Article, notes: list[dict[str, Any]]) -> Article:
    """The article, or its first ``_MAX_COMPARED_CHARS`` characters (cut at a line end) with a
    note: far beyond any news article, a text this long would cost minutes of language
    processing and gigabytes of pair scores."""
    if len(article.text) <= _MAX_COMPARED_CHARS:
        return article
    cut = article.text.rfind("\n", 0, _MAX_COMPARED_CHARS)
    cut = cut if cut > _MAX_COMPARED_CHARS // 2 else _MAX_COMPARED_CHARS
    notes.append(
        _note(
            "limit",
            f"{len(article.text):,} characters long: only the first {cut:,} are compared "
            "(claims, quotes, entities, framing)",
            article.id,
        )
    )
    return replace(article, text=article.text[:cut])


def _outlet_name(article: Article) -> str:
    """The outlet, else a short credit ("Reuters"), else the article id: a credit line that
    names reporters and editors is no outlet name."""
    credit = (article.credit or "").strip()
    short_credit = credit if 0 < len(credit.split()) <= 3 else ""
    return article.outlet or short_credit or article.id


def _plain_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by punctuation, for text the English language layer cannot read."""
    return [(m.start(), m.end()) for m in _FALLBACK_SENTENCE.finditer(text) if m.group().strip()]


def _cross_lingual(
    units: Sequence[ClaimUnit], notes: list[dict[str, Any]]
) -> dict[str, np.ndarray] | None:
    """Each unit's vector from the multilingual encoder (None, with a note, if it fails)."""
    try:
        from newsprism.multilingual import default_encoder

        matrix = default_encoder().encode([u.text for u in units])
    except Exception as exc:  # the other languages then stay out of the claims (noted)
        notes.append(_note("degraded", f"multilingual encoder failed ({exc})"))
        return None
    return {u.id: matrix[i] for i, u in enumerate(units)}


def _rescore_across_languages(
    scores: PairScores,
    units: Sequence[ClaimUnit],
    cross: dict[str, np.ndarray],
    foreign: set[str],
    cfg: AlignConfig,
) -> None:
    """Pairs with a non-English unit take the multilingual encoder's score, on the same bar.

    That score is built like the English one (centred cosine plus rare-word overlap, which
    names and figures still give across languages). On the English dev stories the
    multilingual encoder's best bar is 0.35 on one half and 0.40 on the other, where MiniLM's
    is 0.40 on both, so one bar decides every pair (docs/evaluation.md).
    """
    matrix = np.stack([cross[u.id] for u in units])
    other = pair_scores(units, matrix, cfg).matrix
    mixed = np.array([u.article in foreign for u in units])
    either = mixed[:, None] | mixed[None, :]
    scores.matrix[either] = other[either]


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _centroid(rows: list[np.ndarray]) -> np.ndarray:
    c = np.mean(np.stack(rows), axis=0)
    return c / (float(np.linalg.norm(c)) or 1.0)


def _coverage(
    claims: list[dict[str, Any]], aligned: list[str], outlets: dict[str, str]
) -> list[dict[str, Any]]:
    """Per article: claims it alone reports (and its own details of shared ones), and omissions."""
    out = []
    majority = max(2, (len(aligned) + 1) // 2)
    for aid in aligned:
        alone = [c["id"] for c in claims if c["articles"] == [aid]]
        details = [
            {"claim": c["id"], **d}
            for c in claims
            if len(c["articles"]) > 1
            for m in c["units"]
            if m["article"] == aid
            for d in m["details"]
        ]
        omits = [
            c["id"] for c in claims if aid not in c["articles"] and len(c["articles"]) >= majority
        ]
        carried = sum(1 for c in claims if aid in c["articles"])
        out.append(
            {
                "article": aid,
                "outlet": outlets[aid],
                "claims": carried,
                "alone": alone,
                "alone_details": details,
                "omits": omits,
            }
        )
    return out


def _story(articles: Sequence[Article], dated: Sequence[Article]) -> dict[str, Any]:
    digest = hashlib.sha1("\n".join(sorted(a.id for a in articles)).encode()).hexdigest()[:12]
    titled = [a for a in (list(dated) + list(articles)) if a.title]
    return {
        "id": f"story-{digest}",
        "title": titled[0].title if titled else "",
        "start": dated[0].date.isoformat() if dated and dated[0].date else None,
        "end": dated[-1].date.isoformat() if dated and dated[-1].date else None,
        "articles": len(articles),
        "outlets": sorted({a.outlet for a in articles if a.outlet}),
    }


def _article(a: Article, compared: bool) -> dict[str, Any]:
    return {
        "id": a.id,
        "outlet": a.outlet,
        "url": a.url,
        "date": a.date.isoformat() if a.date else None,
        "title": a.title,
        "text": a.text,
        "lang": a.lang,
        "credit": a.credit,
        "compared": compared,
        "removed": [{"text": r.text, "reason": r.reason, "line": r.line} for r in a.removed],
    }


def _entities(
    annotations: Sequence[Annotation], keys: dict[tuple[str, str], str], canon: dict[str, Any]
) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for ann in annotations:
        for ent in ann.entities:
            key = keys.get((ann.doc_id, ent.id), ent.name)
            entry = merged.setdefault(
                key,
                {
                    "key": key,
                    "name": ent.name,
                    "type": ent.label,
                    "variants": {},
                    "roles": [],
                    "mentions": {},
                },
            )
            if len(ent.name) > len(entry["name"]):
                entry["name"] = ent.name
            entry["variants"].setdefault(ann.doc_id, [])
            for v in ent.variants or [ent.name]:
                if v not in entry["variants"][ann.doc_id]:
                    entry["variants"][ann.doc_id].append(v)
            entry["roles"] += [r for r in ent.roles if r not in entry["roles"]]
            entry["mentions"].setdefault(ann.doc_id, []).extend(
                {"start": m.start, "end": m.end, "text": m.text, "kind": m.kind}
                for m in ent.mentions
            )
    del canon
    counts = Counter({k: sum(len(v) for v in e["mentions"].values()) for k, e in merged.items()})
    return sorted(merged.values(), key=lambda e: (-len(e["mentions"]), -counts[e["key"]], e["key"]))


def _quotes(annotations: Sequence[Annotation]) -> list[dict[str, Any]]:
    out = []
    for ann in annotations:
        for q in ann.quotes:
            out.append(
                {
                    "id": f"{ann.doc_id}:{q.id}",
                    "article": ann.doc_id,
                    "text": q.text,
                    "start": q.start,
                    "end": q.end,
                    "speaker": q.speaker,
                    "speaker_entity": q.speaker_entity,
                    "speaker_span": [q.speaker_start, q.speaker_end]
                    if q.speaker_start is not None and q.speaker_end is not None
                    else None,
                    "cue": q.cue,
                    "via": q.via,
                    "kind": q.kind,
                    "complete": q.kind == "full",
                    "continues": f"{ann.doc_id}:{q.continues}" if q.continues else None,
                    "words": len(words(q.text)),
                }
            )
    return out


__all__ = ["SCHEMA_VERSION", "Report", "compare_articles"]
