"""Resume after kill -9 and Ctrl-C: nothing lost, nothing answered twice; and `--teacher builtin` via the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import orjson
from test_teach_support import CHUKMATH, read_journal, save_requests, teach_argv, user_request

from chukmath.records import Problem, Request
from chukmath_testing.fault_server import FaultServer


def write_requests(path: Path, n: int) -> list[Request]:
    return save_requests(path, (user_request(f"Compute {i} * 2.\nAnswer: {i * 2}", f"p{i}") for i in range(n)))


def argv(tmp: Path, url: str, concurrency: int) -> list[str]:
    return teach_argv(tmp, url, "--concurrency", str(concurrency), model="m")


def wait_for_lines(path: Path, n: int, proc: subprocess.Popen, limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        assert proc.poll() is None, "teach finished before it could be interrupted"
        time.sleep(0.02)
    raise AssertionError(f"journal did not reach {n} lines")


def successes(path: Path) -> Counter:
    lines = read_journal(path)
    return Counter((d["request_id"], d["sample"]) for d in lines if d["error"] is None)


def test_kill_9_then_rerun_loses_nothing_and_repeats_at_most_the_in_flight(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", 160)
    concurrency = 8
    journal = tmp_path / "journal.jsonl"
    with FaultServer(latency=0.1) as srv:
        proc = subprocess.Popen(argv(tmp_path, srv.base_url, concurrency), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        wait_for_lines(journal, 30, proc)
        proc.kill()
        proc.wait(10)
        done_before = len(successes(journal))
        assert 30 <= done_before < 160
        # What a kill during a write leaves behind: a torn last line. The rerun must repair it.
        with journal.open("ab") as fh:
            fh.write(b'{"request_id": "' + reqs[-1].id.encode() + b'", "sam')
        rerun = subprocess.run(argv(tmp_path, srv.base_url, concurrency), capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        assert "1 torn last line cut" in rerun.stderr  # the one message teach and build give
        assert orjson.loads(rerun.stdout)["skipped"] == done_before
        counts = successes(journal)
        assert set(counts) == {(r.id, 0) for r in reqs}
        assert set(counts.values()) == {1}  # exactly one answer per key
        assert journal.read_bytes().endswith(b"\n") and len(journal.read_bytes().splitlines()) == 160
        repeated = [k for k, n in srv.counts_by_key().items() if n > 1]
        assert len(repeated) <= concurrency  # only requests in flight at the kill were sent again


def test_ctrl_c_lets_in_flight_answers_land_and_resumes_without_repeats(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", 80)
    journal = tmp_path / "journal.jsonl"
    with FaultServer(latency=0.3) as srv:
        proc = subprocess.Popen(argv(tmp_path, srv.base_url, 4), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        wait_for_lines(journal, 8, proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        summary = orjson.loads(out)
        assert summary["interrupted"] is True and summary["not_started"] > 0
        assert "stopping" in err
        # Every request the server received was answered and journaled: nothing in flight was dropped.
        assert len(successes(journal)) == srv.count == summary["sent"]
        rerun = subprocess.run(argv(tmp_path, srv.base_url, 4), capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        assert set(successes(journal)) == {(r.id, 0) for r in reqs}
        assert srv.count == 80  # across both runs, each request was sent exactly once
        assert set(srv.counts_by_key().values()) == {1}


def test_builtin_teacher_through_the_cli(tmp_path):
    problems = [
        Problem(id=f"p{i}", generator="arithmetic", difficulty=1, seed=0, index=i, question=f"What is {i} + 3?",
                expression=f"{i} + 3", answer=str(i + 3))
        for i in range(5)
    ]
    (tmp_path / "problems.jsonl").write_bytes(b"".join(orjson.dumps(p.to_dict()) + b"\n" for p in problems))
    reqs = save_requests(tmp_path / "req.jsonl", (user_request(p.question, p.id) for p in problems))
    base = [CHUKMATH, "teach", "--requests", str(tmp_path / "req.jsonl"), "--out", str(tmp_path / "j.jsonl")]
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    missing = subprocess.run(base, capture_output=True, text=True, env=env, timeout=60)
    assert missing.returncode == 2 and "--problems" in missing.stderr
    run = subprocess.run([*base, "--problems", str(tmp_path / "problems.jsonl"), "--json"], capture_output=True,
                         text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    lines = read_journal(tmp_path / "j.jsonl")
    by_id = {d["request_id"]: d for d in lines}
    assert len(lines) == 5 and all(d["teacher"] == "builtin" and d["error"] is None for d in lines)
    for p, r in zip(problems, reqs, strict=True):
        assert f"<verifier_answer>{p.answer}</verifier_answer>" in by_id[r.id]["content"]


def test_second_ctrl_c_quits_at_once_and_the_journal_stays_whole(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", 60)
    journal = tmp_path / "journal.jsonl"
    concurrency = 4
    with FaultServer(latency=0.4) as srv:
        proc = subprocess.Popen([*argv(tmp_path, srv.base_url, concurrency), "--grace", "30"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_lines(journal, 4, proc)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.1)  # the first one stops the intake; the second must not wait out the 30 s grace
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
        assert proc.returncode == 130, err
        assert "interrupted" in err and "Traceback" not in err
        data = journal.read_bytes()
        assert data.endswith(b"\n")  # no torn line: every answer written is whole
        lines = [orjson.loads(line) for line in data.splitlines()]
        assert all(d["error"] is None for d in lines)
        answered = len(lines)
        rerun = subprocess.run(argv(tmp_path, srv.base_url, concurrency), capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        assert orjson.loads(rerun.stdout)["skipped"] == answered
        counts = successes(journal)
        assert set(counts) == {(r.id, 0) for r in reqs} and set(counts.values()) == {1}
        # Only the requests in flight at the second Ctrl-C were abandoned, and so sent again.
        assert srv.count - 60 <= concurrency
