"""`chukmath push` against a loopback Hub (chukmath_testing/hub_server.py): the card and the data files it names
arrive, the journal only when asked, the token goes in the Authorization header and never into the output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chukmath_testing.hub_server import HubServer

TOKEN = "hf_loopbackTOKEN0123456789abcdef"
CLI = [sys.executable, "-c", "from chukmath.cli.main import run; run()"]
RECIPE = """name = "push-me"
count = 12
seed = 5
[[mix]]
generator = "arithmetic"
difficulty = 1
[split]
test = 0.4
[output]
format = "{format}"
"""


def _env(tmp_path: Path, endpoint: str, token: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_") and k != "TRANSFORMERS_OFFLINE"}
    env.update(HF_ENDPOINT=endpoint, HF_HUB_DISABLE_XET="1", HF_HOME=str(tmp_path / "hf-home"),
               HF_HUB_DISABLE_TELEMETRY="1")
    if token is not None:
        env["HF_TOKEN"] = token
    return env


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A finished JSONL run and a finished Parquet run."""
    base = tmp_path_factory.mktemp("runs")
    made = {}
    for file_format in ("jsonl", "parquet"):
        if file_format == "parquet":
            pytest.importorskip("pyarrow")
        recipe = base / f"{file_format}.toml"
        recipe.write_text(RECIPE.format(format=file_format))
        out = base / file_format
        done = _run("build", "--recipe", str(recipe), "--out", str(out), "--quiet", env=dict(os.environ))
        assert done.returncode == 0, done.stderr
        made[file_format] = out
    return made


@pytest.mark.parametrize("file_format", ["jsonl", "parquet"])
def test_push_uploads_the_card_and_its_data_with_the_token(tmp_path, runs, file_format):
    run = runs[file_format]
    with HubServer(token=TOKEN) as hub:
        env = _env(tmp_path, hub.base_url, TOKEN)
        done = _run("push", str(run), "--repo", "someone/math-set", "--private", env=env)
        assert done.returncode == 0, done.stderr
        repo = hub.repos["someone/math-set"]
        requests = list(hub.requests)
    data = (["data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet"] if file_format == "parquet"
            else ["test.jsonl", "train.jsonl"])
    assert sorted(repo.files) == sorted(["README.md", "manifest.json", "stats.json", *data])
    for name, content in repo.files.items():
        assert content == (run / name).read_bytes(), name
    assert repo.repo_type == "dataset" and repo.visibility == "private"
    assert len(repo.commits) == 1 and repo.commits[0]["revision"] == "main"
    # Every request to the Hub's API carried the token; none of the output shows it.
    api = [r for r in requests if r.path.startswith(("/api/repos/create", "/api/datasets/"))]
    assert api and all(r.authorization == f"Bearer {TOKEN}" for r in api)
    assert TOKEN not in done.stdout + done.stderr
    assert "someone/math-set" in done.stdout and "README.md" in done.stdout
    assert not any(TOKEN in p.read_text(errors="replace") for p in run.rglob("*") if p.is_file())


def test_the_journal_goes_up_only_when_asked_and_a_second_push_reuses_the_repo(tmp_path, runs):
    run = runs["jsonl"]
    with HubServer(token=TOKEN) as hub:
        env = _env(tmp_path, hub.base_url, TOKEN)
        first = _run("push", str(run), "--repo", "someone/set", env=env)
        second = _run("push", str(run), "--repo", "someone/set", "--with-journal", "--json", env=env)
        assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
        repo = hub.repos["someone/set"]
    assert repo.visibility in (None, "public")
    assert sorted(repo.commits[0]["files"]) == ["README.md", "manifest.json", "stats.json", "test.jsonl",
                                                "train.jsonl"]
    assert {"problems.jsonl", "responses.jsonl"} <= set(repo.files)
    assert '"responses.jsonl"' in second.stdout


def test_without_a_token_nothing_is_sent(tmp_path, runs):
    with HubServer(token=TOKEN) as hub:
        done = _run("push", str(runs["jsonl"]), "--repo", "someone/set", env=_env(tmp_path, hub.base_url, None))
        sent = [r for r in hub.requests if r.path.startswith("/api/repos")]
    assert done.returncode == 2
    assert "no Hugging Face token" in done.stderr and "HF_TOKEN" in done.stderr
    assert not sent


def test_a_refused_token_is_one_line_that_does_not_show_it(tmp_path, runs):
    wrong = "hf_wrongTOKENwrongTOKENwrong0000"
    with HubServer(token=TOKEN) as hub:
        done = _run("push", str(runs["jsonl"]), "--repo", "someone/set", env=_env(tmp_path, hub.base_url, wrong))
    assert done.returncode == 2
    assert done.stderr.startswith("error: push to someone/set failed: HTTP 401")
    assert wrong not in done.stdout + done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_folder_that_is_not_a_run_or_a_bad_repo_name_is_refused(tmp_path, runs):
    with HubServer(token=TOKEN) as hub:
        env = _env(tmp_path, hub.base_url, TOKEN)
        not_run = _run("push", str(tmp_path), "--repo", "someone/set", env=env)
        bad_name = _run("push", str(runs["jsonl"]), "--repo", "no-slash", env=env)
        assert not hub.repos
    assert not_run.returncode == 2 and "not a finished chukmath run" in not_run.stderr
    assert bad_name.returncode == 2 and "expected USER/NAME" in bad_name.stderr


def test_pushing_the_same_run_again_changes_nothing_and_succeeds(tmp_path, runs):
    with HubServer(token=TOKEN) as hub:
        env = _env(tmp_path, hub.base_url, TOKEN)
        first = _run("push", str(runs["jsonl"]), "--repo", "someone/same", env=env)
        again = _run("push", str(runs["jsonl"]), "--repo", "someone/same", env=env)
        repo = hub.repos["someone/same"]
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert len(repo.commits) == 1  # unchanged files are not committed twice
    assert TOKEN not in again.stdout + again.stderr


def test_offline_mode_is_one_line_and_sends_nothing(tmp_path, runs):
    with HubServer(token=TOKEN) as hub:
        env = _env(tmp_path, hub.base_url, TOKEN) | {"TRANSFORMERS_OFFLINE": "1"}
        done = _run("push", str(runs["jsonl"]), "--repo", "someone/set", env=env)
        sent = [r for r in hub.requests if r.path.startswith("/api/")]
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: push to someone/set: huggingface_hub is in offline mode")
    assert len(done.stderr.strip().splitlines()) == 1 and TOKEN not in done.stderr
    assert not sent
