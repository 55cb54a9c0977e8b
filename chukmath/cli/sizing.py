"""Counts written the way people write them (``1e10``, ``10_000_000``), and the disk/time check of huge runs.

Above ``ESTIMATE_ABOVE`` rows a command prints what the run will take (bytes on disk and hours) before it starts,
and refuses (exit 2) when the folder it writes to has not that much free space: a run of ten billion problems
should not find out after a day that the disk was two terabytes short.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import stat
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from chukmath.errors import ConfigError

ESTIMATE_ABOVE = 10_000_000  # rows (problems, or problems x samples for build)
MAX_COUNT = 2**63 - 1
_NOTATION = re.compile(r"-?\d[\d_]*(\.\d+)?([eE]\+?\d+)?")  # a sign is left for the command's range check


def parse_count(value: str | int) -> int:
    """A whole number written as ``1000``, ``10_000_000``, ``1e10`` or ``2.5e6``; typer.BadParameter otherwise.

    ``-5`` parses too, so that the command refuses it with its own range (``invalid count -5``).
    """
    if isinstance(value, int):
        return value
    text = value.strip()
    if not _NOTATION.fullmatch(text) or "__" in text or text.endswith("_"):
        raise typer.BadParameter(f"{value!r} is not a count; write e.g. 1000, 10_000_000 or 1e10")
    try:
        number = Decimal(text.replace("_", ""))
    except InvalidOperation:
        raise typer.BadParameter(f"{value!r} is not a count; write e.g. 1000, 10_000_000 or 1e10") from None
    if abs(number) > MAX_COUNT:
        raise typer.BadParameter(f"{value} is too large (at most 2**63-1)")
    if number != number.to_integral_value():
        raise typer.BadParameter(f"{value} is not a whole number")
    return int(number)


@dataclass(frozen=True)
class Estimate:
    """What a run of ``rows`` rows will take: bytes on disk and seconds, each with where the figure comes from."""

    rows: int
    what: str  # "problems", "samples"
    bytes_per_row: float
    bytes_basis: str
    rows_per_s: float
    rate_basis: str

    @property
    def total_bytes(self) -> int:
        return math.ceil(self.rows * self.bytes_per_row)

    @property
    def seconds(self) -> float:
        return self.rows / self.rows_per_s if self.rows_per_s > 0 else math.inf

    def line(self) -> str:
        """One line for stderr: size and time with their bases."""
        rate = f"at {self.rows_per_s:,.0f} {self.what}/s, " if self.rows_per_s > 0 else ""
        return (
            f"estimate: {self.rows:,} {self.what} take about {human_bytes(self.total_bytes)} "
            f"({self.bytes_per_row:,.0f} bytes each, {self.bytes_basis}) and about {human_seconds(self.seconds)} "
            f"({rate}{self.rate_basis})"
        )


def human_bytes(n: float) -> str:
    """``1.2 TB`` (powers of 1000, as disks are sold)."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def human_seconds(s: float) -> str:
    """``3.2 h``, ``41 min`` or ``12 s``."""
    if math.isinf(s):
        return "an unknown time"
    if s >= 2 * 86400:
        return f"{s / 86400:,.1f} days"
    if s >= 3600:
        return f"{s / 3600:.1f} h"
    if s >= 60:
        return f"{s / 60:.0f} min"
    return f"{s:.0f} s"


def free_bytes(out: str | Path) -> tuple[int, str] | None:
    """Free bytes where ``out`` will be written, and that place; None when unknown (a pipe, a device)."""
    if str(out) == "-":
        try:
            if not stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode):
                return None
            info = os.fstatvfs(sys.stdout.fileno())
        except (OSError, ValueError):
            return None
        return info.f_bavail * info.f_frsize, "standard output's file system"
    path = Path(out)
    if path.exists() and not (path.is_file() or path.is_dir()):
        return None  # /dev/null, a FIFO: nothing is stored
    for place in (path, *path.parents):
        if place.is_dir():
            return shutil.disk_usage(place).free, str(place)
    return None


def check_room(estimate: Estimate, out: str | Path, option: str = "--count") -> None:
    """Above ESTIMATE_ABOVE rows: print the estimate, then refuse if ``out``'s disk cannot hold the run."""
    if estimate.rows <= ESTIMATE_ABOVE:
        return
    typer.echo(estimate.line(), err=True)
    room = free_bytes(out)
    if room is None:
        return
    free, place = room
    if estimate.total_bytes > free:
        raise ConfigError(
            f"{option} {estimate.rows:,}: the run needs about {human_bytes(estimate.total_bytes)} but {place} has "
            f"{human_bytes(free)} free; lower {option}, free space or write elsewhere"
        )


# What one builtin-teacher sample leaves in a run directory (its problems.jsonl, responses.jsonl and
# train/rejects lines; the stats and card are negligible), measured on datasets/demo.toml: 5,601,206 bytes for 3,000.
BUILTIN_BYTES_PER_SAMPLE = 1_870
# bench/RESULTS.md, "build": the builtin teacher end to end on one core (4,942-5,652 samples/s).
BUILTIN_SAMPLES_PER_S = 5_000
# A paid answer: half its max_tokens on average at 4 bytes a token, kept twice (journal and train/rejects), plus
# the prompt and the problem; answered in PAID_ANSWER_S seconds (an assumption: reasoning models take 10-60 s).
BYTES_PER_TOKEN = 4
PAID_OVERHEAD_BYTES = 2_000
PAID_ANSWER_S = 30.0


def estimate_build(count: int, samples: int, kind: str, max_tokens: int, concurrency: int) -> Estimate:
    """What ``build`` of ``count`` problems x ``samples`` will take, from the figures above."""
    rows = count * samples
    if kind == "builtin":
        return Estimate(rows, "samples", BUILTIN_BYTES_PER_SAMPLE, "measured on datasets/demo.toml",
                        BUILTIN_SAMPLES_PER_S, "bench/RESULTS.md, one core")
    per_row = max_tokens / 2 * BYTES_PER_TOKEN * 2 + PAID_OVERHEAD_BYTES
    basis = f"max_tokens {max_tokens:,} / 2 at {BYTES_PER_TOKEN} bytes a token, in the journal and train/rejects"
    if kind == "batch":
        return Estimate(rows, "samples", per_row, basis, 0.0, "the Batch API's own pace, up to 24 h a batch")
    rate = concurrency / PAID_ANSWER_S
    return Estimate(rows, "samples", per_row, basis, rate,
                    f"concurrency {concurrency} at an assumed {PAID_ANSWER_S:.0f} s an answer")
