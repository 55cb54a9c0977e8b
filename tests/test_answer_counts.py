"""AnswerCounts: the one reading of the answer engine's Counters that teach's summary and build's summary share."""

from __future__ import annotations

from pathlib import Path

from test_build_support import build_json

from chukmath.records import Response
from chukmath.teach.progress import Counters
from chukmath.teach.summary import AnswerCounts, TeachSummary


def answer(sample: int, *, error: str | None = None, finish: str = "stop", attempts: int = 1) -> Response:
    return Response(
        request_id="r" * 32, sample=sample, teacher="openai", model="m", content=None if error else "x",
        finish_reason=None if error else finish, usage={"prompt_tokens": 10, "completion_tokens": 4},
        error={"kind": error, "message": "slow"} if error else None, attempts=attempts,
    )  # fmt: skip


def a_run() -> Counters:
    """Two keys from the journal, one repeated in the input, three asked: one cut for length, one failed."""
    counters = Counters(total=6)
    for sample in (0, 1):
        counters.settle(answer(sample))
        counters.resumed += 1
    counters.duplicates += 1
    for got in (answer(2), answer(3, finish="length"), answer(4, error="timeout", attempts=3)):
        counters.asked += 1
        counters.settle(got)
        counters.receive(got)
    return counters


def test_counts_of_a_run() -> None:
    counts = AnswerCounts.of(a_run())
    assert counts == AnswerCounts(
        keys=6, from_journal=2, duplicates=1, asked=3, received=3, succeeded=2, truncated=1, failed=1,
        failures_by_kind={"timeout": 1}, retries=2, prompt_tokens=30, completion_tokens=12,
    )  # fmt: skip


def test_teach_summary_reports_the_same_counts() -> None:
    counters = a_run()
    counts = AnswerCounts.of(counters)
    summary = TeachSummary.of(counters, journal="j.jsonl", teacher="openai", model="m").to_dict()
    assert (summary["total"], summary["skipped"], summary["sent"], summary["succeeded"]) == (
        counts.keys, counts.from_journal, counts.received, counts.succeeded,
    )  # fmt: skip
    assert (summary["truncated"], summary["failed"], summary["failures_by_kind"], summary["retries"]) == (
        counts.truncated, counts.failed, counts.failures_by_kind, counts.retries,
    )  # fmt: skip


BUILTIN = """
name = "counts"
count = 30
seed = 5

[[mix]]
generator = "arithmetic"
template = "step_by_step"

[teacher]
kind = "builtin"
"""


def test_a_resumed_build_reports_asked_and_from_journal(tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILTIN)
    first = build_json(recipe, tmp_path / "run")
    assert (first["asked"], first["from_journal"], first["failed"]) == (30, 0, 0)
    again = build_json(recipe, tmp_path / "run", "--count", "40")
    assert (again["asked"], again["from_journal"], again["failed"]) == (10, 30, 0)
