"""The ``story`` command: one stored story, its articles, and what was learned when."""

from __future__ import annotations

import json
from typing import Any

import click

from newsprism.errors import NewsprismError
from newsprism.text import COMMAND_SETTINGS, printable

DB_HELP = (
    "SQLite file or postgresql:// URL (default: $NEWSPRISM_DB or newsprism.db in your user "
    "data folder)."
)


@click.command("story", context_settings=COMMAND_SETTINGS)
@click.argument("story_id")
@click.option("--events", "with_events", is_flag=True, help="Also list the story's events.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--db", help=DB_HELP)
def story(story_id: str, with_events: bool, fmt: str, db: str | None) -> None:
    """Show one stored story: its articles and, with --events, what changed when.

    Events are recorded as articles arrive (`newsprism watch`): new outlet, new independent
    source, new claim, claim carried by more sources, conflicting figures, changed quotes and
    headlines, each with the passages it rests on (docs/events.md). `newsprism cluster`
    lists story ids.
    """
    from newsprism.store import open_store

    with open_store(db) as store:
        found = store.story(story_id)
        if found is None:
            raise NewsprismError(
                f"no stored story with id {story_id!r}", hint="`newsprism cluster` lists stories"
            )
        articles = store.story_articles(story_id)
        events = store.story_events(story_id) if with_events else []
        counted = len(events) if with_events else len(store.story_events(story_id))
    if fmt == "json":
        from newsprism.cli import _listing

        data: dict[str, Any] = {
            "story": found,
            "articles": [_listing(a) for a in articles],
        }
        if with_events:
            data["events"] = events
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    click.echo(render_story(found, articles, events if with_events else None, counted))


def render_story(
    found: dict[str, Any], articles: list[Any], events: list[dict[str, Any]] | None, counted: int
) -> str:
    """The terminal view: title, articles, and the event timeline (untrusted text made safe)."""
    lines = [
        printable(str(found.get("title") or found["id"])),
        f"{found['id']} · {len(articles)} articles · {counted} events",
        "",
    ]
    for a in articles:
        when = a.date.strftime("%Y-%m-%d %H:%M") if a.date else "undated"
        outlet = printable(a.outlet or "?")
        lines.append(f"  {when}  {outlet}: {printable(a.title)}  [{printable(a.id)}]")
    if events is None:
        if counted:
            lines += ["", "(--events lists what was learned when)"]
        return "\n".join(lines)
    lines += ["", "Events (oldest first):"]
    if not events:
        lines.append("  none recorded yet (events are recorded as articles arrive)")
    for e in events:
        lines.append(f"  #{e['pk']} {e['at']}  {e['kind']}: {printable(str(e.get('summary', '')))}")
        for span in e.get("evidence") or []:
            text = " ".join(str(span.get("text") or "").split())
            if text and e["kind"] not in ("new_story", "new_outlet", "new_source"):
                shown = text if len(text) <= 160 else text[:159] + "…"
                lines.append(f"      “{printable(shown)}” [{printable(str(span.get('article')))}]")
    return "\n".join(lines)


__all__ = ["render_story", "story"]
