"""`chukmath build --dry-run`: every pre-run check and the plan, with nothing sent and nothing written."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from chukmath.cli.main import app

DATASETS = Path(__file__).resolve().parent.parent / "datasets"
RECIPE = """
name = "dry"
count = 40
seed = 2
[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 1
[[mix]]
generator = "quadratic"
weight = 1
difficulty = 1
"""


def _invoke(*args: str):
    return CliRunner().invoke(app, ["build", *args], env={"COLUMNS": "200"})


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_deepseek_recipe_checks_without_a_key_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    out = tmp_path / "runs" / "r1"
    result = _invoke("--recipe", str(DATASETS / "deepseek.toml"), "--out", str(out), "--dry-run")
    assert result.exit_code == 0, repr(result.exception)
    text = result.stdout
    for needle in ("deepseek-reasoner", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY (NOT set", "a new run",
                   "word_problem: weight 2, difficulty 3, template word_problem", "first prompt", "[user]"):
        assert needle in text, needle
    assert not (tmp_path / "runs").exists()
    plan = orjson.loads(_invoke("--recipe", str(DATASETS / "deepseek.toml"), "--out", str(out), "--dry-run",
                                "--json", "--count", "7").stdout)
    assert plan["count"] == 7 and plan["requests"] == 7 and plan["teacher"]["key_set"] is False
    assert plan["first_problem"]["question"] in plan["first_request"][-1]["content"]


def test_dry_run_on_a_run_directory_says_resume_or_extend_and_changes_nothing(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE)
    out = tmp_path / "run"
    assert _invoke("--recipe", str(recipe), "--out", str(out), "--quiet").exit_code == 0
    before = _snapshot(out)
    (out / "responses.jsonl").write_bytes(before["responses.jsonl"] + b'{"request_id": "torn')
    before = _snapshot(out)
    result = _invoke("--recipe", str(recipe), "--out", str(out), "--dry-run", "--count", "90")
    assert result.exit_code == 0, repr(result.exception)
    assert "resumes the run" in result.stdout and "extends it from 40 to 90 problems" in result.stdout
    assert _snapshot(out) == before  # not even the torn journal line was repaired
    refused = _invoke("--recipe", str(recipe), "--out", str(out), "--dry-run", "--seed", "3")
    assert refused.exit_code != 0
    assert "different run" in str(refused.exception) and "seed (2 there, 3 here)" in str(refused.exception)
    forced = _invoke("--recipe", str(recipe), "--out", str(out), "--dry-run", "--seed", "3", "--force")
    assert forced.exit_code == 0 and "replaces what is there" in forced.stdout
    assert _snapshot(out) == before


def test_dry_run_reports_bad_settings_like_the_real_run(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE + '[teacher]\nkind = "openai"\nmodel = "m"\nbase_url = "http://127.0.0.1:9/v1?key=x"\n')
    result = _invoke("--recipe", str(recipe), "--out", str(tmp_path / "o"), "--dry-run")
    assert result.exit_code != 0 and "query string" in str(result.exception)
    assert not (tmp_path / "o").exists()


SPLIT_RECIPE = RECIPE.replace('name = "dry"', 'name = "dry-split"') + "[split]\ntest = 0.25\n"


def _plan(*args: str) -> dict:
    result = _invoke(*args, "--dry-run", "--json")
    assert result.exit_code == 0, result.stdout + repr(result.exception)
    return orjson.loads(result.stdout)


def test_dry_run_with_a_shard_plans_that_shard(tmp_path):
    """`--shard I/N` in a dry run: the shard's block, its first problem, its requests and its own directory — the
    figures a real shard build then matches (it resumes the planned fingerprint and asks the planned answers)."""
    from chukmath.build import load_recipe, stages

    recipe = tmp_path / "r.toml"
    recipe.write_text(SPLIT_RECIPE)
    loaded = load_recipe(recipe)
    problems = list(stages.problems(stages.load_mix(loaded, str(recipe)), loaded, 0, 40))
    bench = tmp_path / "bench.jsonl"  # one question of each shard's block is in a benchmark: the gate keeps it out
    bench.write_bytes(b"".join(orjson.dumps({"question": problems[i].question}) + b"\n" for i in (3, 17, 30)))
    gate = ("--decontaminate", str(bench))
    whole = _plan("--recipe", str(recipe), "--out", str(tmp_path / "whole"), *gate)
    shards = [_plan("--recipe", str(recipe), "--out", str(tmp_path / f"s{i}"), "--shard", f"{i}/3", *gate)
              for i in range(3)]  # fmt: skip
    assert [s["shard"] for s in shards] == [{"index": i, "of": 3, "start": 40 * i // 3, "stop": 40 * (i + 1) // 3}
                                            for i in range(3)]  # fmt: skip
    assert all(s["count"] == 40 and s["out_action"] == "new" for s in shards)
    assert [s["first_problem"]["index"] for s in shards] == [0, 13, 26]
    kept = whole["kept_out"]
    assert all(s["kept_out"]["decontaminated"] >= 1 for s in shards)  # each block holds a benchmark question
    for kind in ("decontaminated", "held_out"):
        assert sum(s["kept_out"][kind] for s in shards) == kept[kind]
    assert sum(s["admitted"] for s in shards) == whole["admitted"] == 40 - kept["decontaminated"] - kept["held_out"]
    assert sum(s["requests"] for s in shards) == whole["requests"]
    assert len({s["fingerprint"] for s in shards} | {whole["fingerprint"]}) == 4

    text = _invoke("--recipe", str(recipe), "--out", str(tmp_path / "s1"), "--shard", "1/3", "--dry-run", *gate).stdout
    assert "shard 1/3 builds problems 13 to 25 (13)" in text and "first prompt (problem 13," in text

    out = tmp_path / "s1"
    assert _invoke("--recipe", str(recipe), "--out", str(out), "--shard", "1/3", "--quiet", *gate).exit_code == 0
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    journal = [orjson.loads(line) for line in (out / "responses.jsonl").read_bytes().splitlines() if line.strip()]
    assert manifest["fingerprint"] == shards[1]["fingerprint"]
    assert len(journal) == shards[1]["requests"] == shards[1]["admitted"]
    again = _plan("--recipe", str(recipe), "--out", str(out), "--shard", "1/3", *gate)
    assert again["out_action"] == "resume" and again["journal_lines"] == len(journal)


def test_dry_run_of_an_empty_shard_says_it_asks_nothing(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE.replace("count = 40", "count = 2"))
    plan = _plan("--recipe", str(recipe), "--out", str(tmp_path / "s"), "--shard", "2/4")
    assert plan["shard"] == {"index": 2, "of": 4, "start": 1, "stop": 1}
    assert plan["requests"] == 0 and plan["first_problem"] is None and plan["first_request"] == []
    text = _invoke("--recipe", str(recipe), "--out", str(tmp_path / "s"), "--shard", "2/4", "--dry-run").stdout
    assert "holds no problem" in text and "dry run: nothing was sent" in text
