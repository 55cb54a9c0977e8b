"""API keys that cannot go into a header are refused before any request; a key echoed inside an answer
never reaches the journal, train, rejects, the dataset card or the console."""

from __future__ import annotations

import os
import subprocess

import pytest
from test_build_support import CLI, echo_template, loopback_recipe, write_echo_recipe
from test_teach_support import read_journal, save_requests, teach_cli, user_request

from chukmath_testing.fault_server import FaultServer

SECRET = "sk-proj-LEAK0123456789abcdefXYZ"
BAD_KEYS = {
    "line break": "sk-proj-abc123\r\nX-Injected: 1",
    "trailing newline": "sk-proj-abc123456789\n",
    "non-ASCII (an em dash)": "sk-proj-abc\u2014def0123456",
    "non-ASCII (Latin-1)": "sk-proj-cl\u00e9-0123456789",
}


@pytest.mark.parametrize("key", BAD_KEYS.values(), ids=BAD_KEYS.keys())
def test_teach_refuses_a_key_a_header_cannot_carry_before_any_request(tmp_path, key):
    save_requests(tmp_path / "req.jsonl", [user_request("Answer: 1", "p0"), user_request("Answer: 2", "p1")])
    with FaultServer() as srv:
        run = teach_cli(tmp_path, srv.base_url, "--quiet", "--api-key-env", "MY_KEY", env={"MY_KEY": key})
        assert srv.count == 0  # refused before anything was sent
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("error: environment variable MY_KEY: the API key holds ") and \
        run.stderr.count("\n") == 1, run.stderr
    assert "nothing was sent" in run.stderr and key.strip() not in run.stderr
    assert not (tmp_path / "journal.jsonl").exists()


TEMPLATE = echo_template(
    "Test prompt: the loopback server echoes the Answer line (and the caller's key); some answers are cut short.",
    "{% if problem.index % 4 == 1 %}[fault:length]{% endif %}\n",
)
RECIPE = loopback_recipe(
    """
name = "leaky"
count = 12
seed = 3
""",
    """api_key_env = "CHUKMATH_LEAK_KEY"
concurrency = 4
max_retries = 0
""",
)


def build(recipe, out, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    return subprocess.run([*CLI, "build", "--recipe", str(recipe), "--out", str(out), "--json"],
                          capture_output=True, text=True, env={**full, **env}, timeout=120)  # fmt: skip


def test_a_key_echoed_in_answers_is_scrubbed_from_every_file_of_a_build(tmp_path):
    with FaultServer(api_key=SECRET, echo_key=True) as srv:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, srv.base_url)
        out = tmp_path / "run"
        run = build(recipe, out, {"CHUKMATH_LEAK_KEY": SECRET})
        assert srv.count == 12 and all(r.authorization for r in srv.requests)
    assert run.returncode in (0, 1), run.stderr
    # The answers did carry the key (now masked), in the content and the reasoning, accepted and rejected.
    journal = read_journal(out / "responses.jsonl")
    assert all("called with the key ***." in d["content"] for d in journal)
    assert all("called with the key ***." in d["reasoning_content"] for d in journal)
    assert "called with the key ***." in (out / "train.jsonl").read_text()
    assert "called with the key ***." in (out / "rejects.jsonl").read_text()
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {"responses.jsonl", "train.jsonl", "rejects.jsonl", "README.md"} <= {p.name for p in files}
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path.name
    assert SECRET not in run.stdout + run.stderr


def test_build_refuses_a_key_with_a_line_break_before_any_request(tmp_path):
    with FaultServer() as srv:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, srv.base_url)
        run = build(recipe, tmp_path / "run", {"CHUKMATH_LEAK_KEY": BAD_KEYS["line break"]})
        assert srv.count == 0
    assert run.returncode == 2, run.stderr
    assert "CHUKMATH_LEAK_KEY (api_key_env): the API key holds a line break" in run.stderr, run.stderr
    assert run.stderr.count("\n") == 1 and "X-Injected" not in run.stderr


def test_teach_scrubs_the_key_from_answers_before_the_journal(tmp_path):
    reqs = save_requests(tmp_path / "req.jsonl", [user_request(f"Answer: {i}", f"p{i}") for i in range(3)])
    with FaultServer(api_key=SECRET, echo_key=True) as srv:
        run = teach_cli(tmp_path, srv.base_url, "--quiet", env={"OPENAI_API_KEY": SECRET})
        assert srv.count == 3
    assert run.returncode == 0, run.stderr
    journal = read_journal(tmp_path / "journal.jsonl")
    assert sorted(d["request_id"] for d in journal) == sorted(r.id for r in reqs)
    assert all(d["content"].startswith("<think>\nI was called with the key ***.\n") for d in journal)
    assert SECRET.encode() not in (tmp_path / "journal.jsonl").read_bytes()
    assert SECRET not in run.stdout + run.stderr
