"""Text shown on a terminal."""

from __future__ import annotations

import re

__all__ = ["COMMAND_SETTINGS", "printable"]

# Every command, also one run on its own (tests, `python -m`), takes -h as well as --help, so its
# help text is the same however it was reached (docs/cli.md is generated from it).
COMMAND_SETTINGS = {"help_option_names": ["-h", "--help"]}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text safe for a terminal: control characters (escape sequences) shown as ``\\x1b``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
