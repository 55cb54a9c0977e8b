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
from chukmath.hashing import content_hash
from chukmath.jsonl import read_jsonl
from chukmath.records import Problem

SplitName = Literal["test", "train", "all"]
CUSTOM_FAMILY = "custom"


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


def file_problems(path: str | Path) -> ProblemSet:
    """Every problem of a JSONL file: full problem records, or any rows with ``question`` and ``answer``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"--problems {path}: no such file")
    problems = [_problem(obj, f"{path}:{number}", i) for i, (number, obj) in enumerate(read_jsonl(path))]
    if not problems:
        raise InputError(f"--problems {path}: the file holds no problems")
    ids = [p.id for p in problems]
    if len(set(ids)) != len(ids):
        raise InputError(f"--problems {path}: problem ids repeat; each problem needs its own id")
    return ProblemSet(problems, f"file {path}")


def _problem(obj: dict[str, Any], where: str, position: int) -> Problem:
    if all(key in obj for key in Problem.FIELDS[:-1]):
        return Problem.from_dict(obj, where)
    question, answer = obj.get("question"), obj.get("answer")
    if not isinstance(question, str) or not question.strip() or answer is None or isinstance(answer, dict | list):
        raise InputError(
            f"{where}: a problem needs 'question' (text) and 'answer' (its exact final answer, e.g. \"3/4\"); "
            "full problem records from chukmath generate work too"
        )
    try:
        difficulty = int(obj.get("difficulty") or 0)
    except (TypeError, ValueError):
        raise InputError(f"{where}: 'difficulty' must be a whole number, got {obj.get('difficulty')!r}") from None
    return Problem(
        id=str(obj.get("id") or content_hash({"question": question, "answer": str(answer)})),
        generator=str(obj.get("generator") or CUSTOM_FAMILY),
        difficulty=difficulty,
        seed=0,
        index=position,
        question=question,
        expression=str(obj.get("expression") or ""),
        answer=str(answer),
        meta=dict(obj.get("meta") or {}) if isinstance(obj.get("meta"), dict) else {},
    )


__all__ = ["CUSTOM_FAMILY", "ProblemSet", "SplitName", "file_problems", "recipe_split_problems"]
