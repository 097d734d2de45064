"""Alerts: each story event posted to webhooks (signed JSON) or piped to commands.

A webhook gets ``POST`` with the JSON of :func:`payload` and these headers:

* ``X-Newsprism-Signature: sha256=<hex>``: HMAC-SHA256 of the raw body with the shared secret
  (only when a secret is set);
* ``X-Newsprism-Timestamp``: when it was sent (Unix seconds; the body's ``sent_at`` says the same
  and is covered by the signature);
* ``X-Newsprism-Event``: the event kind, and ``X-Newsprism-Event-Id``: its number (the same on
  every retry, so a receiver can drop a repeat).

A 2xx answer is delivered; a connection error, a timeout, a 429 or a 5xx is tried again after a
growing wait (``backoff``, ``2 * backoff``, ...) up to ``tries`` times; any other answer fails at
once. A command gets the same JSON on its standard input, run without a shell; a non-zero exit
or a timeout is a failure. Every outcome is recorded in the store, and what failed or was cut
off (its delivery was left "pending") is sent again later in the run or by the next run; a
target that failed rests a while (``pause``) before it is tried again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import re
import shlex
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.store import Store

log = logging.getLogger("newsprism.events")
SIGNATURE_HEADER = "X-Newsprism-Signature"
TIMESTAMP_HEADER = "X-Newsprism-Timestamp"
PAYLOAD_SCHEMA = "newsprism.event/1"


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``body`` (compared in constant time)."""
    return header is not None and hmac.compare_digest(sign(body, secret), header)


def story_path(story_id: str) -> str:
    from urllib.parse import quote

    return "/stories/" + quote(story_id, safe="")


def payload(event: dict[str, Any], story: dict[str, Any] | None, sent_at: int) -> bytes:
    """The JSON body of one alert: the event's fields, the story's title and page path."""
    body = {
        "schema": PAYLOAD_SCHEMA,
        **event,
        "story_title": (story or {}).get("title"),
        "story_path": story_path(event["story_id"]),
        "sent_at": sent_at,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class Outcome:
    """One delivery attempt series of one event to one target."""

    event_pk: int
    target: str
    status: str  # "sent" | "failed"
    attempts: int
    error: str | None = None


Attempted = tuple[bool, int, str | None]  # delivered, attempts, the last error


@dataclass
class Webhook:
    url: str
    secret: str | None = None
    timeout: float = 10.0
    tries: int = 3
    backoff: float = 1.0

    @property
    def target(self) -> str:
        return f"webhook:{self.url}"

    def deliver(self, event: dict[str, Any], story: dict[str, Any] | None) -> Attempted:
        import httpx

        error: str | None = None
        for attempt in range(1, self.tries + 1):
            now = int(time.time())
            body = payload(event, story, now)
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "newsprism-alerts",
                TIMESTAMP_HEADER: str(now),
                "X-Newsprism-Event": str(event["kind"]),
                "X-Newsprism-Event-Id": str(event["pk"]),
            }
            if self.secret:
                headers[SIGNATURE_HEADER] = sign(body, self.secret)
            retry = True
            try:
                response = httpx.post(
                    self.url, content=body, headers=headers, timeout=self.timeout,
                    follow_redirects=False, trust_env=False,
                )  # fmt: skip
            except httpx.HTTPError as err:
                error = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
            else:
                if 200 <= response.status_code < 300:
                    return True, attempt, None
                error = f"HTTP {response.status_code}"
                retry = response.status_code == 429 or response.status_code >= 500
            if not retry:
                return False, attempt, error
            if attempt < self.tries:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        return False, self.tries, error


@dataclass
class Command:
    command: str
    timeout: float = 30.0

    @property
    def target(self) -> str:
        return f"cmd:{self.command}"

    def deliver(self, event: dict[str, Any], story: dict[str, Any] | None) -> Attempted:
        body = payload(event, story, int(time.time()))
        try:
            done = subprocess.run(  # the user's own command, split: no shell
                shlex.split(self.command), input=body, capture_output=True,
                timeout=self.timeout, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return False, 1, f"timed out after {self.timeout:g} s"
        except OSError as err:
            return False, 1, str(err)
        if done.returncode != 0:
            tail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            return False, 1, f"exit status {done.returncode}" + (f": {tail}" if tail else "")
        return True, 1, None


@dataclass
class StoryFilter:
    """Keeps alerts to stories of interest: any ``match`` text (case-insensitive) in the titles
    or texts of the story's articles, or any ``entity`` among the entities of their stored
    annotations (name or spelling) or in their text. No filter: every story."""

    match: list[str] = field(default_factory=list)
    entity: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A blank text would match every story.
        self.match = [m.strip() for m in self.match if m.strip()]
        self.entity = [" ".join(e.split()) for e in self.entity if e.strip()]

    def __bool__(self) -> bool:
        return bool(self.match or self.entity)

    def kept(self, store: Store, story_ids: Iterable[str]) -> set[str]:
        """The stories among ``story_ids`` that pass, decided on each story as it is now (a
        story that did not match may match once more articles have joined it)."""
        ids = set(story_ids)
        return ids if not self else {i for i in ids if self._story_matches(store, i)}

    def _story_matches(self, store: Store, story_id: str) -> bool:
        articles = store.story_articles(story_id)
        texts = [f"{a.title}\n{a.text}" for a in articles]
        for needle in self.match:
            pattern = re.compile(re.escape(needle), re.IGNORECASE)
            if any(pattern.search(t) for t in texts):
                return True
        if not self.entity:
            return False
        wanted = {e.casefold() for e in self.entity}
        for article in articles:
            annotation = store.annotation(article.id) or {}
            for ent in annotation.get("entities", []):
                names = {ent.get("name", ""), *ent.get("variants", [])}
                if {" ".join(n.split()).casefold() for n in names} & wanted:
                    return True
        for name in wanted:
            pattern = re.compile(r"\b" + re.escape(name) + r"\b", re.IGNORECASE)
            if any(pattern.search(" ".join(t.split())) for t in texts):
                return True
        return False


class Alerts:
    """Where events are sent, and which stories' events are."""

    def __init__(
        self,
        targets: Sequence[Webhook | Command] = (),
        story_filter: StoryFilter | None = None,
        pause: float = 300.0,
    ) -> None:
        self.targets = list(targets)
        self.filter = story_filter or StoryFilter()
        self.pause = pause
        self._redeliver_at: dict[str, float] = {}  # target -> when to send failed ones again
        self._down_until: dict[str, float] = {}  # target -> not tried before (it just failed)

    @classmethod
    def from_options(
        cls,
        notify: Iterable[str] = (),
        notify_cmd: Iterable[str] = (),
        match: Iterable[str] = (),
        entity: Iterable[str] = (),
        secret: str | None = None,
        *,
        timeout: float = 10.0,
        tries: int = 3,
        backoff: float = 1.0,
        command_timeout: float = 30.0,
        pause: float = 300.0,
    ) -> Alerts:
        """Alerts from the command line's ``--notify``, ``--notify-cmd``, ``--match``,
        ``--entity`` and the shared secret."""
        targets: list[Webhook | Command] = [
            Webhook(url, secret, timeout, tries, backoff) for url in notify
        ]
        targets += [Command(cmd, command_timeout) for cmd in notify_cmd]
        return cls(targets, StoryFilter(list(match), list(entity)), pause)

    def __bool__(self) -> bool:
        return bool(self.targets)

    def send(self, store: Store, events: Sequence[dict[str, Any]]) -> list[Outcome]:
        """Deliver each event (of a story the filter keeps) to every target; record each
        outcome.

        The first call (and, while a target keeps failing, one call every ``pause`` seconds)
        also sends again what earlier calls or runs failed to deliver to it. Once a target has
        failed, it is not tried again for ``pause`` seconds: its other events are recorded as
        failed without trying, so a receiver that is down does not hold up the caller (a watch)
        for every event, and they are sent when it is tried again.
        """
        if not self.targets:
            return []
        now = time.monotonic()
        todo: list[tuple[Webhook | Command, dict[str, Any]]] = []
        for target in self.targets:
            name = target.target
            if now >= self._redeliver_at.get(name, 0.0):
                self._redeliver_at[name] = math.inf  # until it fails again
                todo += [
                    (target, e)
                    for e in store.undelivered(name)
                    if store.delivery(e["pk"], name) is not None
                ]
        kept = self.filter.kept(store, (e["story_id"] for e in events))
        wanted = [e for e in events if e["story_id"] in kept]
        for target in self.targets:
            todo += [(target, e) for e in wanted]
        queued = list({(t.target, e["pk"]): (t, e) for t, e in todo}.values())
        for target, event in queued:
            # Marked first: a run killed mid-delivery leaves it pending, and the next run sends it.
            previous = store.delivery(event["pk"], target.target) or {}
            if previous.get("status") != "sent":
                attempts = int(previous.get("attempts") or 0)
                store.record_delivery(event["pk"], target.target, "pending", attempts)
        outcomes = []
        stories: dict[str, dict[str, Any] | None] = {}
        for target, event in queued:
            name = target.target
            previous = store.delivery(event["pk"], name) or {}
            if previous.get("status") == "sent":
                continue
            attempts = int(previous.get("attempts") or 0)
            if time.monotonic() < self._down_until.get(name, 0.0):
                waiting = f"not tried: the target failed {self.pause:g} s ago or less"
                store.record_delivery(event["pk"], name, "failed", attempts, waiting)
                outcomes.append(Outcome(event["pk"], name, "failed", attempts, waiting))
                continue
            story_id = event["story_id"]
            if story_id not in stories:
                stories[story_id] = store.story(story_id)
            ok, tried, error = target.deliver(event, stories[story_id])
            status = "sent" if ok else "failed"
            store.record_delivery(event["pk"], name, status, attempts + tried, error)
            if not ok:
                log.warning("alert %s to %s failed: %s", event["pk"], name, error)
                self._down_until[name] = time.monotonic() + self.pause
                self._redeliver_at[name] = self._down_until[name]
            outcomes.append(Outcome(event["pk"], name, status, attempts + tried, error))
        return outcomes


__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Alerts",
    "Command",
    "Outcome",
    "StoryFilter",
    "Webhook",
    "payload",
    "sign",
    "verify",
]
