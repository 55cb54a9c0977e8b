"""``build``: recipe in, run directory out — generate, render, teach, parse, verify and write as one stream.

Problems are taken in index order and leave in index order (the loops are in ``loops.py``).
Resuming re-generates every problem (cheap, deterministic), takes answers already in the journal, asks only the
rest, and rewrites train/rejects/stats/README from the start, so the result equals an unbroken run byte for byte.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from chukmath.build import batch_phase, stages
from chukmath.build.card import dataset_configs, render_card
from chukmath.build.gate import Gate
from chukmath.build.loops import Judge, fewer_gc_passes, run_live, run_sync, select_options, unanswered
from chukmath.build.manifest import Manifest, read_manifest
from chukmath.build.recipe import BuildRecipe
from chukmath.build.rundir import RunDir, RunLock, legacy_fingerprint, make_root, prepare
from chukmath.build.sink import Sink, trim_lines
from chukmath.build.tables import stats_tables
from chukmath.formats import get_format, sync_run_files
from chukmath.generate import generate_mix
from chukmath.jsonl import AtomicWriter
from chukmath.report_html import report_after_build
from chukmath.teach.builtin import builtin_response
from chukmath.teach.journal import Journal
from chukmath.teach.progress import Counters, ProgressDisplay
from chukmath.teach.specs import BuiltinSpec
from chukmath.teach.summary import AnswerCounts
from chukmath.write.dataset import write_stats


@dataclass
class BuildOptions:
    """How to run (not what to make): these never change the dataset."""

    force: bool = False
    quiet: bool = False
    progress: bool | None = None  # None: bars only when stderr is a terminal and not quiet
    progress_stream: IO[str] | None = None
    command: str = ""
    recipe_source: str = ""  # "" = the file the recipe was loaded from (relative templates_dirs are found there)
    flush_every: int = 512
    # Benchmark files (JSONL/Parquet) whose questions must not be trained on: a problem sharing an ``ngram``-word
    # window with one is not asked and has no rows (chukmath.decontaminate); empty = no check.
    decontaminate: list[str] = field(default_factory=list)
    decontaminate_cols: list[str] = field(default_factory=list)
    ngram: int = 8
    # ``--shard I/N`` (chukmath.build.shard.Shard): build only that block of problems, in its own directory.
    shard: Any = None
    # ``chukmath merge``: called with the run directory once it is ready; it puts the shards' journals there. No
    # teacher is asked (an answer missing from them is reported as unanswered) and no key is needed.
    replay: Callable[[RunDir], None] | None = None
    # ``--engine ray``: answer on a Ray cluster (chukmath.build.ray_engine) at ``address`` (None: RAY_ADDRESS or a
    # new local cluster); the files are the same as the local engine's.
    engine: str = "local"
    address: str | None = None


@dataclass
class BuildSummary:
    """What a run did; ``--json`` prints this. ``asked``, ``from_journal`` and ``failed`` come from the run's
    :class:`~chukmath.teach.summary.AnswerCounts` (the reading of the engine's counters ``teach`` summarizes too);
    the rest is the dataset's, from stats.json."""

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


def _notifier(options: BuildOptions) -> Callable[[str], None]:
    """Status lines (the batch phase's) on the progress stream."""

    def say(line: str) -> None:
        stream = options.progress_stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()

    return say


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
    recipe_source = options.recipe_source or recipe.source
    source = Path(recipe_source)
    prompting = stages.load_prompting(recipe, source.parent if source.is_file() else None)
    mix = stages.load_mix(recipe, recipe_source)
    recipe = stages.fit_source(recipe, mix)  # [source]: count at most its rows
    if recipe.problem_source is None:  # a mix stream that cannot give its share fails here, before any request
        generate_mix(mix, seed=recipe.seed, count=recipe.count).check()
    command = options.command or f"chukmath build --recipe {shlex.quote(recipe_source)} --out {shlex.quote(str(out))}"
    api_key = stages.check_teacher(recipe, need_key=options.replay is None)
    judge_key = stages.check_judge(recipe)
    if options.engine == "ray":
        from chukmath.build.ray_engine import check_ray

        check_ray(recipe, options.address, replay=options.replay is not None)
    # Benchmark files are read before anything is written: a missing file or column fails the run at once.
    gate = Gate.for_build(recipe.split, options.decontaminate, options.decontaminate_cols, options.ngram)
    # What the output format needs is refused before anything is written, not after the teacher was paid.
    get_format(recipe.output.format, "[output] format").require()
    hashes = prompting.hashes
    fingerprint = recipe.fingerprint(hashes)
    shard = options.shard
    span = (0, recipe.count) if shard is None else shard.span(recipe.count)
    if shard is not None:
        where = str(source.resolve()) if source.is_file() else recipe_source
        shard_entry = shard.to_dict(fingerprint, recipe.count, command, str(out), where, {
            "decontaminate": options.decontaminate, "decontaminate_cols": options.decontaminate_cols,
            "ngram": options.ngram})
        fingerprint = shard.fingerprint(fingerprint)
        command += f" --shard {shard}"
    root = Path(out)
    make_root(root)
    from chukmath.write.stats import StatsAccumulator

    with RunLock(RunDir(root)):
        legacy, _ = legacy_fingerprint(recipe, RunDir(root), hashes) if shard is None else (frozenset(), None)
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
            trim_lines(run.problems, span[1] - span[0])
        manifest = _manifest_for(recipe, run, resuming, fingerprint, hashes, command)
        if shard is not None:
            manifest.shard = shard_entry
        manifest.write(run.manifest)
        stages.write_source_rejects(recipe, mix, run.root)
        if options.replay is not None:
            options.replay(run)
            resuming = True
        elif recipe.teacher.mode == "bulk":
            # Before the journal is opened for writing: batch collection appends to it itself.
            batch_phase.run_batches(recipe, prompting, mix, run, notify=None if options.quiet else _notifier(options),
                                    span=span, gate=gate)
            resuming = True
        # build holds the run directory's lock, which covers its journal.
        journal = Journal(run.journal, locked=False)
        problems_total = span[1] - span[0]
        responses_total = problems_total * recipe.teacher.samples
        counters = Counters(
            total=problems_total,
            totals={"generated": problems_total, "answered": responses_total, "verified": responses_total},
        )
        acc = StatsAccumulator(options=asdict_options(recipe))
        sink = Sink(run, journal, counters, acc, flush_every=options.flush_every,
                    test=gate is not None and gate.has_test)
        judge = Judge(recipe, sink, gate, stages.make_judge(recipe, judge_key, run.root / "judge.jsonl"))
        judge.span = span
        show = (
            ProgressDisplay.wanted(options.quiet, options.progress_stream)
            if options.progress is None
            else (options.progress and not options.quiet)
        )
        try:
            with ProgressDisplay(counters, enabled=show, stream=options.progress_stream) as display:
                if options.engine == "ray":
                    from chukmath.build.ray_engine import run_ray

                    run_ray(recipe, prompting, mix, journal, sink, judge, counters, display, address=options.address,
                            recipe_source=recipe_source, api_key=api_key, gated=gate is not None)
                elif isinstance(recipe.teacher, BuiltinSpec):
                    with fewer_gc_passes():
                        answer = partial(builtin_response, trace_style=recipe.teacher.trace_style)
                        run_sync(recipe, prompting, mix, journal, judge, counters, display, answer, reanswer=True)
                elif recipe.teacher.mode == "bulk" or options.replay is not None:
                    run_sync(recipe, prompting, mix, journal, judge, counters, display, unanswered(recipe),
                             reanswer=False)
                else:
                    teacher = stages.make_teacher(recipe, api_key)
                    asyncio.run(run_live(recipe, teacher, prompting, mix, journal, sink, judge, counters, display))
            sink.finish()
        finally:
            sink.close()
            journal.close()
            if judge.answers is not None:
                judge.answers.close()
        stats = _stats_dict(recipe, acc)
        if gate is not None:
            stats.update(gate.report())
        if judge.answers is not None:
            stats.update(judge.answers.report())
        write_stats(run.stats, stats)
        sync_run_files(run.root, recipe.output.format)
        totals = {"problems": problems_total, "accepted": counters.accepted}
        card = render_card(
            recipe=recipe,
            manifest=manifest.to_dict(),
            tables=stats_tables(stats),
            totals=totals,
            example=sink.first_sample,
            command=command,
            configs=dataset_configs(run.root, recipe.output.format),
        )
        with AtomicWriter(run.card) as fh:
            fh.write(card.encode())
        answers = AnswerCounts.of(counters)
        complete = answers.failed == 0
        manifest.finished = time.time()
        manifest.status = "complete" if complete else "incomplete"
        manifest.runs[-1].update(
            finished_unix=manifest.finished,
            asked=answers.asked,
            from_journal=answers.from_journal,
            failed=answers.failed,
        )
        manifest.write(run.manifest)
        # Last, from the files just written (so it matches them), inside the lock (so no other build rewrites them).
        report = report_after_build(run.root)
    elapsed = time.monotonic() - started
    t = stats["totals"]
    return BuildSummary(
        out=str(root),
        name=recipe.name,
        complete=complete,
        problems=t["problems"],
        responses=t["responses"],
        asked=answers.asked,
        from_journal=answers.from_journal,
        failed=answers.failed,
        accepted=t["accepted"],
        rejected=t["rejected"],
        acceptance_rate=t["acceptance_rate"],
        by_reason=dict(stats.get("by_reason") or {}),
        elapsed_s=round(elapsed, 3),
        samples_per_s=round(t["problems"] / elapsed, 1) if elapsed > 0 else 0.0,
        files={
            k: str(getattr(run, k))
            for k in ("train", "rejects", "stats", "card", "manifest", "journal")
            + (("test",) if recipe.split is not None else ())
        }
        | ({"report": str(report)} if report is not None else {}),
    )


def asdict_options(recipe: BuildRecipe) -> dict[str, Any]:
    """The selection options as stats.json records them."""
    return select_options(recipe).to_dict()
