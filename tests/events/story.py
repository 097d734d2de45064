"""A small invented story for the event tests: a ferry sinking told by three outlets, one of
which copies another's wire text, and a later version of the first report."""

from __future__ import annotations

from datetime import datetime

from newsprism.model import Article

FIRST = (
    "A passenger ferry sank in Lake Marrow on Monday evening, killing 12 people, the coast "
    "guard said.\n\n"
    "The ferry Aurora was carrying 85 passengers from Dunmore to the island of Keel when it "
    "capsized in strong winds about two kilometres from the shore.\n\n"
    "Rescue boats pulled 60 survivors from the water and searched through the night for the "
    "missing.\n\n"
    '"We are doing everything we can to find every last person," said coast guard commander '
    "Tomas Brenner.\n\n"
    "The ferry operator, Lakeline, said it would cooperate fully with investigators."
)
SECOND = (
    "At least 15 people died when a ferry capsized on Lake Marrow on Monday evening, "
    "officials said on Tuesday.\n\n"
    "The vessel, the Aurora, overturned in high winds about two kilometres off the shore "
    "while sailing from Dunmore to Keel island with 85 passengers aboard.\n\n"
    "Survivors said the crew had ignored warnings about the weather before leaving port.\n\n"
    '"We will not stop until we have found every single person," coast guard commander '
    "Tomas Brenner told reporters.\n\n"
    "Families of the missing gathered at the harbour in Dunmore overnight, waiting for news."
)
VERSION = (
    "A passenger ferry sank in Lake Marrow on Monday evening, killing 14 people, the coast "
    "guard said.\n\n"
    "The ferry Aurora was carrying 85 passengers from Dunmore to the island of Keel when it "
    "capsized in strong winds about two kilometres from the shore.\n\n"
    "Rescue boats pulled 60 survivors from the water and searched through the night for the "
    "missing.\n\n"
    '"We are doing everything in our power to find every last person," said coast guard '
    "commander Tomas Brenner.\n\n"
    "The ferry operator, Lakeline, said it would cooperate fully with investigators."
)


def _article(aid: str, title: str, text: str, outlet: str, when: str) -> Article:
    return Article(
        id=aid,
        title=title,
        text=text,
        source=f"{aid}.txt",
        kind="jsonl",
        url=f"https://{outlet.split()[0].lower()}.example/ferry",
        outlet=outlet,
        date=datetime.fromisoformat(f"2026-03-02T{when}:00+00:00"),
        lang="en",
    )


def first() -> Article:
    return _article(
        "harbour-ferry", "Ferry sinks in Lake Marrow, 12 dead", FIRST, "Harbour Times", "20:00"
    )


def second() -> Article:
    title = "At least 15 dead as ferry capsizes on Lake Marrow"
    return _article("lakeside-ferry", title, SECOND, "Lakeside Post", "21:00")


def copy() -> Article:
    """A regional paper running the first report's wire text with a line of its own."""
    text = FIRST + "\n\nThe Valley Gazette will update this story."
    return _article(
        "valley-ferry", "Ferry disaster on Lake Marrow", text, "Valley Gazette", "21:30"
    )


def version() -> Article:
    """The first report, updated at its URL: new headline, new toll, a quote reworded."""
    title = "Ferry sinks in Lake Marrow, death toll rises to 14"
    return _article("harbour-ferry", title, VERSION, "Harbour Times", "20:00")
