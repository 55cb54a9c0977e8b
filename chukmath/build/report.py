"""Human-readable output of build and stats: the end-of-run summary and the stats tables (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from chukmath.build.pipeline import BuildSummary
from chukmath.build.tables import Table, stats_tables


def _rich(table: Table) -> RichTable:
    out = RichTable(title=table.title, title_justify="left")
    for i, header in enumerate(table.headers):
        out.add_column(header, justify="left" if i == 0 else "right")
    for row in table.rows:
        out.add_row(*(str(v) for v in row))
    return out


def print_stats(stats: dict, source: str, console: Console | None = None) -> None:
    """Print every table of a stats.json object."""
    console = console or Console()
    console.print(f"[bold]{source}[/bold]")
    for table in stats_tables(stats):
        console.print(_rich(table))


def print_summary(summary: BuildSummary, console: Console | None = None) -> None:
    """The lines `make demo` shows at the end: where the dataset is and what it holds."""
    console = console or Console(highlight=False, soft_wrap=True)
    rate = f"{100 * summary.acceptance_rate:.1f}%" if summary.acceptance_rate is not None else "-"
    console.print(f"dataset: {summary.files['train']}")
    console.print(
        f"{summary.name}: {summary.problems:,} problems, {summary.responses:,} responses "
        f"({summary.asked:,} asked, {summary.from_journal:,} from the journal, {summary.failed:,} failed), "
        f"{summary.accepted:,} accepted ({rate}), {summary.rejected:,} rejected"
    )
    if summary.by_reason:
        reasons = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.by_reason.items(), key=lambda kv: -kv[1]))
        console.print(f"rejected for: {reasons}")
    console.print(f"card: {summary.files['card']}  stats: chukmath stats {summary.out}")
    console.print(f"{summary.elapsed_s:.1f} s, {summary.samples_per_s:,.0f} problems/s")
