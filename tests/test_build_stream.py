"""Streaming: finished rows reach disk while the run goes on, even when the endpoint is slow or one request stalls."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from chukmath.testing.fault_server import FaultServer

CLI = [sys.executable, "-c", "from chukmath.cli.main import run; run()"]

# Problem 40's request gets no answer for minutes: rows 0..39 are finished, nothing after 40 can be written
# (train.jsonl is in problem-index order), and fewer than `flush_every` rows are waiting.
TEMPLATE = """{#---
name = "echo"
description = "Test prompt: the loopback server echoes the Answer line; problem 40 hangs."
variables = ["question", "answer", "problem"]
reveals_answer = true
---#}
Problem: {{ question }}
{% if problem.index == 40 %}[fault:hang*]{% endif %}
Answer: {{ answer }}
"""

RECIPE = """
name = "stream"
count = 100000
seed = 1
[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 1
[prompt]
template = "echo"
templates_dirs = ["{templates}"]
[teacher]
kind = "openai"
model = "loopback"
base_url = "{base_url}"
api_key_env = ""
concurrency = 8
timeout = 600
max_retries = 0
[verify]
policy = "wrong_answer"
"""


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_rows_before_a_stalled_request_are_on_disk_while_it_waits(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "echo.jinja").write_text(TEMPLATE)
    with FaultServer(hang_s=600) as server:
        recipe = tmp_path / "r.toml"
        recipe.write_text(RECIPE.format(templates=templates, base_url=server.base_url))
        out = tmp_path / "run"
        proc = subprocess.Popen(
            [*CLI, "build", "--recipe", str(recipe), "--out", str(out), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            partial = out / "train.jsonl.partial"
            deadline = time.monotonic() + 120  # a bound for a stuck test, not a measured time
            while _lines(partial) < 40 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert _lines(partial) == 40
            assert _lines(out / "problems.jsonl") == 40
            # The answers that arrived after the stalled one are in the journal already.
            assert _lines(out / "responses.jsonl") >= 40
        finally:
            proc.kill()
            proc.wait(timeout=60)
