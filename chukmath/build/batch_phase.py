"""The Batch API teacher inside build: render the request of every problem the gate admits, submit what the journal
lacks, wait, ingest.

Submission and collection are chukmath.teach's (``submit_batches``/``collect_batches``): they record every step in
the journal's batch state, so a build killed while waiting resumes by polling the same batches, never by paying
for them twice. After this phase every answer is in the journal and build writes the dataset from it.

A problem the build's gate keeps out (``--decontaminate``, a ``[split]`` that holds it out of both splits) is not
asked here either: the live path never asks it, and an answer bought for it would be paid for and dropped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from chukmath.build import stages
from chukmath.build.gate import Gate
from chukmath.build.recipe import BuildRecipe
from chukmath.build.rundir import RunDir
from chukmath.jsonl import AtomicWriter, dumps_line
from chukmath.records import Problem


def admitted_problems(recipe: BuildRecipe, mix: Any, span: tuple[int, int], gate: Gate | None) -> Iterator[Problem]:
    """The problems of ``span`` that ``gate`` admits, in index order: the ones the live path would ask.

    ``gate`` (the build's) is not touched; a fresh copy decides, after the problems before a shard's block (the
    split depends on them, as in :meth:`chukmath.build.loops.Judge.problems`)."""
    start, stop = span
    block = stages.problems(mix, recipe, start, stop - start)
    if gate is None:
        yield from block
        return
    decider = gate.fresh()
    decider.pass_over(stages.problems(mix, recipe, 0, start))
    yield from decider.admitted(block)


def write_requests(
    recipe: BuildRecipe,
    prompting: stages.Prompting,
    mix: Any,
    run: RunDir,
    span: tuple[int, int] | None = None,
    gate: Gate | None = None,
) -> int:
    """The requests of the problems of ``span`` (default: all of the recipe's) that ``gate`` admits, to
    ``requests.jsonl`` (streamed; rewritten each run, it is cheap); returns how many. A shard (``build --shard``)
    passes its block, so its batches ask for that block only."""
    path = run.root / "requests.jsonl"
    count = 0
    with AtomicWriter(path) as fh:
        batch: list[bytes] = []
        for problem in admitted_problems(recipe, mix, span if span is not None else (0, recipe.count), gate):
            batch.append(dumps_line(prompting.request(problem).to_dict()))
            count += 1
            if len(batch) >= 1024:
                fh.write(b"".join(batch))
                batch.clear()
        fh.write(b"".join(batch))
    return count


def run_batches(
    recipe: BuildRecipe,
    prompting: stages.Prompting,
    mix: Any,
    run: RunDir,
    *,
    client_factory: Callable[[str, str], Any] | None = None,
    on_poll: Callable[[list[Any]], None] | None = None,
    notify: Callable[[str], None] | None = None,
    span: tuple[int, int] | None = None,
    gate: Gate | None = None,
) -> dict[str, Any]:
    """Submit the missing keys as batches and wait for all of them; returns what submit and collect did.

    ``notify`` gets one line per step (submitted, each poll while waiting) for the user; ``on_poll`` the shards.
    ``span`` is the block of problem indices of a ``--shard`` (default: the whole recipe); ``gate`` the build's
    (decontamination, split): only the problems it admits are asked.
    """
    t = recipe.teacher
    write_requests(recipe, prompting, mix, run, span, gate)
    extra: dict[str, Any] = {} if client_factory is None else {"client_factory": client_factory}
    if t.kind == "anthropic_batch":
        from chukmath.teach.anthropic_batch import submit_anthropic_batches

        # The key was checked before anything was written (stages.check_teacher); it is read again here.
        config = stages.openai_config(recipe, os.environ.get(stages.api_key_env(recipe)) or None)
        submitted = submit_anthropic_batches(run.root / "requests.jsonl", run.journal, config, samples=t.samples)
        extra = {}
    else:
        submitted = _submit_openai(recipe, run, extra)
    return _collect(recipe, run, submitted, extra, on_poll, notify)


def _submit_openai(recipe: BuildRecipe, run: RunDir, extra: dict[str, Any]) -> Any:
    from chukmath.teach.batch_lines import Sampling
    from chukmath.teach.batch_submit import submit_batches

    t = recipe.teacher
    sampling = Sampling(
        model=t.model,
        temperature=t.temperature,
        top_p=t.top_p,
        max_tokens=t.max_tokens,
        seed=t.seed,
        extra_body=dict(t.extra_body),
    )
    return submit_batches(
        run.root / "requests.jsonl",
        run.journal,
        sampling,
        samples=t.samples,
        base_url=t.base_url or None,
        api_key_env=t.api_key_env or "OPENAI_API_KEY",
        **extra,
    )


def _collect(
    recipe: BuildRecipe,
    run: RunDir,
    submitted: Any,
    extra: dict[str, Any],
    on_poll: Callable[[list[Any]], None] | None,
    notify: Callable[[str], None] | None,
) -> dict[str, Any]:
    from chukmath.teach.batch_collect import collect_batches

    t = recipe.teacher
    report: dict[str, Any] = {"queued": submitted.queued, "already_answered": submitted.already_answered}
    if notify is not None:
        notify(
            f"batch: {submitted.queued:,} request(s) submitted, {submitted.already_pending:,} already pending, "
            f"{submitted.already_answered:,} already answered"
        )

    def polled(waiting: list[Any]) -> None:
        if on_poll is not None:
            on_poll(waiting)
        if notify is not None and waiting:
            # OpenAI batches count "completed", Message Batches "succeeded".
            done = sum(s.request_counts.get("completed", s.request_counts.get("succeeded", 0)) for s in waiting)
            total = sum(s.request_counts.get("total", 0) or s.lines for s in waiting)
            notify(f"batch: waiting for {len(waiting)} batch(es), {done:,}/{total:,} requests done")

    if submitted.queued or submitted.already_pending or submitted.new_shards:
        collected = collect_batches(run.journal, wait=True, poll_interval=t.poll_interval, on_poll=polled, **extra)
        report.update(
            ingested=len(collected.ingested),
            appended_ok=collected.appended_ok,
            appended_errors=collected.appended_errors,
            unanswered=collected.unanswered,
        )
    return report
