"""The CLI reference in docs/cli.md, generated from the commands' own --help.

Regenerate with ``python -m newsprism.clidoc > docs/cli.md``; a test keeps the two in sync.
"""

from __future__ import annotations

import click

from newsprism.cli import cli


def cli_reference() -> str:
    """Markdown with the --help text of every command and subcommand."""
    parts = [
        "# newsprism command-line reference",
        "",
        "Generated from `--help` by `python -m newsprism.clidoc > docs/cli.md`; "
        "`tests/test_cli.py` fails when this file and the commands disagree.",
        "",
    ]

    def visit(command: click.Command, path: list[str]) -> None:
        name = " ".join(path)
        # A fixed width, so the file does not depend on the terminal it was made in.
        # The help option names the CLI itself uses, so the text is the same whether or not
        # the CLI has run in this process (click keeps the first help option it builds).
        with click.Context(
            command,
            info_name=name,
            terminal_width=100,
            max_content_width=100,
            help_option_names=["-h", "--help"],
        ) as ctx:
            help_text = command.get_help(ctx)
        parts.extend([f"## `{name}`", "", "```text", help_text.rstrip(), "```", ""])
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                child = command.get_command(ctx, sub)
                if child is not None:
                    visit(child, [*path, sub])

    visit(cli, ["newsprism"])
    return "\n".join(parts)


if __name__ == "__main__":
    click.echo(cli_reference(), nl=False)
