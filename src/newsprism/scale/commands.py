"""The ``batch`` and ``export`` commands, for ``cli.py`` to register (``cli.add_command``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsprism.errors import NewsprismError
from newsprism.text import COMMAND_SETTINGS, printable

DB_HELP = (
    "SQLite file or postgresql:// URL (default: $NEWSPRISM_DB or newsprism.db in your user "
    "data folder)."
)


@click.command("batch", context_settings=COMMAND_SETTINGS)
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", help=DB_HELP)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Run the per-article stages here, or on Dask workers.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="A running Dask scheduler (tcp://host:8786); default: a LocalCluster.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help=(
        "LocalCluster worker processes (with --engine dask and no --scheduler); with 2 or "
        "more (local engine), that many helper processes clean ahead of the writer, and one "
        "reads days and works out lineage beside the clusterer. 1: no helper, same results."
    ),
)
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Articles per partition.",
)
@click.option("--annotate", is_flag=True, help="Also annotate (sentences, entities, quotes).")
@click.option("--no-stories", is_flag=True, help="Store only; don't assign stories.")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where progress and spill files live (default: beside the database).",
)
@click.option("--quiet", "-q", is_flag=True, help="Only print the final counts.")
@click.option(
    "--follow-links",
    is_flag=True,
    help="In folders, also read symbolic links that point outside the folder.",
)
def batch_command(
    inputs: tuple[str, ...], db: str | None, engine: str, scheduler: str | None, workers: int,
    chunk: int, annotate: bool, no_stories: bool, work_dir: Path | None, quiet: bool,
    follow_links: bool,
) -> None:  # fmt: skip
    """Ingest, clean, store and cluster large inputs (JSONL, WARC, folders) in partitions.

    Resumable: run the same command again after an interruption (even kill -9) and it goes on
    where it stopped, storing no article twice and losing none.
    """
    from newsprism.scale import run_batch

    def event(message: str) -> None:
        if not quiet:
            click.echo(printable(message), err=True)

    try:
        report = run_batch(
            inputs, db, engine=engine, scheduler=scheduler, workers=workers, chunk=chunk,
            annotate=annotate, stories=not no_stories, work_dir=work_dir, on_event=event,
            follow_links=follow_links,
        )  # fmt: skip
    except NewsprismError as err:
        raise click.ClickException(printable(str(err))) from err
    for message in report.warnings:
        click.echo(f"warning: {printable(message)}", err=True)
    for message in report.failure_samples:
        click.echo(f"failed: {printable(message)}", err=True)
    click.echo(report.summary())
    if report.failures:
        sys.exit(1)


@click.command("export", context_settings=COMMAND_SETTINGS)
@click.option("--db", help=DB_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv", "jsonl"]),
    default="parquet",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("export"),
    show_default=True,
    help="Folder for the table files.",
)
@click.option(
    "--table",
    "tables",
    multiple=True,
    type=click.Choice(["articles", "stories", "quotes", "claims"]),
    help="Tables to write (repeatable; default articles, stories, quotes). "
    "'claims' runs the comparison of every story: slow.",
)
@click.option("--all-versions", is_flag=True, help="Every stored version of each article.")
def export_command(
    db: str | None, fmt: str, out_dir: Path, tables: tuple[str, ...], all_versions: bool
) -> None:
    """Write articles, stories, quotes and claims as Parquet, CSV or JSONL tables."""
    from newsprism.scale.export import DEFAULT_TABLES, export_tables
    from newsprism.store import open_store

    try:
        with open_store(db) as store:
            counts = export_tables(
                store, out_dir, fmt=fmt, tables=tables or DEFAULT_TABLES,
                all_versions=all_versions,
            )  # fmt: skip
    except NewsprismError as err:
        raise click.ClickException(printable(str(err))) from err
    for table, n in counts.items():
        click.echo(f"{out_dir / f'{table}.{fmt}'}: {n} rows")
