"""Arithmetic claims in the answer tags are step-checked like the reasoning, and every response's checked and
skipped claims reach its verdict, its train or rejects row, stats.json and ``chukmath stats``."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from test_write_support import problem, read_jsonl, request_for, response, trace, write_jsonl
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.records import Problem, Response
from chukmath.verify import verify_response
from chukmath.write import DatasetPaths, SelectOptions, write_dataset

PROBLEM = Problem("p1", "arithmetic", 2, 7, 0, "What is 48 * 6 * 3 - 48?", "48 * 6 * 3 - 48", "816")


def respond(content: str) -> Response:
    return Response("r1", 0, "openai", "m", content, None, "stop", None, None)


@pytest.mark.parametrize("answer", ["48 * 6 * 3 - 48 = 708", "48 × 6 × 3 − 48 ＝ 708"])
def test_a_false_chain_in_answer_is_a_bad_step(answer: str) -> None:
    # the final value is right (708), the chain that claims to reach it is not: 48 * 6 * 3 - 48 is 816
    problem = Problem("p2", "arithmetic", 2, 7, 0, "What is 48 * 5 * 3 - 12?", "48 * 5 * 3 - 12", "708")
    v = verify_response(problem, respond(trace("48 * 5 = 240\n240 * 3 = 720", answer, "708")))
    assert not v.accepted and "bad_step" in v.reasons, v.details
    assert "bad step in <answer>: 48 * 6 * 3 - 48 = 708" in v.details
    if answer.isascii():  # the answer check reads the chain's last member, 708: the false link is the only reason
        assert v.reasons == ["bad_step"] and len(v.details) == 1


def test_a_false_chain_in_verifier_answer_is_a_bad_step() -> None:
    v = verify_response(PROBLEM, respond(trace("48 * 6 * 3 - 48 = 816", "816", "864 - 48 = 806 = 816")))
    assert not v.accepted and "bad_step" in v.reasons
    assert "bad step in <verifier_answer>: 864 - 48 = 806" in v.details


def test_a_true_chain_in_answer_is_accepted_and_counted() -> None:
    v = verify_response(PROBLEM, respond(trace("48 * 6 = 288\n288 * 3 = 864", "48 * 6 * 3 - 48 = 816", "816")))
    assert v.accepted and v.details == []
    assert (v.claims_checked, v.claims_skipped) == (3, 0)


def test_claims_the_checker_cannot_evaluate_are_counted_in_the_verdict() -> None:
    v = verify_response(PROBLEM, respond(trace("9^9^9^9 = 5 is too big to check\n48 * 6 * 3 - 48 = 816", "816", "816")))
    assert v.accepted
    assert (v.claims_checked, v.claims_skipped) == (1, 1)
    assert v.to_dict()["claims"] == {"checked": 1, "skipped": 1}


def _run(tmp_path: Path) -> Path:
    probs = [problem("a-0", 0, "What is 48 * 6?", "48 * 6", "288"), problem("a-1", 1, "What is 7 * 8?", "7 * 8", "56")]
    reqs = [request_for(p) for p in probs]
    journal = [
        response(reqs[0]["id"], 0, trace("48 × 6 = 288\n9^9^9^9 = 1 is past the caps", "288", "288")),
        response(reqs[1]["id"], 0, trace("b) 7 × 8 = 54\n54 + 2 = 56", "56", "56")),
    ]
    paths = DatasetPaths(
        write_jsonl(tmp_path / "problems.jsonl", probs),
        write_jsonl(tmp_path / "requests.jsonl", reqs),
        write_jsonl(tmp_path / "responses.jsonl", journal),
    )
    out = tmp_path / "out"
    write_dataset(paths, out, options=SelectOptions())
    return out


def test_rows_and_stats_carry_the_claim_counts(tmp_path: Path) -> None:
    out = _run(tmp_path)
    (row,) = read_jsonl(out / "train.jsonl")
    assert row["claims"] == {"checked": 1, "skipped": 1}
    (reject,) = read_jsonl(out / "rejects.jsonl")
    assert reject["reasons"] == ["bad_step"] and reject["details"] == ["bad step: 7 * 8 = 54"]
    assert reject["claims"] == {"checked": 2, "skipped": 0}
    totals = orjson.loads((out / "stats.json").read_bytes())["totals"]
    assert (totals["claims_checked"], totals["claims_skipped"]) == (3, 1)
    result = CliRunner().invoke(app, ["stats", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, repr(result.exception)
    lines = [line for line in result.stdout.splitlines() if "claims_" in line]
    assert any("claims_checked" in line and "3" in line for line in lines), result.stdout
    assert any("claims_skipped" in line and "1" in line for line in lines), result.stdout
