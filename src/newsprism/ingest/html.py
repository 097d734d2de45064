"""Main text and metadata of an HTML news page.

trafilatura does the heavy lifting; around it we add what the article-extraction benchmark
showed it misses on news pages, with rules that name no site:

* precision first, default as a rescue: trafilatura's precision mode is the cleanest, but on
  some pages it throws the article away with the clutter (a body inside a "paywall" box);
  when it keeps only a small share of the prose the default mode finds, the default text wins;
* split bodies: some layouts cut the article into several containers of the same kind with ads
  between them and trafilatura keeps the first; the other containers' paragraphs are added;
* residue: the headline, dateline and byline repeated on top, "Read more"/"Related" teasers and
  the link lists under them, subscription/follow/share prompts and reporting credits are
  dropped line by line.

Each of these was measured on the benchmark (see ``newsprism eval extraction``).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.metadata import (
    Document,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_metadata,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.utils import load_html

from newsprism.errors import ExtractionError
from newsprism.ingest.limits import excerpt

__all__ = ["ExtractedPage", "extract_html"]


@dataclass
class ExtractedPage:
    """The article text and metadata found in one HTML page."""

    text: str
    title: str | None
    author: str | None
    date: str | None
    site_name: str | None
    url: str | None
    lang: str | None
    # Lines newsprism's own rules dropped after trafilatura, with the reason (never silent).
    removed: list[tuple[str, str]] = field(default_factory=list)
    # Set when the page was cut before extraction (too many paragraphs): what was left out.
    truncated: str | None = None
    # Problems that lost a field but not the article (a date the metadata step cannot read).
    warnings: list[str] = field(default_factory=list)


def extract_html(html: str, *, url: str | None = None, where: str = "<html>") -> ExtractedPage:
    """Extract the article text (paragraphs joined by newlines) and metadata of an HTML page.

    Raises ExtractionError, naming ``where``, when the page holds no article text.
    """
    if not html or not html.strip():
        raise ExtractionError("the page is empty", where=where, hint="nothing to extract")
    html, truncated = _bounded(html)
    tree = load_html(html)
    if tree is None:
        # trafilatura rejects bare fragments ("<p>...</p>"); give them a document around them.
        tree = load_html(f"<html><body>{html}</body></html>")
    if tree is None:
        raise ExtractionError(
            "the page could not be parsed as HTML", where=where, hint="is it an HTML document?"
        )
    root = tree.getroottree().getroot()
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    meta, date_problem = _metadata(tree, url)
    paragraphs = _Paragraphs(tree)
    lines = _lines(_main_text(tree, url, paragraphs))
    lines = _add_split_body(lines, paragraphs)
    removed: list[tuple[str, str]] = []
    lines = _clean(lines, _headlines(tree, meta.title), removed)
    if not _reads_as_text(lines):
        lines = _last_resort(tree, paragraphs)
    if not _reads_as_text(lines):
        raise ExtractionError(
            "no article text found",
            where=where,
            hint="the page may be empty, truncated, or render its article with JavaScript",
        )
    return ExtractedPage(
        text="\n".join(lines),
        title=meta.title or None,
        author=meta.author or None,
        date=_published_time(tree) or (None if date_problem else meta.date) or None,
        site_name=meta.sitename or None,
        url=meta.url or url,
        lang=lang.strip() if lang and lang.strip() else None,
        removed=removed,
        truncated=truncated,
        warnings=[f"{where}: {date_problem}"] if date_problem else [],
    )


def _metadata(tree: HtmlElement, url: str | None) -> tuple[Document, str | None]:
    """trafilatura's metadata of the page, and what went wrong when its date step failed.

    htmldate, which trafilatura asks for the date, fails on a date it cannot represent (a
    time-zone offset of 24 hours or more, ``+99:00``); the page is then read without htmldate's
    date, the other fields taken the way trafilatura takes them.
    """
    try:
        return extract_metadata(tree, default_url=url), None
    except Exception as err:  # a library's failure on one page's metadata must not lose it
        cause = str(err)
        if "offset" in cause:
            cause = "a time-zone offset of 24 hours or more"
        else:
            cause = f"{type(err).__name__}: {excerpt(cause, 100)}"
    meta = Document()
    with contextlib.suppress(Exception):
        meta = extract_meta_json(tree, examine_meta(tree))
        meta.title = meta.title or extract_title(tree)
        meta.author = meta.author or extract_author(tree)
        meta.url = meta.url or extract_url(tree, url)
        meta.sitename = meta.sitename or extract_sitename(tree)
    return meta, f"a date in the page's metadata could not be read ({cause}); it is left out"


# Block elements: paragraphs, list items, cells, headings, line breaks, containers.
_BLOCK_TAG = re.compile(r"<(?:p|div|li|br|tr|td|h[1-6]|section|article|blockquote)[\s/>]", re.I)


def _bounded(html: str) -> tuple[str, str | None]:
    """The page cut before its block element number MAX_PARAGRAPHS + 1, and what was cut.

    Extraction time grows with the number of elements (a page of 200,000 paragraphs took
    minutes); no news article has this many, so the rest is left out and the cut reported.
    """
    from newsprism.ingest.limits import MAX_PARAGRAPHS

    blocks = _BLOCK_TAG.finditer(html)
    for count, match in enumerate(blocks, start=1):
        if count > MAX_PARAGRAPHS:
            rest = 1 + sum(1 for _ in blocks)
            note = (
                f"[page cut: {rest:,} paragraph-like elements after the first "
                f"{MAX_PARAGRAPHS:,} were not read ({len(html) - match.start():,} characters)]"
            )
            return html[: match.start()], note
    return html, None


# --- text helpers ------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…\"”’»)\]]$")
# A line of at least this many words that ends a sentence reads as a paragraph of the article.
_PROSE_MIN_WORDS = 10
# When precision mode keeps less than this share of the default mode's prose, it has dropped
# the article body itself, not just clutter.
_RESCUE_RATIO = 0.2
# Fewer words than this, none of them ending a sentence, is navigation residue, not an article.
_MIN_TEXT_WORDS = 8


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _key(text: str) -> str:
    """Compare lines by their words only: punctuation, case and spacing differ between modes."""
    return " ".join(_words(text.casefold()))


def _is_prose(line: str) -> bool:
    return len(_words(line)) >= _PROSE_MIN_WORDS and bool(_SENTENCE_END.search(line))


def _long_line_words(lines: list[str]) -> int:
    """Words in paragraph-length lines: menus and link lists do not count as article text."""
    counts = (len(_words(line)) for line in lines)
    return sum(n for n in counts if n >= _PROSE_MIN_WORDS)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _words(text.casefold())
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))}


def _reads_as_text(lines: list[str]) -> bool:
    """A few menu words ("Home News") are not an article; one full sentence can be."""
    words = sum(len(_words(line)) for line in lines)
    return words >= _MIN_TEXT_WORDS or any(_SENTENCE_END.search(line) for line in lines)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


class _Paragraphs:
    """The page's <p> elements with their text, computed once for the rules that need them."""

    def __init__(self, tree: HtmlElement) -> None:
        self.items: list[tuple[HtmlElement, str]] = [
            (p, " ".join(p.text_content().split())) for p in tree.iter("p")
        ]

    def prose(self) -> list[str]:
        return [text for _, text in self.items if _is_prose(text)]


# --- main text: trafilatura, precision first ----------------------------------------------------


def _trafilatura_text(
    tree: HtmlElement, url: str | None, *, favor_precision: bool = False, fast: bool = False
) -> str:
    document = bare_extraction(
        tree, url=url, include_comments=False, favor_precision=favor_precision, fast=fast
    )
    if document is None or isinstance(document, dict):
        return ""
    return document.text or ""


def _main_text(tree: HtmlElement, url: str | None, paragraphs: _Paragraphs) -> str:
    precise = _trafilatura_text(tree, url, favor_precision=True)
    precise_words = _long_line_words(_lines(precise))
    # The default pass costs a second extraction; skip it when precision mode already holds
    # a good share of the text the page has in paragraphs, where a rescue is not in sight.
    page_words = _long_line_words([text for _, text in paragraphs.items])
    if precise_words and precise_words >= 2 * _RESCUE_RATIO * page_words:
        return precise
    default = _trafilatura_text(tree, url, fast=True)
    if precise_words < _RESCUE_RATIO * _long_line_words(_lines(default)):
        return default
    return precise


def _last_resort(tree: HtmlElement, paragraphs: _Paragraphs) -> list[str]:
    """When trafilatura finds nothing: the JSON-LD articleBody, else the page's prose paragraphs."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for body in _json_article_bodies(data):
            if _is_prose(body):
                return _lines(body)
    return paragraphs.prose()


def _json_article_bodies(data: object) -> list[str]:
    if isinstance(data, list):
        return [body for item in data for body in _json_article_bodies(item)]
    if not isinstance(data, dict):
        return []
    found = [data["articleBody"]] if isinstance(data.get("articleBody"), str) else []
    for value in data.values():
        if isinstance(value, (dict, list)):
            found += _json_article_bodies(value)
    return found


# --- split bodies -------------------------------------------------------------------------------


def _add_split_body(lines: list[str], paragraphs: _Paragraphs) -> list[str]:
    """Add the paragraphs of sibling body containers that trafilatura left out.

    Some layouts cut one article into several containers of the same tag and class under one
    common ancestor, with ads or asides between them; trafilatura then keeps only the first.
    The container kind holding most extracted paragraphs is found, and the prose paragraphs of
    its instances that contributed nothing (and share a grandparent with one that did) are
    inserted in document order.
    """
    have = {_key(line) for line in lines}
    children: dict[HtmlElement, list[str]] = {}
    hits: dict[tuple[str, str], int] = {}
    for p, text in paragraphs.items:
        parent = p.getparent()
        if parent is None or not (parent.get("class") or "").strip():
            continue
        children.setdefault(parent, []).append(text)
        if _key(text) in have:
            kind = (str(parent.tag), parent.get("class") or "")
            hits[kind] = hits.get(kind, 0) + 1
    if not hits:
        return lines
    tag, cls = max(hits, key=lambda kind: hits[kind])
    containers = [el for el in children if el.tag == tag and el.get("class") == cls]
    if len(containers) < 2:
        return lines
    matched = {c: any(_key(text) in have for text in children[c]) for c in containers}
    anchors = {_grandparent(c) for c in containers if matched[c]} - {None}
    result = list(lines)
    covered = _shingles("\n".join(lines))
    # Walk the containers in document order: a skipped container's paragraphs go right after
    # the last extracted line of the container before it.
    anchor: int | None = None
    for container in containers:
        texts = children[container]
        if matched[container]:
            keys = {_key(text) for text in texts}
            positions = [i for i, line in enumerate(result) if _key(line) in keys]
            anchor = max(positions, default=anchor)
            continue
        if anchor is None or _grandparent(container) not in anchors:
            continue
        for text in texts:
            shingles = _shingles(text)
            # Skip what is already there under a slightly different rendering.
            if not _is_prose(text) or len(shingles & covered) > 0.5 * len(shingles):
                continue
            anchor += 1
            result.insert(anchor, text)
            covered |= shingles
    return result


def _grandparent(element: HtmlElement) -> HtmlElement | None:
    parent = element.getparent()
    return parent.getparent() if parent is not None else None


# --- residue: page furniture that trafilatura keeps ----------------------------------------------

_YEAR_DATE = re.compile(
    r"\b(0?[1-9]|[12][0-9]|3[01])[./-](0?[1-9]|1[0-2])[./-](19|20)\d\d\b"
    r"|\b(0?[1-9]|1[0-2])[./-](0?[1-9]|[12][0-9]|3[01])[./-](19|20)\d\d\b"
    r"|\b(19|20)\d\d-[01]\d-[0-3]\d\b"
    r"|\b[^\W\d_]{3,}\.?,? +\d{1,2},? +(19|20)\d\d\b"
    r"|\b\d{1,2}\.? +(de +)?[^\W\d_]{3,}\.?,? +(de +)?(19|20)\d\d\b",
)
_READING_TIME = re.compile(r"\b\d+ *min(ute|uto)?s?\b", re.IGNORECASE)
_BYLINE = re.compile(r"^(by|von|par|por|di|door)\s+\S", re.IGNORECASE)
# Teasers for other articles: "Read more: <headline>", "Related:", "Don't miss", "More:" ...
_TEASER = re.compile(
    r"^(read|see|watch)( (more|also|next|this))?\b\s*[:|»>-]"
    r"|^(related|more|also|also read|recommended|trending|most read|top stories|"
    r"latest|don'?t miss|must read|editor'?s picks?)\b[\w ]{0,20}\s*[:|»>-]"
    r"|^(related( (post|posts|article|articles|stories|story|content|coverage|reading))?|"
    r"more|also|don'?t miss|must read|recommended( for you)?|you (may|might) (also )?like|"
    r"more (from|on|in) [\w .]{1,30}|most (read|popular|viewed)( in [\w ]{1,30})?|"
    r"trending( now)?|top stories|latest news|more stories|recommended stories)\W*$",
    re.IGNORECASE,
)
# Lines of page chrome that carry no article words of their own.
_CHROME = re.compile(
    r"^(\d+ )?(comments?|tags?|share|share this|print|email|advertisement|advertising|"
    r"sponsored|topics|filed under|categories|category)\b\W*$"
    r"|^(tags|filed under|topics|categories)\s*:",
    re.IGNORECASE,
)
_PROMPT = re.compile(
    # newsletter and subscription prompts
    r"\b(sign up|subscribe|subscribing|subscription)\b.{0,80}\b(newsletter|inbox|today)\b"
    r"|\b(newsletter|inbox)\b.{0,80}\b(sign up|subscribe|subscribing)\b"
    # follow prompts
    r"|^follow\b.{0,80}\b(twitter|facebook|instagram|youtube|linkedin)\b"
    r"|\bfollow (us|him|her|them|me)\b.{0,40}\b(twitter|facebook|instagram|@\w+)"
    # share prompts
    r"|^(like|enjoy(ed)?|love) (this|the) (story|article|post)\b.{0,40}\bshare\b"
    r"|^share (this|the) (story|article|post)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"\bcontributed (to )?(this )?(report|reporting|story)\b"
    r"|^\(?(additional )?(reporting|writing) by\b",
    re.IGNORECASE,
)
# A teaser link labelled with its kind in capitals: "... after eating marmot [INSIGHT]".
_TEASER_TAG = re.compile(r"\[[A-Z ]{3,15}\]\W*$")
# Contact lines: a bare social profile, "Write to X at x@y.com", "Reach X on Twitter at ...".
_CONTACT = re.compile(
    r"^(https?://)?(www\.)?(twitter|facebook|instagram)\.com/\S+$"
    r"|^(write to|reach|contact|email)\b.{0,80}(\S@\S|twitter)",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"^source\s*:", re.IGNORECASE)
# "Listen: http://...", "Download: http://...": the link rows of a media widget.
_LABELLED_URL = re.compile(r"^[\w ]{1,20}:\s*(https?://|www\.)\S+$", re.IGNORECASE)
# Share widgets glue their label onto the sentence they offer to tweet.
_CLICK_TO_TWEET = re.compile(r"\s*click to tweet\s*$", re.IGNORECASE)


def _headlines(tree: HtmlElement, title: str | None) -> list[str]:
    """Every form of the headline the page declares: metadata title, <title>, og:title, <h1>."""
    found: list[object] = [title] if title else []
    found += tree.xpath("//head/title/text()")
    found += tree.xpath("//meta[@property='og:title' or @name='twitter:title']/@content")
    found += [h1.text_content() for h1 in tree.xpath("//h1")[:3]]
    return [t.strip() for t in found if isinstance(t, str) and t.strip()]


def _same_headline(line: str, title: str) -> bool:
    a, b = _key(line), _key(title)
    if not a or not b:
        return False
    # "Headline | Site" titles and shortened on-page headlines share most of their words.
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 0.6 * len(longer) and shorter in longer


def _drop_headline(lines: list[str], titles: list[str]) -> list[str]:
    """The headline is metadata, not body: drop it where it leads the text."""
    for i, line in enumerate(lines[:3]):
        if any(_same_headline(line, title) for title in titles):
            return lines[:i] + lines[i + 1 :]
        if _is_prose(line):
            break
    return lines


def _drop_dateline(lines: list[str]) -> list[str]:
    """Date, byline and reading-time lines above the first paragraph are page furniture."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i >= 4 or _is_prose(line):
            return kept + lines[i:]
        words = len(_words(line))
        if words < 15 and (
            _YEAR_DATE.search(line)
            or _BYLINE.match(line)
            or (words <= 5 and _READING_TIME.search(line))
        ):
            continue
        kept.append(line)
    return kept


def _drop_teasers(lines: list[str]) -> list[str]:
    """Drop "Read more"/"Related" teasers and the run of linked headlines under such a header."""
    kept: list[str] = []
    in_list = False
    for line in lines:
        if _TEASER.search(line):
            in_list = True
            continue
        # Under a teaser header, short lines without a full stop are linked headlines.
        if in_list and not _is_prose(line) and len(_words(line)) < 25:
            continue
        in_list = False
        kept.append(line)
    return kept


def _drop_prompts(lines: list[str]) -> list[str]:
    """Drop page chrome, subscription/follow/share prompts, contact lines and credits."""
    kept = []
    for line in lines:
        line = _CLICK_TO_TWEET.sub("", line)
        if not line or _CHROME.search(line) or _CONTACT.search(line):
            continue
        if _LABELLED_URL.match(line):
            continue
        words = len(_words(line))
        # A tag alone ("[CNET]") names a quote's source; after a headline it marks a teaser.
        if (3 < words < 25 and _TEASER_TAG.search(line)) or (words < 25 and _SOURCE.match(line)):
            continue
        if words < 60 and (_PROMPT.search(line) or _CREDIT.search(line)):
            continue
        kept.append(line)
    return kept


def _clean(lines: list[str], titles: list[str], removed: list[tuple[str, str]]) -> list[str]:
    steps: list[tuple[str, Callable[[list[str]], list[str]]]] = [
        ("headline repeated at the top of the text", lambda ls: _drop_headline(ls, titles)),
        ("date, byline or reading-time line above the article", _drop_dateline),
        ("read-more / related teaser and its links", _drop_teasers),
        ("page chrome: prompt, contact or credit line", _drop_prompts),
    ]
    for reason, step in steps:
        after = step(lines)
        left = Counter(after)
        for line in lines:
            if left[line] > 0:
                left[line] -= 1
            elif not any(len(kept) > 20 and line.startswith(kept) for kept in after):
                removed.append((line, reason))
        lines = after
    return lines


_PUBLISHED_META = {
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
}


def _published_time(tree: HtmlElement) -> str | None:
    """A full publication timestamp when the page declares one (trafilatura keeps only the day)."""
    for element in tree.iter("meta"):
        name = element.get("property") or element.get("name") or element.get("itemprop") or ""
        value = element.get("content") or ""
        if name.lower() in _PUBLISHED_META and "T" in value:
            return value.strip()
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        match = re.search(r'"datePublished"\s*:\s*"([^"]+T[^"]+)"', script.text)
        if match:
            return match.group(1)
    return None
