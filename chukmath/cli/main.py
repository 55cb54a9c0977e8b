"""The ``chukmath`` command. Each sub-module registers its commands; this file only wires them."""

from __future__ import annotations

import sys

import typer

from chukmath import __version__
from chukmath.errors import ChukmathError, environment_message
from chukmath.log import configure_cli

app = typer.Typer(
    name="chukmath",
    help=(
        "Make synthetic reasoning data: generate exact problems, render teacher prompts, collect answers, "
        "verify them and write chat JSONL for SFT.\n\n"
        "Example: chukmath build --recipe datasets/demo.toml --out datasets/demo"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chukmath {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, help="More diagnostics on stderr: -v info, -vv debug (before the command)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors on stderr, no warnings (before the command)."),
) -> None:
    """chukmath: exact problems in, verified reasoning samples out."""
    configure_cli(verbose, quiet)


def _register_all() -> None:
    # Imported here so `chukmath --help` lists every command and each module stays independent.
    from chukmath.cli import batch, build, export, generate, merge, push, report, rewards, teach, templates, verify
    from chukmath.cli import eval as eval_cli

    for module in (generate, templates, teach, batch, verify, build, merge, rewards, export, eval_cli, push, report):
        module.register(app)


_register_all()


def run() -> None:
    """Console-script entry point: library errors become one line on stderr and exit code 2."""
    try:
        app()
    except ChukmathError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except OSError as exc:
        # The last net for refusals met outside the writers that name their file (disk full, permissions): one line.
        message = environment_message(exc)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
