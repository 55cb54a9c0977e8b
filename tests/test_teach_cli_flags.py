"""What `chukmath teach --teacher openai` puts on the wire for each flag, and how it counts its input.

The fault-injecting server on loopback logs every body's parameters, so these tests see what an endpoint
would receive, not what the client meant to send.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from chukmath.hashing import content_hash
from chukmath.records import Request
from chukmath_testing.fault_server import FaultServer

CHUKMATH = str(Path(sys.executable).with_name("chukmath"))
FAKE_KEY = "sk-test-FLAGS-0123456789abcdef"


def write_requests(path: Path, n: int) -> list[Request]:
    reqs = []
    for i in range(n):
        messages = [{"role": "user", "content": f"What is {i} + 2?\nAnswer: {i + 2}"}]
        reqs.append(Request(id=content_hash({"messages": messages}), problem_id=f"p{i}", template="t",
                            template_hash="0" * 32, messages=messages))  # fmt: skip
    path.write_bytes(b"".join(orjson.dumps(r.to_dict()) + b"\n" for r in reqs))
    return reqs


def teach(tmp: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    argv = [CHUKMATH, "teach", "--requests", str(tmp / "req.jsonl"), "--out", str(tmp / "journal.jsonl"),
            "--teacher", "openai", "--model", "test-model", "--json", *extra]  # fmt: skip
    full_env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    full_env.update(env or {})
    return subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=120)


def journal(tmp: Path) -> list[dict]:
    return [orjson.loads(line) for line in (tmp / "journal.jsonl").read_bytes().splitlines()]


def test_every_sampling_flag_reaches_the_endpoint_body(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", 2)
    with FaultServer(api_key=FAKE_KEY) as srv:
        run = teach(tmp_path, "--base-url", srv.base_url, "--samples", "2", "--seed", "100", "--temperature", "0.7",
                    "--top-p", "0.9", "--max-tokens", "64", "--api-key-env", "MY_TEACHER_KEY",
                    "--extra-body", '{"top_k": 20, "reasoning_effort": "low"}',
                    env={"MY_TEACHER_KEY": FAKE_KEY})  # fmt: skip
        assert run.returncode == 0, run.stderr
        seen = sorted((r.key, r.seed, tuple(sorted(r.params.items()))) for r in srv.requests)
    common = {"model": "test-model", "temperature": 0.7, "top_p": 0.9, "max_tokens": 64, "top_k": 20,
              "reasoning_effort": "low"}  # fmt: skip
    expected = sorted((r.id, 100 + s, tuple(sorted({**common, "seed": 100 + s}.items())))
                      for r in reqs for s in range(2))  # fmt: skip
    assert seen == expected
    assert all(r.authorization for r in srv.requests)


def test_unset_flags_are_left_to_the_endpoint_and_the_base_url_comes_from_the_environment(tmp_path):
    write_requests(tmp_path / "req.jsonl", 1)
    with FaultServer() as srv:
        run = teach(tmp_path, env={"OPENAI_BASE_URL": srv.base_url})
        assert run.returncode == 0, run.stderr
        (logged,) = srv.requests
    assert logged.params == {"model": "test-model"}  # no temperature, top_p, max_tokens, seed, n or stream
    assert not logged.authorization  # a loopback endpoint may go without a key


def test_a_request_repeated_in_the_input_is_answered_once_and_reported_as_repeated(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", 3)
    with (tmp_path / "req.jsonl").open("ab") as fh:
        fh.write(orjson.dumps(reqs[1].to_dict()) + b"\n")
    with FaultServer() as srv:
        run = teach(tmp_path, "--base-url", srv.base_url)
        assert run.returncode == 0, run.stderr
        assert srv.count == 3
    summary = orjson.loads(run.stdout)
    # Nothing was in the journal before this run: the repeat is not "already in journal".
    assert (summary["total"], summary["skipped"], summary["duplicates"], summary["sent"]) == (4, 0, 1, 3)
    assert len(journal(tmp_path)) == 3
    assert "repeated in the requests file" in run.stderr and "1 (answered once)" in run.stderr


def test_bad_limits_and_prices_are_refused_before_anything_is_sent(tmp_path):
    write_requests(tmp_path / "req.jsonl", 2)
    (tmp_path / "prices.toml").write_text('["test-model"]\nin = -3.0\nout = 15.0\n')
    with FaultServer() as srv:
        for args, message in [
            # The spec's bounds (teach/specs.py), as a recipe's [teacher] has them: rpm = 0 is no limit there and here.
            (["--rpm", "-5"], "--rpm -5: Input should be greater than or equal to 0"),
            (["--tpm", "-1"], "--tpm -1: Input should be greater than or equal to 0"),
            (["--price-in", "-1"], "--price-in -1.0: Input should be greater than or equal to 0"),
            (["--price-out", "nan"], "--price-out nan: Input should be a finite number"),
            (["--prices", str(tmp_path / "prices.toml")], "needs numbers 'in' and 'out' >= 0"),
        ]:
            run = teach(tmp_path, "--base-url", srv.base_url, *args)
            assert run.returncode == 2 and message in run.stderr, (args, run.stderr)
            assert "Traceback" not in run.stderr
        assert srv.count == 0
    assert not (tmp_path / "journal.jsonl").exists()


def test_eta_on_a_resume_counts_only_this_runs_answers(monkeypatch):
    import io

    from rich.console import Console

    import chukmath.teach.progress as progress_module

    clock = [100.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock[0])
    console = Console(file=io.StringIO(), force_terminal=True, width=160)
    counters = progress_module.Counters(total=1000)
    with progress_module.ProgressDisplay(counters, enabled=True, stages=progress_module.TEACH_STAGES,
                                         console=console) as bar:  # fmt: skip
        counters.resumed = counters.answered = 900  # found in the journal at once: no evidence of the speed
        clock[0] += 10.0
        counters.answered += 1
        fields = bar.fields("settled")
    # One answer in 10 s: the 99 keys left take 990 s (rich's own estimate would say a few seconds).
    assert fields["eta"] == "eta 0:16:30" and fields["rate"] == "0.1"


def test_an_endpoint_that_never_answers_stops_the_run_instead_of_failing_every_request(tmp_path):
    import socket

    write_requests(tmp_path / "req.jsonl", 40)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]  # bound, never listening: connections are refused
        run = teach(tmp_path, "--base-url", f"http://127.0.0.1:{dead}/v1", "--max-retries", "1",
                    env={"OPENAI_API_KEY": FAKE_KEY})  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "no answer to the first request after 2 attempt(s)" in run.stderr
    assert "is the server running at this address" in run.stderr and FAKE_KEY not in run.stderr
    assert journal(tmp_path) == []  # nothing recorded: a rerun sends every request


def test_every_attempt_timing_out_before_any_answer_stops_the_run(tmp_path):
    reqs = []
    for i in range(6):
        messages = [{"role": "user", "content": f"What is {i}? [fault:hang*]"}]
        reqs.append(Request(id=content_hash({"messages": messages}), problem_id=f"p{i}", template="t",
                            template_hash="0" * 32, messages=messages))  # fmt: skip
    (tmp_path / "req.jsonl").write_bytes(b"".join(orjson.dumps(r.to_dict()) + b"\n" for r in reqs))
    with FaultServer(hang_s=30) as srv:
        run = teach(tmp_path, "--base-url", srv.base_url, "--timeout", "0.2", "--max-retries", "1",
                    "--concurrency", "2", "--grace", "0")  # fmt: skip
        sent = srv.count
    assert run.returncode == 2 and "--timeout long enough" in run.stderr, run.stderr
    assert sent <= 4  # the two first requests, two attempts each; the rest were never sent
    assert journal(tmp_path) == []


def test_a_price_table_without_the_model_is_refused_rather_than_showing_no_cost(tmp_path):
    write_requests(tmp_path / "req.jsonl", 1)
    (tmp_path / "prices.toml").write_text('["gpt-4o-mini"]\nin = 0.15\nout = 0.6\n')
    with FaultServer() as srv:
        run = teach(tmp_path, "--base-url", srv.base_url, "--prices", str(tmp_path / "prices.toml"))
        assert srv.count == 0
    assert run.returncode == 2
    assert 'no ["test-model"] section (it has gpt-4o-mini)' in run.stderr
    (tmp_path / "prices.toml").write_text('["test-model"]\nin = 1000000\nout = 0\n')
    with FaultServer() as srv:
        run = teach(tmp_path, "--base-url", srv.base_url, "--prices", str(tmp_path / "prices.toml"))
    assert run.returncode == 0, run.stderr
    summary = orjson.loads(run.stdout)
    assert summary["cost_usd"] == summary["prompt_tokens"] > 0  # $1 a token in, as the table says


def test_concurrency_bounds_the_requests_the_endpoint_sees_at_once(tmp_path):
    write_requests(tmp_path / "req.jsonl", 24)
    with FaultServer(latency=0.2) as srv:
        run = teach(tmp_path, "--base-url", srv.base_url, "--concurrency", "3")
        assert run.returncode == 0, run.stderr
        assert srv.peak_in_flight == 3 and srv.in_flight == 0
    with FaultServer(latency=0.2) as srv:
        run = teach(tmp_path, "--base-url", srv.base_url, "--concurrency", "3", "--samples", "3")
        assert run.returncode == 0, run.stderr
        assert srv.peak_in_flight == 3 and srv.count == 48  # the 24 new sample indices 1 and 2
