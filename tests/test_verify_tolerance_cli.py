"""End to end: `chukmath verify --tolerance`, the build recipe's `[verify] tolerance`, and the new verdict labels in
stats.json and rejects.jsonl."""

from __future__ import annotations

from pathlib import Path

import orjson
from test_write_support import problem, read_jsonl, request_for, response, trace, write_jsonl
from typer.testing import CliRunner

from chukmath.build import parse_recipe
from chukmath.build.loops import select_options
from chukmath.cli.main import app
from chukmath.errors import ConfigError
from chukmath.parse import MAX_RESPONSE_CHARS

runner = CliRunner()
ROUNDED = "1017.44"  # 9157/9 = 1017.444...


def _case(root: Path) -> dict[str, Path]:
    probs = [
        problem("plain-0", 0, "What is 9157 / 9?", "9157/9", "9157/9"),
        problem("asked-1", 1, "What is 9157 / 9? Round your answer to 2 decimal places.", "9157/9", "9157/9"),
        problem("exact-2", 2, "Compute 9157 / 9 exactly.", "9157/9", "9157/9"),
    ]
    reqs = [request_for(p) for p in probs]
    answers = [ROUNDED, ROUNDED, "9157/9"]
    think = "9157 / 9 is about 1017.44"
    journal = [response(q["id"], 0, trace(think, a, a)) for q, a in zip(reqs, answers, strict=True)]
    return {
        "problems": write_jsonl(root / "problems.jsonl", probs),
        "requests": write_jsonl(root / "requests.jsonl", reqs),
        "responses": write_jsonl(root / "responses.jsonl", journal),
    }


def _verify(files: dict[str, Path], out: Path, *extra: str):
    args = ["verify", "--out-dir", str(out), "--json", *extra]
    for name, path in files.items():
        args += [f"--{name}", str(path)]
    return runner.invoke(app, args)


def test_default_accepts_only_the_rounding_the_question_asks_for(tmp_path: Path) -> None:
    result = _verify(_case(tmp_path), tmp_path / "out")
    assert result.exit_code == 0, result.output
    stats = orjson.loads(result.stdout)
    assert stats["by_verdict"] == {"correct": 2, "wrong_answer": 1}
    assert stats["options"]["tolerance"] == "asked"
    written = {row["problem_id"] for row in read_jsonl(tmp_path / "out" / "train.jsonl")}
    assert written == {"asked-1", "exact-2"}
    (reject,) = read_jsonl(tmp_path / "out" / "rejects.jsonl")
    assert reject["problem_id"] == "plain-0" and reject["reasons"] == ["wrong_answer"]


def test_tolerance_option_lets_close_numbers_through(tmp_path: Path) -> None:
    files = _case(tmp_path)
    loose = _verify(files, tmp_path / "loose", "--tolerance", "abs:0.01")
    assert loose.exit_code == 0, loose.output
    stats = orjson.loads(loose.stdout)
    assert stats["by_verdict"] == {"correct": 3} and stats["options"]["tolerance"] == "abs:0.01"
    tight = orjson.loads(_verify(files, tmp_path / "tight", "--tolerance", "rel:1e-7").stdout)
    assert tight["by_verdict"] == {"correct": 2, "wrong_answer": 1}


def test_a_bad_tolerance_is_refused_before_any_work(tmp_path: Path) -> None:
    result = _verify(_case(tmp_path), tmp_path / "out", "--tolerance", "close")
    assert result.exit_code != 0
    assert "tolerance 'close': use 'asked'" in result.output + str(result.exception)
    assert not (tmp_path / "out" / "train.jsonl").exists()


RECIPE = """
name = "t"
count = 10
[[mix]]
generator = "arithmetic"
[verify]
"""


def test_recipe_tolerance_reaches_the_verifier_and_stays_out_of_the_fingerprint() -> None:
    hashes = {"step_by_step": "abc"}
    default = parse_recipe(RECIPE)
    loose = parse_recipe(RECIPE + 'tolerance = "rel:1e-6"\n')
    assert default.verify.tolerance == "asked" and select_options(loose).tolerance == "rel:1e-6"
    assert loose.fingerprint(hashes) == default.fingerprint(hashes)
    # run directories made before the key existed keep their fingerprints under every older definition
    assert loose.fingerprint_with_outputs(hashes) == default.fingerprint_with_outputs(hashes)
    assert loose.legacy_fingerprint(hashes) == default.legacy_fingerprint(hashes)
    try:
        parse_recipe(RECIPE + 'tolerance = "within 1%"\n')
    except ConfigError as exc:
        assert "tolerance 'within 1%': use 'asked'" in str(exc)
    else:
        raise AssertionError("a bad [verify] tolerance was accepted")


TAGS = "<answer>4</answer>\n<verifier_answer>4</verifier_answer>"
AT_CAP = "3 + 1 = 4\n" * (MAX_RESPONSE_CHARS // 10)


def test_the_new_labels_reach_stats_and_rejects(tmp_path: Path) -> None:
    probs = [problem(f"p-{i}", i, f"What is {i} + 1?", f"{i} + 1", str(i + 1)) for i in range(4)]
    reqs = [request_for(p) for p in probs]
    prose = "one more than the number"
    journal = [
        response(reqs[0]["id"], 0, trace("0 + 1 = 1", prose, prose)),  # unparseable, in both tags alike
        response(reqs[1]["id"], 0, trace("1 + 1 = 2", "2", "2")[:-len("</verifier_answer>")]),  # never closed
        response(reqs[2]["id"], 0, trace("2 + 1 = 3\n" * (MAX_RESPONSE_CHARS // 10), "3", "3")),  # too long
        # exactly at the cap, its reasoning apart: accepted, and the sample rebuilt around it (a few characters
        # longer, with tags) still parses back
        response(reqs[3]["id"], 0, TAGS, reasoning=AT_CAP[: MAX_RESPONSE_CHARS - len(TAGS)]),
    ]
    files = {
        "problems": write_jsonl(tmp_path / "problems.jsonl", probs),
        "requests": write_jsonl(tmp_path / "requests.jsonl", reqs),
        "responses": write_jsonl(tmp_path / "responses.jsonl", journal),
    }
    result = _verify(files, tmp_path / "out")
    assert result.exit_code == 0, result.output
    stats = orjson.loads(result.stdout)
    assert stats["by_verdict"] == {"unparseable": 1, "malformed": 1, "too_long": 1, "correct": 1}
    (row,) = read_jsonl(tmp_path / "out" / "train.jsonl")
    assert row["problem_id"] == "p-3" and len(row["messages"][-1]["content"]) > MAX_RESPONSE_CHARS
    assert stats["by_reason"]["unparseable"] == 1 and "answer_mismatch" not in stats["by_reason"]
    rejects = {row["problem_id"]: row for row in read_jsonl(tmp_path / "out" / "rejects.jsonl")}
    assert rejects["p-0"]["reasons"] == ["unparseable"]
    assert rejects["p-1"]["reasons"][0] == "malformed" and "truncated" not in rejects["p-1"]["reasons"]
    assert rejects["p-2"]["reasons"] == ["too_long"]
