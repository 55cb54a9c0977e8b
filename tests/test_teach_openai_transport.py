"""`chukmath teach --teacher openai`: keep-alive re-send and the --tpm limit, against the real fault server."""

from __future__ import annotations

import subprocess
from pathlib import Path

import orjson
from test_teach_support import read_journal, save_requests, teach_cli, user_request

from chukmath.records import Request
from chukmath_testing.fault_server import FaultServer


def write_requests(path: Path, prompts: list[str]) -> list[Request]:
    return save_requests(path, (user_request(text, "p") for text in prompts))


def teach(tmp: Path, url: str, *extra: str, out: str = "journal.jsonl") -> subprocess.CompletedProcess[str]:
    return teach_cli(tmp, url, "--quiet", *extra, out=out)


def journal(path: Path) -> dict[str, dict]:
    return {d["request_id"]: d for d in read_journal(path)}


def test_idle_keep_alive_closed_by_the_server_is_resent_once_on_a_fresh_connection(tmp_path):
    # One connection (concurrency 1): request 0 opens it, request 1 reuses it and the server closes it
    # unread, as when its keep-alive timeout fires just as the request is sent. No byte came back, so the
    # request was never processed: the client sends it again on a new connection, not as a retry.
    reqs = write_requests(tmp_path / "req.jsonl", ["Answer: 1", "[fault:stale]\nAnswer: 2", "Answer: 3"])
    with FaultServer() as srv:
        run = teach(tmp_path, srv.base_url, "--concurrency", "1", "--max-retries", "0")
        assert run.returncode == 0, run.stderr
        assert srv.stale_closes == 1
        assert srv.count == 3  # the closed-unread request was processed exactly once
    summary = orjson.loads(run.stdout)
    assert summary["succeeded"] == 3 and summary["retries"] == 0
    lines = journal(tmp_path / "journal.jsonl")
    assert [lines[r.id]["attempts"] for r in reqs] == [1, 1, 1]
    assert "<answer>2</answer>" in lines[reqs[1].id]["content"]


def test_a_reused_connection_that_dies_mid_response_is_an_attempt_not_a_silent_resend(tmp_path):
    # Response bytes arrived, so the server did process the request: sending it again unannounced could pay
    # twice. It must be an ordinary failed attempt (here with no retries left: journaled as an error).
    reqs = write_requests(tmp_path / "req.jsonl", ["Answer: 1", "[fault:partial]\nAnswer: 2"])
    with FaultServer() as srv:
        run = teach(tmp_path, srv.base_url, "--concurrency", "1", "--max-retries", "0")
        assert run.returncode == 1, run.stderr
        assert srv.count == 2
    failed = journal(tmp_path / "journal.jsonl")[reqs[1].id]
    assert failed["error"]["kind"] == "connection" and failed["attempts"] == 1


def _worst_excess(times_tokens: list[tuple[float, int]], per_s: float, burst: float) -> float:
    """The largest amount by which the tokens arriving in any window exceed what the bucket allows."""
    worst = float("-inf")
    for i in range(len(times_tokens)):
        total = 0
        for j in range(i, len(times_tokens)):
            total += times_tokens[j][1]
            window = times_tokens[j][0] - times_tokens[i][0]
            worst = max(worst, total - (burst + per_s * window))
    return worst


def test_tpm_limit_keeps_every_window_within_the_token_budget(tmp_path):
    # ~51 prompt tokens + --max-tokens 20 a request; --tpm 30000 is 500 tokens/s with a one-second burst.
    reqs = write_requests(tmp_path / "req.jsonl", [f"{'x' * 190} #{i}\nAnswer: {i}" for i in range(12)])
    tpm, per_s = 30000, 500.0
    # One request of slack (the bucket charges the estimate, then settles to the real count) and 100 ms for
    # the trip from the client's bucket to the server's clock on a busy machine.
    slack = 80 + per_s * 0.1
    with FaultServer() as srv:
        free = teach(tmp_path, srv.base_url, "--concurrency", "12", "--max-tokens", "20", out="free.jsonl")
        assert free.returncode == 0, free.stderr
        free_log = srv.requests
        limited = teach(tmp_path, srv.base_url, "--concurrency", "12", "--max-tokens", "20", "--tpm", str(tpm))
        assert limited.returncode == 0, limited.stderr
        limited_log = srv.requests[len(free_log):]
    for out, log in (("free.jsonl", free_log), ("journal.jsonl", limited_log)):
        tokens = {k: d["usage"]["total_tokens"] for k, d in journal(tmp_path / out).items()}
        assert set(tokens) == {r.id for r in reqs}
        arrivals = sorted((entry.at, tokens[entry.key]) for entry in log)
        excess = _worst_excess(arrivals, per_s, burst=per_s)
        if out == "free.jsonl":
            # Without --tpm all twelve (~870 tokens) arrive at once: the check below can fail.
            assert excess > slack
        else:
            assert excess <= slack, f"{excess:.0f} tokens over the --tpm budget in some window"
    assert orjson.loads(limited.stdout)["succeeded"] == 12
