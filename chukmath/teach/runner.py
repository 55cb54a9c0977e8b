"""``chukmath teach``: a requests file through the answer engine into a journal, with Ctrl-C and a summary.

The work (resume, bounded concurrency, journaling, duplicates) is the answer engine's
(:mod:`chukmath.teach.engine`), the same one ``build`` runs; this module is the job around it: :func:`teach_async`
(a request iterable, the journal's lock and model claim, progress, the summary) and :func:`run_teach` (a requests
file, signals, the event loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from chukmath.errors import ConfigError, InputError
from chukmath.jsonl import read_jsonl
from chukmath.records import Request
from chukmath.teach.base import Teacher
from chukmath.teach.engine import Unit, answer_units
from chukmath.teach.journal import Journal
from chukmath.teach.journal_model import claim_model
from chukmath.teach.progress import TEACH_STAGES, Counters, ProgressDisplay
from chukmath.teach.summary import Prices, TeachSummary


@dataclass(slots=True)
class TeachOptions:
    """How to run: samples per request, concurrent requests, grace after Ctrl-C, progress, prices, and
    whether a journal holding another model's answers may be resumed with this teacher's model."""

    samples: int = 1
    concurrency: int = 16
    grace_s: float = 10.0
    progress: bool = True
    prices: Prices | None = None
    fsync_every: int = 0
    allow_model_change: bool = False

    def validate(self) -> None:
        """Raise ConfigError naming the bad option."""
        if self.samples < 1 or self.samples > 0xFFFF:
            raise ConfigError(f"--samples {self.samples}: must be between 1 and 65535")
        if self.concurrency < 1:
            raise ConfigError(f"--concurrency {self.concurrency}: must be >= 1")


def count_lines(path: Path) -> int:
    """Non-empty-ish line count (newlines plus a final unterminated line), for the progress total."""
    n = 0
    last = b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (0 if last == b"\n" else 1)


def iter_requests(path: str | Path) -> Iterator[Request]:
    """Stream Request records from a JSONL file (``chukmath prompts`` output); bad lines name file:line."""
    for number, obj in read_jsonl(path):
        yield Request.from_dict(obj, where=f"{path}:{number}")


async def teach_async(
    requests: Iterable[Request],
    journal_path: str | Path,
    teacher: Teacher,
    options: TeachOptions,
    *,
    console: Console | None = None,
    stop: asyncio.Event | None = None,
    expected_total: int | None = None,
) -> TeachSummary:
    """Answer every (request, sample) not yet in the journal, appending each response as it arrives (the answer
    engine, :func:`chukmath.teach.engine.answer_units`, in arrival order; a key repeated in the input once)."""
    options.validate()
    console = console or Console(stderr=True)
    stop = stop or asyncio.Event()
    counters = Counters(total=expected_total or 0)
    started = time.monotonic()
    try:
        with Journal(journal_path, fsync_every=options.fsync_every) as journal:
            claim_model(journal, teacher.model, teacher=teacher.name, allow_change=options.allow_model_change)
            shown = options.progress and console.is_terminal
            with ProgressDisplay(counters, enabled=shown, stages=TEACH_STAGES, console=console) as display:
                units = (Unit(request, range(options.samples)) for request in requests)
                async for _ in answer_units(
                    teacher, units, concurrency=options.concurrency, journal=journal, ordered=False, dedupe=True,
                    stop=stop, grace_s=options.grace_s, counters=counters,
                ):
                    display.update()
    finally:
        closer = getattr(teacher, "aclose", None)
        if closer is not None:
            await closer()
        summary = TeachSummary.of(counters, journal=str(journal_path), teacher=teacher.name, model=teacher.model)
        summary.elapsed_s = time.monotonic() - started
        summary.interrupted = stop.is_set()
        summary.price(options.prices)
        if expected_total is not None:
            summary.not_started = max(0, expected_total - summary.skipped - summary.duplicates - summary.sent)
    return summary


def _event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    # uvloop makes the event loop itself cheaper per request; used when installed, never required.
    try:
        import uvloop  # type: ignore[import-not-found]
    except ImportError:
        return None
    return uvloop.new_event_loop  # type: ignore[no-any-return]


def run_teach(
    requests_path: str | Path,
    journal_path: str | Path,
    teacher: Teacher,
    options: TeachOptions,
    *,
    console: Console | None = None,
    handle_signals: bool = True,
) -> TeachSummary:
    """The ``chukmath teach`` job: resume from the journal, answer the rest, return the summary.

    First Ctrl-C (or SIGTERM): stop sending, let in-flight answers land for ``grace_s``, close the journal
    and return a summary with ``interrupted=True``. A second Ctrl-C raises KeyboardInterrupt at once; the
    journal is line-atomic, so nothing written is lost either way. The teacher is closed at the end.
    """
    requests_path = Path(requests_path)
    if not requests_path.is_file():
        raise InputError(f"--requests {requests_path}: no such file")
    options.validate()
    console = console or Console(stderr=True)
    expected = count_lines(requests_path) * options.samples

    async def main() -> TeachSummary:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        hits = 0

        def on_signal() -> None:
            nonlocal hits
            hits += 1
            if hits == 1:
                stop.set()
                console.print(f"stopping: waiting up to {options.grace_s:g}s for answers in flight "
                              "(press Ctrl-C again to quit now; the journal keeps every answer received)")
            elif task is not None:
                task.cancel()

        installed: list[signal.Signals] = []
        if handle_signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, on_signal)
                    installed.append(sig)
        try:
            return await teach_async(
                iter_requests(requests_path), journal_path, teacher, options,
                console=console, stop=stop, expected_total=expected,
            )
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)

    factory = _event_loop_factory()
    try:
        with asyncio.Runner(loop_factory=factory) as runner:
            return runner.run(main())
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None


__all__ = [
    "TeachOptions",
    "count_lines",
    "iter_requests",
    "run_teach",
    "teach_async",
]
