"""Story events as an Atom feed (RFC 4287): one entry per event, newest first.

Built with ElementTree, which escapes text and attributes; characters XML 1.0 cannot carry at
all (control characters an article may contain) are dropped first, so the feed is always
well-formed whatever the articles hold.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

KIND_TITLES = {
    "new_story": "New story",
    "new_outlet": "New outlet",
    "new_source": "New independent source",
    "new_claim": "New claim",
    "claim_corroborated": "Claim carried by more sources",
    "figure_conflict": "Figures differ",
    "quote_changed": "Quote changed",
    "headline_changed": "Headline changed",
}
EVENT_KINDS = tuple(KIND_TITLES)


def xml_text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _stamp(value: str | None) -> str:
    """An RFC 3339 time (Atom needs the zone): stored times are UTC."""
    if not value:
        return datetime.now(UTC).isoformat(timespec="seconds")
    when = datetime.fromisoformat(value)
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def event_text(event: dict[str, Any]) -> str:
    """The plain-text body of an event: its summary and the evidence quoted."""
    lines = [str(event.get("summary") or "")]
    for span in event.get("evidence") or []:
        text = " ".join(str(span.get("text") or "").split())
        if text:
            lines.append(f"— {text} [{span.get('article')}]")
    return "\n".join(lines)


def atom_feed(
    events: Sequence[dict[str, Any]],
    *,
    base_url: str,
    feed_path: str,
    title: str,
    feed_id: str,
    story_titles: dict[str, str] | None = None,
) -> bytes:
    """The Atom XML (UTF-8 bytes) of ``events``; links are absolute under ``base_url``."""
    ET.register_namespace("", ATOM)
    base = base_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    _sub(feed, "updated", _stamp(max((e["at"] for e in events), default=None)))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=base + feed_path)
    _sub(feed, "generator", "newsprism")
    for event in events:
        story_id = str(event["story_id"])
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:newsprism:event:{quote(story_id, safe='')}:{event['pk']}")
        kind = KIND_TITLES.get(event["kind"], event["kind"])
        story_title = (story_titles or {}).get(story_id)
        headline = f"{kind}: {event.get('summary') or ''}"
        _sub(entry, "title", headline if not story_title else f"{headline} — {story_title}")
        _sub(entry, "updated", _stamp(event.get("at")))
        _sub(entry, "link", rel="alternate", type="text/html",
             href=f"{base}/stories/{quote(story_id, safe='')}")  # fmt: skip
        if event.get("article_id"):
            _sub(entry, "link", rel="related", type="text/html",
                 href=f"{base}/articles/{quote(str(event['article_id']), safe='')}")  # fmt: skip
        author = _sub(entry, "author")
        _sub(author, "name", str(event.get("outlet") or "newsprism"))
        _sub(entry, "category", term=str(event["kind"]), label=kind)
        _sub(entry, "content", event_text(event), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


__all__ = ["CONTENT_TYPE", "EVENT_KINDS", "KIND_TITLES", "atom_feed", "event_text", "xml_text"]
