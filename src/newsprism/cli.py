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
from typing import Any, ClassVar

import click

from newsprism import __version__
from newsprism.errors import NewsprismError
from newsprism.events.cli import story as story_command
from newsprism.revisions.command import diff as diff_command
from newsprism.text import COMMAND_SETTINGS
from newsprism.text import printable as _printable

FORMAT_TEXT_JSON = click.Choice(["text", "json"])
DB_HELP = (
    "SQLite file or postgresql:// URL (default: $NEWSPRISM_DB or newsprism.db in your user "
    "data folder)."
)


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order they were added, which reads as a workflow


@click.group(cls=_Group, context_settings=COMMAND_SETTINGS)
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
    from newsprism.store import open_store

    return open_store(db)


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
@click.option("--no-stories", is_flag=True, help="Store only; don't assign articles to stories.")
@click.option(
    "--follow-links",
    is_flag=True,
    help="In folders, also read symbolic links that point outside the folder.",
)
def ingest(
    sources: tuple[str, ...],
    db: str | None,
    no_fetch: bool,
    no_title_line: bool,
    quiet: bool,
    no_stories: bool,
    follow_links: bool,
) -> None:
    """Read, clean, store articles, and put each new one into a story (incrementally).

    SOURCES are .txt articles, .html pages, folders (recursive, by detected type), .jsonl files,
    RSS/Atom feeds (file or URL), page URLs, and .warc/.warc.gz archives. Duplicates are
    skipped; a changed article at a known URL is stored as a new version. One broken input
    never stops the rest; the exit status is 1 if anything failed. Articles an earlier,
    interrupted run stored without a story are put into stories first.
    """
    from newsprism.ingest import assign_pending
    from newsprism.ingest import ingest as run_ingest

    with _open_store(db) as store, _progress(not quiet) as advance:
        earlier = [] if no_stories else assign_pending(store)
        report = run_ingest(
            sources,
            store,
            fetch_links=not no_fetch,
            title_in_text=not no_title_line,
            on_article=advance,
            follow_links=follow_links,
        )
        where = store.path
        touched: list[str] = []
        if report.ingested and not no_stories:
            from newsprism.stories import assign_stories

            touched = assign_stories(store, report.ingested)
    if earlier:
        click.echo(f"{len(earlier)} articles stored by an earlier run put into stories", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {_printable(warning)}", err=True)
    for failure in report.failures:
        click.echo(f"failed: {_printable(failure.message)}", err=True)
    if not quiet:
        for source, original in report.duplicates:
            click.echo(f"duplicate: {_printable(source)} (same content as {original})", err=True)
    stories = f", in {len(touched)} stor{'y' if len(touched) == 1 else 'ies'}" if touched else ""
    click.echo(f"{report.summary()}{stories} — database: {where}")
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

    click.echo(render_listing([_printable_article(a) for a in rows], total=total, offset=offset))


def _printable_article(article: Any) -> Any:
    """A copy of a stored article whose text fields cannot drive the terminal when printed."""
    from dataclasses import replace

    fields = ("id", "title", "text", "outlet", "author", "url", "source", "credit", "lang")
    changed = {f: _printable(v) for f in fields if isinstance(v := getattr(article, f), str)}
    removed = [replace(r, text=_printable(r.text)) for r in article.removed]
    return replace(article, **changed, removed=removed)


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

    shown = _printable_article(article)
    click.echo(render_article(shown, versions=[_printable(v.id) for v in versions]))


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("--db", help=DB_HELP)
@click.option("--all", "all_stored", is_flag=True, help="Annotate every stored article.")
@click.option("--refresh", is_flag=True, help="Recompute even when a stored annotation exists.")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
def annotate(targets: tuple[str, ...], db: str | None, all_stored: bool, refresh: bool,
             fmt: str) -> None:  # fmt: skip
    """Sentences, entities, quotes with speakers, numbers and dates of articles.

    TARGETS are stored article ids (the result is stored with the article) or files, which
    are read and cleaned like `newsprism clean` and annotated without storing anything.
    """
    from newsprism.annotations import annotate_stored
    from newsprism.nlp import annotate as annotate_text

    if not targets and not all_stored:
        raise click.UsageError("give article ids or files, or --all")
    results: list[dict[str, Any]] = []
    failed = False
    with _open_store(db) as store:
        stored = store.articles(limit=None) if all_stored else []
        files: list[str] = []
        for target in targets:
            article = store.get(target) if not Path(target).exists() else None
            if article is not None:
                stored.append(article)
            elif Path(target).exists():
                files.append(target)
            else:
                click.echo(f"failed: {target}: no stored article with this id, and no such file",
                           err=True)  # fmt: skip
                failed = True
        with _progress(len(stored) > 5) as advance:
            annotated = annotate_stored(store, stored, refresh=refresh, on_article=advance)
        results += [{"article": a.id, "title": a.title, **data}
                    for a, data in zip(stored, annotated, strict=True)]  # fmt: skip
    if files:
        from newsprism.ingest import IngestReport, clean_sources

        report = IngestReport()
        for article in clean_sources(files, report):
            data = annotate_text(article.text, published=article.date, doc_id=article.id)
            results.append({"article": article.source, "title": article.title, **data.to_dict()})
        for failure in report.failures:
            click.echo(f"failed: {failure.message}", err=True)
        failed = failed or not report.ok
    _print_annotations(results, fmt)
    if failed:
        sys.exit(1)


def _print_annotations(results: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(results[0] if len(results) == 1 else results, indent=2,
                              ensure_ascii=False, default=str))  # fmt: skip
        return
    from newsprism.annotations import annotation_from_dict
    from newsprism.nlp import format_annotation

    for result in results:
        click.echo(f"== {result['title']} ({result['article']})")
        fields = {k: v for k, v in result.items() if k not in {"article", "title"}}
        click.echo(format_annotation(annotation_from_dict(fields)))
        click.echo("")


@cli.command()
@click.argument("files", nargs=-1)
@click.option("--story", "story_id", help="Compare the articles of this stored story.")
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text",
              show_default=True)  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report here instead of printing it.")  # fmt: skip
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report to this file.")  # fmt: skip
def compare(files: tuple[str, ...], story_id: str | None, db: str | None, fmt: str,
            output: Path | None, html_path: Path | None) -> None:  # fmt: skip
    """Compare how outlets cover one story: shared and unique claims, conflicts, quotes,
    sources, framing, wire copies, and a neutral summary citing its articles.

    Give the story's articles as FILES (any source `ingest` reads: files, folders, JSONL,
    URLs), or a stored story with --story ID (`newsprism cluster` lists story ids).
    """
    from newsprism.compare import compare_articles, validate_report

    if bool(files) == bool(story_id):
        raise click.UsageError("give either FILES or --story ID")
    failed = False
    if story_id:
        with _open_store(db) as store:
            articles = store.story_articles(story_id)
        if not articles:
            raise NewsprismError(
                f"no stored story with id {story_id!r}", hint="`newsprism cluster` lists stories"
            )
    else:
        from newsprism.ingest import IngestReport, clean_sources

        report_in = IngestReport()
        articles = list(clean_sources(list(files), report_in))
        for failure in report_in.failures:
            click.echo(f"failed: {failure.message}", err=True)
        failed = not report_in.ok
        if not articles:
            raise NewsprismError("none of the inputs could be read; nothing to compare")
    report = compare_articles(articles)
    if story_id:  # articles whose text changed at their URL say so, and what changed
        from newsprism.revisions.history import add_revisions

        with _open_store(db) as store:
            add_revisions(report, store)
    validate_report(report)
    if fmt == "json":
        text = json.dumps(report, indent=2, ensure_ascii=False)
    else:
        from newsprism.render.markdown import render_markdown, render_text

        text = render_markdown(report) if fmt == "md" else render_text(report)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"report written to {output}", err=True)
    else:
        click.echo(text)
    if html_path:
        from newsprism.render.html import render_html

        html_path.write_text(render_html(report), encoding="utf-8")
        click.echo(f"HTML report written to {html_path}", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=True, path_type=Path))
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)  # fmt: skip
def cluster(file: Path | None, db: str | None, fmt: str) -> None:
    """Group articles into stories (events), with independent sources after wire copies.

    With FILE (JSONL or anything `ingest` reads) the articles are clustered without storing
    them; otherwise the stored stories are shown (articles not yet in a story are assigned).
    JSON: {"assignments": {article_id: story_id}, "stories": [...]}.
    """
    if file is not None:
        from newsprism.cluster import cluster_articles
        from newsprism.ingest import IngestReport, clean_sources

        report_in = IngestReport()
        articles = list(clean_sources([file], report_in))
        for failure in report_in.failures:
            click.echo(f"failed: {failure.message}", err=True)
        result: dict[str, Any] = dict(cluster_articles(articles))
        failed = not report_in.ok
    else:
        from newsprism.stories import stored_clustering

        with _open_store(db) as store:
            result = stored_clustering(store)
        failed = False
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        from newsprism.render.text import render_stories

        click.echo(render_stories(result["stories"]))
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--token", help="Required for ingest/upload when bound beyond loopback "
              "(default: $NEWSPRISM_TOKEN).")  # fmt: skip
@click.option("--private", is_flag=True, help="Require the token for reading too.")
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this host name (repeatable); by default only the --host "
    "address (and localhost on loopback): other names are refused against DNS rebinding.",
)
def serve(
    db: str | None,
    host: str,
    port: int,
    token: str | None,
    private: bool,
    allowed_hosts: tuple[str, ...],
) -> None:
    """Run the web app: story list, story reports, articles, outlets, ingest, JSON API."""
    from newsprism.ingest import assign_pending
    from newsprism.web import serve as run_server

    assign_pending(db)  # articles an interrupted ingest stored without a story
    run_server(db, host=host, port=port, token=token, private=private, extra_hosts=allowed_hosts)


def _register_scale_commands() -> None:
    from newsprism.scale.commands import batch_command, export_command

    cli.add_command(batch_command)
    cli.add_command(export_command)
    from newsprism.watch.cli import watch_group

    cli.add_command(watch_group)


_register_scale_commands()
cli.add_command(diff_command)
cli.add_command(story_command)


class _LazyEvalGroup(click.Group):
    """`newsprism eval` subcommands, imported only when used: each pulls in heavy libraries
    (spaCy, torch, trafilatura) that the other commands must not pay for at start-up."""

    modules: ClassVar[dict[str, str]] = {
        "alignment": "newsprism.eval.alignment",
        "clustering": "newsprism.eval.clustering",
        "lineage": "newsprism.eval.lineage",
        "paraphrase": "newsprism.eval.paraphrase",
        "extraction": "newsprism.eval.extraction",
        "quotes": "newsprism.eval.quotes",
        "summary": "newsprism.eval.summary",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.modules)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.modules:
            return None
        import importlib

        command = importlib.import_module(self.modules[cmd_name]).cli_command
        return command if isinstance(command, click.Command) else None


@cli.group("eval", cls=_LazyEvalGroup)
def eval_group() -> None:
    """Measure quality on the evaluation datasets in ../shared/data."""


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
