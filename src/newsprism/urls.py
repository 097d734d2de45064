"""URL identity and outlet names from hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

_TRACKING = ("utm_", "fbclid=", "gclid=", "ocid=", "cmpid=")


def normalise_url(url: str) -> str:
    """The identity of a URL for duplicate detection: no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith(_TRACKING))
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/") or "/"
    return f"{parts.scheme.lower()}://{host}{path}" + (f"?{query}" if query else "")


def outlet_from_url(url: str | None) -> str | None:
    """The site's host without www./m./amp. prefixes, e.g. 'example-news.com'."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "amp.", "edition.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host or None
