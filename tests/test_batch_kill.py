"""`chukmath batch submit` killed with SIGKILL while a batch creation is in flight: no batch is paid twice.

The loopback Batch API makes the batch and then holds its reply back, so the client dies at the worst
moment: the server has the batch, the client never learnt its id. The rerun must find it, not make another.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from test_teach_support import CHUKMATH, read_journal, save_requests, user_request

from chukmath_testing.batch_server import BatchApiServer

KEY = "sk-test-batch-kill-key"


def write_requests(path: Path, count: int) -> set[str]:
    prompts = (f"What is {i} * 3? Explain." for i in range(count))
    reqs = save_requests(path, (user_request(text, f"p{i}", "default", "t0") for i, text in enumerate(prompts)))
    return {r.id for r in reqs}


def batch(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "KILL_TEST_KEY": KEY}
    return subprocess.Popen([CHUKMATH, "batch", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def wait_until(condition, what: str, limit_s: float = 60.0) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_kill_9_while_a_batch_is_being_created_then_rerun_creates_no_second_batch(tmp_path):
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    ids = write_requests(requests, 9)
    submit = ["submit", "--requests", str(requests), "--out", str(journal), "--model", "teacher-1",
              "--api-key-env", "KILL_TEST_KEY", "--max-requests-per-file", "4"]  # fmt: skip
    with BatchApiServer(api_key=KEY) as server:
        server.create_reply_delay_s = 30.0
        first = batch(*submit, "--base-url", server.base_url)
        try:
            wait_until(lambda: server.create_calls == 1, "the first batch creation")
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=30)
        assert first.returncode == -signal.SIGKILL
        assert len(server.batches) == 1  # made on the server; the client died waiting for its id
        server.create_reply_delay_s = 0.0

        rerun = batch(*submit, "--base-url", server.base_url)
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        assert "recovered: batch-000002" in out and "queued now: 0" in out, out
        # Three shards of 4, 4 and 1 lines: three batches in all, each input file in exactly one of them.
        assert len(server.batches) == 3 and server.create_calls == 3
        inputs = [b.input_file_id for b in server.batches.values()]
        assert len(set(inputs)) == 3

        collect = batch("collect", "--out", str(journal), "--wait")
        out, err = collect.communicate(timeout=120)
        assert collect.returncode == 0, err
    lines = read_journal(journal)
    assert sorted(line["request_id"] for line in lines) == sorted(ids)  # every answer once, none twice
    assert all(line["error"] is None for line in lines)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
