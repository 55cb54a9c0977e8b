"""``build``: recipe in, run directory out — generate, render, teach, parse, verify and write as one stream.

Problems are taken in index order and leave in index order. The built-in teacher runs in one tight loop (no event
loop per sample); a live teacher runs in an asyncio window of ``concurrency`` requests, and a reorder buffer holds
finished problems until all earlier ones are done, so memory is bounded by the window, never by ``count``.
Resuming re-generates every problem (cheap, deterministic), takes answers already in the journal, asks only the
rest, and rewrites train/rejects/stats/README from the start, so the result equals an unbroken run byte for byte.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from chukmath.build import batch_phase, stages
from chukmath.build.card import render_card
from chukmath.build.journal_index import JournalIndex
from chukmath.build.manifest import Manifest, read_manifest
from chukmath.build.progress import Counters, ProgressDisplay
from chukmath.build.recipe import BuildRecipe
from chukmath.build.rundir import RunDir, RunLock, legacy_fingerprint, prepare
from chukmath.build.sink import Sink, trim_lines
from chukmath.build.tables import stats_tables
from chukmath.errors import OutputError
from chukmath.jsonl import AtomicWriter
from chukmath.records import Problem, Request, Response
from chukmath.teach.builtin import builtin_response


@dataclass
class BuildOptions:
    """How to run (not what to make): these never change the dataset."""

    force: bool = False
    quiet: bool = False
    progress: bool | None = None  # None: bars only when stderr is a terminal and not quiet
    progress_stream: IO[str] | None = None
    command: str = ""
    recipe_source: str = "<recipe>"
    flush_every: int = 512


@dataclass
class BuildSummary:
    """What a run did; ``--json`` prints this."""

    out: str
    name: str
    complete: bool
    problems: int
    responses: int
    asked: int
    from_journal: int
    failed: int
    accepted: int
    rejected: int
    acceptance_rate: float | None
    by_reason: dict[str, int]
    elapsed_s: float
    samples_per_s: float
    files: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Slot:
    """One problem waiting in the reorder buffer for its answers."""

    problem: Problem
    request: Request
    responses: list[Response | None]
    missing: int
    done: asyncio.Event | None = None


def _select_options(recipe: BuildRecipe) -> Any:
    from chukmath.write.selection import SelectOptions

    return SelectOptions(
        keep=recipe.verify.keep,
        max_per_problem=recipe.verify.max_per_problem,
        user_turn=recipe.output.user_turn,
        system=recipe.output.system or None,
        strip_verifier_answer=recipe.output.strip_verifier_answer,
        language=recipe.verify.language,
    )


class _Judge:
    """verify + select for one problem (chukmath.write), then hand the rows to the sink in order."""

    def __init__(self, recipe: BuildRecipe, sink: Sink) -> None:
        from chukmath.verify import Policy
        from chukmath.write.selection import Candidate, select_samples

        self._policy = Policy.from_spec(recipe.verify.policy)
        self._options = _select_options(recipe)
        self._candidate = Candidate
        self._select = select_samples
        self._sink = sink

    def __call__(self, problem: Problem, request: Request, responses: list[Response]) -> None:
        candidates = [self._candidate(request, r) for r in responses]
        self._sink.emit(problem, self._select(problem, candidates, self._policy, self._options))


def _unanswered(recipe: BuildRecipe) -> Callable[[Request, int, Problem], Response]:
    """For the batch teacher: a key still missing after the batches finished is reported, not asked here."""

    def missing(request: Request, sample: int, problem: Problem) -> Response:
        return Response(
            request_id=request.id,
            sample=sample,
            teacher="batch",
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
def _fewer_gc_passes() -> Iterator[None]:
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


def _run_sync(
    recipe: BuildRecipe,
    prompting: stages.Prompting,
    mix: Any,
    index: JournalIndex,
    sink: Sink,
    judge: _Judge,
    counters: Counters,
    display: ProgressDisplay,
    answer: Callable[[Request, int, Problem], Response],
    journal: bool,
) -> None:
    """One tight loop, no event loop: for the built-in teacher (``answer`` computes, ``journal``) and for
    batch results already ingested into the journal (``answer`` reports a key as missing, nothing is journaled)."""
    samples = recipe.teacher.samples
    use_index = len(index) > 0
    tick = 0
    for problem in stages.problems(mix, recipe, 0, recipe.count):
        request = prompting.request(problem)
        counters.generated += 1
        responses: list[Response] = []
        for s in range(samples):
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


async def _run_live(
    recipe: BuildRecipe,
    teacher: Any,
    prompting: stages.Prompting,
    mix: Any,
    index: JournalIndex,
    sink: Sink,
    judge: _Judge,
    counters: Counters,
    display: ProgressDisplay,
) -> None:
    samples = recipe.teacher.samples
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
        slot.responses[sample] = response
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
        for problem in stages.problems(mix, recipe, 0, recipe.count):
            request = prompting.request(problem)
            counters.generated += 1
            slot = _Slot(problem, request, [None] * samples, samples, asyncio.Event())
            buffer.append(slot)
            for s in range(samples):
                known = index.get(request.id, s)
                if known is not None:
                    slot.responses[s] = known
                    slot.missing -= 1
                    counters.resumed += 1
                    counters.answered += 1
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


def _notifier(options: BuildOptions) -> Callable[[str], None]:
    """Status lines (the batch phase's) on the progress stream."""

    def say(line: str) -> None:
        stream = options.progress_stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()

    return say


def _first_error(group: BaseExceptionGroup) -> BaseException:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first_error(exc)
        return exc
    return group


def _manifest_for(
    recipe: BuildRecipe, run: RunDir, resuming: bool, fingerprint: str, hashes: dict[str, str], command: str
) -> Manifest:
    manifest = Manifest(
        name=recipe.name,
        fingerprint=fingerprint,
        recipe=recipe.model_dump(mode="json"),
        template_hashes=hashes,
        teacher=recipe.teacher.kind,
        model=stages.teacher_model(recipe),
        command=command,
    )
    if resuming:
        old = read_manifest(run.manifest)
        manifest.runs = list(old.get("runs") or [])
        first = manifest.runs[0].get("started_unix") if manifest.runs else None
        if isinstance(first, int | float):
            manifest.started = float(first)
    manifest.runs.append({"started_unix": time.time(), "command": command, "count": recipe.count})
    return manifest


def _write_json(path: Path, obj: Any) -> None:
    with AtomicWriter(path) as fh:
        fh.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE))


def _stats_dict(recipe: BuildRecipe, acc: Any) -> dict[str, Any]:
    stats = acc.to_dict()
    tokens = stats.get("tokens") or {}
    t = recipe.teacher
    # Prices are per million tokens, as providers quote them.
    usd = (tokens.get("prompt", 0) * t.price_in + tokens.get("completion", 0) * t.price_out) / 1_000_000
    stats["cost"] = {"usd": round(usd, 6), "price_in": t.price_in, "price_out": t.price_out}
    return stats


def build_dataset(recipe: BuildRecipe, out: str | Path, options: BuildOptions | None = None) -> BuildSummary:
    """Make (or resume) the dataset ``recipe`` describes in ``out``; returns what the run did.

    Everything that can be checked is checked before the first request: templates, generator mix, teacher key,
    and whether ``out`` holds a different run (refused unless ``options.force``).
    """
    options = options or BuildOptions()
    started = time.monotonic()
    source = Path(options.recipe_source)
    prompting = stages.load_prompting(recipe, source.parent if source.is_file() else None)
    mix = stages.load_mix(recipe, options.recipe_source)
    api_key = stages.check_teacher(recipe)
    hashes = prompting.hashes
    fingerprint = recipe.fingerprint(hashes)
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root}: exists and is not a directory; choose another --out")
    root.mkdir(parents=True, exist_ok=True)
    from chukmath.write.stats import StatsAccumulator

    with RunLock(RunDir(root)):
        legacy, _ = legacy_fingerprint(recipe, RunDir(root), hashes)
        run, resuming = prepare(
            root,
            fingerprint=fingerprint,
            name=recipe.name,
            force=options.force,
            also_same=legacy,
            explain=lambda old: recipe.differences(old, hashes),
        )
        if resuming:
            # A smaller count than the last run's: the dataset of the first ``count`` problems. The journal keeps
            # every answer, so raising the count again asks nothing twice.
            trim_lines(run.problems, recipe.count)
        manifest = _manifest_for(recipe, run, resuming, fingerprint, hashes, options.command)
        manifest.write(run.manifest)
        if recipe.teacher.kind == "batch":
            # Before the journal is opened for writing: batch collection appends to it itself.
            batch_phase.run_batches(recipe, prompting, mix, run, notify=None if options.quiet else _notifier(options))
            resuming = True
        index = JournalIndex.load(run.journal) if resuming else JournalIndex(run.journal)
        responses_total = recipe.count * recipe.teacher.samples
        counters = Counters(
            total=recipe.count,
            totals={"generated": recipe.count, "answered": responses_total, "verified": responses_total},
        )
        acc = StatsAccumulator(options=asdict_options(recipe))
        sink = Sink(run, counters, acc, flush_every=options.flush_every)
        judge = _Judge(recipe, sink)
        show = (
            ProgressDisplay.wanted(options.quiet, options.progress_stream)
            if options.progress is None
            else (options.progress and not options.quiet)
        )
        try:
            with ProgressDisplay(counters, enabled=show, stream=options.progress_stream) as display:
                if recipe.teacher.kind == "builtin":
                    run_args = (recipe, prompting, mix, index, sink, judge, counters, display)
                    with _fewer_gc_passes():
                        _run_sync(*run_args, builtin_response, journal=True)
                elif recipe.teacher.kind == "batch":
                    _run_sync(recipe, prompting, mix, index, sink, judge, counters, display, _unanswered(recipe), False)
                else:
                    teacher = stages.make_teacher(recipe, api_key)
                    live = _run_live(recipe, teacher, prompting, mix, index, sink, judge, counters, display)
                    try:
                        asyncio.run(live)
                    except BaseExceptionGroup as group:
                        # The task group wraps a fatal teacher error (bad key, unknown model); surface it plainly.
                        raise _first_error(group) from None
            sink.finish()
        finally:
            sink.close()
            index.close()
        stats = _stats_dict(recipe, acc)
        _write_json(run.stats, stats)
        totals = {"problems": recipe.count, "accepted": counters.accepted}
        card = render_card(
            recipe=recipe,
            manifest=manifest.to_dict(),
            tables=stats_tables(stats),
            totals=totals,
            example=sink.first_sample,
            command=options.command or f"chukmath build --recipe {options.recipe_source} --out {root}",
        )
        with AtomicWriter(run.card) as fh:
            fh.write(card.encode())
        complete = counters.failed == 0
        manifest.finished = time.time()
        manifest.status = "complete" if complete else "incomplete"
        manifest.runs[-1].update(
            finished_unix=manifest.finished, asked=counters.asked, from_journal=counters.resumed, failed=counters.failed
        )
        manifest.write(run.manifest)
    elapsed = time.monotonic() - started
    t = stats["totals"]
    return BuildSummary(
        out=str(root),
        name=recipe.name,
        complete=complete,
        problems=t["problems"],
        responses=t["responses"],
        asked=counters.asked,
        from_journal=counters.resumed,
        failed=counters.failed,
        accepted=t["accepted"],
        rejected=t["rejected"],
        acceptance_rate=t["acceptance_rate"],
        by_reason=dict(stats.get("by_reason") or {}),
        elapsed_s=round(elapsed, 3),
        samples_per_s=round(t["problems"] / elapsed, 1) if elapsed > 0 else 0.0,
        files={k: str(getattr(run, k)) for k in ("train", "rejects", "stats", "card", "manifest", "journal")},
    )


def asdict_options(recipe: BuildRecipe) -> dict[str, Any]:
    """The selection options as stats.json records them."""
    return _select_options(recipe).to_dict()
