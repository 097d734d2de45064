"""``newsprism diff``: what changed between two stored versions of an article."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from newsprism.revisions.diff import TextDiff, segments
from newsprism.text import COMMAND_SETTINGS, printable

if TYPE_CHECKING:
    from newsprism.revisions.history import Version

DB_HELP = (
    "SQLite file or postgresql:// URL (default: $NEWSPRISM_DB or newsprism.db in your user "
    "data folder)."
)
_COLOUR = {"added": "green", "removed": "red"}
_MARK = {"added": ("{+", "+}"), "removed": ("[-", "-]")}


class _UsageLine(click.ClickException):
    """A usage error shown as one line (exit 2), without click's usage banner."""

    exit_code = 2


@click.command("diff", context_settings=COMMAND_SETTINGS)
@click.argument("article_id")
@click.option("--db", help=DB_HELP)
@click.option(
    "--version",
    "version",
    type=int,
    help="Compare version N with version N-1 (default: the version ARTICLE_ID names, and for "
    "the first version's id the latest, each with the one before it).",
)
@click.option("--from", "start", type=int, help="Compare from this version ...")
@click.option("--to", "end", type=int, help="... to this one (default: the latest).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)  # fmt: skip
@click.option("--full", is_flag=True, help="Text: the whole body, not only changed paragraphs.")
def diff(
    article_id: str,
    db: str | None,
    version: int | None,
    start: int | None,
    end: int | None,
    fmt: str,
    full: bool,
) -> None:
    """Show what changed between two stored versions of an article: the time of each version,
    then the title and the body word by word, [-removed-] and {+added+} (coloured on a
    terminal), and a summary ("2 passages reworded, 12 words added, 3 removed").

    A new version is stored when a known URL returns changed text. ARTICLE_ID is any
    version's id (`abc123~2`) or the article's id (`newsprism show ID` lists its versions).
    """
    from newsprism.revisions.history import choose, history, revise
    from newsprism.store import open_store

    with open_store(db) as store:
        named, versions = history(store, article_id)
    try:
        old, new = choose(versions, named, version=version, start=start, end=end)
    except ValueError as err:  # a version number that is not stored: a usage error, one line
        raise _UsageLine(str(err)) from err
    revision = revise(old, new)
    if fmt == "json":
        data = {"article": versions[0].article.id, "versions": [v.to_dict() for v in versions]}
        click.echo(json.dumps({**data, **revision.to_dict()}, indent=2, ensure_ascii=False))
        return
    lines = [printable(new.article.title or "Untitled")]
    lines += _version_lines(versions, (old.number, new.number))
    lines += ["", f"Title: {_marked(revision.title)}" if revision.title.changes else "Title: same"]
    lines += ["", *_body_lines(revision.body, full), "", revision.summary()]
    click.echo("\n".join(lines))


def _version_lines(versions: Sequence[Version], compared: tuple[int, int]) -> list[str]:
    from newsprism.render.dates import human_date

    out, width = [], max(len(printable(v.article.id)) for v in versions)
    for v in versions:
        mark = {compared[0]: "from", compared[1]: "to"}.get(v.number, "")
        when = "stored " + (human_date(v.stored.isoformat()) if v.stored else "at an unknown time")
        if v.article.date:
            when += f", published {human_date(v.article.date.isoformat())}"
        out.append(f"{mark:>4}  v{v.number}  {printable(v.article.id):<{width}}  {when}")
    return out


def _marked(change: TextDiff) -> str:
    return "\n".join(line for line, _ in _lines(change))


def _lines(change: TextDiff) -> list[tuple[str, bool]]:
    """The new text line by line with the changes marked, and whether each line has one."""
    lines: list[tuple[str, bool]] = [("", False)]
    for kind, text in segments(change):
        for n, part in enumerate(printable(text).split("\n")):
            if n:
                lines.append(("", False))
            if not part:
                continue
            line, changed = lines[-1]
            if kind == "same":
                lines[-1] = (line + part, changed)
            else:
                opening, closing = _MARK[kind]
                lines[-1] = (line + click.style(opening + part + closing, fg=_COLOUR[kind]), True)
    return lines


def _body_lines(change: TextDiff, full: bool) -> list[str]:
    """The body with its changes marked: all of it with --full, else the paragraphs with a
    change and how many unchanged ones were left out between them."""
    if not change.changes:
        return ["Body: no changes"]
    if full:
        return ["Body:", _marked(change)]
    shown, skipped = [], 0
    for line, changed in _lines(change):
        if changed:
            if skipped:
                shown.append(_skipped(skipped))
                skipped = 0
            shown.append(line)
        elif line.strip():
            skipped += 1
    if skipped:
        shown.append(_skipped(skipped))
    return ["Body (changed paragraphs):", "\n\n".join(shown)]


def _skipped(n: int) -> str:
    return f"  [… {n} unchanged paragraph{'' if n == 1 else 's'} …]"


__all__ = ["diff"]
