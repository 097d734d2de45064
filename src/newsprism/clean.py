"""Residue removal for plain-text articles (what trafilatura does for HTML).

Text copied or scraped from news pages carries the page around the article: widget error
messages, read-time and share lines, photo captions printed twice with their credit, newsletter
and comment prompts, bylines and credit lines. Cleaning works line by line with general rules
about the *shape* of such residue (short, unpunctuated, repeated, addressed to the reader,
about the site rather than the news), never with a list of strings known from particular pages.

Every dropped line is kept as a :class:`RemovedLine` with its reason; bylines, datelines and
credit lines become metadata instead of body text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from dateutil import parser as date_parser

from newsprism.model import RemovedLine

# Reasons, worded for a reader of `newsprism show` / `newsprism clean`.
R_WIDGET = "interface text (error, loading or retry message)"
R_READ_TIME = "read-time line"
R_SHARE = "share/social buttons"
R_LABEL = "section label with no content of its own"
R_REPEATED = "short line repeated on the page (interface residue)"
R_CAPTION = "photo caption (printed twice)"
R_CAPTION_CREDIT = "photo caption with picture credit"
R_CAPTION_LINE = "photo or video caption"
R_PICTURE_CREDIT = "picture credit line"
R_CREDIT = "credit line (kept as metadata: credit)"
R_BYLINE = "byline (kept as metadata: author)"
R_DATELINE = "date line (kept as metadata: date)"
R_PROMPT = "newsletter, subscription, app or related-links prompt"
R_ADVERT = "advertisement marker"
R_COOKIE = "cookie or consent banner"
R_FOOTER = "site footer about comments, community or terms"
R_DUPLICATE = "paragraph repeated verbatim"
R_NAVIGATION = "navigation: breadcrumb or topic tags"
R_COPYRIGHT = "copyright notice"
R_NOTICE = "editorial notice about the page (developing story, updates)"

_BULLET = re.compile(r"^[•◦▪‣●○■□\-*–]\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_TERMINAL = re.compile(r"[.!?…:;\"”’»)\]]\s*$")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_QUOTE_MARKS = re.compile(r"[\"“”«»]|(?:^|\s)[‘'][^\s]")

_WIDGET = re.compile(
    r"^(?:oops|whoops|uh[- ]oh|sorry)\b|something went wrong|(?:please )?try again|"
    r"^loading\b|\b(?:reload|refresh) (?:the|this) page|enable javascript|"
    r"your browser (?:does not|doesn't) support|^retry$|^error\b",
    re.IGNORECASE,
)
_READ_TIME = re.compile(r"\b\d+\s*[-–]?\s*min(?:ute)?s?\.?\s+(?:read|listen|watch)\b", re.I)
_MEDIA_TIME = re.compile(r"\b(?:listen|read|watch)\b.*\b\d+\s*min(?:ute)?s?\b", re.I)
_CRUMB_SEPARATORS = re.compile(r"\s[›»>/|·•]\s")
_TAGS = re.compile(r"^(?:topics?|tags?|filed under|categories|more about|keywords)\s*:", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b", re.I)
_NOTICE = re.compile(
    r"^this (?:is an? )?(?:breaking|developing|live)(?: news)? (?:story|report|article)|"
    r"^this (?:story|article|report) (?:is developing|will be updated|has been updated)",
    re.I,
)
_COMMENT_COUNT = re.compile(r"^(?:comments?|discussion|replies)\s*\(?\d*\)?$", re.I)
_SHARE_WORDS = {
    "share",
    "tweet",
    "email",
    "print",
    "save",
    "copy",
    "link",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "reddit",
    "pinterest",
    "telegram",
    "messenger",
    "comments",
    "comment",
    "this",
    "article",
    "story",
    "on",
    "via",
    "bluesky",
    "threads",
    "flipboard",
}
_LABEL = re.compile(r"^[\w’' -]{1,40}:$")
_CREDIT = re.compile(
    r"^(?:sources?|credits?|(?:with )?(?:additional )?reporting(?: by)?|written by|"
    r"compiled by|edited by|editing by)\s*[:\-–]?\s+(?P<credit>.+?)\.?$",
    re.IGNORECASE,
)
_PAREN_CREDIT = re.compile(r"^\((?:reporting|writing|editing|additional reporting) by .+\)$", re.I)
_BYLINE = re.compile(
    r"^(?:by|By|BY)\s+(?P<author>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|and|&))*)"
    r"(?:\s*[,|·–-].*)?$"
)
_DATE_PREFIX = re.compile(
    r"^(?:published|updated|last updated|posted|first published)\s*(?:on|at)?\s*:?\s*", re.I
)
_CAPTION_CREDIT = re.compile(r"[\[(](?P<credit>[^\[\]()]{2,160})[\])]\s*$")
_CREDIT_MARKERS = re.compile(
    r"\b(?:via|photo|photograph|image|picture|getty|handout|file|credit|pool|courtesy)\b|/|©",
    re.IGNORECASE,
)
_CAPTION_PREFIX = re.compile(r"^(?:photo|image|picture|photograph|credit|video)\s*:", re.I)
# Caption and credit shapes. A name as credits print it: up to five capitalised words ("Jane
# Doe", "REUTERS", "Getty Images"), possibly joined by "via", "for", "of" or particles.
_NAME = r"[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|via|for|of|de|da|van|von|and|the)){0,4}"
_PICTURE_WORD = (
    r"(?i:photo(?:graph)?s?|pictures?|images?|video|footage|stills?|screen ?(?:shot|grab)s?|"
    r"(?:frame|video) grabs?|handout)"
)
# A caption's lead names the picture it describes: "In this photo taken …", "In this Jan. 5
# file photo, …", "This handout picture released by … shows …", "FILE - …", "Caption: …".
_PICTURE_KIND = (
    r"(?:undated|handout|file|aerial|satellite|archive|pool|combination(?: of)?|composite|news|"
    r"video|photo|family|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?|"
    r"[\d,.]+)"
)
_CAPTION_IN_THIS = re.compile(
    rf"^in (?:this|these) (?:{_PICTURE_KIND}\s+){{0,6}}{_PICTURE_WORD}\b", re.IGNORECASE
)
_CAPTION_THIS = re.compile(
    rf"^(?:this|these) (?:{_PICTURE_KIND}\s+){{0,3}}{_PICTURE_WORD}\s+"
    r"(?:taken|made|provided|released|obtained|dated|distributed|shot|captured|supplied|"
    r"issued|published|posted|from|shows?|showing)\b",
    re.IGNORECASE,
)
_CAPTION_VERB = re.compile(r"\b(?:shows?|showing|depicts?|(?:is|are) seen)\b", re.I)
_CAPTION_FILE = re.compile(r"^(?:FILE|FILE PHOTO|FILE PICTURE|ARCHIVE|HANDOUT)\s*[-–—:]\s*\S")
_CAPTION_LABEL = re.compile(
    r"^(?:\[/?caption\b|(?:caption|pictured|photos|images|pictures|footage|illustration|"
    r"above|below|left|right|inset|"
    r"(?:file|main|top|cover|lead|header|featured) (?:photo|picture|image))\s*:)",
    re.IGNORECASE,
)
# A credit: "REUTERS/Jane Doe", "Jane Doe/AFP via Getty Images", "Photograph: Jane Doe/Agency",
# "Photo by Jane Doe", "Getty Images"; alone on a line, or ending a caption.
_SLASH_CREDIT = re.compile(rf"(?P<left>{_NAME})\s*/\s*(?P<right>{_NAME})")
_LABELLED_CREDIT = re.compile(
    rf"{_PICTURE_WORD}(?i:\s+credits?)?\s*(?::|(?i:by|courtesy(?: of)?))\s*{_NAME}"
    rf"(?:\s*/\s*{_NAME})?"
)
_AGENCY_CREDIT = re.compile(rf"{_NAME}\s+(?:Images|Photos?|Pictures|Stock Photo)")
_CREDIT_TAIL = re.compile(
    rf"(?:[.!?]\s+{_NAME}\s*/\s*{_NAME}"  # "… in the capital. REUTERS/Jane Doe"
    rf"|\s/{_NAME}"  # "News footage of … /Agency"
    rf"|(?:^|\s){_LABELLED_CREDIT.pattern})$"  # "… in the capital. Photograph: Jane Doe"
)
_STRONG_CREDIT = re.compile(rf"\b(?i:photo(?:graph)?|picture|image)s?\b|{_NAME}\s*/\s*{_NAME}")
_PROMPT = re.compile(
    r"^(?:sign up|subscribe|register|download (?:the|our)|get (?:the|our)|follow (?:us|@)|"
    r"join (?:us|our)|click here|tap here|read more|read next|read also|more on this|"
    r"related(?: articles?| stories| coverage| content| reading)?\s*(?:[:|-]|$)|"
    r"recommended(?: stories| reading)?\s*(?:[:|-]|$)|"
    r"see also|watch\s*[:|-]|listen\s*[:|-]|more\s*[:|-]|also read|don['’]t miss|"
    r"trending\s*[:|-]?|most read|top stories|you (?:may|might) also like|"
    r"(?:we|you) (?:might|may) (?:earn|receive) (?:a )?commission|"
    r"this article (?:was|is) (?:originally )?(?:published|produced)|"
    r"continue reading|story continues|skip to)",
    re.IGNORECASE,
)
_PROMPT_OBJECTS = re.compile(
    r"\b(?:newsletters?|inbox|app|podcast|alerts?|notifications?|subscriptions?|"
    r"subscribers?|sign[- ]?up|premium|free trial)\b",
    re.IGNORECASE,
)
_ADVERT = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|promoted|paid content|"
    r"story continues below(?: advertisement)?|article continues below)\s*$",
    re.IGNORECASE,
)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_CONSENT = re.compile(r"\b(?:accept|consent|privacy|preferences|settings|agree)\b", re.I)
_SITE_META = re.compile(
    r"\b(?:comments?|commenting|community|users|readers|moderat\w*|guidelines|"
    r"terms(?: of (?:use|service))?|privacy|policy|account|log in|sign in|platform|"
    r"experience|feedback|copyright|all rights reserved|newsletter)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_SITE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|added|according to|stated|announced|reported)\b", re.I
)


@dataclass
class CleanedText:
    """The result of cleaning one plain-text article."""

    title: str
    text: str
    removed: list[RemovedLine] = field(default_factory=list)
    credit: str | None = None
    author: str | None = None
    date_text: str | None = None


@dataclass
class _Line:
    number: int  # 1-based line number in the raw text
    raw: str
    content: str  # without bullet, trimmed
    block: int  # index of the blank-line separated block it belongs to
    reason: str | None = None

    # Cached: the classifier asks each line for these many times, and ``content`` never changes.
    @cached_property
    def words(self) -> int:
        return len(_WORD.findall(self.content))

    @cached_property
    def key(self) -> str:
        return " ".join(_WORD.findall(self.content.casefold()))


def normalise_text(raw: str) -> str:
    """Unify newlines and spaces, drop zero-width characters, compose Unicode (NFC)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


def clean_text(raw: str, *, title: str | None = None, title_in_text: bool = True) -> CleanedText:
    """Clean one plain-text article.

    With ``title_in_text`` the first non-empty line is the title (unless ``title`` is given,
    in which case a first line equal to it is dropped as the title). Returns the body with
    paragraphs separated by blank lines, the removed lines with reasons, and the metadata that
    residue lines carried (credit, author, date).
    """
    lines = _split_lines(normalise_text(raw))
    result = CleanedText(title=title or "", text="")
    if lines and title_in_text:
        first = lines[0]
        if not title or first.key == " ".join(_WORD.findall(title.casefold())):
            result.title = title or first.content
            lines = lines[1:]
    _classify(lines, result)
    result.removed.extend(
        RemovedLine(text=line.raw.strip(), reason=line.reason, line=line.number)
        for line in lines
        if line.reason
    )
    result.removed.sort(key=lambda r: r.line or 0)
    result.text = _rebuild([line for line in lines if not line.reason])
    return result


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    previous_blank = True
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            if not previous_blank:
                block += 1
            previous_blank = True
            continue
        previous_blank = False
        content = _BULLET.sub("", stripped).strip()
        lines.append(_Line(number=number, raw=raw.rstrip(), content=content, block=block))
    return lines


def _classify(lines: list[_Line], result: CleanedText) -> None:
    short_counts = Counter(line.key for line in lines if 0 < line.words <= 8)
    last_block = lines[-1].block if lines else 0
    seen_paragraphs: set[str] = set()
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        reason = _line_reason(line, nxt, result, trailing=line.block >= last_block - 1)
        if reason is None and 0 < line.words <= 8 and short_counts[line.key] > 1:
            reason = R_REPEATED
        if reason is None and line.words > 8:
            if line.key in seen_paragraphs:
                reason = R_DUPLICATE
            seen_paragraphs.add(line.key)
        if reason is None and i > 0 and lines[i - 1].reason == R_CAPTION:
            # The second print of a doubled caption: same words, plus the picture credit.
            prev = lines[i - 1]
            if line.key.startswith(prev.key):
                reason = R_CAPTION_CREDIT
        if reason == R_PICTURE_CREDIT and i > 0 and _is_caption_above(lines[i - 1], line):
            lines[i - 1].reason = R_CAPTION_CREDIT
        line.reason = reason
    _drop_empty_labels(lines)
    _spread_within_blocks(lines)


def _line_reason(
    line: _Line, nxt: _Line | None, result: CleanedText, *, trailing: bool
) -> str | None:
    text = line.content
    words = line.words
    has_quotes = bool(_QUOTE_MARKS.search(text))
    if words == 0:
        return R_SHARE if len(text) <= 3 else None
    if words <= 10 and _WIDGET.search(text) and not has_quotes:
        return R_WIDGET
    if words <= 8 and (_READ_TIME.search(text) or _MEDIA_TIME.search(text)):
        return R_READ_TIME
    if not has_quotes and words <= 12 and _is_navigation(text):
        return R_NAVIGATION
    if not has_quotes and words <= 40 and _COPYRIGHT.search(text):
        return R_COPYRIGHT
    if not has_quotes and words <= 25 and _NOTICE.match(text):
        return R_NOTICE
    if trailing and _COMMENT_COUNT.match(text):
        return R_FOOTER
    tokens = [w.casefold() for w in _WORD.findall(text)]
    if words <= 8 and tokens[0] in {"share", "tweet"} and set(tokens) <= _SHARE_WORDS:
        return R_SHARE
    if _ADVERT.match(text):
        return R_ADVERT
    if nxt is not None and _is_caption_pair(line, nxt):
        return R_CAPTION
    if not has_quotes and words <= 12 and _is_picture_credit(text):
        return R_PICTURE_CREDIT
    credit = _CREDIT.match(text)
    if credit and words <= 14 and not has_quotes:
        result.credit = result.credit or credit.group("credit").strip()
        return R_CREDIT
    if _PAREN_CREDIT.match(text) and words <= 20:
        result.credit = result.credit or text.strip("()")
        return R_CREDIT
    byline = _BYLINE.match(text)
    if byline and words <= 8:
        result.author = result.author or byline.group("author").strip()
        return R_BYLINE
    if words <= 10 and _is_date_line(text):
        result.date_text = result.date_text or date_candidate(text)
        return R_DATELINE
    if words <= 60 and not has_quotes and _is_caption_with_credit(text):
        return R_CAPTION_CREDIT
    if words <= 60 and _is_caption_lead(text, has_quotes):
        return R_CAPTION_LINE
    if not has_quotes and words <= 30 and _PROMPT.match(text):
        return R_PROMPT
    if not has_quotes and words <= 25 and _PROMPT_OBJECTS.search(text) and _is_imperative(tokens):
        return R_PROMPT
    if not has_quotes and words <= 60 and _COOKIE.search(text) and _CONSENT.search(text):
        return R_COOKIE
    if (
        trailing
        and not has_quotes
        and not _ATTRIBUTION.search(text)
        and _FIRST_PERSON_SITE.search(text)
        and len(set(m.casefold() for m in _SITE_META.findall(text))) >= 2
    ):
        return R_FOOTER
    return None


def _is_navigation(text: str) -> bool:
    """Breadcrumbs ('News › Local') and tag lists ('Topics: A · B · C')."""
    if _TAGS.match(text):
        return True
    if _TERMINAL.search(text):
        return False
    segments = _CRUMB_SEPARATORS.split(f" {text} ".replace("›", " › ").replace("»", " » "))
    segments = [seg for seg in segments if seg.strip()]
    return len(segments) >= 2 and all(len(seg.split()) <= 3 for seg in segments)


def _is_caption_pair(line: _Line, nxt: _Line) -> bool:
    """A caption printed twice: the second copy repeats the first, often with a credit added."""
    if line.words == 0 or line.words > 40:
        return False
    if nxt.key == line.key:
        return not _TERMINAL.search(line.content)  # a repeated sentence is a duplicate instead
    if not nxt.key.startswith(line.key):
        return False
    rest = nxt.content[len(line.content) :].strip() if nxt.content.startswith(line.content) else ""
    return bool(rest) and bool(_CAPTION_CREDIT.fullmatch(rest) or _CREDIT_MARKERS.search(rest))


def _is_caption_with_credit(text: str) -> bool:
    """A caption ending in its picture credit, bracketed or printed after it."""
    words = len(_WORD.findall(text))
    if _CAPTION_PREFIX.match(text):
        return words <= 30
    text = text.strip("| ")  # a caption scraped from a table cell
    match = _CAPTION_CREDIT.search(text)
    if match:
        before = text[: match.start()].rstrip()
        credit = match.group("credit")
        if _STRONG_CREDIT.search(credit):
            # "(AP Photo/Jane Doe)", "[Jane Doe/Agency]": no sentence ends like that.
            return True
        # A reporting sentence ends with its own full stop before a bracket; a caption doesn't.
        return bool(_CREDIT_MARKERS.search(credit)) and not before.endswith(".") and words <= 30
    # Unbracketed ("… in the capital. REUTERS/Jane Doe"): a sentence ends with its full stop.
    return bool(_CREDIT_TAIL.search(text))


def _is_picture_credit(text: str) -> bool:
    """A line that is only a picture credit: "REUTERS/Jane Doe", "Photo: Jane Doe/Agency"."""
    inner = text.strip("()[] ")
    if _TERMINAL.search(inner):
        return False
    label = _CREDIT.match(inner)
    if label and re.match(r"credits?\b", inner, re.I):
        # "Credit: Jane Doe/Agency" names a photographer; "Credits: Reporting by …" does not.
        value = label.group("credit")
        return bool(_STRONG_CREDIT.search(value) or re.search(r"\bvia\b", value))
    inner = re.sub(r"^(?i:main|cover|lead|header|featured|top)\s+", "", inner)
    if _LABELLED_CREDIT.fullmatch(inner) or _AGENCY_CREDIT.fullmatch(inner):
        return True
    slash = _SLASH_CREDIT.fullmatch(inner)
    if slash is None or len(_WORD.findall(inner)) < 3:
        return False  # "Israel/Gaza" is a topic; a credit names an agency and a person
    # "HIV/AIDS", "AC/DC" are terms, not credits.
    return not all(part.isupper() and len(part) <= 5 for part in (slash["left"], slash["right"]))


def _is_caption_above(line: _Line, credit: _Line) -> bool:
    """The unpunctuated line just above a picture credit, in its block, is the caption."""
    return (
        line.reason is None
        and line.block == credit.block
        and 0 < line.words <= 40
        and not _TERMINAL.search(line.content)
        and not _QUOTE_MARKS.search(line.content)
        and not _ATTRIBUTION.search(line.content)
    )


def _is_caption_lead(text: str, has_quotes: bool) -> bool:
    """A line that introduces the picture it describes ("In this photo taken …", "FILE - …")."""
    if _CAPTION_IN_THIS.match(text) or _CAPTION_FILE.match(text) or _CAPTION_LABEL.match(text):
        return True
    # "This photo …" also opens reporting about a photo ("… was shared widely, police said"):
    # a caption says what the picture shows, in the present, with no quotation or source.
    return (
        bool(_CAPTION_THIS.match(text) and _CAPTION_VERB.search(text))
        and not has_quotes
        and not _ATTRIBUTION.search(text)
    )


def date_candidate(text: str) -> str:
    """A date line without its label and decorations, ready for a date parser."""
    candidate = _DATE_PREFIX.sub("", text)
    candidate = re.sub(r"[·|•()]", " ", candidate)
    return " ".join(candidate.split()).strip(" -–,")


def _is_date_line(text: str) -> bool:
    candidate = date_candidate(text)
    if not re.search(r"\d", candidate) or len(candidate) > 60:
        return False
    try:
        date_parser.parse(candidate, fuzzy=False)
    except (ValueError, OverflowError):
        return False
    return True


def _is_imperative(tokens: list[str]) -> bool:
    return tokens[0] in {
        "sign",
        "subscribe",
        "register",
        "download",
        "get",
        "follow",
        "join",
        "click",
        "tap",
        "try",
        "enjoy",
        "want",
        "never",
        "stay",
        "listen",
        "watch",
        "read",
        "support",
        "become",
    }


# Removed lines that introduce no list of their own: what follows a caption, a picture credit
# or a date line is the article again (a date line can sit above a sentence wrapped in two).
_NOT_HEADINGS = {R_CAPTION, R_CAPTION_CREDIT, R_CAPTION_LINE, R_PICTURE_CREDIT, R_DATELINE}


def _spread_within_blocks(lines: list[_Line]) -> None:
    """Residue comes in blocks: a banner's buttons, a widget's title, a link list's items.

    Within a blank-line separated block where most lines are residue, the remaining short lines
    with no quotation and no attribution go with them, for the same reason.
    """
    blocks: dict[int, list[_Line]] = {}
    for line in lines:
        blocks.setdefault(line.block, []).append(line)
    for members in blocks.values():
        head = members[0]
        if head.reason and head.words <= 4 and head.reason not in _NOT_HEADINGS:
            # A removed heading ("Share this", "Most read", "Related") takes its list with it.
            for member in members[1:]:
                if member.reason or member.words > 12 or _QUOTE_MARKS.search(member.content):
                    continue
                if not _TERMINAL.search(member.content) or member.words <= 3:
                    member.reason = head.reason
        removed = [m for m in members if m.reason]
        if not removed or len(removed) == len(members) or 2 * len(removed) < len(members) - 1:
            continue
        for member in members:
            if member.reason or member.words > 15 or _QUOTE_MARKS.search(member.content):
                continue
            if _ATTRIBUTION.search(member.content):
                continue
            nearest = min(removed, key=lambda r: abs(r.number - member.number))
            member.reason = nearest.reason


def _drop_empty_labels(lines: list[_Line]) -> None:
    """A short 'Label:' line is residue when nothing it introduces survived cleaning."""
    for i, line in enumerate(lines):
        if line.reason or not _LABEL.match(line.content) or line.words > 5:
            continue
        following = [other for other in lines[i + 1 :] if other.block == line.block]
        if i + 1 < len(lines) and lines[i + 1].block != line.block:
            following = []
        if all(other.reason for other in following):
            line.reason = R_LABEL


def _rebuild(kept: list[_Line]) -> str:
    """Join kept lines into paragraphs, mending lines that were wrapped mid-sentence."""
    paragraphs: list[str] = []
    last_block = -1
    for line in kept:
        content = line.content if _BULLET.match(line.raw.strip()) else line.raw.strip()
        same_block = line.block == last_block
        last_block = line.block
        if paragraphs and same_block and _continues(paragraphs[-1], content):
            paragraphs[-1] = f"{paragraphs[-1]} {content}"
        else:
            paragraphs.append(content)
    return "\n\n".join(paragraphs)


def _continues(previous: str, content: str) -> bool:
    if _TERMINAL.search(previous):
        return False
    first = content[:1]
    return first.islower() or (first.isdigit() and not previous.endswith(":"))


__all__ = ["CleanedText", "RemovedLine", "clean_text", "normalise_text"]
