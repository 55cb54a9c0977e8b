"""The answer engine: units of work (a request and the samples to ask of it) in, answered units out.

One engine serves ``chukmath teach`` (a requests file, answers in the order they arrive), ``chukmath build``
(problems in index order, a reorder buffer in front of the verifier) and the library's ``answer_stream``:

- every answer is appended to the journal the moment it arrives, before anything else happens to it;
- a key the journal holds is taken from it, never asked again (``resumed``); a key that occurs twice in the input
  is asked once when ``dedupe`` is on (``duplicates``);
- at most ``concurrency`` requests are in flight (a teacher that frees its slot while it waits to retry,
  :class:`~chukmath.teach.base.InFlightLimited`, gets ``IN_PROGRESS_PER_SLOT`` times as many in progress);
- memory is bounded by the window, never by the input: ``ordered`` holds at most ``window * 4 + 64`` units;
- setting ``stop`` ends the intake: requests in flight get ``grace_s`` seconds to land, then are cancelled. A
  teacher error that stops the run (:class:`~chukmath.errors.TeacherError`) or an error of the input stops it the
  same way and is raised after the answers that arrived were journaled and yielded.

Cheap answers (the built-in teacher) skip the event loop: :func:`answer_units_now` is the same contract in a plain
loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from chukmath.errors import NotSent
from chukmath.records import Request, Response
from chukmath.teach.base import InFlightLimited, Teacher
from chukmath.teach.journal import Journal
from chukmath.teach.progress import Counters

# Requests in progress per in-flight slot, for a teacher that frees its slot while a request waits to be retried.
IN_PROGRESS_PER_SLOT = 4


@dataclass(eq=False, slots=True)
class Unit:
    """One request and the sample numbers to ask of it; ``responses[i]`` answers ``samples[i]`` once known
    (None for a sample skipped as a duplicate). ``item`` is the caller's (``build``: the problem)."""

    request: Request
    samples: Sequence[int]
    item: Any = None
    responses: list[Response | None] = field(default_factory=list)
    missing: int = 0

    def __post_init__(self) -> None:
        self.responses = [None] * len(self.samples)
        self.missing = len(self.samples)

    @property
    def complete(self) -> bool:
        return self.missing == 0

    def answers(self) -> list[Response]:
        """The responses known, in sample order."""
        return [r for r in self.responses if r is not None]


# Called with each response of a unit, journaled or new: an awaitable that must finish before the sample counts as
# done (``build``'s judge model deciding an unreadable answer), or None when there is nothing to do.
Review = Callable[[Unit, Response], Awaitable[None] | None]


def _known(unit: Unit, pos: int, journal: Journal | None, counters: Counters, dedupe: bool) -> Response | bool | None:
    """What the journal says of ``unit``'s sample at ``pos``: its response, True for a duplicate to skip, or None."""
    if journal is None:
        return None
    sample = unit.samples[pos]
    known = journal.get(unit.request.id, sample)
    if known is not None:
        counters.resumed += 1
        counters.answered += 1
        return known
    if dedupe and not journal.take(unit.request.id, sample):
        counters.duplicates += 1
        return True
    return None


T = TypeVar("T")


async def _aiter(items: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def answer_units(
    teacher: Teacher,
    units: Iterable[Unit] | AsyncIterable[Unit],
    *,
    concurrency: int,
    journal: Journal | None = None,
    ordered: bool = True,
    dedupe: bool = False,
    stop: asyncio.Event | None = None,
    grace_s: float = 10.0,
    counters: Counters | None = None,
    review: Review | None = None,
) -> AsyncIterator[Unit]:
    """Answer every sample of every unit not yet in ``journal``; yield each unit once all its samples are answered,
    in input order when ``ordered``, else as they complete. See the module docstring for the guarantees."""
    stop = stop or asyncio.Event()
    counters = counters or Counters(total=0)
    slots_n = concurrency
    if isinstance(teacher, InFlightLimited):
        # The teacher keeps ``concurrency`` requests in flight itself and a request waiting for its retry holds no
        # slot, so more requests in progress than slots keep the slots busy meanwhile.
        teacher.limit_in_flight(concurrency, stop)
        slots_n = concurrency * IN_PROGRESS_PER_SLOT
    slots = asyncio.Semaphore(slots_n)

    def wake_intake(_: object) -> None:
        # A stop wakes an intake waiting for a slot (it then sees the stop and takes no more): one waiter for the
        # whole run instead of a race of two futures per request.
        for _slot in range(slots_n):
            slots.release()
        wake.set()

    stopped = asyncio.ensure_future(stop.wait())
    stopped.add_done_callback(wake_intake)
    max_waiting = slots_n * 4 + 64
    waiting: deque[Unit] = deque()  # ordered: units in input order; else: complete units not yet yielded
    open_units = 0  # units taken in and not yet complete
    tasks: set[asyncio.Task[None]] = set()
    fatal: list[BaseException] = []
    wake = asyncio.Event()

    def finished(unit: Unit, pos: int, response: Response | None) -> None:
        nonlocal open_units
        unit.responses[pos] = response
        unit.missing -= 1
        if unit.missing == 0:
            open_units -= 1
            if not ordered:
                waiting.append(unit)
            wake.set()

    def fail(exc: BaseException) -> None:
        fatal.append(exc)
        stop.set()
        wake.set()

    async def ask(unit: Unit, pos: int) -> None:
        try:
            try:
                response = await teacher.answer(unit.request, unit.samples[pos])
            finally:
                slots.release()
        except NotSent:
            return  # the run stopped before it was sent: a rerun sends it
        except Exception as exc:  # TeacherError (the run cannot go on) or a bug: stop the run, raise it later
            fail(exc)
            return
        try:
            if journal is not None:
                journal.append(response)  # before anything else happens to it: a kill now loses nothing paid for
            counters.settle(response)
            counters.receive(response)
            pending = review(unit, response) if review is not None else None
            if pending is not None:
                await pending
        except Exception as exc:  # a journal that cannot be written (disk full): stop, raise it
            fail(exc)
            return
        finished(unit, pos, response)

    async def settle(unit: Unit, pos: int, response: Response, pending: Awaitable[None]) -> None:
        try:
            await pending
        except Exception as exc:
            fail(exc)
            return
        finished(unit, pos, response)

    def start(coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    def ready() -> Iterator[Unit]:
        if ordered:
            while waiting and waiting[0].complete:
                yield waiting.popleft()
        else:
            while waiting:
                yield waiting.popleft()

    async def wait_for_change() -> None:
        wake.clear()
        await wake.wait()

    try:
        async for unit in _aiter(units):
            if stop.is_set():
                break
            open_units += 1
            if ordered:
                waiting.append(unit)
            for pos in range(len(unit.samples)):
                known = _known(unit, pos, journal, counters, dedupe)
                if known is True:
                    finished(unit, pos, None)
                elif isinstance(known, Response):
                    pending = review(unit, known) if review is not None else None
                    if pending is None:
                        finished(unit, pos, known)
                    else:
                        start(settle(unit, pos, known, pending))  # a journaled answer the judge has not decided
                else:
                    await slots.acquire()
                    if stop.is_set():
                        break
                    counters.asked += 1
                    start(ask(unit, pos))
            if not unit.samples and not ordered:
                waiting.append(unit)
                open_units -= 1
            for done in ready():
                yield done
            while ordered and len(waiting) >= max_waiting and not stop.is_set():
                await wait_for_change()
                for done in ready():
                    yield done
    except Exception as exc:  # e.g. a bad input line: stop, let in-flight answers land, then raise it
        fail(exc)
    loop = asyncio.get_running_loop()
    deadline: float | None = None
    while tasks:
        if stop.is_set() and deadline is None:
            deadline = loop.time() + grace_s
        if deadline is not None and loop.time() >= deadline:
            break
        timeout = None if deadline is None else deadline - loop.time()
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({*tasks, stopping}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        for done in ready():
            yield done
    for task in list(tasks):
        task.cancel()
    for task in list(tasks):
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    stopped.cancel()
    for done in ready():
        yield done
    if fatal:
        raise fatal[0]


async def answer_stream(
    teacher: Teacher,
    items: Iterable[tuple[Request, int]] | AsyncIterable[tuple[Request, int]],
    *,
    concurrency: int,
    stop: asyncio.Event | None = None,
    grace_s: float = 10.0,
) -> AsyncIterator[Response]:
    """Yield the teacher's responses for ``(request, sample)`` items as they complete, at most ``concurrency`` in
    flight, journaling nothing (:func:`answer_units` with one sample a unit)."""

    async def units() -> AsyncIterator[Unit]:
        async for request, sample in _aiter(items):
            yield Unit(request, (sample,))

    async for unit in answer_units(teacher, units(), concurrency=concurrency, ordered=False, stop=stop,
                                   grace_s=grace_s):  # fmt: skip
        for response in unit.answers():
            yield response


def answer_units_now(
    answer: Callable[[Request, int, Any], Response],
    units: Iterable[Unit],
    *,
    journal: Journal | None,
    counters: Counters,
    reanswer: bool = False,
) -> Iterator[Unit]:
    """:func:`answer_units` without an event loop, in input order, for answers computed on the spot (the built-in
    teacher: ``answer(request, sample, item)``), or for a journal that holds every answer there will be (batch
    results; ``answer`` then reports a missing key). New answers are queued on the journal (``append_later``):
    the caller flushes them in its own order.

    ``reanswer``: answer again even when the journal holds the key. Answering is free, and an answer written by an
    older version of the teacher's code must not outlive that code (an unbroken run would not contain it); the
    journal gets a line only for a new or changed answer (the last line of a key wins).
    """
    use_journal = journal is not None and len(journal) > 0
    for unit in units:
        for pos, sample in enumerate(unit.samples):
            known = journal.get(unit.request.id, sample) if use_journal and journal is not None else None
            if reanswer:
                response = answer(unit.request, sample, unit.item)
                if known is not None and known.content == response.content and known.model == response.model:
                    counters.resumed += 1
                else:
                    if journal is not None:
                        journal.append_later(response)
                    counters.asked += 1
                    counters.receive(response)
            elif known is not None:
                response = known
                counters.resumed += 1
            else:
                response = answer(unit.request, sample, unit.item)
            counters.settle(response)
            unit.responses[pos] = response
            unit.missing -= 1
        yield unit
