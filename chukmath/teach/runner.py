"""Run a teacher over a requests file into a journal: bounded concurrency, resume, Ctrl-C, summary.

Two layers: :func:`answer_stream` (async; any iterable of ``(Request, sample)`` in, responses out as they
complete, a fixed pool of workers pulling from a bounded queue so memory does not grow with the input)
and :func:`run_teach` (the whole ``chukmath teach`` job: journal, progress, signals, summary).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from chukmath.errors import ConfigError, InputError, NotSent
from chukmath.jsonl import read_jsonl
from chukmath.records import Request, Response
from chukmath.teach.base import InFlightLimited, Teacher
from chukmath.teach.journal import Journal
from chukmath.teach.journal_model import claim_model
from chukmath.teach.progress import TeachProgress
from chukmath.teach.summary import Prices, TeachSummary

log = logging.getLogger(__name__)
_DONE = object()
Item = tuple[Request, int]
# Requests in progress per in-flight slot, for a teacher that frees its slot while a request waits to be retried.
IN_PROGRESS_PER_SLOT = 4


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


async def _aiter(items: Iterable[Item] | AsyncIterable[Item]) -> AsyncIterator[Item]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def answer_stream(
    teacher: Teacher,
    items: Iterable[Item] | AsyncIterable[Item],
    *,
    concurrency: int,
    stop: asyncio.Event | None = None,
    grace_s: float = 10.0,
) -> AsyncIterator[Response]:
    """Yield the teacher's responses for ``items`` as they complete, at most ``concurrency`` in flight.

    A teacher that limits its own requests in flight (:class:`~chukmath.teach.base.InFlightLimited`) gets
    ``IN_PROGRESS_PER_SLOT`` times as many requests in progress, so requests waiting to be retried do not
    leave the endpoint idle.

    Setting ``stop`` ends the intake: queued items are dropped, in-flight ones may finish for ``grace_s``
    seconds and are then cancelled. An exception from the teacher (TeacherError: the run cannot go on) or
    from ``items`` stops the stream the same way and is raised after the arrived responses were yielded.
    """
    stop = stop or asyncio.Event()
    workers_n = concurrency
    if isinstance(teacher, InFlightLimited):
        # The teacher keeps ``concurrency`` requests in flight itself and a request waiting for its retry
        # (a 429's Retry-After, a backoff) holds no slot, so one waiting request no longer idles a worker:
        # the others go on at full speed. More workers than slots keep the slots busy meanwhile.
        teacher.limit_in_flight(concurrency, stop)
        workers_n = concurrency * IN_PROGRESS_PER_SLOT
    inbox: asyncio.Queue[Any] = asyncio.Queue(maxsize=concurrency * 2)
    outbox: asyncio.Queue[Any] = asyncio.Queue(maxsize=concurrency * 2)
    fatal: list[BaseException] = []

    async def feed() -> None:
        try:
            async for item in _aiter(items):
                if stop.is_set():
                    break
                await inbox.put(item)
        except Exception as exc:  # e.g. a bad input line: stop, let in-flight answers land, then raise it
            fatal.append(exc)
            stop.set()
        for _ in range(workers_n):
            await inbox.put(_DONE)

    async def work() -> None:
        while True:
            item = await inbox.get()
            if item is _DONE:
                return
            if stop.is_set():
                continue  # drain without sending
            request, sample = item
            try:
                response = await teacher.answer(request, sample)
            except NotSent:
                continue  # the run stopped before this one was sent: a rerun sends it
            except Exception as exc:  # TeacherError (run cannot go on) or a bug: stop the run, raise it
                fatal.append(exc)
                stop.set()
                continue
            await outbox.put(response)

    async def guard() -> None:
        # After a stop, give in-flight requests a grace period, then cancel them.
        await stop.wait()
        await asyncio.sleep(grace_s)
        for task in workers:
            task.cancel()

    async def close_when_done() -> None:
        await asyncio.gather(*workers, return_exceptions=True)
        await outbox.put(_DONE)

    feeder = asyncio.create_task(feed())
    workers = [asyncio.create_task(work()) for _ in range(workers_n)]
    guardian = asyncio.create_task(guard())
    closer = asyncio.create_task(close_when_done())
    try:
        while True:
            response = await outbox.get()
            if response is _DONE:
                break
            yield response
    finally:
        for task in (feeder, guardian, *workers):
            task.cancel()
        for task in (feeder, guardian, closer, *workers):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    if fatal:
        raise fatal[0]


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


def _pending(
    requests: Iterable[Request], journal: Journal, samples: int, summary: TeachSummary, progress: TeachProgress
) -> Iterator[Item]:
    for request in requests:
        for sample in range(samples):
            summary.total += 1
            state = journal.claim(request.id, sample)
            if state == "new":
                yield request, sample
            else:
                if state == "done":
                    summary.skipped += 1
                else:
                    summary.duplicates += 1
                progress.skipped()


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
    """Answer every (request, sample) not yet in the journal, appending each response as it arrives."""
    options.validate()
    console = console or Console(stderr=True)
    stop = stop or asyncio.Event()
    summary = TeachSummary(journal=str(journal_path), teacher=teacher.name, model=teacher.model)
    started = time.monotonic()
    try:
        with Journal(journal_path, fsync_every=options.fsync_every) as journal:
            claim_model(journal, teacher.model, teacher=teacher.name, allow_change=options.allow_model_change)
            if journal.stats.repaired_bytes:
                log.warning("%s: repaired a torn last line (%d bytes)", journal_path, journal.stats.repaired_bytes)
            total = expected_total if expected_total is not None else 0
            with TeachProgress(total, console=console, enabled=options.progress) as progress:
                items = _pending(requests, journal, options.samples, summary, progress)
                stream = answer_stream(
                    teacher, items, concurrency=options.concurrency, stop=stop, grace_s=options.grace_s
                )
                async for response in stream:
                    journal.append(response)
                    summary.add(response)
                    progress.answered(response)
    finally:
        closer = getattr(teacher, "aclose", None)
        if closer is not None:
            await closer()
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
    "answer_stream",
    "count_lines",
    "iter_requests",
    "run_teach",
    "teach_async",
]
