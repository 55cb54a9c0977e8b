"""Streaming: finished rows reach disk while the run goes on, even when the endpoint is slow or one request stalls."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from test_build_support import build_argv, echo_template, loopback_recipe, write_echo_recipe

from chukmath_testing.fault_server import FaultServer

# Problem 40's request gets no answer for minutes: rows 0..39 are finished, nothing after 40 can be written
# (train.jsonl is in problem-index order), and fewer than `flush_every` rows are waiting.
TEMPLATE = echo_template(
    "Test prompt: the loopback server echoes the Answer line; problem 40 hangs.",
    "{% if problem.index == 40 %}[fault:hang*]{% endif %}\n",
)

RECIPE = loopback_recipe(
    """
name = "stream"
count = 100000
seed = 1
""",
    """api_key_env = ""
concurrency = 8
timeout = 600
max_retries = 0
[verify]
policy = "wrong_answer"
""",
)


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_rows_before_a_stalled_request_are_on_disk_while_it_waits(tmp_path):
    with FaultServer(hang_s=600) as server:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, server.base_url)
        out = tmp_path / "run"
        proc = subprocess.Popen(build_argv(recipe, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
