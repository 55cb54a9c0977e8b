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
