"""The ``watch`` command group, for ``cli.py`` to register (``cli.add_command(watch_group)``)."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsprism.errors import InputError, NewsprismError
from newsprism.ingest.pipeline import is_url
from newsprism.scale.commands import DB_HELP
from newsprism.text import COMMAND_SETTINGS, printable
from newsprism.watch.schedule import clock_time, format_duration, iso_time, parse_duration

SECRET_ENV = "NEWSPRISM_WEBHOOK_SECRET"

if TYPE_CHECKING:
    from newsprism.watch.poll import OnStored, PollReport


def _source_key(source: str) -> str:
    from newsprism.watch.poll import WatchedSource

    return WatchedSource(source, 0).key


class _WatchGroup(click.Group):
    """``newsprism watch [SOURCE]...`` runs ``watch run``; ``add``, ``list`` and ``remove``
    edit the watch list kept in the database."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


class Duration(click.ParamType):
    name = "DURATION"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float | int):
            return float(value)
        try:
            return parse_duration(str(value))
        except InputError as err:
            self.fail(str(err), param, ctx)


@click.group(
    "watch",
    cls=_WatchGroup,
    context_settings=COMMAND_SETTINGS,
    subcommand_metavar="[SOURCE]... | COMMAND [ARGS]...",
)
def watch_group() -> None:
    """Poll feeds, pages and folders on a schedule; store what is new and put it into stories.

    `newsprism watch SOURCE... [OPTIONS]` is short for `newsprism watch run SOURCE...`; with no
    SOURCE it watches the database's watch list (`watch add`, `watch list`, `watch remove`).
    A source named like a subcommand is given as ./add. See docs/watching.md.
    """


@watch_group.command("run", context_settings=COMMAND_SETTINGS)
@click.argument("sources", nargs=-1)
@click.option("--db", help=DB_HELP)
@click.option(
    "--every",
    type=Duration(),
    default="15m",
    show_default=True,
    help="Poll each source this often (90s, 15m, 1h, 1h30m, 2d). A watch-list entry's own "
    "interval wins.",
)
@click.option("--once", is_flag=True, help="Poll once (every source not backing off) and exit.")
@click.option(
    "--host-interval",
    type=Duration(),
    default="1s",
    show_default=True,
    help="Least pause between two requests to the same host.",
)
@click.option(
    "--timeout",
    type=Duration(),
    default="20s",
    show_default=True,
    help="Give up on a response that sends nothing for this long.",
)
@click.option("--no-stories", is_flag=True, help="Store only; don't assign articles to stories.")
@click.option("--quiet", "-q", is_flag=True, help="Log only polls that found or failed something.")
@click.option("--notify", multiple=True, metavar="URL", help="POST story events to this webhook.")
@click.option(
    "--notify-cmd", multiple=True, metavar="CMD", help="Run this command for each story event."
)
@click.option("--match", multiple=True, metavar="TEXT", help="Alert only on events matching TEXT.")
@click.option(
    "--entity", multiple=True, metavar="NAME", help="Alert only on events naming this entity."
)
@click.option(
    "--secret",
    default=lambda: os.environ.get(SECRET_ENV),
    show_default=f"${SECRET_ENV}",
    help="Sign webhook bodies with this secret.",
)
def run_command(
    sources: tuple[str, ...],
    db: str | None,
    every: float,
    once: bool,
    host_interval: float,
    timeout: float,
    no_stories: bool,
    quiet: bool,
    notify: tuple[str, ...],
    notify_cmd: tuple[str, ...],
    match: tuple[str, ...],
    entity: tuple[str, ...],
    secret: str | None,
) -> None:
    """Poll SOURCES (feed or page URLs, files, folders) until stopped.

    Each poll prints one line per source: new, updated, unchanged and failed articles and the
    next poll. Ctrl-C finishes the article in hand, saves what was done and exits (twice:
    at once); the next run resumes. Conditional requests, a pause between requests to one
    host, backoff after failures and the server's Retry-After keep it polite.
    """
    from newsprism.ingest import FetchLimits, assign_pending
    from newsprism.store import open_store
    from newsprism.watch.poll import WatchedSource, Watcher

    if every < 1:
        raise click.BadParameter("must be at least 1s", param_hint="--every")
    for source in sources:
        checked_source(source)
    limits = FetchLimits(read_timeout=timeout, connect_timeout=min(10.0, timeout))
    stop = threading.Event()
    with open_store(db) as store:

        def listed() -> list[WatchedSource]:
            if sources:
                return [WatchedSource(s, every) for s in sources]
            return [WatchedSource(w["source"], w["every_s"] or every) for w in store.watches()]

        if not listed():
            raise NewsprismError(
                "nothing to watch",
                hint="give SOURCE... or add sources with `newsprism watch add SOURCE`",
            )
        if not no_stories:
            earlier = assign_pending(store)  # what a killed run stored without its story
            if earlier:
                click.echo(f"{len(earlier)} articles stored earlier put into stories", err=True)
        if no_stories and (notify or notify_cmd or match or entity):
            raise click.UsageError("alerts are about stories: drop --no-stories to use them")
        on_stored = None
        if not no_stories:  # events are about stories
            on_stored = _alerts(store, notify, notify_cmd, match, entity, secret)

        def show(report: PollReport) -> None:
            busy = report.new or report.updated or report.failed or report.error
            if not quiet or busy:
                click.echo(report.line())

        with (
            Watcher(
                store,
                host_interval_s=host_interval,
                limits=limits,
                stories=not no_stories,
                on_stored=on_stored,
                stop=stop,
            ) as watcher,
            _stop_on_signals(stop),
        ):
            summary = watcher.run(listed, once=once, on_report=show)
    click.echo(summary.line(), err=True)


def _alerts(
    store: Any,
    notify: tuple[str, ...],
    notify_cmd: tuple[str, ...],
    match: tuple[str, ...],
    entity: tuple[str, ...],
    secret: str | None,
) -> OnStored | None:
    """Story events and their alerts for what each poll stored, when newsprism.events is
    there; without it, watching works and alert options are refused."""
    if importlib.util.find_spec("newsprism.events") is None:
        if notify or notify_cmd or match or entity:
            raise click.UsageError("alerts need story events (newsprism.events), not installed")
        return None
    events_module: Any = importlib.import_module("newsprism.events")
    alerts = events_module.Alerts.from_options(
        notify=list(notify),
        notify_cmd=list(notify_cmd),
        match=list(match),
        entity=list(entity),
        secret=secret,
    )

    def on_stored(results: list[Any]) -> None:
        events = events_module.record_events(store, results)
        alerts.send(store, events)

    # What a killed run stored before working out its events, and alerts it did not deliver.
    earlier = events_module.record_queued(store)
    if earlier:
        click.echo(f"{len(earlier)} story events of articles stored earlier recorded", err=True)
    alerts.send(store, earlier)
    return on_stored


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl-C (or SIGTERM) asks the watcher to stop after the article in hand; a
    second one interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def ask_to_stop(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("stopping after the current article (Ctrl-C again to quit at once)", err=True)

    previous = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def checked_source(source: str) -> str:
    """A source as it is watched (an http(s) URL, or a file or folder as an absolute path);
    one clear error for anything else."""
    if not source.strip():
        raise InputError("an empty source", where="SOURCE", hint="give a URL, file or folder")
    if is_url(source):
        return source
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) and not Path(source).exists():
        scheme = source.split("://", 1)[0]
        raise InputError(f"{scheme}:// cannot be watched", where=source,
                         hint="give an http(s) URL, a file or a folder")  # fmt: skip
    path = Path(source)
    if not path.exists():
        raise InputError("no such file or folder", where=source)
    return str(path.resolve())


@watch_group.command("add", context_settings=COMMAND_SETTINGS)
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", help=DB_HELP)
@click.option("--every", type=Duration(), help="Poll it this often (default: `watch run --every`).")
def add_command(sources: tuple[str, ...], db: str | None, every: float | None) -> None:
    """Add SOURCES (URLs, files, folders) to the watch list, or change their interval."""
    from newsprism.store import open_store

    if every is not None and every < 1:
        raise click.BadParameter("must be at least 1s", param_hint="--every")
    with open_store(db) as store:
        for source in sources:
            name = checked_source(source)
            added = store.watch_add(name, round(every) if every else None)
            interval = f" every {format_duration(every)}" if every else ""
            click.echo(f"{'watching' if added else 'updated'}: {printable(name)}{interval}")


@watch_group.command("remove", context_settings=COMMAND_SETTINGS)
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", help=DB_HELP)
def remove_command(sources: tuple[str, ...], db: str | None) -> None:
    """Remove SOURCES from the watch list (exit status 1 if one was not in it)."""
    from newsprism.store import open_store

    missing = []
    with open_store(db) as store:
        for source in sources:
            name = source if is_url(source) else str(Path(source).resolve())
            if store.watch_remove(name) or (name != source and store.watch_remove(source)):
                click.echo(f"removed: {printable(name)}")
            else:
                missing.append(source)
    if missing:
        raise NewsprismError(f"not in the watch list: {', '.join(map(printable, missing))}")


@watch_group.command("list", context_settings=COMMAND_SETTINGS)
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def list_command(db: str | None, fmt: str) -> None:
    """The watch list, with each source's last poll and its state (failing, waiting)."""
    import time

    from newsprism.store import open_store

    with open_store(db) as store:
        listed = [
            (watch, store.fetch_state(_source_key(watch["source"])) or {})
            for watch in store.watches()
        ]
    if fmt == "json":
        rows = [
            {
                "source": watch["source"],
                "every_s": watch["every_s"],
                "added_at": watch["added_at"],
                "last_poll": iso_time(state["last_poll"]) if state.get("last_poll") else None,
                "failures": state.get("failures", 0),
                "error": state.get("error"),
                "not_before": iso_time(state["not_before"]) if state.get("not_before") else None,
            }
            for watch, state in listed
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not listed:
        click.echo("the watch list is empty (add sources with `newsprism watch add`)")
        return
    now = time.time()
    for watch, state in listed:
        every = format_duration(watch["every_s"]) if watch["every_s"] else "default"
        status = "not polled yet"
        if state.get("last_poll"):
            status = f"last poll {iso_time(state['last_poll'])}"
        if state.get("error"):
            status += f"; failing ({state.get('failures', 0)}x): {state['error']}"
        if state.get("not_before", 0) > now:
            status += f"; waiting until {clock_time(state['not_before'], now)}"
        click.echo(printable(f"{watch['source']}  every {every}  {status}"))
