"""``chukmath report``: a thin wrapper over :func:`chukmath.report_html.write_report`."""

from __future__ import annotations

from typing import Annotated

import typer

HELP = """Write report.html for a build run: one self-contained page to open in a browser (no network needed).

It shows acceptance by family and difficulty (heatmap), reject reasons, reasoning lengths in words of accepted and
rejected responses, throughput, tokens, cost and latency over time from the journal, and the first ten samples
of each family with their verdicts. `chukmath build` writes it at the end of a run; this command (re)makes it,
e.g. for a run made before reports existed. Needs matplotlib: pip install 'chukmath[report]'.

Example: chukmath report datasets/demo && xdg-open datasets/demo/report.html
"""

_RunDir = Annotated[str, typer.Argument(metavar="RUN_DIR", help="A `chukmath build` directory.")]
_Out = Annotated[
    str | None, typer.Option("--out", metavar="FILE", help="Where to write the page (default: RUN_DIR/report.html).")
]
_Samples = Annotated[int, typer.Option("--samples", min=0, max=1000, help="Samples shown per family.")]


def report_command(run_dir: _RunDir, out: _Out = None, samples: _Samples = 10) -> None:
    from chukmath.report_html import write_report

    path = write_report(run_dir, out, samples_per_family=samples)
    typer.echo(f"report: {path}")


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app``."""
    app.command("report", help=HELP)(report_command)
