"""Named entities with canonical names, inside one article and across a story's articles.

Within an article, person mentions collapse onto the fullest name seen ("Xi", "Mr Xi",
"President Xi" → "Xi Jinping"); spelling variants of other names collapse when they differ by
case, hyphens or one letter ("COVID-19"/"Covid-19", "Uighurs"/"Uyghurs") and the variants are
kept. Roles the text establishes ("UN human rights chief Michelle Bachelet", "Du Hangwei, the
vice minister ...") become aliases, so a later "the president" or "the spokesman" can be
resolved to the person.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span

from newsprism.nlp.lexicon import (
    BOUNDARY_WORDS,
    GROUP_PRONOUNS,
    HONORIFICS,
    PERSONAL_PRONOUNS,
    ROLE_NOUNS,
)
from newsprism.nlp.types import Annotation, CanonicalEntity, Entity, Mention

KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)
_ROLE_ALT = "|".join(sorted((re.escape(r) for r in ROLE_NOUNS), key=len, reverse=True))
_APPOSITION = re.compile(
    rf"^,\s+(?:the|a|an)\s+([^,.;:()\n]{{0,50}}?\b(?:{_ROLE_ALT})\b(?:\s+(?:of|for)\s+[^,.;:()\n]{{1,40}})?)"
    r"\s*[,.;)]",
    re.IGNORECASE,
)
_DESCRIPTION = re.compile(
    rf"\b(?:the|The)\s+((?:[\w’'-]+\s+){{0,4}}?(?:{_ROLE_ALT}))\b(?!\s+(?-i:[A-Z][a-z]))",
    re.IGNORECASE,
)
# A party tag right after a name, in US news style: "Jane Doe (D-Md.)", "Doe, R-Texas, said".
_PARTY_TAG = re.compile(r"^\s*[(,]\s*([DRI])\s*-\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?\s*[),]")
_PARTIES = {"D": "Democrat", "R": "Republican", "I": "Independent"}
# "Doe, a conservative Republican who …", "Doe, Democrat of Massachusetts"
_PARTY_WORD = re.compile(
    r"^,\s+(?:(?:a|an|the)\s+)?(?:[a-z-]+\s+){0,2}?(democrat|republican)\b", re.IGNORECASE
)
# Lower-case words that cannot be part of a role ("she met Chinese Foreign Minister").
_CAPITALISED = re.compile(r"\b[A-Z][\w-]*(?:['’][A-Z][\w-]*)?")
STOP_CHAIN = (
    GROUP_PRONOUNS | set(PERSONAL_PRONOUNS) | {"who", "where", "when", "said", "told", "says"}
)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """A comparison key: casefolded, accents and punctuation dropped ("Covid-19" == "COVID-19")."""
    if name.isascii():
        return _NOT_KEY.sub("", name.casefold())
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_KEY.sub("", ascii_only.casefold())


_NOT_KEY = re.compile(r"[^a-z0-9]")


def _one_edit_apart(a: str, b: str) -> bool:
    """True for spellings one substitution/insertion/deletion apart ("uighurs"/"uyghurs")."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@dataclass
class _RawMention:
    start: int
    end: int
    text: str
    label: str
    honorific: str | None
    role: str | None
    party: str | None = None


def _clean_span(span: Span, doc_text: str) -> tuple[int, int, str] | None:
    """Drop a leading "the" and a trailing possessive, which NER spans often include."""
    tokens = list(span)
    while tokens and (tokens[0].lower_ in {"the", "a", "an"} or tokens[0].lower_ in HONORIFICS):
        tokens = tokens[1:]
    if not tokens:
        return None
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    text = doc_text[start:end]
    trimmed = _POSSESSIVE.sub("", text)
    if trimmed != text and trimmed:
        end -= len(text) - len(trimmed)
        text = trimmed
    return (start, end, text) if text.strip() else None


def _role_before(doc: Doc, first: int) -> tuple[str | None, str | None]:
    """(honorific, role) from the words right before a name ("US state department spokesperson")."""
    i = first - 1
    honorific = None
    if i >= 0 and doc[i].lower_ in HONORIFICS:
        honorific = doc[i].lower_.rstrip(".")
        i -= 1
    if i < 0 or doc[i].lower_.rstrip(".") not in ROLE_NOUNS:
        return honorific, None
    chain: list[int] = []
    while i >= 0 and len(chain) < 6:
        tok = doc[i]
        glued_hyphen = (
            tok.text == "-" and not tok.whitespace_ and i > 0 and not doc[i - 1].whitespace_
        )
        if not glued_hyphen and (
            tok.lower_ in BOUNDARY_WORDS
            or tok.text in STOP_CHAIN
            or tok.ent_type_ == "PERSON"
            or not (tok.is_alpha or "-" in tok.text or "." in tok.text)
        ):
            break
        chain.append(i)
        i -= 1
    chain.reverse()
    # Lower-case words at the left edge belong to the role only when a boundary precedes them
    # ("with UN human rights chief"), not a verb ("she met Chinese Foreign Minister").
    while chain and not doc[chain[0]].text[0].isupper():
        before = chain[0] - 1
        if before < 0 or doc[before].lower_ in BOUNDARY_WORDS or doc[before].is_punct:
            break
        chain = chain[1:]
    while chain and doc[chain[0]].text == "-":
        chain = chain[1:]
    if not chain:
        return honorific, None
    role = doc[chain[0] : chain[-1] + 1].text
    return honorific, role


def _raw_mentions(doc: Doc, text: str) -> list[_RawMention]:
    mentions: list[_RawMention] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        cleaned = _clean_span(ent, text)
        if cleaned is None:
            continue
        start, end, surface = cleaned
        first = next(t.i for t in ent if t.idx == start)
        honorific, role = _role_before(doc, first) if ent.label_ == "PERSON" else (None, None)
        if ent.label_ == "PERSON" and role is None:
            match = _APPOSITION.match(text[end : end + 120])
            if match:
                role = match.group(1).strip()
        party = _party_after(text, end) if ent.label_ == "PERSON" else None
        mentions.append(_RawMention(start, end, surface, ent.label_, honorific, role, party))
    return mentions


def _missed_name_parts(
    doc: Doc, text: str, raw: list[_RawMention], surname_to_full: dict[str, str]
) -> list[_RawMention]:
    """Lone capitalised words equal to part of a person's full name that the NER left out."""
    if not surname_to_full:
        return []
    covered = sorted((m.start, m.end) for m in raw)
    starts = [c[0] for c in covered]
    found: list[_RawMention] = []
    for match in _CAPITALISED.finditer(text):
        if normalise(match.group(0)) not in surname_to_full:
            continue
        at = bisect.bisect_right(starts, match.start()) - 1
        if at >= 0 and covered[at][1] > match.start():
            continue
        span = doc.char_span(match.start(), match.end())
        if span is None or len(span) != 1:
            continue
        tok = span[0]
        if tok.is_sent_start and tok.is_stop:
            continue  # "Will", "May" opening a sentence
        if tok.ent_type_ and tok.ent_type_ not in KEPT_LABELS:
            continue  # part of a date or a quantity
        neighbours = [doc[i] for i in (tok.i - 1, tok.i + 1) if 0 <= i < len(doc)]
        if any(n.text[:1].isupper() and n.ent_type_ for n in neighbours):
            continue  # part of a longer name the NER labelled
        previous = doc[tok.i - 1].lower_ if tok.i > 0 else ""
        honorific = previous if previous in HONORIFICS else None
        found.append(_RawMention(match.start(), match.end(), tok.text, "PERSON", honorific, None))
    return found


def _party_after(text: str, end: int) -> str | None:
    """The party a US-style tag after a name gives: "(D-Md.)", ", R-Calif.,", ", Democrat of"."""
    tail = text[end : end + 60]
    match = _PARTY_TAG.match(tail)
    if match:
        return _PARTIES[match.group(1)]
    match = _PARTY_WORD.match(tail)
    return match.group(1).capitalize() if match else None


def _surname_keys(name: str) -> list[str]:
    return [normalise(part) for part in name.split() if part[:1].isupper()]


_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "pres": "president"}


def _role_words(role: str) -> list[str]:
    words = re.findall(r"[\w-]+", role.casefold())
    return [_ABBREVIATIONS.get(w, w) for w in words if w not in {"the", "a", "an"}]


class EntityIndex:
    """The entities of one article, with lookups the quote resolver needs."""

    def __init__(self, text: str, entities: list[Entity]):
        self.text = text
        self.entities = entities
        self._by_position = sorted(
            ((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda t: t[0]
        )
        self._starts = [t[0] for t in self._by_position]

    def at(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping [start, end), preferring the longest overlap."""
        best: tuple[int, Entity] | None = None
        for m_start, m_end, entity in self._by_position:
            if m_start >= end:
                break
            overlap = min(end, m_end) - max(start, m_start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, entity)
        return best[1] if best else None

    def between(self, start: int, end: int) -> list[tuple[int, int, Entity]]:
        """Mentions starting in [start, end), in text order."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return self._by_position[lo:hi]

    def before(self, pos: int, labels: Iterable[str]) -> list[tuple[int, Entity]]:
        """Mentions of entities with these labels that start before ``pos``, latest first."""
        wanted = set(labels)
        found = [(s, e) for s, _, e in self._by_position if s < pos and e.label in wanted]
        return list(reversed(found))

    def by_description(self, description: str, pos: int) -> Entity | None:
        """The person a role description refers to ("the president", "the UN rights chief")."""
        words = _role_words(description)
        if not words:
            return None
        head = words[-1]
        scored: list[tuple[int, int, Entity]] = []
        for entity in self.entities:
            if entity.label != "PERSON" or not entity.roles:
                continue
            role_words = {w for r in entity.roles for w in _role_words(r)}
            shared = len(set(words) & role_words)
            if head in role_words or shared >= 2:
                first = min((m.start for m in entity.mentions), default=len(self.text))
                latest = max((m.start for m in entity.mentions if m.start < pos), default=-1)
                # Named before, or (a standfirst runs ahead of the story) named later with a
                # role the description repeats in full ("Chinese president" … "Chinese
                # President Xi Jinping").
                if first < pos or latest >= 0 or (head in role_words and shared >= 2):
                    scored.append((shared + (2 if head in role_words else 0), latest, entity))
        if not scored:
            return None
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        return scored[0][2]


def extract_entities(doc: Doc, text: str) -> EntityIndex:
    """Cluster the NER mentions of one article into entities with canonical names.

    ``text`` is ``doc.text``, passed in because spaCy rebuilds that string on every access.
    """
    raw = _raw_mentions(doc, text)
    # Person names: the fullest form is canonical; a single word joins the full name holding it.
    full_names = Counter(m.text for m in raw if m.label == "PERSON" and len(m.text.split()) > 1)
    surname_to_full: dict[str, str] = {}
    for name, _ in full_names.most_common():
        for key in reversed(_surname_keys(name)):  # last name first, then given name (Xi Jinping)
            surname_to_full.setdefault(key, name)
    # The small model sometimes tags a known person's surname as a place or organisation
    # ("Bachelet" as GPE): a lone capitalised word equal to a person's name part is that person.
    for m in raw:
        if m.label != "PERSON" and " " not in m.text and normalise(m.text) in surname_to_full:
            m.label = "PERSON"
    # It also misses some of them altogether ("Marlow later apologised", after "Jane Marlow"):
    # add those.
    raw.extend(_missed_name_parts(doc, text, raw, surname_to_full))
    raw.sort(key=lambda m: m.start)

    groups: dict[tuple[str, str], list[_RawMention]] = {}
    for m in raw:
        if m.label == "PERSON":
            key_name = m.text if m.text in full_names else None
            if key_name is None:
                parts = _surname_keys(m.text)
                key_name = next((surname_to_full[p] for p in parts if p in surname_to_full), m.text)
            groups.setdefault(("PERSON", normalise(key_name)), []).append(m)
            continue
        key = normalise(m.text)
        match = next(
            (
                k
                for k in groups
                if k[0] != "PERSON"
                and len(key) >= 6
                and key[0] == k[1][:1]
                and _one_edit_apart(key, k[1])
            ),
            None,
        )
        groups.setdefault(match or ("OTHER", key), []).append(m)

    entities: list[Entity] = []
    for number, (_, members) in enumerate(
        sorted(groups.items(), key=lambda kv: kv[1][0].start), start=1
    ):
        names = Counter(m.text for m in members)
        canonical = max(
            names,
            key=lambda n: (len(n.split()) if members[0].label == "PERSON" else 0, names[n], len(n)),
        )
        labels = Counter(m.label for m in members)
        roles = list(dict.fromkeys(m.role for m in members if m.role))
        roles.extend(dict.fromkeys(m.party for m in members if m.party and m.party not in roles))
        genders = [HONORIFICS.get(m.honorific or "") for m in members]
        gender = next((g for g in genders if g), None)
        mentions = []
        for m in members:
            start = m.start
            if m.honorific:  # keep "Mr Xi" as the mention, so the variant is visible
                hon = re.search(
                    r"(?:Mr|Ms|Mrs|Miss|Dr|Mister|Sir|Dame|Madam)\.?\s+$",
                    text[max(0, start - 8) : start],
                )
                if hon:
                    start -= len(hon.group(0))
            mentions.append(Mention(start, m.end, text[start : m.end], "name"))
        entities.append(
            Entity(
                id=f"e{number}",
                name=canonical,
                label=labels.most_common(1)[0][0],
                mentions=mentions,
                variants=list(dict.fromkeys(mm.text for mm in mentions)),
                roles=roles,
                gender=gender,  # type: ignore[arg-type]
            )
        )
    index = EntityIndex(text, entities)
    _add_role_mentions(index)
    return index


def _add_role_mentions(index: EntityIndex) -> None:
    """Attach "the president"-style descriptions to the person whose role they name."""
    for match in _DESCRIPTION.finditer(index.text):
        entity = index.by_description(match.group(0), match.start())
        if entity is None:
            continue
        if any(m.start <= match.start() < m.end for m in entity.mentions):
            continue
        entity.mentions.append(Mention(match.start(), match.end(), match.group(0), "role"))
    for entity in index.entities:
        entity.mentions.sort(key=lambda m: m.start)
    index._by_position = sorted(
        ((m.start, m.end, e) for e in index.entities for m in e.mentions), key=lambda t: t[0]
    )
    index._starts = [t[0] for t in index._by_position]


@dataclass
class _Cluster:
    label: str
    names: list[str] = field(default_factory=list)
    variants: dict[str, list[str]] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)


def canonicalise_across(annotations: list[Annotation]) -> dict[str, CanonicalEntity]:
    """Merge the entities of a story's articles: same person by name parts, others by spelling.

    Each article's own spellings are kept per doc_id, since which outlet writes "Uighurs" and
    which "Uyghurs" is itself a finding.
    """
    clusters: list[_Cluster] = []
    for ann in annotations:
        for entity in ann.entities:
            target = _find_cluster(clusters, entity)
            if target is None:
                target = _Cluster(entity.label)
                clusters.append(target)
            target.names.append(entity.name)
            spellings = target.variants.setdefault(ann.doc_id, [])
            spellings.extend(v for v in entity.variants if v not in spellings)
            target.roles.extend(r for r in entity.roles if r not in target.roles)
            target.mentions[ann.doc_id] = target.mentions.get(ann.doc_id, 0) + len(entity.mentions)
    result: dict[str, CanonicalEntity] = {}
    for cluster in clusters:
        names = cluster.names
        name = max(names, key=lambda n: (len(n.split()), names.count(n)))
        key = normalise(name)
        if key in result:  # two clusters with one name (e.g. different labels): keep both
            key = f"{key}-{cluster.label.lower()}"
        result[key] = CanonicalEntity(
            key=key,
            name=name,
            label=cluster.label,
            variants=cluster.variants,
            roles=cluster.roles,
            mentions=cluster.mentions,
        )
    return result


def _find_cluster(clusters: list[_Cluster], entity: Entity) -> _Cluster | None:
    keys = {normalise(v) for v in [*entity.variants, entity.name]}
    parts = set(_surname_keys(entity.name))
    for cluster in clusters:
        if (cluster.label == "PERSON") != (entity.label == "PERSON"):
            continue
        other = {normalise(n) for n in cluster.names}
        for spellings in cluster.variants.values():
            other |= {normalise(v) for v in spellings}
        if keys & other:
            return cluster
        if entity.label == "PERSON":
            other_parts = {p for n in cluster.names for p in _surname_keys(n)}
            # "Xi" joins "Xi Jinping"; two full names must share every part to merge.
            if parts and (parts <= other_parts or other_parts <= parts):
                return cluster
        elif any(len(k) >= 6 and _one_edit_apart(k, o) for k in keys for o in other):
            return cluster
    return None


__all__ = ["EntityIndex", "canonicalise_across", "extract_entities", "normalise"]
