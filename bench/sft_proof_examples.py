"""The answers behind an evaluation's scores, a few a family, kept for reading.

bench/sft_proof.py evaluates on a GPU machine whose journals stay there; only results.json comes back. These
examples go into it, so a family's accuracy or false-step rate can be read back to what the model wrote: per
family, the first answers (sample 0, problem order) with a wrong final answer, then those right at the end but with
a false step on the way, each with its question, expected answer, the verifier's false claims and the text
(clipped in the middle past ``max_chars``). :func:`by_kind` splits each family's scores by the kind of question its
generator recorded (number_theory's ``kind``, calculus's ``operation``, ...), which a family's one figure hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from chukmath.eval.run import JOURNAL, SAMPLES
from chukmath.records import Problem, Request
from chukmath.teach.journal import final_responses


def clip(text: str, max_chars: int) -> str:
    """``text`` whole, or its first and last ``max_chars // 2`` characters with how many were cut between."""
    if len(text) <= max_chars:
        return text
    half = max_chars // 2
    return f"{text[:half]}\n[... {len(text) - 2 * half} characters cut ...]\n{text[len(text) - half :]}"


def sample_rows(eval_dir: Path) -> list[dict[str, Any]]:
    """run_eval's per-sample results in ``eval_dir`` (samples.jsonl), one dict a sample."""
    return [orjson.loads(line) for line in (eval_dir / SAMPLES).read_bytes().splitlines() if line.strip()]


def wrong_answers(
    eval_dir: Path, problems: Sequence[Problem], requests: Sequence[Request], *, per_family: int = 3,
    max_chars: int = 1600,
) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    """Up to ``per_family`` answers a family from the evaluation in ``eval_dir`` (run_eval's output folder for
    ``problems``, asked as ``requests``): wrong final answers first, then right ones with a false step."""
    if per_family < 1 or max_chars < 2:
        raise ValueError(f"per_family {per_family} and max_chars {max_chars}: need at least 1 and 2")
    asked = {problem.id: (problem, request) for problem, request in zip(problems, requests, strict=True)}
    answers = final_responses(eval_dir / JOURNAL)
    rows = sample_rows(eval_dir)
    first = [row for row in rows if row["sample"] == 0 and row["answered"] and row["problem_id"] in asked]
    wrong = [row for row in first if not row["correct"]]
    stumbled = [row for row in first if row["correct"] and row["false_step"]]
    picked: dict[str, list[dict[str, Any]]] = {}
    for row in wrong + stumbled:
        kept = picked.setdefault(row["generator"], [])
        if len(kept) >= per_family:
            continue
        problem, request = asked[row["problem_id"]]
        response = answers.get((request.id, 0))
        text = "" if response is None else (response.content or response.reasoning_content or "")
        kept.append({
            "problem_id": problem.id, "difficulty": problem.difficulty, "question": problem.question,
            "expected": problem.answer, "final": row["final"], "correct": row["correct"],
            "false_claims": row["false_claims"], "text": clip(text, max_chars),
        })  # fmt: skip
    return dict(sorted(picked.items()))


# The problem metadata that names a question's kind, by family convention: the first of these a problem carries.
KIND_KEYS = ("kind", "operation", "operations", "roots", "scenario")


def kind_of(problem: Problem) -> str:
    """The kind of question ``problem`` is, from its generator's metadata (``gcd``, ``integral``, ``+``, ``double``);
    ``-`` when the generator records none."""
    for key in KIND_KEYS:
        value = problem.meta.get(key)
        if isinstance(value, str) and value:
            return value
    return "-"


def by_kind(eval_dir: Path, problems: Sequence[Problem]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per family and kind of question (:func:`kind_of`): problems, answered samples, accuracy (correct samples over
    answered ones) and false-step rate, from run_eval's samples in ``eval_dir``."""
    kinds = {problem.id: (problem.generator, kind_of(problem)) for problem in problems}
    counts: dict[tuple[str, str], list[int]] = {}  # (family, kind) -> [problems, answered, correct, false steps]
    for key in kinds.values():
        counts.setdefault(key, [0, 0, 0, 0])[0] += 1
    for row in sample_rows(eval_dir):
        key = kinds.get(row["problem_id"])
        if key is None or not row["answered"]:
            continue
        tally = counts[key]
        tally[1] += 1
        tally[2] += bool(row["correct"])
        tally[3] += bool(row["false_step"])
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for (family, kind), (count, answered, correct, false_steps) in sorted(counts.items()):
        out.setdefault(family, {})[kind] = {
            "problems": count, "answered": answered,
            "accuracy": round(correct / answered, 6) if answered else None,
            "false_step_rate": round(false_steps / answered, 6) if answered else None,
        }  # fmt: skip
    return out
