"""The answer loops of ``build``: problems in index order, answers from the journal or the teacher, verdicts out.

The built-in teacher (and batch results already in the journal) run in one tight loop with no event loop per
sample; a live teacher runs in an asyncio window of ``concurrency`` requests, and a reorder buffer holds finished
problems until all earlier ones are done, so memory is bounded by the window, never by ``count``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from chukmath.build import stages
from chukmath.build.gate import Gate
from chukmath.build.journal_index import JournalIndex
from chukmath.build.progress import Counters, ProgressDisplay
from chukmath.build.recipe import BuildRecipe
from chukmath.build.sink import Sink
from chukmath.records import Problem, Request, Response


@dataclass
class _Slot:
    """One problem waiting in the reorder buffer for its answers."""

    problem: Problem
    request: Request
    responses: list[Response | None]
    missing: int
    done: asyncio.Event | None = None


def select_options(recipe: BuildRecipe) -> Any:
    from chukmath.write.selection import SelectOptions

    return SelectOptions(
        keep=recipe.verify.keep,
        max_per_problem=recipe.verify.max_per_problem,
        user_turn=recipe.output.user_turn,
        system=recipe.output.system or None,
        strip_verifier_answer=recipe.output.strip_verifier_answer,
        language=recipe.verify.language,
        tolerance=recipe.verify.tolerance,
    )


class Judge:
    """verify + select for one problem (chukmath.write), then hand the rows to the sink in order."""

    def __init__(self, recipe: BuildRecipe, sink: Sink, gate: Gate | None = None, answers: Any = None) -> None:
        from chukmath.verify import Policy
        from chukmath.write.selection import Candidate, select_samples

        self._policy = Policy.from_spec(recipe.verify.policy)
        self._options = select_options(recipe)
        self._candidate = Candidate
        self._select = select_samples
        self._sink = sink
        self._samples = recipe.teacher.samples
        self._gate = gate
        # ``(start, stop)``: the problem indices this run builds (a shard's block, chukmath.build.shard); None: all.
        self.span: tuple[int, int] | None = None
        # The [judge] model for unparseable answers (chukmath.judge.AnswerJudge), or None.
        self.answers = answers

    def samples(self, problem: Problem) -> int:
        """How many samples of ``problem`` to ask for; 0 when the gate (decontamination, split) keeps it out.
        Called once per problem, in index order, before it is asked."""
        if self._gate is None or self._gate.admit(problem):
            return self._samples
        return 0

    def problems(self, mix: Any, recipe: BuildRecipe) -> Iterator[Problem]:
        """This run's problems in index order. A shard first feeds the gate the problems before its block (generated,
        never asked): the split depends on them, so the shard asks what the unsharded build would."""
        start, stop = self.span if self.span is not None else (0, recipe.count)
        if start and self._gate is not None:
            for problem in stages.problems(mix, recipe, 0, start):
                self._gate.admit(problem)
                self._gate.route(problem, 0)
        yield from stages.problems(mix, recipe, start, stop - start)

    def __call__(self, problem: Problem, request: Request, responses: list[Response]) -> None:
        candidates = [self._candidate(request, r) for r in responses]
        review = None
        if self.answers is not None:
            # The live loop asked the judge as answers arrived; the built-in and batch loops ask here.
            self.answers.decide_sync(self.answers.undecided(problem, responses))
            review = self.answers.review
        self.emit(problem, self._select(problem, candidates, self._policy, self._options, review))

    def emit(self, problem: Problem, result: Any) -> None:
        """Hand one problem's ``select_samples`` result to the sink (in index order), routed to its split; a
        distributed engine (``build --engine ray``) selects on its workers and calls this on the driver."""
        if self._gate is None:
            self._sink.emit(problem, result)
        else:
            self._sink.emit(problem, result, self._gate.route(problem, len(result.rows)))


def unanswered(recipe: BuildRecipe) -> Callable[[Request, int, Problem], Response]:
    """For the batch teacher: a key still missing after the batches finished is reported, not asked here."""

    def missing(request: Request, sample: int, problem: Problem) -> Response:
        return Response(
            request_id=request.id,
            sample=sample,
            teacher=recipe.teacher.kind,
            model=recipe.teacher.model,
            content=None,
            error={"kind": "unanswered", "message": f"no batch answered problem {problem.id}; run build again"},
        )

    return missing


# The sync loop allocates a few hundred short-lived containers per sample, and buffered rows and the filling
# verifier caches survive for a while; at the default threshold (700) the collector ran every ~100 samples and
# cost 6-10% of the run (each young-generation pass took milliseconds), while a run of 20,000 samples makes only
# ~60 objects of cyclic garbage. Cycles are still collected, just after 100,000 net allocations (a few MB at
# most); the thresholds are restored afterwards.
_SYNC_GC_THRESHOLD0 = 100_000


@contextlib.contextmanager
def fewer_gc_passes() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], _SYNC_GC_THRESHOLD0), *old[1:])
    # What exists before the loop (modules, sympy, compiled templates) is never garbage of the loop: park it
    # outside the generations so a full collection during the run scans only what the run made.
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*old)


def run_sync(
    recipe: BuildRecipe,
    prompting: stages.Prompting,
    mix: Any,
    index: JournalIndex,
    sink: Sink,
    judge: Judge,
    counters: Counters,
    display: ProgressDisplay,
    answer: Callable[[Request, int, Problem], Response],
    journal: bool,
) -> None:
    """One tight loop, no event loop: for the built-in teacher (``answer`` computes, ``journal``) and for
    batch results already ingested into the journal (``answer`` reports a key as missing, nothing is journaled)."""
    use_index = len(index) > 0
    tick = 0
    for problem in judge.problems(mix, recipe):
        request = prompting.request(problem)
        counters.generated += 1
        responses: list[Response] = []
        for s in range(judge.samples(problem)):
            known = index.get(request.id, s) if use_index else None
            if journal:
                # The built-in teacher answers again even when the journal holds its answer: answering is free, and
                # an answer written by an older version of its code must not outlive that code (an unbroken run
                # would not contain it). The journal gets a line only for a new or changed answer (last line wins).
                response = answer(request, s, problem)
                if known is not None and known.content == response.content and known.model == response.model:
                    counters.resumed += 1
                else:
                    sink.journal_later(response)
                    counters.asked += 1
            elif known is not None:
                response = known
                counters.resumed += 1
            else:
                response = answer(request, s, problem)
            if response.ok:
                counters.answered += 1
            else:
                counters.failed += 1
            responses.append(response)
        judge(problem, request, responses)
        tick += 1
        if tick >= 32:
            tick = 0
            display.update()


_LIVE_TICK_S = 0.5


async def run_live(
    recipe: BuildRecipe,
    teacher: Any,
    prompting: stages.Prompting,
    mix: Any,
    index: JournalIndex,
    sink: Sink,
    judge: Judge,
    counters: Counters,
    display: ProgressDisplay,
) -> None:
    window = recipe.teacher.concurrency
    # Finished problems wait here for earlier ones; bounding it bounds memory when one request is slow.
    max_buffered = window * 4 + 64
    in_flight = asyncio.Semaphore(window)
    buffer: deque[_Slot] = deque()

    def drain() -> None:
        while buffer and buffer[0].missing == 0:
            slot = buffer.popleft()
            judge(slot.problem, slot.request, [r for r in slot.responses if r is not None])
        display.update()

    async def ask(slot: _Slot, sample: int) -> None:
        try:
            response = await teacher.answer(slot.request, sample)
        finally:
            in_flight.release()
        sink.journal_now(response)  # before anything else happens to it: a kill now loses nothing paid for
        if response.ok:
            counters.answered += 1
        else:
            counters.failed += 1
        if judge.answers is not None:
            await judge.answers.decide(judge.answers.undecided(slot.problem, [response]))
        slot.responses[sample] = response
        slot.missing -= 1
        if slot.missing == 0 and slot.done is not None:
            slot.done.set()

    async def settle(slot: _Slot, asks: list[Request]) -> None:
        await judge.answers.decide(asks)
        slot.missing -= 1
        if slot.missing == 0 and slot.done is not None:
            slot.done.set()

    async def tick() -> None:
        # With a slow endpoint a flush every ``flush_every`` rows could take minutes, and a stalled head of the
        # reorder buffer emits nothing at all: write what is finished and redraw the bars on a clock instead.
        while True:
            await asyncio.sleep(_LIVE_TICK_S)
            sink.flush()
            display.update()

    async with teacher, asyncio.TaskGroup() as group:
        ticker = group.create_task(tick())
        for problem in judge.problems(mix, recipe):
            request = prompting.request(problem)
            counters.generated += 1
            asked = judge.samples(problem)
            slot = _Slot(problem, request, [None] * asked, asked, asyncio.Event())
            buffer.append(slot)
            for s in range(asked):
                known = index.get(request.id, s)
                if known is not None:
                    slot.responses[s] = known
                    counters.resumed += 1
                    counters.answered += 1
                    asks = judge.answers.undecided(problem, [known]) if judge.answers is not None else []
                    if asks:
                        group.create_task(settle(slot, asks))  # a journaled answer the judge has not decided
                    else:
                        slot.missing -= 1
                    continue
                await in_flight.acquire()
                counters.asked += 1
                group.create_task(ask(slot, s))
            drain()
            while len(buffer) >= max_buffered:
                assert buffer[0].done is not None
                await buffer[0].done.wait()
                drain()
        while buffer:
            assert buffer[0].done is not None
            if buffer[0].missing:
                await buffer[0].done.wait()
            drain()
        ticker.cancel()
        if judge.answers is not None:
            await judge.answers.aclose()
