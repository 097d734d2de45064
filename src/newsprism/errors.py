"""The one exception tree of newsprism.

Every error a user can see is a subclass of :class:`NewsprismError` and carries a
message that names what went wrong, where (file, line, field or URL) and what to do::

    NewsprismError
    ├── InputError          bad or unreadable input: a file, a JSONL line, a feed, a URL
    │   ├── EmptyInputError     nothing to read (empty file, page with no article text)
    │   ├── EncodingError       bytes that are not text in any encoding we can detect
    │   ├── FetchError          a URL that timed out, answered an error, or was too big
    │   └── LimitError          input past a bound: decompressed size, nesting depth, length
    ├── ExtractionError     HTML from which no article text could be extracted
    ├── StoreError          the database could not be opened, migrated or written
    └── DatasetError        an evaluation dataset is missing or not in the expected layout
"""

from __future__ import annotations


class NewsprismError(Exception):
    """Base class: a problem a user can read and act on."""

    code = "E000"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputError(NewsprismError):
    code = "E100"


class EmptyInputError(InputError):
    code = "E101"


class EncodingError(InputError):
    code = "E102"


class FetchError(InputError):
    code = "E103"


class LimitError(InputError):
    """Input past one of the bounds in :mod:`newsprism.ingest.limits` (size, depth, length)."""

    code = "E104"


class ExtractionError(NewsprismError):
    code = "E200"


class StoreError(NewsprismError):
    code = "E300"


class DatasetError(NewsprismError):
    code = "E400"


__all__ = [
    "DatasetError",
    "EmptyInputError",
    "EncodingError",
    "ExtractionError",
    "FetchError",
    "InputError",
    "LimitError",
    "NewsprismError",
    "StoreError",
]
