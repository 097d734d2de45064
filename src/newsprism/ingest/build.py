"""From a RawArticle to a cleaned Article: extraction, residue removal and metadata."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from dateutil import parser as date_parser

from newsprism.clean import clean_text
from newsprism.errors import EmptyInputError, InputError
from newsprism.ingest.limits import excerpt
from newsprism.model import Article, RawArticle, RemovedLine
from newsprism.urls import normalise_url, outlet_from_url

_AGENCY_TAIL = re.compile(
    r"\s*(?:,|;|&|\band\b|\bwith\b)\s*(?:other\s+)?(?:news\s+)?(?:wire\s+)?(?:agencies|agency|"
    r"wires|wire services)\b.*$",
    re.IGNORECASE,
)
_MIN_WORDS = 3
# dateutil reads "GMT+2" the POSIX way (two hours *behind*); newsrooms mean two hours ahead.
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")


def to_article(raw: RawArticle, warnings: list[str] | None = None) -> Article:
    """Clean a RawArticle and fill its metadata; raises InputError when no text is left.

    Problems that lose nothing but a field (an unparsable date) are appended to ``warnings``
    and the article is kept without that field.
    """
    page_title = page_author = page_date = page_site = page_lang = None
    url = raw.url
    if raw.html is not None:
        from newsprism.ingest.html import extract_html

        page = extract_html(raw.html, url=raw.url, where=raw.source)
        body, page_title, page_author = page.text, page.title, page.author
        page_date, page_site, page_lang = page.date, page.site_name, page.lang
        url = url or page.url
        if warnings is not None:
            warnings.extend(page.warnings)
        cleaned = clean_text(body, title=raw.title or page_title, title_in_text=False)
        if page.truncated:
            cleaned.removed.append(RemovedLine(text=page.truncated, reason="page too long"))
            if warnings is not None:
                warnings.append(f"{raw.source}: {page.truncated.strip('[]')}")
    else:
        body = raw.text or ""
        cleaned = clean_text(body, title=raw.title, title_in_text=raw.title_in_text)
        if raw.title_in_text and not cleaned.text.strip() and len(cleaned.title.split()) > 25:
            # A file that is one long paragraph has no title line: it is all body.
            cleaned = clean_text(body, title=raw.title, title_in_text=False)
    if len(cleaned.text.split()) < _MIN_WORDS:
        raise EmptyInputError(
            "no article text left after cleaning",
            where=raw.source,
            hint="is this a news article? give the full text or the page's HTML",
        )
    title = (raw.title or page_title or cleaned.title or _first_words(cleaned.text)).strip()
    date = None
    if raw.date:
        try:
            date = parse_date(raw.date, where=raw.source, field="date")
        except InputError as err:
            if warnings is not None:
                warnings.append(f"{err}; stored without a date")
    if date is None and page_date:
        date = parse_date(page_date, where=raw.source, field="date", strict=False)
    if date is None and cleaned.date_text:
        date = parse_date(cleaned.date_text, where=raw.source, field="date", strict=False)
    outlet = raw.outlet or page_site or outlet_from_credit(cleaned.credit) or outlet_from_url(url)
    article = Article(
        id="",
        title=title,
        text=cleaned.text,
        source=raw.source,
        kind=raw.kind,
        url=url,
        outlet=outlet,
        date=date,
        author=raw.author or page_author or cleaned.author,
        lang=raw.lang or detect_language(cleaned.text) or page_lang,
        credit=cleaned.credit,
        removed=cleaned.removed,
    )
    article.id = raw.id or article_id(url, article.content_hash)
    return article


def article_id(url: str | None, content_hash: str) -> str:
    """A stable id: from the URL when there is one, else from the content."""
    basis = normalise_url(url) if url else content_hash
    return "a" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def outlet_from_credit(credit: str | None) -> str | None:
    """'X and news agencies' → 'X'; a bare agency credit names no outlet."""
    if not credit:
        return None
    outlet = _AGENCY_TAIL.sub("", credit).strip(" .,;")
    if not outlet or outlet.lower() in {"news agencies", "agencies", "wires", "staff"}:
        return None
    return outlet if len(outlet.split()) <= 6 else None


def parse_date(
    value: str, *, where: str, field: str = "date", strict: bool = True
) -> datetime | None:
    """Parse a publication date into a timezone-aware datetime (naive times are taken as UTC).

    With ``strict`` an unparsable value is an InputError naming the field; otherwise None.
    """
    given = value
    value = _GMT_OFFSET.sub(
        lambda m: f"{m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'}", value
    )
    try:
        if len(value) > 200:  # no date is that long; dateutil would still try, slowly
            raise ValueError("too long")
        parsed = date_parser.parse(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        # A zone offset of 24 hours or more parses but breaks every later use; so does a
        # time that cannot be moved to UTC. Both are found here, not downstream.
        parsed.astimezone(UTC)
    except (ValueError, OverflowError, TypeError) as err:
        if not strict:
            return None
        problem = "is not a date"
        if "offset" in str(err):
            problem = "has a time-zone offset of 24 hours or more"
        elif isinstance(err, OverflowError) or "range" in str(err):
            problem = "is outside the range of dates that can be stored"
        raise InputError(
            f"field {field!r} {problem}: {excerpt(given, 100)!r}",
            where=where,
            hint="use an ISO date such as 2022-05-25 or 2022-05-25T09:30:00+08:00",
        ) from err
    return parsed


_LATIN_WORD = re.compile(r"[a-z]+")
_ENGLISH_MARKERS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "that",
        "for",
        "with",
        "was",
        "said",
        "by",
        "it",
        "from",
        "he",
        "his",
        "has",
        "have",
        "are",
        "were",
        "which",
        "this",
        "not",
        "but",
        "they",
        "their",
        "been",
        "would",
        "will",
        "who",
    ]
)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from the packaged langid model (no downloads); None for too little text."""
    if len(text.split()) < 5:
        return None
    # Plain English prose gives itself away through its commonest words; the model (half a
    # second to load) is asked only about the rest. Those words make up a sixth or more of
    # every English news text measured and next to none of German, French or Spanish.
    words = _LATIN_WORD.findall(text[:4000].casefold())
    if len(words) >= 30 and sum(w in _ENGLISH_MARKERS for w in words) >= 0.12 * len(words):
        return "en"
    import py3langid

    lang, _score = py3langid.classify(text[:4000])
    return str(lang)


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")
