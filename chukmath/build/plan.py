"""``build --dry-run``: every check a build makes before its first request, and what it would do; nothing is sent
or written. The one check left out is that the key variable is set: a recipe can be checked on a machine without
the key, and the plan says whether the real run would find it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from chukmath.build import stages
from chukmath.build.gate import Gate
from chukmath.build.recipe import BuildRecipe
from chukmath.build.rundir import RunDir, check_out, legacy_fingerprint
from chukmath.build.shard import Shard
from chukmath.build.sink import count_lines_readonly
from chukmath.decontaminate import DEFAULT_NGRAM
from chukmath.generate import generate_mix
from chukmath.teach.redact import safe_url

# Counting what the gate admits means generating every problem (about 40,000 a second on one loaded core); above
# this count the plan does not wait for it and gives count x samples as an upper bound instead.
GATE_COUNT_LIMIT = 200_000

OUT_ACTIONS = {
    "new": "a new run",
    "resume": "resumes the run already there (answers in its journal are not asked again)",
    "replace": "replaces what is there (--force)",
}


@dataclass
class BuildPlan:
    """What ``chukmath build`` would do with these options; ``--dry-run --json`` prints it."""

    name: str
    recipe: str
    fingerprint: str
    out: str
    out_action: str
    previous_count: int | None
    journal_lines: int
    count: int
    seed: int
    samples: int
    # Teacher answers the run asks for: admitted problems x samples. ``requests_at_most``: a gate (split,
    # --decontaminate) may keep problems out but they were not counted (over GATE_COUNT_LIMIT), so this is count x
    # samples, an upper bound. A resumed run asks only what its journal lacks (``journal_lines``).
    requests: int
    families: list[dict[str, Any]]
    templates: dict[str, str]
    teacher: dict[str, Any]
    first_problem: dict[str, Any] | None  # None: the shard's block holds no problem
    first_request: list[dict[str, Any]]
    split: dict[str, Any] | None = None  # the recipe's [split] table: a test.jsonl is written beside train.jsonl
    warnings: list[str] = field(default_factory=list)  # streams whose estimated question count looks too small
    admitted: int | None = None  # problems the gate lets be asked (None: not counted, see requests_at_most)
    kept_out: dict[str, int] | None = None  # {"decontaminated": n, "held_out": m}; None: no gate, or not counted
    requests_at_most: bool = False
    # ``--shard I/N``: {"index", "of", "start", "stop"}; ``count`` above is then the recipe's, the requests and the
    # gate's figures the block's (its stop - start problems).
    shard: dict[str, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _teacher(recipe: BuildRecipe) -> dict[str, Any]:
    t = recipe.teacher
    info: dict[str, Any] = {"kind": t.kind, "model": stages.teacher_model(recipe)}
    if t.paid:
        info.update(
            base_url=", ".join(safe_url(url) for url in t.base_urls),
            api_key_env=stages.api_key_env(recipe),
            key_set=bool(stages.api_key_env(recipe) and os.environ.get(stages.api_key_env(recipe))),
            concurrency=t.concurrency,
            temperature=t.temperature,
            max_tokens=t.max_tokens,
        )
    return info


def _count_gate(
    recipe: BuildRecipe, mix: Any, gate: Gate | None, span: tuple[int, int]
) -> tuple[int | None, dict[str, int] | None]:
    """(problems admitted, kept out by kind) among the indices ``span`` as the build's gate decides them; (the
    span's size, None) without a gate and (None, None) when there are too many problems to decide here. The gate
    first sees the problems before the span, as a shard's build feeds them (chukmath.build.loops)."""
    start, stop = span
    if gate is None:
        return stop - start, None
    if stop > GATE_COUNT_LIMIT:
        return None, None
    decider = gate.fresh()

    def kept() -> tuple[int, int]:
        return (decider.decontaminator.dropped if decider.decontaminator is not None else 0,
                decider.splitter.counts["held_out"] if decider.splitter is not None else 0)  # fmt: skip

    decider.pass_over(stages.problems(mix, recipe, 0, start))
    before = kept()
    admitted = sum(1 for _ in decider.admitted(stages.problems(mix, recipe, start, stop - start)))
    after = kept()
    return admitted, {"decontaminated": after[0] - before[0], "held_out": after[1] - before[1]}


def plan_build(
    recipe: BuildRecipe,
    out: str | Path,
    *,
    force: bool = False,
    decontaminate: Sequence[str | Path] = (),
    decontaminate_cols: Sequence[str] = (),
    ngram: int = DEFAULT_NGRAM,
    shard: Shard | None = None,
) -> BuildPlan:
    """Check ``recipe`` and ``out`` as :func:`build_dataset` would, render the first request, and say what a run
    would do. Raises the same errors a run would raise before its first request (except a missing key).

    ``decontaminate`` (benchmark files), ``decontaminate_cols`` and ``ngram`` are build's options of those names:
    the files are read, and the problems they (and the recipe's split) keep out are not counted as requests.
    ``shard`` is ``build --shard``'s: the plan is that shard's (its directory, its block's problems and requests)."""
    source = Path(recipe.source)
    prompting = stages.load_prompting(recipe, source.parent if source.is_file() else None)
    mix = stages.load_mix(recipe, recipe.source)
    recipe = stages.fit_source(recipe, mix)
    stages.check_teacher(recipe, need_key=False)
    stages.check_judge(recipe, need_key=False)
    # Read as the build reads them: a missing benchmark file or column fails the plan too.
    gate = Gate.for_build(recipe.split, decontaminate, decontaminate_cols, ngram)
    hashes = prompting.hashes
    fingerprint = recipe.fingerprint(hashes)
    run = RunDir(Path(out))
    also_same, previous = legacy_fingerprint(recipe, run, hashes) if shard is None else (frozenset(), None)
    span = (0, recipe.count) if shard is None else shard.span(recipe.count)
    if shard is not None:  # as the build names a shard's directory: another shard's never resumes it
        fingerprint = shard.fingerprint(fingerprint)
    action = check_out(
        run.root,
        fingerprint=fingerprint,
        name=recipe.name,
        force=force,
        also_same=also_same,
        explain=lambda old: recipe.differences(old, hashes),
    )
    # Every stream of the mix can give its share of the count (raises, naming the stream and the recipe key).
    warnings: list[str] = []
    if recipe.problem_source is None:
        warnings = generate_mix(mix, seed=recipe.seed, count=recipe.count).check()
    first = next(iter(stages.problems(mix, recipe, span[0], 1)), None) if span[1] > span[0] else None
    admitted, kept_out = _count_gate(recipe, mix, gate, span)
    families = [
        {
            "generator": entry["generator"],
            "weight": entry.get("weight", 1),
            "difficulty": entry.get("difficulty"),
            "template": prompting.templates[entry["generator"]].name,
        }
        for entry in recipe.mix
    ]
    return BuildPlan(
        name=recipe.name,
        recipe=recipe.source,
        fingerprint=fingerprint,
        out=str(run.root),
        out_action=action,
        previous_count=previous if action == "resume" else None,
        journal_lines=count_lines_readonly(run.journal) if action == "resume" else 0,
        count=recipe.count,
        seed=recipe.seed,
        samples=recipe.teacher.samples,
        requests=(span[1] - span[0] if admitted is None else admitted) * recipe.teacher.samples,
        families=families,
        templates=dict(sorted(hashes.items())),
        teacher=_teacher(recipe),
        first_problem=first.to_dict() if first is not None else None,
        first_request=[dict(m) for m in prompting.request(first).messages] if first is not None else [],
        split=recipe.split.model_dump() if recipe.split is not None else None,
        warnings=warnings,
        admitted=admitted,
        kept_out=kept_out,
        requests_at_most=admitted is None,
        shard=None if shard is None else {"index": shard.index, "of": shard.of, "start": span[0], "stop": span[1]},
    )
