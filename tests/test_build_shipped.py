"""The recipes shipped in datasets/ parse, validate and run; no run directory ever holds a key.

datasets/deepseek.toml is run for real against the loopback fault server, changing only its base URL, with the
key variable it names set to a marker: the marker reaches the server as a bearer token and nowhere on disk.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chukmath.build import load_recipe
from chukmath.build.stages import load_mix, load_prompting, problems
from chukmath.cli.main import app
from chukmath_testing.batch_server import BatchApiServer
from chukmath_testing.fault_server import FaultServer

DATASETS = Path(__file__).resolve().parent.parent / "datasets"
MARKER = "sk-MARKER-7f3a9c1e5b2d"
OTHER_MARKER = "sk-OTHER-MARKER-42aa17"


def _grep_tree(root: Path, *needles: str) -> list[str]:
    """Every file under ``root`` (hidden ones and subfolders too) that contains one of ``needles``."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n}" for n in needles if n.encode() in data]
    return found


@pytest.mark.parametrize("name", ["demo.toml", "deepseek.toml"])
def test_shipped_recipe_validates_and_renders_its_first_prompts(name):
    path = DATASETS / name
    recipe = load_recipe(path)
    prompting = load_prompting(recipe, path.parent)
    mix = load_mix(recipe, str(path))
    first = list(problems(mix, recipe, 0, 50))
    assert len(first) == 50
    families = {p.generator for p in first}
    assert len(families) >= 5, families
    for problem in first:
        request = prompting.request(problem)
        assert request.messages[-1]["role"] == "user" and problem.question in request.messages[-1]["content"]


def test_demo_recipe_is_offline_mixed_and_a_few_thousand():
    recipe = load_recipe(DATASETS / "demo.toml")
    assert recipe.teacher.kind == "builtin" and 1000 <= recipe.count <= 10000
    assert len({m["generator"] for m in recipe.mix}) >= 6


def test_deepseek_recipe_names_model_url_and_key_variable():
    t = load_recipe(DATASETS / "deepseek.toml").teacher
    assert (t.kind, t.model, t.api_key_env) == ("openai", "deepseek-reasoner", "DEEPSEEK_API_KEY")
    assert t.base_url.startswith("https://")


def test_deepseek_recipe_without_its_key_fails_before_anything(tmp_path, monkeypatch):
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["build", "--recipe", str(DATASETS / "deepseek.toml"), "--out", str(out)])
    assert result.exit_code != 0 and "DEEPSEEK_API_KEY" in str(result.exception)
    assert not out.exists()


def test_deepseek_recipe_end_to_end_against_the_fault_server_writes_no_key(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPSEEK_API_KEY", MARKER)
    monkeypatch.setenv("OPENAI_API_KEY", OTHER_MARKER)
    out = tmp_path / "run"
    with FaultServer(api_key=MARKER) as server:
        args = ["build", "--recipe", str(DATASETS / "deepseek.toml"), "--out", str(out), "--base-url",
                server.base_url, "--count", "24", "--json"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, repr(result.exception)
        summary = orjson.loads(result.stdout)
        assert summary["complete"] and summary["problems"] == 24 and summary["asked"] == 24
        # The server answers 401 to any other key, so a complete run proves the marker was the bearer token.
        assert len(server.requests) == 24 and all(r.authorization for r in server.requests)
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["model"] == "deepseek-reasoner"
    assert manifest["recipe"]["teacher"]["api_key_env"] == "DEEPSEEK_API_KEY"
    # The server's canned answer (42) is rarely the exact answer: responses are verified and rejects carry reasons.
    assert summary["accepted"] + summary["rejected"] == 24 and summary["by_reason"]
    assert _grep_tree(out, MARKER, OTHER_MARKER) == []


def test_batch_teacher_run_directory_holds_no_key(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", MARKER)
    recipe = tmp_path / "r.toml"
    out = tmp_path / "run"
    with BatchApiServer(api_key=MARKER) as server:
        recipe.write_text(
            'name = "batch-secret"\ncount = 12\nseed = 1\n[[mix]]\ngenerator = "arithmetic"\n'
            f'[teacher]\nkind = "batch"\nmodel = "m"\nbase_url = "{server.base_url}"\npoll_interval = 0.05\n'
        )
        result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), "--json"])
        assert result.exit_code == 0, repr(result.exception)
        assert orjson.loads(result.stdout)["problems"] == 12
        assert server.seen_authorization == {f"Bearer {MARKER}"}
    assert (out / "responses.jsonl.batches").is_dir()
    assert _grep_tree(out, MARKER) == []


@pytest.mark.parametrize(
    "url", ["http://user:sk-MARKER-7f3a9c1e5b2d@127.0.0.1:9/v1", "http://127.0.0.1:9/v1?api-key=sk-MARKER-7f3a9c1e5b2d"]
)
@pytest.mark.parametrize("kind", ["openai", "batch"])
def test_base_url_with_a_secret_is_refused_before_the_run_directory_exists(tmp_path, url, kind):
    out = tmp_path / "run"
    args = ["build", "--recipe", str(DATASETS / "demo.toml"), "--out", str(out), "--teacher", kind,
            "--model", "m", "--base-url", url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0 and "[teacher] base_url" in str(result.exception)
    assert MARKER not in str(result.exception)
    assert not out.exists()


def test_readme_shows_the_first_sample_make_demo_writes(tmp_path):
    import json
    import re

    readme = (DATASETS.parent / "README.md").read_text()
    section = readme.split("The first sample `make demo` writes", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    shown = [json.loads(literal) for literal in re.findall(r'"content": ("(?:[^"\\]|\\.)*")', section)]
    out = tmp_path / "demo"
    # Problem i does not depend on the count, so the first rows of a short run are the demo's first rows.
    result = CliRunner().invoke(app, ["build", "--recipe", str(DATASETS / "demo.toml"), "--out", str(out),
                                      "--count", "20", "-q"])
    assert result.exit_code == 0, repr(result.exception)
    first = orjson.loads((out / "train.jsonl").read_bytes().splitlines()[0])
    assert shown == [m["content"] for m in first["messages"]], "update the README sample (run make demo)"
    for key in ("generator", "difficulty", "answer", "teacher", "model", "template", "claims"):
        assert f'"{key}": {json.dumps(first[key], ensure_ascii=False)}' in section, key
