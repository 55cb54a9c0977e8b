"""``report.html``: one self-contained page to look at a run — acceptance, reject reasons, reasoning lengths,
throughput and cost over time, and samples with their verdicts.

    from chukmath.report_html import write_report
    write_report("datasets/demo")            # -> datasets/demo/report.html

The charts are matplotlib (the ``report`` extra); without it :func:`write_report` raises ConfigError naming the
extra. The page is a function of the run directory's files alone (no clock, no host), so the same files give the
same bytes. Reading is streaming and linear: memory is bounded by the number of families, distinct lengths and
time buckets, not by the number of rows.
"""

from __future__ import annotations

from pathlib import Path

from chukmath.jsonl import AtomicWriter
from chukmath.report_html.charts import need_matplotlib
from chukmath.report_html.collect import SAMPLES_PER_FAMILY, ReportData, collect
from chukmath.report_html.page import render_page

REPORT_NAME = "report.html"


def write_report(
    run_dir: str | Path, out: str | Path | None = None, samples_per_family: int = SAMPLES_PER_FAMILY
) -> Path:
    """Write the report of ``run_dir`` to ``out`` (default ``run_dir/report.html``) atomically; returns its path."""
    need_matplotlib()  # before reading anything: a missing extra is the first thing to hear about
    data = collect(run_dir, samples_per_family=samples_per_family)
    path = Path(out) if out is not None else Path(run_dir) / REPORT_NAME
    page = render_page(data)
    with AtomicWriter(path) as fh:
        fh.write(page.encode())
    return path




def report_after_build(run_dir: str | Path) -> Path | None:
    """``build``'s last step: write report.html, or log why not and leave none (never a stale one).

    The dataset is complete before this runs, so a report that cannot be made (no matplotlib, a file it cannot
    read) is a warning, not a failed build; `chukmath report` says the same as an error.
    """
    from chukmath.errors import ChukmathError
    from chukmath.log import get_logger

    try:
        return write_report(run_dir)
    except ChukmathError as exc:
        (Path(run_dir) / REPORT_NAME).unlink(missing_ok=True)
        get_logger(__name__).warning("report.html skipped: %s", exc)
        return None


__all__ = [
    "REPORT_NAME",
    "SAMPLES_PER_FAMILY",
    "ReportData",
    "collect",
    "need_matplotlib",
    "render_page",
    "report_after_build",
    "write_report",
]
