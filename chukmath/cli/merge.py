"""``chukmath merge``: the directories of a sharded build (``build --shard I/N``) into one run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from chukmath.outpath import check_output

MERGE_HELP = """Join the N directories of `chukmath build --shard I/N` into one run directory.

The result is byte for byte what an unsharded build of the same recipe writes (train, rejects, test, stats.json,
the card): every answer comes from the shards' journals, nothing is asked and no key is needed. Refused with one
line: directories of different recipes, a shard missing or given twice, a shard whose build is unfinished.

Example (shards built anywhere, e.g. as a Slurm array):

\b
  chukmath build --recipe r.toml --out runs/r1.0 --shard 0/3    # ... 1/3, 2/3
  chukmath merge runs/r1.0 runs/r1.1 runs/r1.2 --out runs/r1
"""


def merge_command(
    dirs: Annotated[list[Path], typer.Argument(help="The --out directory of every shard.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory to write the merged run into.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a different run in --out.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars and no summary text.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print a machine-readable summary (JSON).")] = False,
) -> None:
    from chukmath.build.merge import merge_shards

    check_output(out, folder=True)
    summary = merge_shards(dirs, out, force=force, quiet=quiet or json_out)
    if json_out:
        sys.stdout.write(orjson.dumps(summary.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
    elif not quiet:
        from chukmath.build.report import print_summary

        print_summary(summary)


def register(app: typer.Typer) -> None:
    """Add ``merge`` to ``app``."""
    app.command("merge", help=MERGE_HELP)(merge_command)
