"""Short readable labels for claims, made from the claim's own sentence.

A claims matrix names each row in words, so a reader sees what the claim is without reading
the whole sentence. The label keeps the sentence's first clause and drops what a headline
writer would drop: a leading "But"/"And", attribution tails (", officials said", ", according
to the ministry", ``,” he said``), a leading "He said that". A named speaker at the start is
kept as "Name: …". A cut label ends with an ellipsis, and quotation marks stay balanced.

All rules are about the shape of English news sentences, never about particular stories.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Verbs that introduce or close a reported statement.
_SAY = (
    r"(?:said|says|told|tells|added|adds|wrote|writes|reported|reports|announced|announces"
    r"|stated|states|warned|warns|noted|notes|explained|explains|insisted|insists|argued|argues"
    r"|claimed|claims|confirmed|confirms|acknowledged|acknowledges|admitted|admits|declared"
    r"|declares|believe|believes|estimated|estimates|alleged|alleges|responded|responds|replied"
    r"|replies|stressed|stresses|emphasised|emphasized|urged|urges|vowed|vows|pledged|pledges"
    r"|recalled|recalls|cautioned|cautions|maintained|maintains|conceded|concedes|tweeted"
    r"|observed|remarked|continued|concluded)"
)
# A trailing time or channel after the verb: "said on Monday", "told reporters in Geneva".
_AFTER_SAY = (
    r"(?:\s+(?:on|in|at|to|late|early|last|this|during|after|before|from)\b[^,;:.“”\"]{0,40})?"
)
_WHO = r"[^,;:“”\"]{1,70}?"
# ", officials said." / ", the ministry said in a statement." / ", police told Reuters."
_TAIL_WHO_SAYS = re.compile(
    rf",\s+{_WHO}\s+(?:{_SAY}(?:\s+(?!that\b)[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}}"
    rf"|\s+reporters|\s+journalists)?|told\s+(?!that\b)[^,;:“”\"\s]+(?:\s+[^,;:“”\"\s]+){{0,6}}|quoted\s+[^,;:“”\"]{{1,40}}?\s+as\s+saying){_AFTER_SAY}"
    r"\s*[.!?]?\s*$"
)
# ", said police spokesman Tom Hale." / ", according to the ministry."
_TAIL_SAYS_WHO = re.compile(
    r",\s+(?:said|says|added|adds|according\s+to|reported|reports|wrote|writes)\s+"
    r"[^,;:“”\"]{1,70}\s*[.!?]?\s*$"
)
# A quotation closed by its attribution: ``…,” the mayor said.`` keeps ``…”``.
_TAIL_AFTER_QUOTE = re.compile(
    rf"[,.!?]?(?P<q>[”\"])\s*,?\s+(?:{_WHO}\s+(?:{_SAY}|quoted\s+[^,;:“”\"]{{1,40}}?\s+as"
    rf"\s+saying)|(?:said|says|added|adds|according\s+to)\s+{_WHO})"
    rf"(?:\s+(?:[A-Z][\w’'.-]*)(?:\s+[A-Z][\w’'.-]*){{0,3}})?{_AFTER_SAY}\s*[.!?]?\s*$"
)
# "He said that …", "She added: …" (a pronoun names no one: dropped).
_LEAD_PRONOUN_SAYS = re.compile(
    rf"^(?:he|she|they|it|we|i)\s+(?:also\s+)?(?:has\s+|have\s+|had\s+)?{_SAY}"
    r"(?:\s+(?:that\b|:)|\s*:|\s*,)\s*",
    re.IGNORECASE,
)
# "Xi told Bachelet that …", "The mayor said: …" (a named speaker: kept as "Xi: …").
_LEAD_NAME_SAYS = re.compile(
    r"^(?P<who>(?:[Tt]he\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}|[Tt]he\s+[a-z]+)\s+"
    rf"(?:also\s+)?(?:has\s+|have\s+|had\s+)?{_SAY}"
    r"(?:\s+(?!that\b)[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})?"
    r"(?:\s+that\b|\s*:)\s*(?P<rest>.+)$",
    re.DOTALL,
)
_LEAD_ACCORDING = re.compile(r"^according\s+to\s+[^,;:“”\"]{1,60},\s*", re.IGNORECASE)
# Discourse openers: "But", "And" always; adverbs only when a comma follows them.
_LEAD_JOINER = re.compile(
    r"^(?:(?:but|and|yet)\b,?|(?:however|meanwhile|moreover|furthermore|still|also"
    r"|separately|instead|indeed|nevertheless|nonetheless|besides|in addition|in turn"
    r"|by contrast|in contrast|at the same time),)\s+",
    re.IGNORECASE,
)
# Where a sentence ends: end punctuation (maybe inside a closing quote), space, then a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|Capt|Sgt|Jr|Sr|Prof|No|Inc|Corp"
    r"|Co|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx))\.$"
)
# Words a clause may start with: a label may be cut before them.
_CLAUSE_WORDS = frozenset(
    [
        "and",
        "but",
        "or",
        "while",
        "whereas",
        "although",
        "though",
        "because",
        "since",
        "after",
        "before",
        "as",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "during",
        "despite",
        "amid",
        "following",
        "with",
        "without",
        "after",
        "until",
        "unless",
        "so",
        "if",
        "than",
        "including",
    ]
)
# Words a cut label must not end on.
# Words that open an introductory phrase: a label is not cut right after that phrase alone.
_INTRO = frozenset(
    [
        "in",
        "on",
        "at",
        "through",
        "after",
        "before",
        "during",
        "with",
        "without",
        "for",
        "by",
        "despite",
        "since",
        "as",
        "while",
        "when",
        "although",
        "though",
        "if",
        "unless",
        "once",
        "following",
        "amid",
        "under",
        "over",
        "from",
        "to",
    ]
)
_DANGLING = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "or",
        "but",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "that",
        "which",
        "who",
        "whose",
        "as",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "this",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "not",
        "no",
        "into",
        "onto",
        "than",
        "over",
        "under",
        "about",
        "after",
        "before",
        "during",
        "while",
    ]
)
_OPEN_QUOTES, _CLOSE_QUOTES = "“", "”"
_TRIM = " \t\n,;:—–-"


def claim_label(text: str, max_words: int = 12) -> str:
    """A short label for a claim from its sentence: the first clause, without attribution."""
    sentence = _first_sentence(re.sub(r"\s+", " ", text).strip())
    if not sentence:
        return ""
    core = sentence
    for _ in range(2):  # "“…,” she replied, two aides said."
        core = _drop_tail(core)
    core = _drop_lead(core) or sentence
    if _unmatched_closes(core):  # the claim began inside a quotation
        core = _OPEN_QUOTES * _unmatched_closes(core) + core
    words = core.split(" ")
    cut = len(words) > max_words
    if cut:
        words = words[: _cut_point(words, max_words)]
    label = " ".join(words).strip(_TRIM)
    if label.endswith(".") and not label.endswith("..") and not _ABBREVIATION.search(label):
        label = label[:-1].rstrip(_TRIM)
    while cut and label.split(" ")[-1].lower().strip('“”"‘’(') in _DANGLING:
        label = label.rsplit(" ", 1)[0].strip(_TRIM) if " " in label else label
        if " " not in label:
            break
    label = _capitalise(label)
    return _balanced(label, cut)


def label_of(claim: Mapping[str, Any]) -> str:
    """The claim's ``label`` if the report has one, else a label from its first unit's text."""
    given = claim.get("label")
    if isinstance(given, str) and given.strip():
        return given.strip()
    units = claim.get("units")
    first = units[0] if isinstance(units, list | tuple) and units else None
    text = first.get("text") if isinstance(first, Mapping) else None
    return claim_label(text) if isinstance(text, str) else str(claim.get("id", ""))


def _first_sentence(text: str) -> str:
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start()].rstrip('”"’)')
        if _ABBREVIATION.search(before):
            continue
        head = text[: match.start()].strip()
        if len(head.split()) >= 3:
            return head
    return text


def _drop_tail(sentence: str) -> str:
    quoted = _TAIL_AFTER_QUOTE.search(sentence)
    if quoted and _opens_before(sentence, quoted.start()):
        return sentence[: quoted.start()].rstrip(_TRIM) + quoted.group("q")
    for pattern in (_TAIL_WHO_SAYS, _TAIL_SAYS_WHO):
        match = pattern.search(sentence)
        if match and len(sentence[: match.start()].split()) >= 3:
            return sentence[: match.start()].rstrip(_TRIM)
    return sentence


def _opens_before(sentence: str, end: int) -> bool:
    """Whether the closing quote at ``end`` closes a quotation (or a fragment that began in one)."""
    head = sentence[:end]
    return len(head.split()) >= 3 and head.count(_CLOSE_QUOTES) <= head.count(_OPEN_QUOTES)


def _drop_lead(sentence: str) -> str:
    text = sentence
    for _ in range(3):  # "But, according to police, he said that …"
        before = text
        text = _LEAD_JOINER.sub("", text)
        text = _LEAD_ACCORDING.sub("", text)
        text = _LEAD_PRONOUN_SAYS.sub("", text)
        if text == before:
            break
    named = _LEAD_NAME_SAYS.match(text)
    if named and len(named.group("rest").split()) >= 4:
        who = named.group("who")
        return f"{who[0].upper()}{who[1:]}: {_capitalise(named.group('rest'))}"
    return text


def _cut_point(words: list[str], max_words: int) -> int:
    """How many words to keep: the last clause boundary within ``max_words``, if not too early."""
    floor = max(3, max_words // 2)
    boundaries = [
        n
        for n in range(1, max_words + 1)
        if words[n - 1].endswith((",", ";", ":", "—", "–")) or words[n] in ("—", "–", "-")
    ]
    if boundaries and words[0].lower().strip('“"‘(') in _INTRO:
        boundaries = boundaries[1:]  # "In talks with X, …": the phrase alone says nothing
    for n in reversed(boundaries):
        if n >= floor:
            return n
    for n in range(max_words, floor - 1, -1):
        if words[n].lower() in _CLAUSE_WORDS:
            return n
    n = max_words
    # Do not split a name: "the United…" says less than "the…" cut before it.
    while n > floor and _is_name(words[n - 1]) and _is_name(words[n]):
        n -= 1
    return n if n > floor or not _is_name(words[n]) else max_words


def _is_name(word: str) -> bool:
    return word[:1].isupper()


def _unmatched_closes(text: str) -> int:
    depth = unmatched = 0
    for char in text:
        if char == _OPEN_QUOTES:
            depth += 1
        elif char == _CLOSE_QUOTES:
            if depth:
                depth -= 1
            else:
                unmatched += 1
    return unmatched


def _capitalise(text: str) -> str:
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :] if char.islower() else text
        if char not in "“\"‘'(":
            return text
    return text


def _balanced(label: str, cut: bool) -> str:
    """Close an opened quotation (after the ellipsis) and open one that only closes."""
    label = _OPEN_QUOTES * _unmatched_closes(label) + label
    ellipsis = "…" if cut else ""
    still_open = label.count(_OPEN_QUOTES) - label.count(_CLOSE_QUOTES)
    if still_open > 0:
        return label + ellipsis + _CLOSE_QUOTES * still_open
    if label.count('"') % 2 == 1:
        # A straight quote that starts a word opens; one that ends a word closes.
        at = label.index('"')
        if (
            at + 1 < len(label)
            and not label[at + 1].isspace()
            and (at == 0 or label[at - 1] == " ")
        ):
            return label + ellipsis + '"'
        return '"' + label + ellipsis
    return label + ellipsis


__all__ = ["claim_label", "label_of"]
