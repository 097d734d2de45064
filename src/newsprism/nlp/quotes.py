"""Quotes and reported speech with their speakers, cues and channels.

How a quote gets its speaker, in order:

1. The reporting verb (cue) that governs the quote in the dependency parse: walk up from the
   quote's tokens to the first cue outside the quote ("…,” he said", "X told Y that … “…”").
   When no cue governs it, the nearest cue in the same sentence outside any quote is used.
2. The cue's subject, or for "A quoted B as saying" B (with A as the channel, ``via``), for
   "according to B" B. A second cue above the first with another subject is the channel too
   ("…,” she responded, two diplomats said": speaker she, via two diplomats).
3. The subject phrase is resolved to an article entity: a name directly, a pronoun to the latest
   compatible speaker or person, a description ("the president") through the roles the article
   gave its people.
4. An attribution written right against the quote's marks ("…,” said X, a …", "…?” X
   demanded.", "Said X: “…”", a transcript's "“X: …”") is read from the surface text
   (:mod:`newsprism.nlp.cuepatterns`) and wins over the parse unless the parse found the same
   cue (then the parse also knows the channel) or the cue is "quoted … as saying". A pronoun
   first looks for a person who is the subject of this sentence or the one before.
5. A full-sentence quote with no cue of its own continues the speaker of the previous sentence
   or paragraph, if that one names a speaker (split and multi-paragraph quotes). Otherwise the
   speaker stays None: we never guess.

A quoted fragment without a speaker (“closed loop”) is a scare quote; with a speaker it is a
partial quote; a quoted sentence is a full quote.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.attrs import HEAD, IDX, LOWER, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from newsprism.nlp.cuepatterns import Adjacent, after_quote, before_quote, transcript_speaker
from newsprism.nlp.entities import EntityIndex
from newsprism.nlp.lexicon import (
    CUE_LEMMA_OF,
    CUE_LEMMAS,
    FIRST_PERSON,
    GROUP_PRONOUNS,
    PERSONAL_PRONOUNS,
    ROLE_NOUNS,
    SPEECH_SOURCES,
    WEAK_CUES,
)
from newsprism.nlp.quotemarks import QuotedSpan, paragraphs
from newsprism.nlp.types import Attribution, Entity, Quote, QuoteKind

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_DROP_FROM_SPEAKER = {"relcl", "acl", "appos", "punct", "advmod", "cc", "conj", "prep", "advcl"}
_HISTORY_WINDOW = 5  # units back in which a pronoun may find its speaker
# Roles that speak for someone else: never the person just quoted.
_GO_BETWEENS = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor", "official"}
    | {"representative", "lawyer", "attorney", "agent", "assistant", "secretary"}
)
_GROUP_LABELS = {"ORG", "NORP", "GPE"}
_RELATIVE = {"who", "that", "which"}
# "“…” ― Jane Doe": a quote signed with a dash and a name, as in collected reactions.
_DASH_SIGNATURE = re.compile(r"^[\s,.]*[―—–]\s*([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4})")


@dataclass
class Unit:
    """A sentence (or several, when a quote spans them) with its parse, offsets into the text."""

    start: int
    end: int
    paragraph: int
    doc: Doc | None = None
    # Where the parsed text skips part of the unit (the middle of a long quote): pairs of
    # (offset in the parsed text, offset in the article) at which each kept piece starts.
    pieces: list[tuple[int, int]] | None = None
    _starts: list[int] | None = field(default=None, repr=False, compare=False)
    _cues: list[Token] | None = field(default=None, repr=False, compare=False)
    _heads: list[int] | None = field(default=None, repr=False, compare=False)

    def char(self, token: Token) -> int:
        """The article offset of a token of this unit's parse."""
        if self.pieces is None:
            return self.start + token.idx
        at = bisect_right(self.pieces, (token.idx, sys.maxsize)) - 1
        parsed, original = self.pieces[max(at, 0)]
        return original + token.idx - parsed

    def char_end(self, token: Token) -> int:
        return self.char(token) + len(token.text)

    def starts(self) -> list[int]:
        """The article offset of every token of the parse, in token order (non-decreasing:
        a stand-in is shorter than the quote it replaces)."""
        assert self.doc is not None
        if self._starts is None or len(self._starts) != len(self.doc):
            idx = self.doc.to_array(IDX).tolist()
            if self.pieces is None:
                self._starts = [self.start + i for i in idx]
            else:
                at = [bisect_right(self.pieces, (i, sys.maxsize)) - 1 for i in idx]
                pieces = self.pieces
                self._starts = [
                    pieces[max(a, 0)][1] + i - pieces[max(a, 0)][0]
                    for a, i in zip(at, idx, strict=True)
                ]
        return self._starts

    def token_at(self, offset: int) -> Token | None:
        """The parsed token covering the article offset ``offset``, if one does."""
        if self.doc is None:
            return None
        starts = self.starts()
        at = bisect_right(starts, offset) - 1
        if at < 0:
            return None
        token = self.doc[at]
        return token if offset < starts[at] + len(token.text) else None

    def token_range(self, start: int, end: int) -> range:
        """Indices of the parsed tokens that start at an article offset in [start, end)."""
        starts = self.starts()
        return range(bisect_left(starts, start), bisect_left(starts, end))

    def heads(self) -> list[int]:
        """Each parsed token's head, as a token index (a root is its own head)."""
        if self._heads is None:
            assert self.doc is not None
            relative = self.doc.to_array(HEAD).astype("int64")
            self._heads = [i + int(r) for i, r in enumerate(relative.tolist())]
        return self._heads

    def cues(self) -> list[Token]:
        """The parse's reporting words (see :func:`_is_cue`), found once per unit."""
        if self._cues is None:
            assert self.doc is not None
            doc = self.doc
            # The hashed attributes, read in bulk, rule out most words without making a Token
            # object for each; the candidates left get the full test.
            rows = doc.to_array([LOWER, TAG]).tolist()
            self._cues = [
                doc[i]
                for i, (lower, tag) in enumerate(rows)
                if ((lower in _CUE_FORM_IDS and tag in _CUE_TAG_IDS) or lower == _ACCORDING_ID)
                and _is_cue(doc[i])
            ]
        return self._cues


@dataclass
class _Speaker:
    text: str
    start: int
    end: int
    entity: Entity | None
    pronoun: bool = False

    @property
    def name(self) -> str | None:
        if self.entity is not None:
            return self.entity.name
        return None if self.pronoun else self.text


@dataclass
class _Found:
    speaker: _Speaker | None
    cue: Token | None
    via: _Speaker | None
    cue_span: tuple[int, int] | None = None  # a cue read from the surface, not the parse


@dataclass
class _History:
    """Who spoke recently: pronouns and quote continuations resolve against it."""

    items: list[tuple[int, int, _Speaker]] = field(default_factory=list)  # (unit, para, speaker)

    def add(self, unit: int, paragraph: int, speaker: _Speaker) -> None:
        if speaker.entity is not None or not speaker.pronoun:
            self.items.append((unit, paragraph, speaker))


_CUE_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD", "NN", "NNS"}
_CUE_TAG_IDS = frozenset(get_string_id(tag) for tag in _CUE_TAGS)
_CUE_FORM_IDS = frozenset(get_string_id(form) for form in set(CUE_LEMMA_OF) | set(CUE_LEMMAS))
_ACCORDING_ID = get_string_id("according")


def _lemma(token: Token) -> str:
    """The reporting verb's lemma from a lookup: the parse pass runs without a lemmatizer."""
    return CUE_LEMMA_OF.get(token.lower_, token.lower_)


def _is_cue(token: Token) -> bool:
    return (token.tag_ in _CUE_TAGS and _lemma(token) in CUE_LEMMAS) or (
        token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)
    )


def _subject(cue: Token) -> tuple[Token | None, Token | None]:
    """(speaker head, channel head) for a cue; climbs to the governing verb when needed."""
    if cue.lower_ == "according":
        for child in cue.children:
            if child.lower_ == "to":
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                return obj, None
        return None, None
    verb: Token | None = cue
    for _ in range(3):
        if verb is None:
            break
        if _lemma(verb) == "quote":
            obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if obj is not None:
                return obj, subj
        subj = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subj is not None:
            return subj, None
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj, None
        if verb.dep_ in {"conj", "xcomp", "advcl", "pcomp", "ccomp"} and verb.head is not verb:
            verb = verb.head if verb.dep_ != "pcomp" else verb.head.head
        else:
            break
    return None, None


def _phrase(head: Token) -> tuple[int, int]:
    """Token bounds of a speaker phrase: the head and its modifiers, without clauses."""
    keep = [head]
    for child in head.children:
        if child.dep_ in _DROP_FROM_SPEAKER:
            continue
        keep.extend(child.subtree)
    if head.dep_ == "pobj" or any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                keep.extend(child.subtree)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    return lo, hi + 1


class QuoteResolver:
    """Attributes the quotes of one article, unit by unit, in reading order."""

    def __init__(self, text: str, units: list[Unit], entities: EntityIndex):
        self.text = text
        self.units = units
        self.entities = entities
        self.history = _History()
        self.spans: list[QuotedSpan] = []
        self.paragraph_spans: list[tuple[int, int]] = []
        self.quotes: list[Quote] = []
        self.attributions: list[Attribution] = []

    # --- speakers -----------------------------------------------------------------------
    def _speaker(self, unit_no: int, unit: Unit, head: Token) -> _Speaker:
        assert unit.doc is not None
        lo, hi = _phrase(head)
        span = unit.doc[lo:hi]
        start, end = unit.char(span[0]), unit.char_end(span[-1])
        surface = self.text[start:end]
        low = head.lower_
        if low in PERSONAL_PRONOUNS or low in {"she", "he"}:
            entity = self._resolve_pronoun(unit_no, start, PERSONAL_PRONOUNS.get(low))
            return _Speaker(surface, start, end, entity, pronoun=True)
        if low in GROUP_PRONOUNS or low in FIRST_PERSON:
            entity = self._resolve_group(unit_no, start) if low in GROUP_PRONOUNS else None
            return _Speaker(surface, start, end, entity, pronoun=True)
        entity = self.entities.at(unit.char(head), unit.char_end(head))
        if entity is None and low not in {"source", "sources", "official", "officials"}:
            entity = self.entities.by_description(surface, start)
        if entity is None:
            entity = self._continuing(unit_no, surface, start)
        return _Speaker(surface, start, end, entity)

    def _continuing(self, unit_no: int, surface: str, start: int) -> Entity | None:
        """ "…,” the Ohio governor continues": a definite role description that no named
        person holds refers to the person who has just been speaking."""
        words = surface.casefold().split()
        if len(words) < 2 or words[0] != "the" or words[-1] not in ROLE_NOUNS:
            return None
        if words[-1] in _GO_BETWEENS:
            return None  # a spokesman or an aide is someone other than the last speaker
        for u, _, speaker in reversed(self.history.items):
            if unit_no - u > 2:
                break
            entity = speaker.entity
            if speaker.start < start and entity is not None and entity.label == "PERSON":
                return entity
        return None

    def _resolve_pronoun(self, unit_no: int, pos: int, gender: str | None) -> Entity | None:
        def fits(entity: Entity | None) -> bool:
            return (
                entity is not None
                and entity.label == "PERSON"
                and (gender is None or entity.gender in {None, gender})
            )

        subject = self._sentence_subject(unit_no, pos)
        if subject is not None and fits(subject):
            return subject
        for u, _, speaker in reversed(self.history.items):
            if unit_no - u > _HISTORY_WINDOW:
                break
            if speaker.start < pos and fits(speaker.entity):
                return speaker.entity
        nearest: Entity | None = None
        for mention_start, entity in self.entities.before(pos, ["PERSON"]):
            if pos - mention_start > 1500:
                break
            # A name inside someone's quote is who they talk about, not who "he" is.
            if any(q.start <= mention_start < q.end for q in self.spans):
                continue
            if not fits(entity):
                continue
            assert entity is not None
            # "she" is someone the article has shown to be a woman before anyone of unknown
            # gender; without such a person, the nearest one who may be.
            if gender is None or entity.gender == gender:
                return entity
            nearest = nearest or entity
        return nearest

    def _sentence_subject(self, unit_no: int, pos: int) -> Entity | None:
        """A person named at the start of this sentence or the one before, outside any quote.

        "Ban condemned the test. “…,” he told reporters": the subject of the sentence just read
        is a stronger antecedent than a speaker quoted a few sentences earlier.
        """
        for u in (unit_no, unit_no - 1):
            if u < 0 or (
                u < unit_no and self.units[u].paragraph < self.units[unit_no].paragraph - 1
            ):
                continue
            unit = self.units[u]
            lead = self.text[unit.start : min(unit.end, pos)]
            if not lead or lead[0] in "“\"‘«'":
                continue
            # The first name of the sentence, after at most three words of title.
            match = re.match(r"^(?:[A-Z][\w.’'-]*\s+){0,3}", lead)
            first = unit.start + (match.end() if match else 0)
            for _, m_end, entity in self.entities.between(unit.start, first + 1):
                if entity.label == "PERSON" and m_end <= pos and self._is_subject(unit, m_end):
                    return entity
        return None

    def _is_subject(self, unit: Unit, mention_end: int) -> bool:
        """Whether the parse makes the name ending at ``mention_end`` its clause's subject."""
        if unit.doc is None:
            return False
        token = unit.token_at(mention_end - 1)
        return token is not None and token.dep_ in {"nsubj", "nsubjpass"}

    def _resolve_group(self, unit_no: int, pos: int) -> Entity | None:
        for u, _, speaker in reversed(self.history.items):
            if unit_no - u > _HISTORY_WINDOW:
                break
            if speaker.start < pos and speaker.entity and speaker.entity.label in _GROUP_LABELS:
                return speaker.entity
        return None

    # --- cues ---------------------------------------------------------------------------
    def _find(
        self,
        unit_no: int,
        unit: Unit,
        inside: set[int],
        anchor: list[Token],
        allow_free: bool = True,
    ) -> _Found:
        """Speaker, cue and channel for the tokens ``anchor`` (a quote or a clause)."""
        assert unit.doc is not None
        doc, heads = unit.doc, unit.heads()
        cue_ids = {t.i for t in unit.cues()}
        hits: list[int] = []
        for tok in anchor:
            node = tok.i
            # Up the heads, at most 12 steps; a root is its own head, so an anchor that is a
            # root is a candidate itself ("…, said X": the anchor "said").
            for _ in range(12):
                node = heads[node]
                if node in cue_ids and node not in inside and node not in hits:
                    hits.append(node)
                if heads[node] == node:
                    break
        cues = [doc[i] for i in hits]
        # "Demonstrators said they want “…”": a mental-state verb under a reporting verb is
        # part of the report; the reporting verb names the speaker.
        strong = [c for c in cues if _lemma(c) not in WEAK_CUES]
        if strong and cues and _lemma(cues[0]) in WEAK_CUES:
            cues = strong
        if not cues:
            edge = anchor[0].i if anchor else 0
            ancestors: set[int] = set()
            for tok in [] if allow_free else anchor:
                node = tok.i
                while heads[node] != node and heads[node] not in ancestors:
                    node = heads[node]
                    ancestors.add(node)
            free = [
                t
                for t in unit.cues()
                if t.i not in inside
                # A fragment takes only a cue that frames its clause ("…, Xi told Y"), not
                # any reporting verb elsewhere in the sentence.
                and (allow_free or t.dep_ == "ROOT" or t.head.i in ancestors)
            ]
            free.sort(key=lambda t: abs(t.i - edge))
            cues = free[:2]
        fallback: _Found | None = None
        for cue in cues:
            if _lemma(cue) in WEAK_CUES and not inside and cue.dep_ != "ROOT":
                continue
            head, via_head = _subject(cue)
            if head is None or head.i in inside:
                continue
            if head.lower_ in _RELATIVE and head.head.dep_ == "relcl":
                head = head.head.head  # "a letter that says …": the noun the clause hangs on
            speaker = self._speaker(unit_no, unit, head)
            via = self._speaker(unit_no, unit, via_head) if via_head is not None else None
            if via is None:
                via = self._channel(unit_no, unit, cue, head, inside)
            found = _Found(speaker, cue, via)
            # A cue inside reported content ("Ryan said the spate … demands that …") has a
            # subject that cannot speak; a governing cue with a real speaker wins over it.
            if self._plausible(speaker, head):
                return found
            fallback = fallback or found
        return fallback or _Found(None, None, None)

    def _plausible(self, speaker: _Speaker, head: Token) -> bool:
        if speaker.entity is not None or speaker.pronoun:
            return speaker.entity is not None or head.lower_ in PERSONAL_PRONOUNS
        low = head.lower_.rstrip("s")
        return low in ROLE_NOUNS or low in SPEECH_SOURCES or head.tag_ in {"NNP", "NNPS"}
        return _Found(None, None, None)

    def _channel(
        self, unit_no: int, unit: Unit, cue: Token, head: Token, inside: set[int]
    ) -> _Speaker | None:
        """A reporting verb that governs the speaker's cue ("…,” she said, two diplomats said)."""
        node = cue
        while node.dep_ in {"ccomp", "parataxis"} and node.head is not node:
            node = node.head
            if _is_cue(node):
                other, _ = _subject(node)
                if other is not None and other.i not in inside and other is not head:
                    return self._speaker(unit_no, unit, other)
        return None

    def _signature(self, span: QuotedSpan) -> _Found:
        match = _DASH_SIGNATURE.match(self.text[span.end + 1 : span.end + 80])
        if match is None:
            return _Found(None, None, None)
        start = span.end + 1 + match.start(1)
        end = span.end + 1 + match.end(1)
        name = self.text[start:end].rstrip(".")
        entity = self.entities.at(start, start + len(name))
        return _Found(_Speaker(name, start, start + len(name), entity), None, None)

    def _colon_lead(self, unit_no: int, unit: Unit, tokens: list[Token]) -> _Found:
        """Headline style "Xi defends record: ‘We don’t need masters’": the lead's subject."""
        assert unit.doc is not None
        first = tokens[0].i
        before = [t for t in unit.doc[:first] if not t.is_space]
        while before and before[-1].text in {"‘", "“", '"', "'", "«"}:
            before.pop()
        if not before or before[-1].text != ":" or len(before) < 3:
            return _Found(None, None, None)
        for tok in before:
            if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.i < first:
                speaker = self._speaker(unit_no, unit, tok)
                if speaker.entity is not None and speaker.entity.label == "PERSON":
                    return _Found(speaker, None, None)
        return _Found(None, None, None)

    # --- main ---------------------------------------------------------------------------
    def run(self, spans: list[QuotedSpan]) -> None:
        self.spans = spans
        self.paragraph_spans = paragraphs(self.text)
        by_unit: dict[int, list[QuotedSpan]] = {}
        for span in spans:
            idx = next((i for i, u in enumerate(self.units) if u.start <= span.start < u.end), None)
            if idx is not None:
                by_unit.setdefault(idx, []).append(span)
        for unit_no, unit in enumerate(self.units):
            quoted = by_unit.get(unit_no, [])
            if unit.doc is None:
                for span in quoted:
                    self._add_quote(unit_no, unit, span, _Found(None, None, None))
                continue
            inside = {i for s in quoted for i in unit.token_range(s.start, s.end)}
            self._indirect(unit_no, unit, inside, bool(quoted))
            for span in quoted:
                tokens = [unit.doc[i] for i in unit.token_range(span.start, span.end)]
                found = _Found(None, None, None)
                if tokens:
                    sentence_like = (
                        self._frame_words(unit, span) == 0 or self.text[span.start].isupper()
                    )
                    found = self._find(unit_no, unit, inside, tokens, allow_free=sentence_like)
                    found = self._prefer_adjacent(unit_no, span, found)
                    if found.speaker is None:
                        found = self._colon_lead(unit_no, unit, tokens)
                    if found.speaker is None:
                        found = self._signature(span)
                self._add_quote(unit_no, unit, span, found)

    def _adjacent(self, span: QuotedSpan) -> Adjacent | None:
        """An attribution written right against the quote's marks, if there is one."""
        turn = transcript_speaker(self.text, span.start)
        if turn is not None:
            return turn
        p_start, p_end = self.paragraph_spans[span.paragraph]
        found = None
        if span.balanced:
            found = after_quote(self.text, span.end, p_end)
        if found is None and span.start - 1 > p_start:
            found = before_quote(self.text, span.start - 1, p_start)
        return found

    def _prefer_adjacent(self, unit_no: int, span: QuotedSpan, found: _Found) -> _Found:
        """The surface attribution wins unless the parse found the same cue (and so a channel)."""
        adjacent = self._adjacent(span)
        if adjacent is None:
            return found
        if found.speaker is not None and adjacent.cue_start is not None:
            cue_word = self.text[adjacent.cue_start : adjacent.cue_end].casefold()
            if CUE_LEMMA_OF.get(cue_word) == "quote":  # "X quoted Y as saying": the parse's
                return found
            if found.cue is not None:
                unit = next(u for u in self.units if u.doc is found.cue.doc)
                if unit.char(found.cue) == adjacent.cue_start:
                    return found
        speaker = self._speaker_at(unit_no, adjacent.speaker_start, adjacent.speaker_end)
        if speaker.entity is None and speaker.pronoun:
            return found if found.speaker is not None else _Found(speaker, None, None)
        cue_span = None
        if adjacent.cue_start is not None and adjacent.cue_end is not None:
            cue_span = (adjacent.cue_start, adjacent.cue_end)
        return _Found(speaker, None, None, cue_span)

    def _speaker_at(self, unit_no: int, start: int, end: int) -> _Speaker:
        """A speaker phrase given by character offsets (see :mod:`cuepatterns`)."""
        surface = self.text[start:end]
        low = surface.casefold()
        if low in PERSONAL_PRONOUNS:
            entity = self._resolve_pronoun(unit_no, start, PERSONAL_PRONOUNS.get(low))
            return _Speaker(surface, start, end, entity, pronoun=True)
        if low in GROUP_PRONOUNS or low in FIRST_PERSON:
            entity = self._resolve_group(unit_no, start) if low in GROUP_PRONOUNS else None
            return _Speaker(surface, start, end, entity, pronoun=True)
        entity = self.entities.at(start, end)
        head = low.rsplit(" ", 1)[-1]
        if entity is None and head not in {"source", "sources", "official", "officials"}:
            entity = self.entities.by_description(surface, start)
        if entity is None:
            entity = self._continuing(unit_no, surface, start)
        return _Speaker(surface, start, end, entity)

    def _indirect(self, unit_no: int, unit: Unit, inside: set[int], quoted: bool) -> None:
        """Reported speech ("Xi told Bachelet that …", "according to state media") in a unit
        whose quoted tokens are ``inside`` (``quoted``: the unit holds a quote)."""
        assert unit.doc is not None
        for tok in unit.cues():
            if tok.i in inside:
                continue
            content = [c for c in tok.children if c.dep_ in {"ccomp", "parataxis"}]
            if tok.lower_ == "according":
                root = tok.head
                while root.head is not root and root.dep_ not in {"ROOT"}:
                    root = root.head
                lo, hi = root.left_edge.i, root.right_edge.i + 1
                phrase_lo, phrase_hi = tok.left_edge.i, tok.right_edge.i + 1
                parts = [(lo, phrase_lo), (phrase_hi, hi)]
                lo, hi = max(parts, key=lambda p: p[1] - p[0])
            elif content:
                lo, hi = content[0].left_edge.i, content[0].right_edge.i + 1
            else:
                if quoted or _lemma(tok) in WEAK_CUES:
                    continue
                head, _ = _subject(tok)
                if head is not None and head.i not in inside:
                    self.history.add(unit_no, unit.paragraph, self._speaker(unit_no, unit, head))
                continue
            while hi > lo and unit.doc[hi - 1].is_punct:
                hi -= 1
            if hi <= lo or (quoted and any(i in inside for i in range(lo, hi))):
                found = self._find(unit_no, unit, set(), [tok])
                if found.speaker:
                    self.history.add(unit_no, unit.paragraph, found.speaker)
                continue
            found = self._find(unit_no, unit, set(range(lo, hi)), [unit.doc[lo]])
            if found.speaker is None:
                continue
            self.history.add(unit_no, unit.paragraph, found.speaker)
            start, end = unit.char(unit.doc[lo]), unit.char_end(unit.doc[hi - 1])
            self.attributions.append(
                self._record(Attribution, f"a{len(self.attributions) + 1}", start, end, found)
            )

    def _record(
        self, cls: type[Attribution], ident: str, start: int, end: int, found: _Found
    ) -> Attribution:
        sp, cue, via = found.speaker, found.cue, found.via
        cue_start = cue_end = None
        if cue is not None:
            unit = next(u for u in self.units if u.doc is cue.doc)
            cue_start, cue_end = unit.char(cue), unit.char_end(cue)
        elif found.cue_span is not None:
            cue_start, cue_end = found.cue_span
        return cls(
            id=ident,
            text=self.text[start:end],
            start=start,
            end=end,
            speaker=sp.text if sp else None,
            speaker_start=sp.start if sp else None,
            speaker_end=sp.end if sp else None,
            speaker_entity=sp.name if sp else None,
            cue=self.text[cue_start:cue_end] if cue_start is not None else None,
            cue_start=cue_start,
            cue_end=cue_end,
            via=via.text if via else None,
            via_entity=via.name if via else None,
        )

    def _add_quote(self, unit_no: int, unit: Unit, span: QuotedSpan, found: _Found) -> None:
        start, end = span.start, span.end
        while end > start and self.text[end - 1] in " ,;:":
            end -= 1
        words = self.text[start:end].split()
        frame = self._frame_words(unit, span)
        full = bool(words) and (
            frame == 0
            or ((self.text[start].isupper() or self.text[start].isdigit()) and len(words) >= 4)
        )
        continues = None
        if found.speaker is None and full:
            previous = self._previous_speaker(unit_no, unit)
            if previous is not None:
                found = _Found(previous[0], None, None)
                continues = previous[1]
        kind: QuoteKind = "full" if full else "partial"
        if not full and found.speaker is None:
            kind = "scare"
        quote = self._record(Quote, f"q{len(self.quotes) + 1}", start, end, found)
        assert isinstance(quote, Quote)
        quote.kind = kind
        quote.balanced = span.balanced
        quote.continues = continues
        prior = next((q for q in self.quotes if continues and q.id == continues), None)
        if prior is not None:  # the cue belongs to the quote this one continues
            quote.cue, quote.cue_start, quote.cue_end = prior.cue, prior.cue_start, prior.cue_end
            quote.via, quote.via_entity = prior.via, prior.via_entity
        self.quotes.append(quote)
        if found.speaker is not None:
            self.history.add(unit_no, unit.paragraph, found.speaker)

    def _frame_words(self, unit: Unit, span: QuotedSpan) -> int:
        """Words of the unit outside every quote (0 = the quote is the whole sentence)."""
        outside = self.text[unit.start : span.start - 1] + " " + self.text[span.end + 1 : unit.end]
        outside = re.sub(r"[“”\"«»‘’']", " ", outside)
        return len(re.findall(r"\w+", outside))

    def _previous_speaker(self, unit_no: int, unit: Unit) -> tuple[_Speaker, str] | None:
        """The speaker a cue-less quoted sentence continues: the last quote just before it."""
        for quote in reversed(self.quotes):
            if quote.speaker is None or quote.speaker_start is None:
                continue
            q_unit = next(
                (i for i, u in enumerate(self.units) if u.start <= quote.start < u.end), -1
            )
            same_or_prev_para = self.units[q_unit].paragraph >= unit.paragraph - 1
            if unit_no - q_unit <= 2 and same_or_prev_para:
                speaker = next(
                    (
                        s
                        for _, _, s in reversed(self.history.items)
                        if s.start == quote.speaker_start
                    ),
                    None,
                )
                if speaker is not None:
                    return speaker, quote.continues or quote.id
            break
        # A speaker named with a cue in the previous sentence, e.g. "Katrina Yu said …" as the
        # paragraph before a stand-alone quoted paragraph.
        for u, para, speaker in reversed(self.history.items):
            if u == unit_no - 1 and para >= unit.paragraph - 1:
                return (speaker, "") if speaker.name else None
            if u < unit_no - 1:
                break
        return None


def resolve_quotes(
    text: str, units: list[Unit], entities: EntityIndex, spans: list[QuotedSpan]
) -> tuple[list[Quote], list[Attribution]]:
    """Direct quotes and indirect attributions of one article."""
    resolver = QuoteResolver(text, units, entities)
    resolver.run(spans)
    for quote in resolver.quotes:
        if quote.continues == "":
            quote.continues = None
    return resolver.quotes, resolver.attributions


__all__ = ["QuoteResolver", "Unit", "resolve_quotes"]
