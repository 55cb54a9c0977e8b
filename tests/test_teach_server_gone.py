"""`chukmath teach --teacher openai` when the server dies mid-run, versus one that was never there.

The server is the fault server as its own process (``python -m chukmath_testing.fault_server``), killed
with SIGKILL while the CLI runs, as when a local llama.cpp or vLLM process crashes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from test_teach_support import read_journal, save_requests, teach_argv, teach_cli, user_request

from chukmath.teach.redact import safe_url


@contextmanager
def server_process(latency: float) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The fault server in a child process, and its base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "chukmath_testing.fault_server", "--port", "0", "--latency",
                             str(latency)], stdout=subprocess.PIPE)  # fmt: skip
    try:
        assert proc.stdout is not None
        yield proc, proc.stdout.readline().decode().strip()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def wait_for_lines(path: Path, n: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path}: fewer than {n} lines after {timeout}s")


def test_a_server_killed_mid_run_stops_the_run_with_went_away_and_the_journal_keeps_the_answers(tmp_path):
    reqs = save_requests(tmp_path / "req.jsonl", (user_request(f"What is {i} + 1?\nAnswer: {i + 1}", f"p{i}")
                                                  for i in range(400)))  # fmt: skip
    journal = tmp_path / "journal.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    with server_process(latency=0.05) as (server, url):
        argv = teach_argv(tmp_path, url, "--quiet", "--concurrency", "4", "--max-retries", "2")
        run = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        wait_for_lines(journal, 20)
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        try:
            _, stderr = run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
    assert run.returncode == 2, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr  # one line, no traceback
    assert f"the server at {safe_url(url)} went away" in lines[0]
    assert "accepted connections earlier in this run" in lines[0] and "rerun the same command" in lines[0]
    assert "cannot connect" not in lines[0] and "could not be reached" not in lines[0]
    answered = read_journal(journal)
    # Every answer that arrived before the kill is kept; nothing after it was recorded as a failure.
    assert 20 <= len(answered) < 400
    assert all(d["error"] is None and d["content"] for d in answered)
    assert len({d["request_id"] for d in answered}) == len(answered)

    with server_process(latency=0.0) as (_server, url):  # back up (on another port): a rerun sends only the rest
        rerun = teach_cli(tmp_path, url, "--quiet", "--concurrency", "4")
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(d["request_id"] for d in read_journal(journal)) == sorted(r.id for r in reqs)


def test_a_server_that_was_never_there_cannot_be_reached(tmp_path):
    save_requests(tmp_path / "req.jsonl", [user_request("Answer: 1", "p0")])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/v1"
        run = teach_cli(tmp_path, url, "--quiet", "--max-retries", "0")
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith(f"error: cannot reach {url}: no answer to the first request") and \
        run.stderr.count("\n") == 1, run.stderr
    assert "went away" not in run.stderr
