"""``chukmath push``: a thin wrapper over :func:`chukmath.hub.push_dataset`."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer

HELP = """Upload a build run to the Hugging Face Hub as a dataset repository.

Uploads the dataset card (README.md), the data files its configs name (train/test and rejects, JSONL or Parquet),
stats.json and manifest.json; the journal only with --with-journal. The repository is created when missing
(public unless --private). The token comes from HF_TOKEN or `hf auth login`, as huggingface_hub finds it; it is
never printed or stored. HF_ENDPOINT selects another Hub.

Example: chukmath push datasets/demo --repo USER/chukmath-demo --private
"""

_RunDir = Annotated[str, typer.Argument(metavar="RUN_DIR", help="A finished `chukmath build` directory.")]
_Repo = Annotated[str, typer.Option("--repo", metavar="USER/NAME", help="The dataset repository to push to.")]
_Private = Annotated[bool, typer.Option("--private", help="Create the repository private (an existing one keeps its "
                                                          "visibility).")]
_Journal = Annotated[bool, typer.Option("--with-journal", help="Also upload problems.jsonl and responses.jsonl.")]
_Revision = Annotated[str | None, typer.Option(metavar="BRANCH", help="Branch to commit to (default: main).")]
_Message = Annotated[str | None, typer.Option(metavar="TEXT", help="Commit message.")]
_Json = Annotated[bool, typer.Option("--json", help="Print what was uploaded as JSON.")]


def push_command(
    run_dir: _RunDir,
    repo: _Repo,
    private: _Private = False,
    with_journal: _Journal = False,
    revision: _Revision = None,
    message: _Message = None,
    json_out: _Json = False,
) -> None:
    from chukmath.hub import push_dataset

    result = push_dataset(
        run_dir, repo, private=private, with_journal=with_journal, revision=revision, message=message
    )
    if json_out:
        typer.echo(orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2).decode())
        return
    typer.echo(f"pushed {len(result.files)} files to {result.url}")
    for name in result.files:
        typer.echo(f"  {name}")


def register(app: typer.Typer) -> None:
    """Add ``push`` to ``app``."""
    app.command("push", help=HELP)(push_command)
