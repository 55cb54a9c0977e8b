"""stats.json: what a dataset run verified, accepted, rejected and wrote — accumulated one response at a time.

Counting rules (also written into stats.json under ``notes``):
- ``by_verdict`` counts each verified response once: ``correct`` if the policy accepted it, else its first reason,
  so it sums to ``responses``; ``by_reason`` counts a response under every problem found in it (the verifier's
  ``flags``, also those the policy lets through), so it can sum to more.
- ``accepted`` = the policy accepted it; of those, ``written`` went to train.jsonl, ``duplicates`` had the same
  assistant text as an earlier accepted response of the problem, ``over_cap`` came after the problem's
  ``--keep``/``--max-per-problem`` samples. ``acceptance_rate`` = accepted / responses.
- ``no_response`` counts journal keys with only failed attempts; they are not responses.
- ``think_chars`` is over the written samples and exact: lengths are kept in a histogram of exact values, whose
  size is bounded by the number of distinct lengths (at most the longest think), not by the dataset size.
- ``tokens`` sums ``usage`` over the responses verified (the winning line of each journal key).
- ``claims_checked`` / ``claims_skipped`` sum, over the responses verified, the arithmetic claims (reasoning and
  answer tags) that were evaluated and those that looked like claims but were past a cap or could not be evaluated.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from chukmath.records import Problem
from chukmath.write.selection import DUPLICATE, NO_RESPONSE, OVER_CAP, REJECTED, WRITTEN, ProblemResult, SampleOutcome

NOTES = [
    "by_verdict: each response once: 'correct' if the policy accepted it, else its first reason",
    "by_reason: each response under every problem found in it, also those the policy lets through",
    "acceptance_rate: accepted / responses; accepted = written + duplicates + over_cap",
    "no_response: journal keys with only failed attempts (not counted in responses)",
    "think_chars: exact, over written samples; percentiles by nearest rank",
    "tokens: usage summed over verified responses (the winning journal line of each key)",
    "claims_checked / claims_skipped: arithmetic claims evaluated / claim-like but not evaluable (caps, shapes)",
    "by_generator_difficulty: the by_generator counts split by difficulty (family -> difficulty -> counts)",
]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


class LengthHistogram:
    """Exact distribution of non-negative integers in memory bounded by the number of distinct values."""

    def __init__(self) -> None:
        self._counts: Counter[int] = Counter()
        self.n = 0
        self.total = 0

    def add(self, value: int) -> None:
        """Count one value."""
        self._counts[value] += 1
        self.n += 1
        self.total += value

    def percentile(self, p: float) -> int | None:
        """Nearest-rank percentile: the smallest value with at least ``p``% of the values at or below it."""
        if not self.n:
            return None
        rank = max(1, math.ceil(p / 100 * self.n))
        seen = 0
        for value in sorted(self._counts):
            seen += self._counts[value]
            if seen >= rank:
                return value
        raise AssertionError("unreachable: rank <= n")

    def to_dict(self) -> dict[str, Any]:
        """count, min, p50, p90, p99, max, mean (None when empty)."""
        if not self.n:
            return {"count": 0, "min": None, "p50": None, "p90": None, "p99": None, "max": None, "mean": None}
        return {
            "count": self.n,
            "min": min(self._counts),
            "p50": self.percentile(50),
            "p90": self.percentile(90),
            "p99": self.percentile(99),
            "max": max(self._counts),
            "mean": round(self.total / self.n, 3),
        }


class _Group:
    __slots__ = ("accepted", "problems", "responses", "written")

    def __init__(self) -> None:
        self.problems = 0
        self.responses = 0
        self.accepted = 0
        self.written = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "problems": self.problems,
            "responses": self.responses,
            "accepted": self.accepted,
            "written": self.written,
            "acceptance_rate": _rate(self.accepted, self.responses),
        }


def _usage_int(usage: object, key: str) -> int:
    # usage comes from the journal (untrusted); anything but a non-negative int counts as absent.
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


class StatsAccumulator:
    """Counts for stats.json, fed problem by problem and response by response; memory does not grow per row."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        self.problems = 0
        self.problems_with_samples = 0
        self.responses = 0
        self.status: Counter[str] = Counter()
        self.by_verdict: Counter[str] = Counter()
        self.by_reason: Counter[str] = Counter()
        self.by_generator: dict[str, _Group] = {}
        self.by_difficulty: dict[str, _Group] = {}
        # (family, difficulty) cells: the report's acceptance heatmap needs the cross table, not its two margins.
        self.by_cell: dict[tuple[str, str], _Group] = {}
        self.teachers: Counter[str] = Counter()
        self.models: Counter[str] = Counter()
        self.templates: Counter[str] = Counter()
        self.tokens = {"prompt": 0, "completion": 0, "total": 0, "responses_with_usage": 0}
        self.think_chars = LengthHistogram()
        self.orphan_keys = 0
        self.claims_checked = 0
        self.claims_skipped = 0

    def _groups(self, problem: Problem) -> tuple[_Group, _Group, _Group]:
        # get-then-insert, not setdefault(key, _Group()): that built a throwaway group on every call
        gen = self.by_generator.get(problem.generator)
        if gen is None:
            gen = self.by_generator[problem.generator] = _Group()
        key = str(problem.difficulty)
        diff = self.by_difficulty.get(key)
        if diff is None:
            diff = self.by_difficulty[key] = _Group()
        cell = self.by_cell.get((problem.generator, key))
        if cell is None:
            cell = self.by_cell[(problem.generator, key)] = _Group()
        return gen, diff, cell

    def add_problem(self, problem: Problem, written: int = 0) -> None:
        """Count a problem (with ``written`` samples in train.jsonl), whether or not it has responses."""
        self.problems += 1
        self.problems_with_samples += written > 0
        for group in self._groups(problem):
            group.problems += 1

    def add(self, outcome: SampleOutcome) -> None:
        """Count what became of one response (see the module notes for what each counter means)."""
        self.status[outcome.status] += 1
        if outcome.status == NO_RESPONSE:
            return
        response = outcome.candidate.response
        if outcome.verdict is not None:
            self.claims_checked += outcome.verdict.claims_checked
            self.claims_skipped += outcome.verdict.claims_skipped
        accepted = outcome.status != REJECTED
        self.responses += 1
        # Accepted counts as "correct" even with reasons the policy does not reject on (they show in by_reason).
        primary = "correct" if accepted else (outcome.reasons or ["rejected"])[0]
        self.by_verdict[primary] += 1
        if outcome.flags:  # Counter.update is Python code even when there is nothing to add
            self.by_reason.update(dict.fromkeys(outcome.flags, 1))
        for group in self._groups(outcome.problem):
            group.responses += 1
            group.accepted += accepted
            group.written += outcome.status == WRITTEN
        self.teachers[response.teacher] += 1
        self.models[response.model] += 1
        self.templates[outcome.candidate.request.template] += 1
        if isinstance(response.usage, dict):
            self.tokens["responses_with_usage"] += 1
            self.tokens["prompt"] += _usage_int(response.usage, "prompt_tokens")
            self.tokens["completion"] += _usage_int(response.usage, "completion_tokens")
            self.tokens["total"] += _usage_int(response.usage, "total_tokens")
        if outcome.status == WRITTEN and outcome.think_chars is not None:
            self.think_chars.add(outcome.think_chars)

    def add_result(self, problem: Problem, result: ProblemResult) -> None:
        """Count a problem and every outcome of its ``select_samples`` result."""
        self.add_problem(problem, written=len(result.rows))
        for outcome in result.outcomes:
            self.add(outcome)

    def add_orphans(self, keys: int) -> None:
        """Count journal keys whose request or problem is not among the inputs (they are not verified)."""
        self.orphan_keys += keys

    def _cells(self) -> dict[str, dict[str, Any]]:
        cells: dict[str, dict[str, Any]] = {}
        for (generator, difficulty), group in self.by_cell.items():
            cells.setdefault(generator, {})[difficulty] = group.to_dict()
        return cells

    def to_dict(self) -> dict[str, Any]:
        """The stats.json object; keys are sorted when written, so equal runs give equal bytes."""
        accepted = self.status[WRITTEN] + self.status[DUPLICATE] + self.status[OVER_CAP]
        return {
            "totals": {
                "problems": self.problems,
                "problems_with_samples": self.problems_with_samples,
                "responses": self.responses,
                "accepted": accepted,
                "rejected": self.status[REJECTED],
                "written": self.status[WRITTEN],
                "duplicates": self.status[DUPLICATE],
                "over_cap": self.status[OVER_CAP],
                "no_response": self.status[NO_RESPONSE],
                "orphan_journal_keys": self.orphan_keys,
                "acceptance_rate": _rate(accepted, self.responses),
                "claims_checked": self.claims_checked,
                "claims_skipped": self.claims_skipped,
            },
            "by_verdict": dict(self.by_verdict),
            "by_reason": dict(self.by_reason),
            "by_generator": {k: g.to_dict() for k, g in self.by_generator.items()},
            "by_difficulty": {k: g.to_dict() for k, g in self.by_difficulty.items()},
            "by_generator_difficulty": self._cells(),
            "think_chars": self.think_chars.to_dict(),
            "tokens": dict(self.tokens),
            "teachers": dict(self.teachers),
            "models": dict(self.models),
            "templates": dict(self.templates),
            "options": self.options,
            "notes": NOTES,
        }
