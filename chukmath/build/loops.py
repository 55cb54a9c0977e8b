"""``build``'s side of the answer engine (:mod:`chukmath.teach.engine`): problems in index order become units,
answered units are verified and handed to the sink in the same order.

The built-in teacher (and batch results already in the journal) run in the engine's plain loop with no event loop
per sample; a live teacher runs in the engine's window of ``concurrency`` requests, whose reorder buffer holds
finished problems until all earlier ones are done, so memory is bounded by the window, never by ``count``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from chukmath.build import stages
from chukmath.build.gate import Gate
from chukmath.build.recipe import BuildRecipe
from chukmath.build.sink import Sink
from chukmath.records import Problem, Request, Response
from chukmath.teach.engine import Unit, answer_units, answer_units_now
from chukmath.teach.journal import Journal
from chukmath.teach.progress import Counters, ProgressDisplay


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


def _units(
    recipe: BuildRecipe, prompting: stages.Prompting, mix: Any, judge: Judge, counters: Counters
) -> Iterator[Unit]:
    """This run's problems in index order as units of the answer engine (``item``: the problem)."""
    for problem in judge.problems(mix, recipe):
        counters.generated += 1
        yield Unit(prompting.request(problem), range(judge.samples(problem)), problem)


def run_sync(
    recipe: BuildRecipe,
    prompting: stages.Prompting,
    mix: Any,
    journal: Journal,
    judge: Judge,
    counters: Counters,
    display: ProgressDisplay,
    answer: Callable[[Request, int, Problem], Response],
    reanswer: bool,
) -> None:
    """No event loop: for the built-in teacher (``answer`` computes, ``reanswer``) and for batch results already
    ingested into the journal (``answer`` reports a key as missing, nothing is journaled)."""
    tick = 0
    units = _units(recipe, prompting, mix, judge, counters)
    for unit in answer_units_now(answer, units, journal=journal, counters=counters, reanswer=reanswer):
        judge(unit.item, unit.request, unit.answers())
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
    journal: Journal,
    sink: Sink,
    judge: Judge,
    counters: Counters,
    display: ProgressDisplay,
) -> None:
    """A live teacher through the answer engine: problems leave in index order, each answer journaled on arrival."""
    answers = judge.answers
    review = None
    if answers is not None:

        def review(unit: Unit, response: Response) -> Awaitable[None] | None:
            asks = answers.undecided(unit.item, [response])
            return answers.decide(asks) if asks else None

    async def tick() -> None:
        # With a slow endpoint a flush every ``flush_every`` rows could take minutes, and a stalled head of the
        # reorder buffer emits nothing at all: write what is finished and redraw the bars on a clock instead.
        while True:
            await asyncio.sleep(_LIVE_TICK_S)
            sink.flush()
            display.update()

    async with teacher:
        ticker = asyncio.ensure_future(tick())
        try:
            units = _units(recipe, prompting, mix, judge, counters)
            async for unit in answer_units(teacher, units, concurrency=recipe.teacher.concurrency, journal=journal,
                                           counters=counters, review=review):  # fmt: skip
                judge(unit.item, unit.request, unit.answers())
                display.update()
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
        if answers is not None:
            await answers.aclose()
