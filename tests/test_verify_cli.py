"""`chukmath verify` end to end: real problem, request and journal files in, the exact dataset files out."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from test_write_support import P0_A, P0_B, P1_OK, SYSTEM, make_case, read_jsonl, trace, write_jsonl
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.hashing import content_hash

CHUKMATH = Path(sys.executable).with_name("chukmath")
runner = CliRunner()


def run_verify(case, out: Path, *extra: str) -> dict:
    args = ["verify", "--problems", str(case.problems), "--requests", str(case.requests)]
    args += ["--responses", str(case.journal), "--out-dir", str(out), "--json", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (result.output, result.exception)
    return orjson.loads(result.stdout)


def sid(request_id: str, sample: int) -> str:
    return content_hash({"request_id": request_id, "sample": sample})


def expected_row(case, pid: str, sample: int, assistant: str, user: list[dict] | None = None, checked: int = 2) -> dict:
    """The train row of one response; ``checked``: the arithmetic claims in it (none of them past the checker)."""
    prob, req = case.probs[pid], case.reqs[pid]
    return {
        "messages": [
            *(user or [{"role": "user", "content": prob["question"]}]),
            {"role": "assistant", "content": assistant},
        ],
        "id": sid(req["id"], sample),
        "problem_id": pid,
        "generator": prob["generator"],
        "difficulty": prob["difficulty"],
        "answer": prob["answer"],
        "teacher": "openai",
        "model": "gpt-4o-mini",
        "template": "cot_default",
        "claims": {"checked": checked, "skipped": 0},
    }


def test_default_run_writes_the_exact_dataset(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    stats = run_verify(case, tmp_path / "out")
    train = read_jsonl(tmp_path / "out" / "train.jsonl")
    assert train == [
        expected_row(case, "arith-0", 0, P0_A),
        expected_row(case, "frac-1", 2, P1_OK),
        # R1 style: the out-of-band reasoning is the think
        expected_row(case, "arith-2", 0, trace("7 - 10 = -3", "-3", "-3"), checked=1),
    ]
    rejects = read_jsonl(tmp_path / "out" / "rejects.jsonl")
    assert [(r["problem_id"], r["sample"]) for r in rejects] == [("frac-1", 0), ("frac-1", 1)] + [
        ("arith-4", i) for i in range(7)
    ]
    wrong = rejects[0]
    assert wrong["reasons"][0] == "wrong_answer" and wrong["verifier_answer"] == "5/6" and wrong["expected"] == "5/8"
    assert wrong["id"] == sid(case.reqs["frac-1"]["id"], 0) and wrong["request_id"] == case.reqs["frac-1"]["id"]
    assert set(wrong) == {
        "id", "problem_id", "request_id", "sample", "generator", "difficulty", "reasons", "details",
        "verifier_answer", "expected", "content", "claims",
    }  # fmt: skip
    assert wrong["claims"] == {"checked": 2, "skipped": 0}

    t = stats["totals"]
    assert t == {
        "problems": 6,
        "problems_with_samples": 3,
        "responses": 14,
        "accepted": 5,
        "rejected": 9,
        "written": 3,
        "duplicates": 1,
        "over_cap": 1,
        "no_response": 1,
        "orphan_journal_keys": 1,
        "acceptance_rate": round(5 / 14, 6),
        # the claims of the 14 responses verified: 9 in the 5 accepted, 10 in the 9 rejected
        "claims_checked": 19,
        "claims_skipped": 0,
    }
    assert stats["by_verdict"]["correct"] == 5 and sum(stats["by_verdict"].values()) == 14
    assert stats["by_generator"]["fractions"] == {
        "problems": 1,
        "responses": 3,
        "accepted": 1,
        "written": 1,
        "acceptance_rate": round(1 / 3, 6),
    }
    assert stats["by_difficulty"]["2"]["problems"] == 2 and stats["by_difficulty"]["2"]["responses"] == 3
    assert stats["by_difficulty"]["3"]["accepted"] == 0
    assert stats["tokens"] == {
        "prompt": 14 * 120,
        "completion": 13 * 60 + 70,
        "total": 14 * 180 + 10,
        "responses_with_usage": 14,
    }
    thinks = sorted(len(s) for s in ("44 + 41 = 85\n85 + 25 = 110", "3/4 × 5/6 = 15/24\n15/24 = 5/8", "7 - 10 = -3"))
    assert stats["think_chars"] == {
        "count": 3,
        "min": thinks[0],
        "p50": thinks[1],
        "p90": thinks[2],
        "p99": thinks[2],
        "max": thinks[2],
        "mean": round(sum(thinks) / 3, 3),
    }
    assert stats["models"] == {"gpt-4o-mini": 14} and stats["templates"] == {"cot_default": 14}
    assert stats["options"]["keep"] == "first" and stats["options"]["policy"] == "all"
    on_disk = orjson.loads((tmp_path / "out" / "stats.json").read_bytes())
    assert on_disk == stats


def test_every_rejection_reason_is_reported(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    stats = run_verify(case, tmp_path / "out")
    rejects = {r["sample"]: r for r in read_jsonl(tmp_path / "out" / "rejects.jsonl") if r["problem_id"] == "arith-4"}
    for reason, sample in case.reason_samples.items():
        row = rejects[sample]
        assert reason in row["reasons"], (reason, row)
        assert row["details"] or reason in ("no_verifier_answer", "format", "truncated", "language"), row
        assert stats["by_reason"][reason] >= 1
    assert rejects[case.reason_samples["answer_mismatch"]]["verifier_answer"] == "41"
    assert rejects[case.reason_samples["bad_step"]]["content"].startswith("<think>\n100 - 50 = 50")


def test_keep_all_prompt_system_and_strip(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    stats = run_verify(case, tmp_path / "out", "--keep", "all", "--user-turn", "prompt", "--system", "Be exact.")
    train = read_jsonl(tmp_path / "out" / "train.jsonl")
    user = [{"role": "system", "content": "Be exact."}, case.reqs["arith-0"]["messages"][1]]
    assert train[:2] == [expected_row(case, "arith-0", 0, P0_A, user), expected_row(case, "arith-0", 2, P0_B, user)]
    assert all(SYSTEM not in str(row["messages"]) for row in train)
    assert (stats["totals"]["written"], stats["totals"]["duplicates"], stats["totals"]["over_cap"]) == (4, 1, 0)

    run_verify(case, tmp_path / "plain", "--keep", "all", "--user-turn", "prompt", "--strip-verifier-answer")
    train = read_jsonl(tmp_path / "plain" / "train.jsonl")
    assert train[0]["messages"][:-1] == case.reqs["arith-0"]["messages"]
    assert [r["messages"][-1]["content"] for r in train[:2]] == [
        "<think>\n44 + 41 = 85\n85 + 25 = 110\n</think>\n<answer>110</answer>",
        "<think>\nFirst add 41 and 25.\n41 + 25 = 66\n44 + 66 = 110\n</think>\n<answer>110</answer>",
    ]
    assert all("verifier_answer" not in r["messages"][-1]["content"] for r in train)


def test_normalization_drops_preambles_and_fences(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    stats = run_verify(case, tmp_path / "out", "--keep", "all", "--policy", "all,-format")
    rows = read_jsonl(tmp_path / "out" / "train.jsonl")
    # The fenced answer with a preamble is rebuilt from its parts, so it equals the plain one that follows,
    # which is then dropped as a duplicate.
    assert [(r["problem_id"], r["id"]) for r in rows if r["problem_id"] == "frac-1"] == [
        ("frac-1", sid(case.reqs["frac-1"]["id"], 1))
    ]
    assert rows[2]["messages"][-1]["content"] == P1_OK
    assert stats["totals"]["duplicates"] == 2 and stats["by_reason"]["format"] >= 2


def test_max_per_problem_caps_samples(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    stats = run_verify(case, tmp_path / "out", "--keep", "all", "--max-per-problem", "1")
    assert (stats["totals"]["written"], stats["totals"]["over_cap"]) == (3, 1)


def test_policy_that_ignores_a_reason_accepts_it(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    stats = run_verify(case, tmp_path / "out", "--policy", "wrong_answer,truncated")
    rows = read_jsonl(tmp_path / "out" / "train.jsonl")
    assert [r["problem_id"] for r in rows] == ["arith-0", "frac-1", "arith-2", "arith-4"]
    # arith-4's first accepted sample (by sample index) is the one without a verifier answer.
    assert rows[-1]["messages"][-1]["content"] == "<think>\n100 - 58 = 42\n</think>\n<answer>42</answer>"
    # Flags the policy lets through are still counted by reason (the truncated answer also lacks a verifier answer).
    assert stats["by_reason"]["no_verifier_answer"] == 2 and stats["by_reason"]["bad_step"] == 3
    # answer_mismatch's verifier answer (41) is the final one, so it is a wrong answer.
    assert stats["by_verdict"] == {"correct": 10, "wrong_answer": 3, "truncated": 1}
    assert stats["options"]["policy"] == "wrong_answer,truncated"


def test_reruns_and_journal_order_give_identical_bytes(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    run_verify(case, tmp_path / "a", "--keep", "all")
    run_verify(case, tmp_path / "b", "--keep", "all")
    lines = case.journal.read_bytes().splitlines(keepends=True)
    random.Random(11).shuffle(lines)
    # Shuffling must keep each key's lines in their original relative order (last success wins).
    by_key: dict[tuple, list[bytes]] = {}
    for line in case.journal.read_bytes().splitlines(keepends=True):
        obj = orjson.loads(line)
        by_key.setdefault((obj["request_id"], obj["sample"]), []).append(line)
    shuffled = []
    for line in lines:
        obj = orjson.loads(line)
        shuffled.append(by_key[(obj["request_id"], obj["sample"])].pop(0))
    case.journal.write_bytes(b"".join(shuffled))
    run_verify(case, tmp_path / "c", "--keep", "all")
    for name in ("train.jsonl", "rejects.jsonl", "stats.json"):
        a = (tmp_path / "a" / name).read_bytes()
        assert a == (tmp_path / "b" / name).read_bytes() == (tmp_path / "c" / name).read_bytes(), name


def test_requests_default_to_the_file_next_to_the_journal(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    args = ["verify", "--problems", str(case.problems), "--responses", str(case.journal)]
    result = runner.invoke(app, [*args, "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "verified 14 responses for 6 problems: 5 accepted (35.7%), 9 rejected" in result.stderr
    assert "no response (only failed attempts in the journal): 1" in result.stderr
    assert "1 journal answers match no request/problem" in result.stderr


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHUKMATH), *args], capture_output=True, text=True, timeout=120)


def test_bad_inputs_exit_2_naming_file_and_line(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    out = tmp_path / "out"
    base = ["verify", "--problems", str(case.problems), "--requests", str(case.requests), "--out-dir", str(out)]
    ok = cli(*base, "--responses", str(case.journal))
    assert ok.returncode == 0, ok.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    missing = cli(*base, "--responses", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope.jsonl'}: no such file"

    lines = case.journal.read_bytes().splitlines(keepends=True)
    broken = write_jsonl(tmp_path / "broken.jsonl", [])
    broken.write_bytes(b"".join(lines[:3]) + b'{"request_id": oops}\n' + b"".join(lines[3:]))
    bad = cli(*base, "--responses", str(broken))
    assert bad.returncode == 2
    assert bad.stderr.startswith(f"error: {broken}:4: not valid JSON")
    assert len(bad.stderr.strip().splitlines()) == 1

    no_field = write_jsonl(tmp_path / "nofield.jsonl", [{"request_id": "x", "content": "hi"}])
    bad = cli(*base, "--responses", str(no_field))
    assert bad.returncode == 2 and f"{no_field}:1: missing field(s) sample" in bad.stderr

    # A failed run leaves the previous output untouched, and no scratch files behind.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    conflict = cli(*base, "--responses", str(case.journal), "--max-per-problem", "2")
    assert conflict.returncode == 2 and "use --keep all" in conflict.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    journal = elsewhere / "responses.jsonl"
    journal.write_bytes(case.journal.read_bytes())
    no_requests = cli("verify", "--problems", str(case.problems), "--responses", str(journal), "--out-dir", str(out))
    assert no_requests.returncode == 2
    assert f"--requests not given and {elsewhere / 'requests.jsonl'} does not exist" in no_requests.stderr


@pytest.mark.parametrize("policy", ["nonsense_reason"])
def test_unknown_policy_is_a_config_error(tmp_path: Path, policy: str) -> None:
    case = make_case(tmp_path)
    res = cli(
        "verify", "--problems", str(case.problems), "--requests", str(case.requests),
        "--responses", str(case.journal), "--out-dir", str(tmp_path / "out"), "--policy", policy,
    )  # fmt: skip
    assert res.returncode == 2 and policy in res.stderr
