"""What readers yield: raw articles, located failures, and entries already stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from newsprism.errors import NewsprismError
from newsprism.ingest.limits import excerpt
from newsprism.model import RawArticle

# A message quotes at most a short excerpt of the input; this bounds the whole line.
MAX_MESSAGE_CHARS = 1000


@dataclass(frozen=True)
class ReadFailure:
    """A source or record that could not be read, with a message naming where and why."""

    where: str
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE_CHARS:
            object.__setattr__(self, "message", excerpt(self.message, MAX_MESSAGE_CHARS))


@dataclass(frozen=True)
class AlreadyStored:
    """A feed entry whose link is already in the store: not fetched again."""

    where: str
    url: str
    article_id: str


@dataclass(frozen=True)
class Skipped(ReadFailure):
    """A file a folder walk left out on purpose (a link out of the folder), with the reason:
    reported as a warning, not a failure, by readers that know it (others count it failed)."""


ReadItem = RawArticle | ReadFailure | AlreadyStored
KnownUrl = Callable[[str], str | None]  # url -> id of the stored article, or None


def failure(err: NewsprismError) -> ReadFailure:
    return ReadFailure(where=err.where or "?", message=str(err))


def unexpected(where: str, err: BaseException) -> ReadFailure:
    """An error no reader anticipated, reported against its input instead of ending the run."""
    return ReadFailure(
        where=where,
        message=f"{where}: could not be read ({type(err).__name__}: {excerpt(err)}); this is "
        "a bug in newsprism, please report it with this input",
    )


def isolated(items: Iterator[ReadItem], where: str) -> Iterator[ReadItem]:
    """The items of one reader; an unexpected error ends only this reader, as its failure."""
    try:
        yield from items
    except NewsprismError as err:
        yield failure(err)
    except Exception as err:  # one reader's bug must not end the batch
        yield unexpected(where, err)
