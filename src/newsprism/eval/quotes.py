"""`newsprism eval quotes`: direct-quote extraction and speaker accuracy on PolNeAR and BASIL.

Datasets (read in place from ``--data DIR``; nothing is copied):

* polnear: ``DIR/data/<split>/text/*.txt`` with BRAT standoff in ``DIR/data/<split>/attributions``.
  A gold direct quote is an attribution whose Content span contains a double quotation mark
  (" “ ” « »); its speaker is the attribution's Source span. Where an annotator swapped the
  labels (a Source that is a bare reporting verb beside a capitalised Cue, as in "said Doe"
  with Source=said, Cue=Doe), the Cue span is taken as the Source. Where several annotators labelled
  a text, the first annotation file in name order is used. doc_id = the text file's stem.
* basil: every ``DIR/articles/**/<uuid>_<n>.json`` (the split name is only a label). The article
  text is its body paragraphs, sentences joined by a space and paragraphs by a blank line. Gold
  quotes are the phrase annotations with ``quote == "yes"`` (located by their text), speakers
  their ``speaker`` label. BASIL marks only the quotes that carry bias, so precision is not
  reported there.

Matching: a predicted quote (its words, without the marks) matches a gold span when the two
overlap by at least half of the shorter one (a partial quote inside a longer gold Content span
counts, and a long quote found around a short gold phrase counts). Recall = gold spans matched
by some prediction; precision = predictions matching some gold span. Scare quotes (fragments we
found no speaker for) are not predictions of attributed speech and are left out.

Speaker accuracy is measured over matched gold quotes, using the best-overlapping prediction.
The speaker is right when the predicted speaker mention overlaps the gold Source span (PolNeAR
gives its offsets: a gold "he" or "who" is matched by pointing at that same word, whoever we
resolve it to), or when a content word (lower-cased; articles, prepositions and possessive
endings dropped; words of 5+ letters compared on their first 5 letters so "Democrats" meets
"Democratic") is shared between the gold speaker and the predicted speaker's surface mention,
its canonical entity name, any variant of that entity or a role the article gave it
("Tea Party organizer Dana Loesch" counts for a gold "Tea Party"). BASIL's ``other_pro/other_anti/
other_neutral`` labels mean "someone other than the story's main entities": a prediction is right
there when it names a speaker (not a bare unresolved pronoun) that shares no word with any of the
article's ``main-entities``.

The textacy baseline (``textacy.extract.triples.direct_quotations`` on the full spaCy parse,
re-run paragraph by paragraph when it raises on unbalanced marks) is scored with exactly the same
criteria; its speaker is its speaker tokens' text.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from newsprism.errors import DatasetError, NewsprismError
from newsprism.nlp import annotate_many
from newsprism.nlp.lexicon import CUE_FORMS, STOPWORDS
from newsprism.nlp.quotemarks import paragraphs
from newsprism.nlp.types import Annotation
from newsprism.text import COMMAND_SETTINGS

_DOUBLE_MARKS = re.compile(r"[\"“”«»„]")
# Words that carry no identity when comparing speaker names; possessives too ("his aide").
_STOP = STOPWORDS | {"his", "her", "their", "its"}
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "him", "them", "us"])


@dataclass(frozen=True)
class GoldQuote:
    start: int
    end: int
    speaker: str | None
    source: tuple[int, int] | None = None  # where the text names the speaker (PolNeAR only)


@dataclass
class Document:
    doc_id: str
    text: str
    gold: list[GoldQuote]
    main_entities: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Prediction:
    start: int
    end: int
    text: str
    speaker_words: tuple[str, ...]  # every string that names the speaker (mention, name, variants)
    speaker: str | None  # what --dump shows
    bare_pronoun: bool = False
    speaker_span: tuple[int, int] | None = None  # the speaker mention's offsets, when known


@dataclass
class SystemScore:
    """One system's figures on one dataset split."""

    system: str
    predicted: int = 0
    gold: int = 0
    correct_predictions: int = 0
    found_gold: int = 0
    speaker_right: int = 0

    @property
    def precision(self) -> float:
        return self.correct_predictions / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.found_gold if self.found_gold else 0.0


@dataclass
class QuoteEval:
    dataset: str
    split: str
    documents: int
    scores: list[SystemScore]
    seconds: dict[str, float]

    @property
    def precision_meaningful(self) -> bool:
        return self.dataset == "polnear"


# --- datasets ---------------------------------------------------------------------------------
def read_polnear(data_dir: Path, split: str) -> list[Document]:
    base = data_dir / "data" / split
    text_dir, ann_dir = base / "text", base / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise DatasetError(
            "not a PolNeAR split (expected text/ and attributions/)",
            where=str(base),
            hint="pass --data pointing at the polnear folder and --split dev|train|...",
        )
    documents = []
    for path in sorted(text_dir.glob("*.txt")):
        anns = sorted(ann_dir.glob(f"{path.stem}_*.ann"))
        if not anns:
            continue
        text = path.read_text(encoding="utf-8")
        documents.append(Document(path.stem, text, _polnear_gold(anns[0], text)))
    if not documents:
        raise DatasetError("no annotated texts found", where=str(base))
    return documents


def _polnear_gold(path: Path, text: str) -> list[GoldQuote]:
    spans: dict[str, tuple[int, int]] = {}
    kinds: dict[str, str] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind_offsets = parts[1].split(" ", 1)
            if len(kind_offsets) < 2:
                continue
            pieces = [p.split() for p in kind_offsets[1].split(";")]
            spans[parts[0]] = (int(pieces[0][0]), int(pieces[-1][-1]))
            kinds[parts[0]] = kind_offsets[0]
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    gold = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""))
        if content is None or not _DOUBLE_MARKS.search(text[content[0] : content[1]]):
            continue
        source = spans.get(rel.get("Source", ""))
        cue = spans.get(rel.get("Cue", ""))
        if source and cue and _is_swapped(text[source[0] : source[1]], text[cue[0] : cue[1]]):
            source = cue  # "said Doe" labelled Source=said, Cue=Doe: the labels are swapped
        gold.append(GoldQuote(*content, text[source[0] : source[1]] if source else None, source))
    return gold


def _is_swapped(source: str, cue: str) -> bool:
    """A Source span that is a bare reporting verb next to a capitalised Cue span."""
    return source.casefold() in CUE_FORMS and cue[:1].isupper() and cue.casefold() not in CUE_FORMS


def read_basil(data_dir: Path) -> list[Document]:
    articles = data_dir / "articles"
    if not articles.is_dir():
        raise DatasetError(
            "not a BASIL folder (expected articles/ and annotations/)", where=str(data_dir)
        )
    documents = []
    for path in sorted(articles.rglob("*.json")):
        ann_path = data_dir / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        try:
            article = json.loads(path.read_text(encoding="utf-8"))
            ann = json.loads(ann_path.read_text(encoding="utf-8")) if ann_path.exists() else {}
        except (OSError, json.JSONDecodeError) as exc:
            raise DatasetError(f"unreadable BASIL file: {exc}", where=str(path)) from exc
        text = "\n\n".join(" ".join(p) for p in article.get("body-paragraphs", []))
        gold = []
        for phrase in ann.get("phrase-level-annotations", []):
            if phrase.get("quote") != "yes":
                continue
            at = text.find(phrase["txt"])
            if at >= 0:
                speaker = phrase.get("speaker") or None
                gold.append(GoldQuote(at, at + len(phrase["txt"]), speaker))
        documents.append(Document(path.stem, text, gold, article.get("main-entities", [])))
    if not documents:
        raise DatasetError("no articles found", where=str(articles))
    return documents


# --- systems ----------------------------------------------------------------------------------
def _ours(documents: list[Document]) -> dict[str, list[Prediction]]:
    entities_of: dict[str, Annotation] = {}
    items = ((d.doc_id, d.text, None) for d in documents)
    for ann in annotate_many(items):
        entities_of[ann.doc_id] = ann
    result: dict[str, list[Prediction]] = {}
    for doc_id, ann in entities_of.items():
        by_name = {e.name: e for e in ann.entities}
        preds = []
        for q in ann.quotes:
            if q.kind == "scare":
                continue
            names = [n for n in (q.speaker, q.speaker_entity) if n]
            entity = by_name.get(q.speaker_entity or "")
            if entity is not None:  # the entity's names and the roles the article gave it
                names.extend(entity.variants)
                names.extend(entity.roles)
            pronoun = (q.speaker or "").casefold() in _PRONOUNS and entity is None
            span = None
            if q.speaker_start is not None and q.speaker_end is not None:
                span = (q.speaker_start, q.speaker_end)
            preds.append(
                Prediction(
                    q.start,
                    q.end,
                    q.text,
                    tuple(names),
                    q.speaker_entity or q.speaker,
                    pronoun,
                    span,
                )
            )
        result[doc_id] = preds
    return result


def _textacy(documents: list[Document]) -> dict[str, list[Prediction]]:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        raise NewsprismError(
            "the textacy baseline needs textacy",
            hint="pip install 'newsprism[eval]' or pass --no-baseline",
        ) from exc
    import spacy

    from newsprism.nlp.pipeline import MODEL

    nlp = spacy.load(MODEL)  # the whole pipeline, lemmatizer included, as textacy expects
    disabled = ["senter"]
    result: dict[str, list[Prediction]] = {}

    def triples(text: str, offset: int) -> Iterator[Prediction]:
        doc = nlp(text, disable=disabled)
        for triple in direct_quotations(doc):
            content = triple.content
            start, end = content.start_char + offset, content.end_char + offset
            inner = text[content.start_char : content.end_char].strip("\"“”'‘’ ")
            speaker = " ".join(t.text for t in triple.speaker) or None
            yield Prediction(
                start,
                end,
                inner,
                (speaker,) if speaker else (),
                speaker,
                bool(speaker and speaker.casefold() in _PRONOUNS),
            )

    for document in documents:
        try:
            preds = list(triples(document.text, 0))
        except Exception:  # textacy raises on any unbalanced mark: fall back per paragraph
            preds = []
            for p_start, p_end in paragraphs(document.text):
                try:
                    preds.extend(triples(document.text[p_start:p_end], p_start))
                except Exception:
                    continue
        result[document.doc_id] = preds
    return result


# --- scoring ----------------------------------------------------------------------------------
def _words(text: str) -> set[str]:
    words = set()
    for word in re.findall(r"[\w]+", text.replace("_", " ").casefold()):
        if word in _STOP or word in {"s"}:
            continue
        words.add(word[:5] if len(word) >= 5 else word)
    return words


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _matches(pred: Prediction, gold: GoldQuote) -> int:
    """Overlap in characters when the spans match (≥ half the shorter one), else 0."""
    shared = _overlap((pred.start, pred.end), (gold.start, gold.end))
    shorter = min(pred.end - pred.start, gold.end - gold.start)
    return shared if shorter and shared * 2 >= shorter else 0


def _speaker_right(pred: Prediction, gold: GoldQuote, document: Document) -> bool:
    if gold.speaker is None:
        return pred.speaker is None
    if gold.source and pred.speaker_span and _overlap(gold.source, pred.speaker_span):
        return True  # the very mention the annotators marked ("he", "who")
    if not pred.speaker_words or (pred.bare_pronoun and gold.speaker.startswith("other_")):
        return False
    predicted = set().union(*(_words(n) for n in pred.speaker_words))
    if gold.speaker.startswith("other_"):
        main = (
            set().union(*(_words(e) for e in document.main_entities))
            if document.main_entities
            else set()
        )
        return bool(predicted) and not predicted & main
    return bool(predicted & _words(gold.speaker))


def score(
    system: str, documents: list[Document], predictions: dict[str, list[Prediction]]
) -> SystemScore:
    result = SystemScore(system)
    for document in documents:
        preds = predictions.get(document.doc_id, [])
        result.predicted += len(preds)
        result.gold += len(document.gold)
        result.correct_predictions += sum(any(_matches(p, g) for g in document.gold) for p in preds)
        for gold in document.gold:
            best = max(preds, key=lambda p: _matches(p, gold), default=None)
            if best is None or not _matches(best, gold):
                continue
            result.found_gold += 1
            result.speaker_right += _speaker_right(best, gold, document)
    return result


def evaluate_quotes(
    data_dir: Path, *, dataset: str, split: str, dump: Path | None = None, baseline: bool = True
) -> QuoteEval:
    """Score our quotes (and textacy's, unless ``baseline`` is False) on one dataset split."""
    if dataset == "polnear":
        documents = read_polnear(data_dir, split)
    elif dataset == "basil":
        documents = read_basil(data_dir)
    else:
        raise DatasetError(f"unknown dataset {dataset!r}", hint="use polnear or basil")
    systems: list[tuple[str, Callable[[list[Document]], dict[str, list[Prediction]]]]] = [
        ("newsprism", _ours)
    ]
    if baseline:
        systems.append(("textacy", _textacy))
    scores, seconds = [], {}
    for name, run in systems:
        started = time.perf_counter()
        predictions = run(documents)
        seconds[name] = time.perf_counter() - started
        scores.append(score(name, documents, predictions))
        if dump is not None and name == "newsprism":
            _dump(dump, predictions)
    return QuoteEval(dataset, split, len(documents), scores, seconds)


def _dump(path: Path, predictions: dict[str, list[Prediction]]) -> None:
    data: dict[str, Any] = {
        doc_id: [{"text": p.text, "speaker": p.speaker} for p in preds]
        for doc_id, preds in predictions.items()
    }
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        raise NewsprismError(f"cannot write predictions: {exc}", where=str(path)) from exc


def format_quotes(result: QuoteEval) -> str:
    """A plain-text table of the figures, one row per system."""
    lines = [
        f"quotes on {result.dataset}/{result.split}: {result.documents} documents, "
        f"{result.scores[0].gold} gold quotes"
    ]
    if result.precision_meaningful:
        header = (
            f"{'system':<10} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'pred':>6} {'secs':>6}"
        )
    else:
        header = f"{'system':<10} {'R':>6} {'speaker':>8} {'pred':>6} {'secs':>6}  (precision n/a)"
    lines.append(header)
    for s in result.scores:
        secs = result.seconds.get(s.system, 0.0)
        if result.precision_meaningful:
            lines.append(
                f"{s.system:<10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.speaker_accuracy:8.3f} {s.predicted:6d} {secs:6.1f}"
            )
        else:
            lines.append(
                f"{s.system:<10} {s.recall:6.3f} {s.speaker_accuracy:8.3f} "
                f"{s.predicted:6d} {secs:6.1f}"
            )
    return "\n".join(lines)


@click.command("quotes", context_settings=COMMAND_SETTINGS)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Dataset folder (../shared/data/polnear or ../shared/data/basil).",
)
@click.option(
    "--dataset",
    type=click.Choice(["polnear", "basil"]),
    required=True,
    help="Which dataset layout to read.",
)
@click.option(
    "--split",
    default="dev",
    show_default=True,
    help="polnear: reads DIR/data/SPLIT/; basil: a label (all articles are scored).",
)
@click.option(
    "--dump",
    type=click.Path(path_type=Path),
    default=None,
    help="Write our predictions as {doc_id: [{text, speaker}]} JSON.",
)
@click.option("--no-baseline", is_flag=True, help="Skip the textacy baseline.")
def cli_command(
    data_dir: Path, dataset: str, split: str, dump: Path | None, no_baseline: bool
) -> None:
    """Quote precision/recall/F1 and speaker accuracy, ours beside textacy's."""
    try:
        result = evaluate_quotes(
            data_dir, dataset=dataset, split=split, dump=dump, baseline=not no_baseline
        )
    except NewsprismError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_quotes(result))


__all__ = ["QuoteEval", "SystemScore", "cli_command", "evaluate_quotes", "format_quotes"]
