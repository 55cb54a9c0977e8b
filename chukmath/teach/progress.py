"""The live progress bar on stderr: done/total, rate, ETA, errors and tokens; silent when not on a terminal."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from chukmath.records import Response


class TeachProgress:
    """Wraps a rich Progress; every method is a cheap no-op when disabled."""

    def __init__(self, total: int, *, console: Console, enabled: bool) -> None:
        self.enabled = enabled and console.is_terminal
        self._errors = 0
        self._tokens = 0
        self._answered = 0
        self._start = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if self.enabled:
            self._progress = Progress(
                TextColumn("teach"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}/s"),
                # Our own ETA from this run's answer rate: rich's would count keys skipped on a resume (found
                # in the journal at once) as progress and promise the rest in no time.
                TextColumn("eta {task.fields[eta]}"),
                TextColumn("errors {task.fields[errors]}  tokens {task.fields[tokens]}"),
                console=console,
                refresh_per_second=4,
                transient=False,
            )
            self._task = self._progress.add_task("teach", total=total, rate="0", eta="-:--:--", errors=0, tokens=0)

    def __enter__(self) -> TeachProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def skipped(self, n: int = 1) -> None:
        """Keys found in the journal: they count as done, not toward the rate."""
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)

    def answered(self, response: Response) -> None:
        """One answer arrived."""
        if self._progress is None or self._task is None:
            return
        self._answered += 1
        if response.error is not None:
            self._errors += 1
        if response.usage:
            self._tokens += int(response.usage.get("total_tokens", 0))
        rate = self._answered / max(1e-9, time.monotonic() - self._start)
        task = self._progress.tasks[0]
        left = max(0.0, (task.total or 0) - task.completed - 1)
        self._progress.update(self._task, advance=1, rate=f"{rate:,.1f}", eta=eta_text(left / rate if rate else None),
                              errors=self._errors, tokens=self._tokens)  # fmt: skip


def eta_text(seconds: float | None) -> str:
    """``H:MM:SS`` for the progress bar; ``-:--:--`` when unknown."""
    if seconds is None:
        return "-:--:--"
    whole = int(seconds + 0.5)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
