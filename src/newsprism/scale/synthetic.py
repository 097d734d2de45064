"""Realistic synthetic news for scale tests and benchmarks, in the input JSONL contract.

How the articles are made (deterministic from ``seed``):

* **Events** open at a steady rate (``per_day`` articles a day in all), each with a kind
  (flood, strike, election ...), a place, two people and an organisation drawn from lists of a
  few hundred made-up names, and a number (a toll, a sum).
* Each event is covered by 1–12 **outlets** (a skewed draw, as real coverage is), each article
  published within three days of the event's start, at a random hour.
* An article's **text** (about 250–450 words) mixes event sentences — templates filled with
  the event's names and numbers, worded differently per outlet — with background sentences
  drawn from a 30,000-word made-up vocabulary with Zipf frequencies (the 150 most
  frequent ranks left out, as tokenising drops function words), so TF-IDF weights and
  vocabulary growth look like news rather than lorem ipsum.
* About a fifth of an event's later articles are **wire copies** of an earlier one with a new
  headline and a changed paragraph, the way outlets republish agency copy.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_KINDS = [
    ("flood", "floods swept through", "flood waters"),
    ("strike", "workers walked out in", "the strike"),
    ("election", "voters went to the polls in", "the vote"),
    ("earthquake", "an earthquake struck", "the quake"),
    ("trial", "a trial opened in", "the court case"),
    ("merger", "two firms agreed to merge in", "the deal"),
    ("protest", "thousands marched in", "the protest"),
    ("fire", "a fire tore through", "the blaze"),
    ("summit", "leaders gathered in", "the summit"),
    ("outbreak", "health officials reported an outbreak in", "the outbreak"),
]
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "ba", "de", "fu", "go",
              "hi", "ja", "ko", "lu", "ma", "no", "pe", "ri", "so", "ta", "ve", "wa")  # fmt: skip
_OUTLETS = [f"{a} {b}" for a in ("Daily", "Morning", "Evening", "City", "National", "Global")
            for b in ("Herald", "Courier", "Ledger", "Post", "Times")]  # fmt: skip
_EVENT_SENTENCES = [
    "{people0} said {what} in {place} had affected {number} people.",
    "According to {org}, {what} left {number} residents in need of help.",
    '"We are doing everything we can," {people1} told reporters in {place}.',
    "Officials from {org} met {people0} on {weekday} to discuss {what}.",
    "{people1}, who leads {org}, called {what} the worst in a decade.",
    "Local media in {place} put the figure at {number}, higher than first thought.",
    "{org} said it would publish a full account of {what} next week.",
    "Critics accused {people0} of reacting too slowly to {what}.",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))


class SyntheticNews:
    """A stream of synthetic articles; the same ``seed`` always gives the same stream."""

    def __init__(self, seed: int = 7, per_day: int = 2000, start: str = "2024-01-01") -> None:
        self.rng = random.Random(seed)
        self.per_day = per_day
        self.start = datetime.fromisoformat(start).replace(tzinfo=UTC)
        rng = self.rng
        words: set[str] = set()
        while len(words) < 30_000:
            words.add(_word(rng))
        self.vocab = sorted(words)
        # Zipf over ranks, skipping the 150 most frequent: they stand for function words,
        # which tokenising drops anyway. Cumulative weights make each draw O(log n).
        self.cum_weights = list(itertools.accumulate(1.0 / r for r in range(151, 30_151)))
        self.places = sorted({_word(rng).title() for _ in range(400)})
        self.people = sorted({f"{_word(rng).title()} {_word(rng).title()}" for _ in range(600)})
        self.orgs = sorted(
            {f"the {_word(rng).title()} {rng.choice(_ORG_KINDS)}" for _ in range(300)}
        )

    def articles(self, n: int) -> Iterator[dict[str, Any]]:
        """``n`` JSONL records, in publication order within each event."""
        made, event = 0, 0
        while made < n:
            for record in self._event(event):
                yield record
                made += 1
                if made >= n:
                    return
            event += 1

    def _event(self, number: int) -> list[dict[str, Any]]:
        rng = self.rng
        kind, what_opened, what = rng.choice(_KINDS)
        facts = {
            "place": rng.choice(self.places),
            "people0": rng.choice(self.people),
            "people1": rng.choice(self.people),
            "org": rng.choice(self.orgs),
            "number": f"{rng.randint(2, 900) * rng.choice((1, 10, 100)):,}",
            "what": what,
            "weekday": rng.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")),
        }
        n_articles = min(12, 1 + int(rng.expovariate(0.35)))
        # Events open at a steady rate so that ``per_day`` articles a day arrive on average.
        opened = self.start + timedelta(days=number * 4.0 / self.per_day)
        outlets = rng.sample(_OUTLETS, n_articles)
        records: list[dict[str, Any]] = []
        for i, outlet in enumerate(outlets):
            when = opened + timedelta(hours=rng.uniform(0, 72) if i else rng.uniform(0, 6))
            if records and rng.random() < 0.2:
                text = self._rewrite(rng.choice(records)["text"])
            else:
                text = self._text(facts, what_opened)
            title = f"{kind.title()} in {facts['place']}: {rng.choice(_HEADLINE_TAILS)}"
            slug = f"{kind}-{facts['place'].lower()}-{number}"
            records.append(
                {
                    "url": f"https://{outlet.lower().replace(' ', '-')}.example/"
                    f"{when:%Y/%m/%d}/{slug}-{i}",
                    "outlet": outlet,
                    "date": when.isoformat(timespec="minutes"),
                    "title": title,
                    "text": text,
                    "lang": "en",
                }
            )
        return records

    def _text(self, facts: dict[str, str], what_opened: str) -> str:
        rng = self.rng
        lead = f"On {facts['weekday']}, {what_opened} {facts['place']}, officials said."
        event = [s.format(**facts) for s in rng.sample(_EVENT_SENTENCES, rng.randint(4, 7))]
        background = [self._sentence() for _ in range(rng.randint(14, 24))]
        rest = [*event, *background]
        rng.shuffle(rest)
        body = [lead, *rest]  # the lead stays first, as in a news story
        paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
        return "\n\n".join(paragraphs)

    def _sentence(self) -> str:
        k = self.rng.randint(9, 18)
        words = self.rng.choices(self.vocab, cum_weights=self.cum_weights, k=k)
        return " ".join(words).capitalize() + "."

    def _rewrite(self, text: str) -> str:
        paragraphs = text.split("\n\n")
        paragraphs[-1] = " ".join(self._sentence() for _ in range(3))
        return "\n\n".join(paragraphs)


_ORG_KINDS = ("Ministry", "Union", "Agency", "Council", "Institute", "Group", "Commission")
_HEADLINE_TAILS = (
    "what we know",
    "officials respond",
    "toll rises",
    "latest updates",
    "residents count the cost",
    "questions mount",
)


def write_jsonl(path: Path, n: int, *, seed: int = 7, per_day: int = 2000) -> Path:
    """Write ``n`` synthetic articles to ``path`` as JSONL; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in SyntheticNews(seed, per_day).articles(n):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


__all__ = ["SyntheticNews", "write_jsonl"]
