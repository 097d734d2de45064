"""Quotes worded differently between outlets, or changed in a new version of one article.

compare's own quote rules decide (:func:`newsprism.compare.quotes.relation` and ``differences``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsprism.compare.quotes import QuoteItem, differences, relation, speaker_key
from newsprism.events.evidence import Found, outlet_of, short, span
from newsprism.events.state import StoryState
from newsprism.model import Article

if TYPE_CHECKING:
    from newsprism.events.detect import Incoming

_MIN_QUOTE_WORDS = 4  # compare's floor for a "variant" quote


def quotes_of(article: Article, annotation: dict[str, Any]) -> list[QuoteItem]:
    out = []
    for q in annotation.get("quotes", []):
        if q.get("kind") == "scare":
            continue
        speaker = q.get("speaker_entity") or q.get("speaker")
        out.append(
            QuoteItem(
                f"{article.id}:{q['id']}",
                article.id,
                q["start"],
                q["end"],
                q["text"],
                speaker,
                speaker_key(speaker),
            )
        )
    return out


def _quote_item(raw: dict[str, Any]) -> QuoteItem:
    return QuoteItem(
        raw["id"], raw["article"], raw["start"], raw["end"], raw["text"], raw["speaker"], raw["key"]
    )


def _words(text: str) -> list[str]:
    from newsprism.compare.lexicon import words

    return [w for w, _, _ in words(text)]


def quote_changes(
    state: StoryState, item: Incoming, previous: dict[str, Any] | None
) -> list[Found]:
    """Quotes worded differently from a previous version of this article, or from another
    outlet's rendering of the same speaker's statement."""
    article, base = item.article, item.base
    found: list[Found] = []
    own_old = [q for q in state.quotes if q["base"] == base] if previous else []
    others = [q for q in state.quotes if q["base"] != base]
    rows: list[int | None] = []
    for k, q in enumerate(item.quotes):
        if k in item.quote_rows:
            rows.append(item.quote_rows[k])
        elif k in item.embedded_quotes and len(_words(q.text)) >= _MIN_QUOTE_WORDS:
            rows.append(state.add_rows(item.quote_vectors[k : k + 1], [[]], base)[0])
        else:
            rows.append(None)

    def cos(raw: dict[str, Any], row: int | None) -> float:
        if raw.get("row") is None or row is None:
            return 0.0
        return float(state.vectors[raw["row"]] @ state.vectors[row])

    outlet = outlet_of(state, base, article)
    for q, row in zip(item.quotes, rows, strict=True):
        mine = _words(q.text)
        if any(_words(o["text"]) == mine for o in own_old):
            continue  # unchanged since the last version
        changed = False
        for old in own_old:
            rel = relation(_quote_item(old), q, cos(old, row))
            if rel in ("partial", "variant"):
                diffs = differences(_quote_item(old), q) + differences(q, _quote_item(old))
                found.append(
                    (
                        "quote_changed",
                        f"{outlet} changed a quote of {q.speaker or old['speaker'] or 'a speaker'}"
                        f" in a new version: “{short(q.text, 100)}”",
                        [
                            span(old["article"], old["start"], old["end"], old["text"]),
                            span(article.id, q.start, q.end, q.text),
                        ],
                        {
                            "between": "versions",
                            "relation": rel,
                            "speaker": q.speaker,
                            "differences": diffs,
                        },
                    )
                )
                changed = True
                break
        if changed or not q.speaker_key:
            continue
        same_speaker = [o for o in others if o["key"] == q.speaker_key]
        if any(_words(o["text"]) == mine for o in same_speaker):
            continue  # this wording is known
        for other in same_speaker:
            if relation(_quote_item(other), q, cos(other, row)) == "variant":
                diffs = differences(_quote_item(other), q) + differences(q, _quote_item(other))
                found.append(
                    (
                        "quote_changed",
                        f"{outlet} words a quote of {q.speaker} differently from "
                        f"{state.articles.get(other['base'], {}).get('outlet', other['article'])}:"
                        f" “{short(q.text, 100)}”",
                        [
                            span(other["article"], other["start"], other["end"], other["text"]),
                            span(article.id, q.start, q.end, q.text),
                        ],
                        {
                            "between": "outlets",
                            "relation": "variant",
                            "speaker": q.speaker,
                            "differences": diffs,
                        },
                    )
                )
                break
    state.quotes = [q for q in state.quotes if q["base"] != base] + [
        {
            "id": q.id,
            "article": article.id,
            "base": base,
            "start": q.start,
            "end": q.end,
            "text": q.text,
            "speaker": q.speaker,
            "key": q.speaker_key,
            "row": row,
        }
        for q, row in zip(item.quotes, rows, strict=True)
    ]
    return found


__all__ = ["quote_changes", "quotes_of"]
