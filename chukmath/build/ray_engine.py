"""``build --engine ray``: the answer loop of a build as a Ray Data job, on a local or existing Ray cluster.

The problems of the run are a Ray Dataset of index ranges (problem *i* is a pure function of the recipe, the seed
and *i*, so any worker makes any block); one ``map_batches`` step generates, renders, answers, verifies and selects
each block (:mod:`chukmath.build.ray_work`). The driver takes the blocks back in index order and writes them
through the same sink as the local build: the files are byte for byte those of a single-process build.

With a paid teacher every answer is appended to the run's journal by one actor on the driver's node the moment a
worker has it, and the same actor holds the endpoint's concurrency and rate limits for all workers
(:mod:`chukmath.build.ray_actors`); so a failed or killed job resumes like a local build, asking only what the
journal lacks. The driver must run on a node of the cluster (it writes the run directory): ``--address auto`` or
``HOST:6379``, not a ``ray://`` client address.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
from collections.abc import Iterator
from typing import Any

from chukmath.build.loops import Judge
from chukmath.build.ray_actors import Ledger, find_answers
from chukmath.build.ray_work import BlockWorker, Outcome, WorkerSpec, dump_outcomes, key
from chukmath.build.recipe import BuildRecipe
from chukmath.build.sink import Sink
from chukmath.build.stages import Prompting
from chukmath.errors import ChukmathError, ConfigError, OutputError
from chukmath.records import Response
from chukmath.teach.journal import Journal
from chukmath.teach.progress import Counters, ProgressDisplay

INSTALL_HINT = "pip install 'chukmath[ray]' (Ray Data)"


def need_ray() -> Any:
    """The ``ray`` module (with Ray Data), or a ConfigError that says how to install it."""
    try:
        import ray
        import ray.data  # the engine's Dataset API: a bare `ray` install lacks it
    except ImportError as exc:
        raise ConfigError(f"--engine ray needs Ray Data, which is not installed ({exc}); {INSTALL_HINT}") from None
    return ray


def check_ray(recipe: BuildRecipe, address: str | None, *, replay: bool = False) -> None:
    """Refuse, before anything is written, what the Ray engine cannot run."""
    kind = recipe.teacher.kind
    if replay or kind not in ("builtin", "openai"):
        what = "chukmath merge" if replay else f'[teacher] kind = "{kind}"'
        raise ConfigError(f"--engine ray with {what}: the Ray engine answers with the builtin or an openai teacher "
                          "(a batch teacher's endpoint already runs the whole job); use --engine local")
    if address and address.startswith("ray://"):
        raise ConfigError(f"--address {address}: the build's driver writes the run directory and its journal, so it "
                          "runs on a node of the cluster; use --address auto (or HOST:6379) there, not a ray:// client")
    need_ray()


@contextlib.contextmanager
def connected(address: str | None) -> Iterator[Any]:
    """Ray, connected: the running session if there is one, else ``address`` (or RAY_ADDRESS), else a new local
    cluster on this machine; a cluster started here is shut down afterwards."""
    ray = need_ray()
    started = False
    if not ray.is_initialized():
        ray.init(address=address or None, include_dashboard=False, logging_level=logging.WARNING,
                 configure_logging=True)
        started = True
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


def plan_blocks(start: int, stop: int, workers: int, recipe: BuildRecipe) -> list[tuple[int, int]]:
    """The index ranges of the job: about four blocks a worker (so a slow one does not hold the end), at most 2,048
    problems each with the built-in teacher; with a paid one small enough that answers stream back while it runs."""
    most = 2048 if not recipe.teacher.paid else max(64, 8 * recipe.teacher.concurrency)
    size = max(1, min(most, -(-(stop - start) // (4 * workers))))
    return [(a, min(a + size, stop)) for a in range(start, stop, size)]


class _RayBlocks:
    """The ``map_batches`` callable: one :class:`BlockWorker` per Ray actor, one pickled payload per block: its
    outcomes, or the chukmath error that stopped it (bad templates, a teacher that refuses the key, a server gone).
    Errors travel as data because Ray reports an exception raised in a UDF as its own, with the original's type and
    message only in the text; the driver raises them as they were, so the user gets the one line a local build gives.
    """

    def __init__(self, spec: WorkerSpec) -> None:
        self._worker: BlockWorker | None = None
        self._error: ChukmathError | None = None
        try:
            self._worker = BlockWorker(spec)
        except ChukmathError as exc:
            self._error = exc

    def _payload(self, start: int, stop: int) -> bytes:
        try:
            if self._worker is None:
                raise self._error or ConfigError("the Ray worker did not start")
            return dump_outcomes((None, self._worker.block(start, stop)))
        except ChukmathError as exc:
            return dump_outcomes((exc, []))

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        payloads = [self._payload(int(a), int(b)) for a, b in zip(batch["start"], batch["stop"], strict=True)]
        return {"start": batch["start"], "payload": np.array(payloads, dtype=object)}


def _gate_skips(judge: Judge, mix: Any, recipe: BuildRecipe) -> frozenset[int]:
    """With a gate (split, decontamination): decide every problem on the driver, in index order, first (generation
    only; workers need the decisions, the gate needs the order); the indices it keeps out are not asked."""
    return frozenset(p.index for p in judge.problems(mix, recipe) if judge.samples(p) == 0)


def _chukmath_cause(exc: BaseException) -> ChukmathError | None:
    """The chukmath error a Ray failure carries (a worker's TeacherError), to show the user its one line."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        here = todo.pop()
        if id(here) in seen:
            continue
        seen.add(id(here))
        cause = getattr(here, "cause", None)
        if isinstance(cause, ChukmathError):
            return cause
        if isinstance(here, ChukmathError) and type(here).__module__.startswith("chukmath"):
            return here
        todo.extend(e for e in (cause, here.__cause__, here.__context__) if isinstance(e, BaseException))
    return None


class _Driver:
    """Takes outcomes in index order: counts, journals the built-in teacher's answers, writes through the sink."""

    def __init__(self, recipe: BuildRecipe, index: Journal, sink: Sink, judge: Judge, counters: Counters,
                 display: ProgressDisplay) -> None:
        self.paid = recipe.teacher.paid
        self.index, self.sink, self.judge, self.counters, self.display = index, sink, judge, counters, display
        self.use_index = len(index) > 0

    def _appended(self, outcome: Outcome, known: list[Response | None]) -> dict[str, Response]:
        """Answers the workers left to the journal that it did not hold when the run began: a block that Ray ran
        again (its worker died) finds what its first try appended. Rare, so the journal is read for them."""
        request_id = outcome.request_id
        keys = {key(request_id, s) for s, (got, old) in enumerate(zip(outcome.responses, known, strict=True))
                if got is None and old is None}
        if not keys:
            return {}
        found = find_answers(self.sink.run.journal, keys)
        lost = sorted(keys - found.keys())
        if lost:
            raise OutputError(f"{self.sink.run.journal}: the ledger said it holds {', '.join(lost)} (request:sample) "
                              "and it is not there; was the journal edited or moved during the run?")
        return {k: Response.from_dict(obj, where=str(self.sink.run.journal)) for k, obj in found.items()}

    def take(self, outcome: Outcome) -> None:
        c = self.counters
        c.generated += 1
        responses = []
        request_id = outcome.request_id
        known = [self.index.get(request_id, s) if self.use_index else None for s in range(len(outcome.responses))]
        appended = self._appended(outcome, known) if self.paid else {}
        for s, got in enumerate(outcome.responses):
            if self.paid and got is None:
                got = known[s] or appended[key(request_id, s)]
                c.resumed += 1
            elif self.paid:
                c.asked += 1  # already in the journal: the journal actor appended it
            elif (old := known[s]) is not None and old.content == got.content and old.model == got.model:
                c.resumed += 1  # the built-in teacher's answer is unchanged: no new journal line (as run_sync)
            else:
                self.sink.journal_later(got)
                c.asked += 1
            if got.ok:
                c.answered += 1
            else:
                c.failed += 1
            responses.append(got)
        if outcome.result is not None:
            self.judge.emit(outcome.problem, outcome.result)
        else:
            assert outcome.request is not None  # a worker keeps the request whenever it leaves the selection here
            self.judge(outcome.problem, outcome.request, responses)


def run_ray(
    recipe: BuildRecipe,
    prompting: Prompting,
    mix: Any,
    index: Journal,
    sink: Sink,
    judge: Judge,
    counters: Counters,
    display: ProgressDisplay,
    *,
    address: str | None = None,
    recipe_source: str = "",
    api_key: str | None = None,
    gated: bool = False,
) -> dict[str, int]:
    """Answer the run's problems on Ray and write them through ``sink`` in index order (the loops' contract);
    returns what the job measured (``workers``, ``blocks``, the ``peak`` of requests in flight)."""
    start, stop = judge.span if judge.span is not None else (0, recipe.count)
    skip = _gate_skips(judge, mix, recipe) if gated else frozenset()
    driver = _Driver(recipe, index, sink, judge, counters, display)
    with connected(address) as ray:
        workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        blocks = plan_blocks(start, stop, workers, recipe)
        ledger = None
        if recipe.teacher.paid:
            from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

            here = NodeAffinitySchedulingStrategy(node_id=ray.get_runtime_context().get_node_id(), soft=False)
            t = recipe.teacher
            ledger = ray.remote(Ledger).options(
                num_cpus=0, scheduling_strategy=here, max_concurrency=max(1000, workers * t.concurrency + 64)
            ).remote(str(sink.run.journal), t.concurrency, t.rpm or None, t.tpm or None)
        spec = WorkerSpec(recipe=recipe, recipe_source=recipe_source or recipe.source,
                          template_hashes=prompting.hashes, api_key=api_key, skip=skip,
                          select=judge.answers is None, ledger=ledger)
        try:
            dataset = ray.data.from_items([{"start": a, "stop": b} for a, b in blocks],
                                          override_num_blocks=len(blocks))
            # A block Ray runs again (its worker died) asks only what the ledger lacks, so Ray's retries are safe.
            answered = dataset.map_batches(
                _RayBlocks, fn_constructor_kwargs={"spec": spec}, batch_size=1, batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=min(workers, len(blocks))), num_cpus=1,
            )
            order = [a for a, _ in blocks]
            position = 0
            waiting: dict[int, list[Outcome]] = {}
            rows = iter(answered.iter_rows())
            try:
                for row in rows:
                    error, outcomes = pickle.loads(row["payload"])
                    if error is not None:
                        raise error  # the answers bought so far are in the journal: the next run resumes
                    waiting[int(row["start"])] = outcomes
                    while position < len(order) and order[position] in waiting:
                        for outcome in waiting.pop(order[position]):
                            driver.take(outcome)
                        position += 1
                        display.update()
            finally:
                close = getattr(rows, "close", None)
                if close is not None:
                    close()  # stops the job's other blocks when this one failed
            measured = {"workers": workers, "blocks": len(blocks)}
            if ledger is not None:
                measured.update(ray.get(ledger.stats.remote()))
            return measured
        except ChukmathError:
            raise
        except Exception as exc:
            cause = _chukmath_cause(exc)
            if cause is None:
                raise
            raise cause from None
        finally:
            if ledger is not None:
                with contextlib.suppress(Exception):
                    ray.get(ledger.close.remote())
                with contextlib.suppress(Exception):
                    ray.kill(ledger)
