"""What changed in a story, and alerts about it.

:func:`record_events` computes the events of newly stored articles incrementally against each
story's saved state (new story, new outlet, new independent source, new claim, claim carried by
more sources, conflicting figures, changed quotes, changed headlines) and stores them;
:class:`Alerts` posts them to webhooks or pipes them to commands. See docs/events.md.

The names load on first use: the detection pulls in the comparison stage (seconds to import),
which the ``newsprism story`` command and the feeds do not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsprism.events.alerts import Alerts, StoryFilter, sign, verify
    from newsprism.events.feed import EVENT_KINDS, KIND_TITLES, atom_feed
    from newsprism.events.record import record_events, record_queued

_WHERE = {
    "Alerts": "newsprism.events.alerts",
    "StoryFilter": "newsprism.events.alerts",
    "sign": "newsprism.events.alerts",
    "verify": "newsprism.events.alerts",
    "EVENT_KINDS": "newsprism.events.feed",
    "KIND_TITLES": "newsprism.events.feed",
    "atom_feed": "newsprism.events.feed",
    "record_events": "newsprism.events.record",
    "record_queued": "newsprism.events.record",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'newsprism.events' has no attribute {name!r}")


__all__ = [
    "EVENT_KINDS",
    "KIND_TITLES",
    "Alerts",
    "StoryFilter",
    "atom_feed",
    "record_events",
    "record_queued",
    "sign",
    "verify",
]
