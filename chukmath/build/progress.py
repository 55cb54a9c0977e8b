"""The live progress display: one bar per stage (generated, answered, verified, accepted) with rate, ETA, failures."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

STAGES = ("generated", "answered", "verified", "accepted")


@dataclass
class Counters:
    """Stage counts of a run so far. The pipeline updates these; the display only reads them."""

    total: int
    generated: int = 0
    answered: int = 0
    verified: int = 0
    accepted: int = 0
    failed: int = 0  # teacher errors (retried on the next run) — shown so a failing endpoint is visible at once
    resumed: int = 0  # answers taken from the journal instead of asked again
    asked: int = 0  # answers requested from the teacher in this run
    totals: dict[str, int] = field(default_factory=dict)  # per-stage bar totals (default: ``total``)
    started: float = field(default_factory=time.monotonic)


class ProgressDisplay:
    """Rich bars on stderr, refreshed at most ``refresh_hz`` times a second; silent when disabled.

    ``update`` is cheap to call per batch: it only touches rich when the refresh interval has passed, so the
    display never costs the hot loop more than a clock read.
    """

    def __init__(self, counters: Counters, *, enabled: bool, stream: IO[str] | None = None, refresh_hz: float = 8.0):
        self.counters = counters
        self.enabled = enabled
        self._interval = 1.0 / refresh_hz
        self._next = 0.0
        self._progress: Progress | None = None
        self._tasks: dict[str, int] = {}
        if enabled:
            console = Console(file=stream or sys.stderr)
            self._progress = Progress(
                TextColumn("{task.description:>10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:>9}/s"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[note]}"),
                console=console,
                transient=False,
                auto_refresh=False,
            )
            for stage in STAGES:
                total = counters.totals.get(stage, counters.total)
                self._tasks[stage] = self._progress.add_task(stage, total=total, rate="", note="")

    @staticmethod
    def wanted(quiet: bool, stream: IO[str] | None = None) -> bool:
        """Bars only on an interactive terminal and not with --quiet (logs and CI get the summary alone)."""
        stream = stream or sys.stderr
        return not quiet and hasattr(stream, "isatty") and stream.isatty()

    def __enter__(self) -> ProgressDisplay:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self.update(force=True)
            self._progress.stop()

    def update(self, *, force: bool = False) -> None:
        """Redraw if the refresh interval has passed (or ``force``)."""
        if self._progress is None:
            return
        now = time.monotonic()
        if not force and now < self._next:
            return
        self._next = now + self._interval
        c = self.counters
        elapsed = max(now - c.started, 1e-9)
        for stage in STAGES:
            done = getattr(c, stage)
            note = ""
            if stage == "answered":
                note = f"failures {c.failed}" + (f", {c.resumed} from journal" if c.resumed else "")
            elif stage == "accepted" and c.verified:
                note = f"{100.0 * c.accepted / c.verified:.1f}% of verified"
            self._progress.update(self._tasks[stage], completed=done, rate=f"{done / elapsed:,.0f}", note=note)
        self._progress.refresh()
