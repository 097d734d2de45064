"""Attributions written right against a quote, read from the surface text.

News style puts most attributions in a handful of fixed shapes next to the quotation mark:
"“…,” said Jane Doe, a senior fellow", "“…?” Doe demanded.", "“…,” the spokesman said",
"Said Doe: “…”", "Sen. Jane Doe (D-Md.) said: “…”", and in interview transcripts
"“DOE: …”". The small model's parse often breaks on exactly these (a long appositive, a
parenthesised party tag, an inverted "Said X"), so they are matched here on the characters and
the parse is the fallback for everything else. Each function returns character offsets only;
the resolver maps a speaker phrase to an entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.nlp.lexicon import CUE_LEMMA_OF, WEAK_CUES

_STRONG = sorted(
    (form for form, lemma in CUE_LEMMA_OF.items() if lemma not in WEAK_CUES),
    key=len,
    reverse=True,
)
_CUE = r"(?P<cue>" + "|".join(_STRONG) + r")"
_CUE_CAP = r"(?P<cue>" + "|".join(f"(?i:{f[0]}){f[1:]}" for f in _STRONG) + r")"
# A capitalised name with titles and initials: "Rep. Elijah E. Cummings", "Ban Ki-moon".
_NAME = r"[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|al|bin|da|del|la|le))*"
# A short description: "the spokesperson", "the Ohio governor", "the ad’s narrator".
_DESCRIPTION = r"(?:[Tt]he|[Aa]n?|[Oo]ne|[Hh]is|[Hh]er|[Tt]heir)(?:\s+[\w’'-]+){1,5}?"
_PRONOUN = r"(?:he|she|they|we|I|He|She|They|We)"
_NP = rf"(?P<np>{_PRONOUN}|{_NAME}|{_DESCRIPTION})"
_PAREN = r"(?:\s*\([^()\n]{1,30}\))?"  # "(D-Md.)"
# ", president of the United Federation of Teachers," (up to three comma-separated parts)
_APPOSITIVE = r"(?:(?:,\s+[^,“”\"\n]{1,90}){1,3},)?"

_NP_END = r"(?=\s*[,.;:)\n]|\s*$|\s+(?:in|on|at|during|after|before|last|this|via|of|who|from)\b)"
# "“…,” said Jane Doe"
_CUE_THEN_NAME = re.compile(rf"^[\s,]*{_CUE}\s+(?P<np>{_NAME}|{_DESCRIPTION}){_NP_END}")
# "“…,” according to state media"
_ACCORDING = re.compile(rf"^[\s,]*(?P<acc>according\s+to)\s+{_NP}{_NP_END}")
# What may follow a cue verb, so that "the news agency state media" is not read as a cue.
_CUE_END = (
    r"(?=\s*[,.;:!?)\n]|\s*$|\s+(?:in|on|at|during|to|that|of|after|before|about|him|her|them"
    r"|reporters|the|a|an|via|last|this|earlier|later|again|today|yesterday|[a-z]+ly"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
# "“…,” Jane Doe said", "“…?” Doe demanded.", "“…,” he told reporters"
_NAME_THEN_CUE = re.compile(rf"^[\s,]*{_NP}{_PAREN}{_APPOSITIVE}\s+{_CUE}{_CUE_END}")
# "Said Doe: “", "Doe said: “", "Sen. Jane Doe (D-Md.) scolded him: “"
_LEAD_INVERTED = re.compile(rf"(?:^|[.!?]\s+){_CUE_CAP}\s+(?P<np>{_NAME})\s*[:,]\s*$")
_LEAD = re.compile(
    rf"(?:^|[.!?”\"]\s+){_NP}{_PAREN}{_APPOSITIVE}\s+{_CUE}(?:\s+[\w’'.-]+){{0,3}}\s*:\s*$"
)
# Transcript turns: “WALLACE: …”, “MR. DOE: …”
_TRANSCRIPT = re.compile(r"^(?P<np>[A-Z][A-Z.’'-]+(?:\s+[A-Z][A-Z.’'-]+){0,3}):\s")


@dataclass(frozen=True)
class Adjacent:
    """A speaker phrase and its cue, as character offsets into the article."""

    speaker_start: int
    speaker_end: int
    cue_start: int | None
    cue_end: int | None
    according: bool = False


def _found(match: re.Match[str], base: int) -> Adjacent:
    np_start, np_end = match.span("np")
    groups = match.groupdict()
    cue_start, cue_end = match.span("cue") if groups.get("cue") else (-1, -1)
    according = groups.get("acc") is not None
    if according:
        cue_start, cue_end = match.span("acc")
    np_text = match.group("np")
    # A trailing full stop belongs to the sentence, not the name ("said Hester.").
    if np_text.endswith(".") and not re.search(r"\b[A-Z]\.$|\b(?:Jr|Sr|St)\.$", np_text):
        np_end -= 1
    return Adjacent(
        base + np_start,
        base + np_end,
        base + cue_start if cue_start >= 0 else None,
        base + cue_end if cue_end >= 0 else None,
        according,
    )


def after_quote(text: str, close_mark: int, paragraph_end: int) -> Adjacent | None:
    """The attribution right after a quote's closing mark at ``close_mark``."""
    base = close_mark + 1
    tail = text[base : min(paragraph_end, base + 200)]
    # A full stop inside or after the mark ends the sentence: what follows is a new one
    # ("… “outlaw nation.” Russia insisted that …"), unlike "…?” Doe demanded."
    if text[close_mark - 1 : close_mark] == "." or not re.match(r"^(?:,|[?!]?\s)", tail):
        return None
    for pattern in (_CUE_THEN_NAME, _ACCORDING, _NAME_THEN_CUE):
        match = pattern.match(tail)
        if match:
            return _found(match, base)
    return None


def before_quote(text: str, open_mark: int, paragraph_start: int) -> Adjacent | None:
    """The attribution right before a quote's opening mark at ``open_mark`` ("Said X: “")."""
    start = max(paragraph_start, open_mark - 200)
    head = text[start:open_mark]
    for pattern in (_LEAD_INVERTED, _LEAD):
        match = pattern.search(head)
        if match:
            return _found(match, start)
    return None


def transcript_speaker(text: str, quote_start: int) -> Adjacent | None:
    """An interview turn label at the start of a quote: “SMITH: …”."""
    match = _TRANSCRIPT.match(text[quote_start : quote_start + 60])
    if match is None or len(match.group("np")) < 2:
        return None
    return Adjacent(quote_start + match.start("np"), quote_start + match.end("np"), None, None)


__all__ = ["Adjacent", "after_quote", "before_quote", "transcript_speaker"]
