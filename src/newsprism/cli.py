"""The command line: parse arguments, call the library, turn errors into messages and exit codes.

Exit codes: 0 success; 1 some input failed or a NewsprismError was raised; 2 usage error;
3 an internal error (a bug: run again with --debug for the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from newsprism import __version__
from newsprism.errors import NewsprismError

FORMAT_TEXT_JSON = click.Choice(["text", "json"])
DB_HELP = "SQLite file (default: $NEWSPRISM_DB or newsprism.db in your user data folder)."


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order they were added, which reads as a workflow


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsprism")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """newsprism: see how the news tells one story.

    Ingest articles from files, folders, JSONL, feeds, URLs and WARC archives; clean and store
    them; then compare how outlets cover the same story.
    """
    ctx.obj = {"debug": debug or bool(os.environ.get("NEWSPRISM_DEBUG"))}


def _open_store(db: str | None) -> Any:
    from newsprism.store import Store

    return Store(db)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A progress line on stderr for long runs (only on a terminal)."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _source: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("", total=None)

        def advance(source: str) -> None:
            progress.update(task, advance=1, description=source[-60:])

        yield advance


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", help=DB_HELP)
@click.option(
    "--no-fetch", is_flag=True, help="For feeds: use the entries' own text, don't fetch links."
)
@click.option(
    "--no-title-line", is_flag=True, help="Plain text: the first line is body, not the title."
)
@click.option("--quiet", "-q", is_flag=True, help="Only print the final counts and failures.")
def ingest(
    sources: tuple[str, ...], db: str | None, no_fetch: bool, no_title_line: bool, quiet: bool
) -> None:
    """Read, clean and store articles.

    SOURCES are .txt articles, .html pages, folders (recursive, by detected type), .jsonl files,
    RSS/Atom feeds (file or URL), page URLs, and .warc/.warc.gz archives. Duplicates are
    skipped; a changed article at a known URL is stored as a new version. One broken input
    never stops the rest; the exit status is 1 if anything failed.
    """
    from newsprism.ingest import ingest as run_ingest

    with _open_store(db) as store, _progress(not quiet) as advance:
        report = run_ingest(
            sources,
            store,
            fetch_links=not no_fetch,
            title_in_text=not no_title_line,
            on_article=advance,
        )
        where = store.path
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for failure in report.failures:
        click.echo(f"failed: {failure.message}", err=True)
    if not quiet:
        for source, original in report.duplicates:
            click.echo(f"duplicate: {source} (same content as {original})", err=True)
    click.echo(f"{report.summary()} — database: {where}")
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@click.option(
    "--no-title-line", is_flag=True, help="Plain text: the first line is body, not the title."
)
def clean(file: Path, fmt: str, no_title_line: bool) -> None:
    """Print one cleaned article (and what was removed, and why) without storing it."""
    from newsprism.ingest import IngestReport, clean_sources

    report = IngestReport()
    articles = list(clean_sources([file], report, title_in_text=not no_title_line))
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        payload = [_clean_json(a) for a in articles]
        click.echo(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False)
        )
    else:
        from newsprism.render.text import render_article

        click.echo("\n\n".join(render_article(a) for a in articles))
    for failure in report.failures:
        click.echo(f"failed: {failure.message}", err=True)
    if not report.ok:
        sys.exit(1)


def _clean_json(article: Any) -> dict[str, Any]:
    data: dict[str, Any] = article.to_dict()
    data["removed"] = [
        {"text": r["text"], "reason": r["reason"], "line": r["line"]} for r in data["removed"]
    ]
    return data


@cli.command()
@click.option("--db", help=DB_HELP)
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option(
    "--all-versions", is_flag=True, help="Also list earlier versions of changed articles."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def articles(
    db: str | None, outlet: str | None, limit: int, offset: int, all_versions: bool, fmt: str
) -> None:
    """List stored articles, newest first."""
    with _open_store(db) as store:
        rows = store.articles(outlet=outlet, limit=limit, offset=offset, all_versions=all_versions)
        total = store.count(all_versions=all_versions)
    if fmt == "json":
        click.echo(json.dumps([_listing(a) for a in rows], indent=2, ensure_ascii=False))
        return
    from newsprism.render.text import render_listing

    click.echo(render_listing(rows, total=total, offset=offset))


def _listing(article: Any) -> dict[str, Any]:
    return {
        "id": article.id,
        "outlet": article.outlet,
        "date": article.date.isoformat() if article.date else None,
        "title": article.title,
        "url": article.url,
        "words": len(article.text.split()),
        "version": article.version,
        "lang": article.lang,
    }


@cli.command()
@click.argument("article_id")
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def show(article_id: str, db: str | None, fmt: str) -> None:
    """Print one stored article (by id or unique id prefix) with its removed lines."""
    with _open_store(db) as store:
        article = store.get(article_id)
        versions = store.versions(article.id) if article else []
    if article is None:
        raise NewsprismError(
            f"no article with id {article_id!r}", hint="`newsprism articles` lists the ids"
        )
    if fmt == "json":
        data = _clean_json(article)
        data["versions"] = [v.id for v in versions]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from newsprism.render.text import render_article

    click.echo(render_article(article, versions=[v.id for v in versions]))


@cli.group("eval")
def eval_group() -> None:
    """Measure quality on the evaluation datasets in ../shared/data."""


def _register_eval_commands() -> None:
    from newsprism.eval import extraction

    eval_group.add_command(extraction.cli_command)


_register_eval_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI; NewsprismError → one clean line; a bug → a hint, no traceback."""
    debug = "--debug" in (argv if argv is not None else sys.argv) or bool(
        os.environ.get("NEWSPRISM_DEBUG")
    )
    try:
        cli.main(args=argv, prog_name="newsprism", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except NewsprismError as err:
        if debug:
            raise
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as err:
        if debug:
            raise
        click.echo(
            f"Internal error: {type(err).__name__}: {err}. This is a bug in newsprism; "
            "run the command again with --debug and report the traceback.",
            err=True,
        )
        sys.exit(3)
