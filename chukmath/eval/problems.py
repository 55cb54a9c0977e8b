"""Which problems an evaluation asks: a split of a build recipe (as ``build`` assigns it), or a problems file.

A recipe's split is decided exactly as ``chukmath build`` decides it (:class:`chukmath.build.gate.Gate`: the same
decontamination, then the same :class:`chukmath.split.Splitter`, in problem-index order), so ``--split test`` is
the problems whose rows went to the build's test.jsonl. A problems file may be ``chukmath generate`` output or
your own rows: ``question`` and ``answer`` are enough (``id``, ``generator``, ``difficulty`` and ``expression``
are used when present).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from chukmath.errors import ConfigError, InputError
from chukmath.records import Problem
from chukmath.sources import CUSTOM_FAMILY

SplitName = Literal["test", "train", "all"]


@dataclass(frozen=True)
class ProblemSet:
    """The problems to ask, in order, and where they came from (said in the report)."""

    problems: list[Problem]
    source: str

    def describe(self) -> dict[str, Any]:
        return {"source": self.source, "count": len(self.problems)}


def recipe_split_problems(
    recipe: Any,
    split: SplitName = "test",
    *,
    count: int | None = None,
    decontaminate: Sequence[str | Path] = (),
) -> ProblemSet:
    """Problems ``0..count-1`` of a build recipe (its own count by default) that ``build`` puts in ``split``.

    ``decontaminate``: the benchmark files the build was run with (``--decontaminate``), so the split matches.
    """
    from chukmath.build.gate import Gate
    from chukmath.export import recipe_problems

    if split not in ("test", "train", "all"):
        raise ConfigError(f"--split {split!r}: choose test, train or all")
    gate = Gate.for_build(recipe.split, decontaminate)
    if split == "test" and (gate is None or not gate.has_test):
        raise ConfigError(
            f"{recipe.source}: --split test needs a [split] table in the recipe (e.g. [split] test = 0.1) — the build "
            "then holds those problems out of train; or use --split all"
        )
    chosen: list[Problem] = []
    for problem in recipe_problems(recipe, count):
        if gate is None:
            chosen.append(problem)
            continue
        admitted = gate.admit(problem)
        where = gate.route(problem, 0)
        if split == "all" or (admitted and where == split):
            chosen.append(problem)
    shown = count if count is not None else recipe.count
    return ProblemSet(chosen, f"recipe {recipe.source} (count {shown}), split {split}")


def file_problems(path: str | Path, spec: Any = None) -> ProblemSet:
    """Every problem of a source (:mod:`chukmath.sources`): full problem records, or any rows with a question and
    an answer (GSM8K ``#### 72``, MATH ``\\boxed{}``, plain). ``spec``: a :class:`chukmath.sources.SourceSpec`
    naming other columns. Unlike a build, any row that cannot be read is an error: an evaluation of part of a set
    would not compare with others' numbers."""
    from chukmath.sources import SourceSpec, load_source

    path = Path(path)
    if not path.exists():
        raise InputError(f"--problems {path}: no such file")
    source = load_source(spec or SourceSpec(str(path)), max_reject_fraction=0.0)
    return ProblemSet(source.problems, f"file {path}")


__all__ = ["CUSTOM_FAMILY", "ProblemSet", "SplitName", "file_problems", "recipe_split_problems"]
