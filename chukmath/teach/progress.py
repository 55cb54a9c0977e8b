"""The run's counts and its live progress bars on stderr (``teach``: one bar; ``build``: one per stage).

The engine and the writers update :class:`Counters`; :class:`ProgressDisplay` only reads them, at most
``refresh_hz`` times a second, so the display never costs the hot loop more than a clock read. Rate and ETA come
from this run's own answers: keys found in the journal count as done, not as speed (a resume would otherwise
promise the rest in no time).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from chukmath.records import Response

BUILD_STAGES = ("generated", "answered", "verified", "accepted")
TEACH_STAGES = ("settled",)


@dataclass
class Counters:
    """Counts of a run so far."""

    total: int
    generated: int = 0
    answered: int = 0  # successful answers, from the journal or this run
    verified: int = 0
    accepted: int = 0
    failed: int = 0  # teacher errors (retried on the next run): shown so a failing endpoint is visible at once
    resumed: int = 0  # answers taken from the journal instead of asked again
    duplicates: int = 0  # keys repeated in the input, asked once
    asked: int = 0  # answers requested from the teacher in this run
    # Of this run's answers: tokens, retries, answers cut for length, failures by kind (the teach summary's columns).
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    truncated: int = 0
    failures_by_kind: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)  # per-stage bar totals (default: ``total``)
    started: float = field(default_factory=lambda: time.monotonic())

    @property
    def settled(self) -> int:
        """Keys dealt with: answered (now or before), failed, or skipped as repeats."""
        return self.answered + self.failed + self.duplicates

    @property
    def received(self) -> int:
        """Answers that arrived in this run (what the rate is made of)."""
        return self.answered + self.failed - self.resumed

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def settle(self, response: Response) -> None:
        """Count a key's response, from the journal or this run: answered or failed."""
        if response.ok:
            self.answered += 1
        else:
            self.failed += 1

    def receive(self, response: Response) -> None:
        """Count what an answer this run received says: its tokens, retries and how it ended."""
        self.retries += max(0, response.attempts - 1)
        if response.usage:
            self.prompt_tokens += int(response.usage.get("prompt_tokens", 0))
            self.completion_tokens += int(response.usage.get("completion_tokens", 0))
        if response.error is None:
            if response.finish_reason == "length":
                self.truncated += 1
        else:
            kind = str(response.error.get("kind", "unknown"))
            self.failures_by_kind[kind] = self.failures_by_kind.get(kind, 0) + 1


def eta_text(seconds: float | None) -> str:
    """``H:MM:SS`` for the progress bar; ``-:--:--`` when unknown."""
    if seconds is None:
        return "-:--:--"
    whole = int(seconds + 0.5)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


class ProgressDisplay:
    """Rich bars for ``stages`` (attributes of :class:`Counters`), redrawn at most ``refresh_hz`` times a second;
    every method is a cheap no-op when disabled."""

    def __init__(
        self,
        counters: Counters,
        *,
        enabled: bool,
        stages: Sequence[str] = BUILD_STAGES,
        stream: IO[str] | None = None,
        console: Console | None = None,
        refresh_hz: float = 8.0,
    ) -> None:
        self.counters = counters
        self.stages = tuple(stages)
        self.enabled = enabled
        self._interval = 1.0 / refresh_hz
        self._next = 0.0
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        if enabled:
            console = console or Console(file=stream or sys.stderr)
            self._progress = Progress(
                TextColumn("{task.description:>10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:>9}/s"),
                TextColumn("{task.fields[eta]}"),
                TextColumn("{task.fields[note]}"),
                console=console,
                transient=False,
                auto_refresh=False,
            )
            for stage in self.stages:
                total = counters.totals.get(stage, counters.total)
                label = "teach" if stage == "settled" else stage
                self._tasks[stage] = self._progress.add_task(label, total=total, rate="0", eta="", note="")

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

    def fields(self, stage: str) -> dict[str, str]:
        """The rate, ETA and note shown beside ``stage``'s bar now."""
        c = self.counters
        elapsed = max(time.monotonic() - c.started, 1e-9)
        done = getattr(c, stage)
        if stage in ("settled", "answered"):
            rate = c.received / elapsed
            total = c.totals.get(stage, c.total)
            left = max(0, total - done)
            note = f"failures {c.failed}" + (f", {c.resumed} from journal" if c.resumed else "")
            if c.tokens:
                note += f", tokens {c.tokens:,}"
            return {"rate": f"{rate:,.1f}", "eta": "eta " + eta_text(left / rate if rate else None), "note": note}
        note = f"{100.0 * c.accepted / c.verified:.1f}% of verified" if stage == "accepted" and c.verified else ""
        return {"rate": f"{done / elapsed:,.1f}", "eta": "", "note": note}

    def update(self, *, force: bool = False) -> None:
        """Redraw if the refresh interval has passed (or ``force``)."""
        if self._progress is None:
            return
        now = time.monotonic()
        if not force and now < self._next:
            return
        self._next = now + self._interval
        for stage in self.stages:
            self._progress.update(self._tasks[stage], completed=getattr(self.counters, stage), **self.fields(stage))
        self._progress.refresh()
