"""Generic word lists and tokenising helpers shared by the comparison stages.

Nothing here is tuned to a particular story: the lists are ordinary English function words,
hedges, loaded words and role nouns that any news comparison needs.
"""

from __future__ import annotations

import functools
import re

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
        "tell",
        "according",
        "mr",
        "ms",
        "mrs",
        "dr",
        "would",
        "may",
        "might",
        "must",
        "shall",
        "one's",
        "s",
        "t",
        "don't",
        "it's",
        "’s",
        "'s",
    ]
)

# Words that distance the writer from a statement: evidence of hedging, not a verdict.
HEDGES = (
    "alleged",
    "allegedly",
    "reportedly",
    "reported",
    "apparently",
    "purportedly",
    "supposedly",
    "claimed",
    "claims",
    "critics say",
    "critics argue",
    "it is assumed",
    "is believed",
    "are believed",
    "may have",
    "might have",
    "could not confirm",
    "could not independently verify",
    "has not been able to independently verify",
    "unverified",
    "according to",
    "said to be",
)

# Words with a strong evaluative charge when used in the outlet's own voice.
LOADED = (
    "catastrophe",
    "catastrophic",
    "devastated",
    "devastating",
    "disaster",
    "atrocities",
    "atrocity",
    "genocide",
    "massacre",
    "slammed",
    "blasted",
    "panning",
    "snubbed",
    "regime",
    "propaganda",
    "crackdown",
    "smearing",
    "lies",
    "outrage",
    "outrageous",
    "shocking",
    "horrific",
    "brutal",
    "negligence",
    "ignored",
    "scandal",
    "controversial",
    "notorious",
    "so-called",
    "doom",
    "panic",
)

# Role nouns: who a speaker is, by kind of source (looked up in the words around a name).
ROLE_KINDS: dict[str, tuple[str, ...]] = {
    "state media": ("state media", "state news agency", "state-owned media", "xinhua", "state tv"),
    "government": (
        "president",
        "minister",
        "ministry",
        "government",
        "governor",
        "mayor",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "officials",
        "authority",
        "authorities",
        "department",
        "directorate",
        "prosecutor",
        "police",
        "leader",
        "premier",
        "chancellor",
        "senator",
        "lawmaker",
        "commissioner",
        "high commissioner",
        "chief",
    ),
    "activists": (
        "activist",
        "activists",
        "rights group",
        "human rights groups",
        "ngo",
        "campaign",
    ),
    "academics": (
        "professor",
        "academic",
        "researcher",
        "scholar",
        "analyst",
        "analysts",
        "expert",
    ),
    "journalists": ("journalist", "reporter", "correspondent", "editor", "reporting from"),
    "diplomats": ("diplomat", "diplomats", "ambassador", "envoy"),
    "residents": ("resident", "residents", "witness", "survivor", "villager", "neighbour"),
    "opposition": ("opposition", "critic", "critics"),
}

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "ed", "es", "s")


def words(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of ``text`` as ``(lowercased, start, end)``, apostrophe endings kept."""
    return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix stripper: enough to meet "detained"/"detention" halfway, cheap to run."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # "manage" meets "managed", "detain" meets "detained"
    return spelling_key(word)


def content_terms(text: str) -> list[str]:
    """Stemmed content words: stopwords and one-letter tokens dropped."""
    return [stem(w) for w, _, _ in words(text) if w not in STOPWORDS and len(w) > 1]


def spelling_key(word: str) -> str:
    """A key under which spelling variants meet: Uighur/Uyghur, neighbour/neighbor."""
    w = word.lower()
    w = w.replace("ou", "o").replace("ise", "ize").replace("yg", "ig").replace("y", "i")
    if w.endswith("is"):
        w = w[:-1] + "z"
    return re.sub(r"(.)\1+", r"\1", w)


__all__ = [
    "HEDGES",
    "LOADED",
    "ROLE_KINDS",
    "STOPWORDS",
    "content_terms",
    "spelling_key",
    "stem",
    "words",
]
