"""`chukmath teach --teacher openai` against the real fault-injecting server on loopback."""

from __future__ import annotations

import asyncio
import subprocess
from collections import Counter
from pathlib import Path

import httpx
import orjson
from test_teach_support import read_journal, save_requests, teach_cli, user_request

from chukmath.records import Request
from chukmath.teach import OpenAIConfig, OpenAITeacher, RetryPolicy, answer_stream
from chukmath_testing.fault_server import FaultServer

FAKE_KEY = "sk-test-FAKEKEY-0123456789abcdef"


def make_request(i: int, marker: str = "") -> Request:
    return user_request(f"What is {i} + 1? {marker}\nAnswer: {i + 1}", f"p{i}")


def write_requests(path: Path, markers: dict[int, str], n: int) -> list[Request]:
    return save_requests(path, (make_request(i, markers.get(i, "")) for i in range(n)))


def journal(tmp: Path) -> list[dict]:
    return read_journal(tmp / "journal.jsonl")


def test_answers_every_request_and_resume_sends_nothing(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", {2: "[fault:reasoning]", 3: "[fault:length]"}, 40)
    with FaultServer(latency=0.01) as srv:
        run = teach_cli(tmp_path, srv.base_url, "--concurrency", "8", "--price-in", "1", "--price-out", "2")
        assert run.returncode == 0, run.stderr
        summary = orjson.loads(run.stdout)
        lines = journal(tmp_path)
        assert len(lines) == 40 and summary["succeeded"] == 40 and summary["sent"] == 40
        assert set(lines[0]) == {"request_id", "sample", "teacher", "model", "content", "reasoning_content",
                                 "finish_reason", "usage", "error", "attempts", "latency_s", "created"}
        by_id = {d["request_id"]: d for d in lines}
        assert {r.id for r in reqs} == set(by_id)
        assert "<answer>6</answer>" in by_id[reqs[5].id]["content"]
        assert by_id[reqs[2].id]["reasoning_content"] == "Let me think about 3."
        truncated = by_id[reqs[3].id]
        assert truncated["finish_reason"] == "length" and truncated["error"] is None and truncated["attempts"] == 1
        assert summary["truncated"] == 1
        tokens_in = sum(d["usage"]["prompt_tokens"] for d in lines)
        tokens_out = sum(d["usage"]["completion_tokens"] for d in lines)
        assert (summary["prompt_tokens"], summary["completion_tokens"]) == (tokens_in, tokens_out)
        assert abs(summary["cost_usd"] - (tokens_in * 1 + tokens_out * 2) / 1e6) < 1e-9
        received = srv.count
        again = teach_cli(tmp_path, srv.base_url)
        assert again.returncode == 0
        assert orjson.loads(again.stdout)["skipped"] == 40
        assert srv.count == received  # nothing bought twice
        assert len(journal(tmp_path)) == 40


def test_transient_faults_are_retried_until_success(tmp_path):
    markers = {0: "[fault:429]", 1: "[fault:500][fault:503]", 2: "[fault:drop]", 3: "[fault:partial]",
               4: "[fault:malformed]", 5: "[fault:nochoices]", 6: "[fault:429ms]", 7: "[fault:chunked]",
               8: "[fault:close]", 9: "[fault:408]", 10: "[fault:502]"}
    reqs = write_requests(tmp_path / "req.jsonl", markers, 14)
    with FaultServer(retry_after=0.3) as srv:
        run = teach_cli(tmp_path, srv.base_url, "--concurrency", "4", "--max-retries", "3")
        assert run.returncode == 0, run.stderr
        summary = orjson.loads(run.stdout)
        by_id = {d["request_id"]: d for d in journal(tmp_path)}
        assert all(d["error"] is None for d in by_id.values())
        attempts = {i: by_id[r.id]["attempts"] for i, r in enumerate(reqs)}
        assert attempts == {0: 2, 1: 3, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 1, 8: 1, 9: 2, 10: 2, 11: 1, 12: 1, 13: 1}
        assert summary["retries"] == sum(a - 1 for a in attempts.values())
        # Retry-After: 0.3 s was honoured (a lower bound: the client must not come back sooner).
        log = [r for r in srv.requests if r.key == reqs[0].id]
        assert log[1].at - log[0].at >= 0.29
        log = [r for r in srv.requests if r.key == reqs[6].id]
        assert log[1].at - log[0].at >= 0.29


def test_exhausted_retries_are_journaled_and_retried_on_the_next_run(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", {1: "[fault:503x2]", 2: "[fault:400*]"}, 4)
    with FaultServer() as srv:
        run = teach_cli(tmp_path, srv.base_url, "--max-retries", "1")
        assert run.returncode == 1, run.stderr
        summary = orjson.loads(run.stdout)
        assert summary["failures_by_kind"] == {"http_5xx": 1, "http_4xx": 1}
        by_id = {d["request_id"]: d for d in journal(tmp_path)}
        assert by_id[reqs[1].id]["error"]["kind"] == "http_5xx" and by_id[reqs[1].id]["attempts"] == 2
        bad = by_id[reqs[2].id]
        assert bad["error"] == {"kind": "http_4xx", "message": "HTTP 400: injected 400"} and bad["attempts"] == 1
        counts = Counter(r.key for r in srv.requests)
        rerun = teach_cli(tmp_path, srv.base_url, "--max-retries", "1")
        assert rerun.returncode == 1  # the 400 fails again; the 503 now succeeds on its third attempt
        assert orjson.loads(rerun.stdout)["skipped"] == 2
        after = Counter(r.key for r in srv.requests)
        assert after - counts == Counter({reqs[1].id: 1, reqs[2].id: 1})
        lines = journal(tmp_path)
        assert len(lines) == 6
        new = {d["request_id"]: d for d in lines[4:]}
        assert new[reqs[1].id]["error"] is None and new[reqs[2].id]["error"]["kind"] == "http_4xx"


def test_timeout_then_success_and_timeout_to_the_end(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", {0: "[fault:hang]", 1: "[fault:hang*]"}, 3)
    with FaultServer(hang_s=30) as srv:
        run = teach_cli(tmp_path, srv.base_url, "--timeout", "0.3", "--max-retries", "1")
        assert run.returncode == 1, run.stderr
        by_id = {d["request_id"]: d for d in journal(tmp_path)}
        assert by_id[reqs[0].id]["error"] is None and by_id[reqs[0].id]["attempts"] == 2
        assert by_id[reqs[1].id]["error"]["kind"] == "timeout" and by_id[reqs[1].id]["attempts"] == 2
        assert by_id[reqs[2].id]["error"] is None


def test_bad_key_stops_early_and_the_key_never_leaks(tmp_path):
    write_requests(tmp_path / "req.jsonl", {}, 50)
    with FaultServer(api_key="sk-the-right-key-000000") as srv:
        run = teach_cli(tmp_path, srv.base_url, "--concurrency", "2", env={"OPENAI_API_KEY": FAKE_KEY})
        assert run.returncode == 2
        assert "error:" in run.stderr and "401" in run.stderr and "API key" in run.stderr
        assert srv.count <= 3  # stopped, not 50 refusals
        assert all(r.authorization for r in srv.requests)
    outputs = run.stdout + run.stderr + "".join(p.read_text() for p in tmp_path.iterdir() if p.is_file())
    assert FAKE_KEY not in outputs and "FAKEKEY" not in outputs


def test_key_is_sent_but_never_written(tmp_path):
    write_requests(tmp_path / "req.jsonl", {1: "[fault:400]", 2: "[fault:503*]"}, 4)
    with FaultServer(api_key=FAKE_KEY) as srv:
        run = teach_cli(tmp_path, srv.base_url, "--api-key-env", "MY_KEY", "--max-retries", "0",
                    env={"MY_KEY": FAKE_KEY})
        assert run.returncode == 1, run.stderr
        assert sum(d["error"] is None for d in journal(tmp_path)) == 2
    outputs = run.stdout + run.stderr + "".join(p.read_text() for p in tmp_path.iterdir() if p.is_file())
    assert FAKE_KEY not in outputs and "FAKEKEY" not in outputs


def test_remote_endpoint_without_key_is_refused(tmp_path):
    write_requests(tmp_path / "req.jsonl", {}, 1)
    run = teach_cli(tmp_path, "https://api.example.invalid/v1")
    assert run.returncode == 2 and "OPENAI_API_KEY" in run.stderr
    assert not (tmp_path / "journal.jsonl").exists()


def test_samples_get_their_own_seed_and_key(tmp_path):
    reqs = write_requests(tmp_path / "req.jsonl", {}, 3)
    with FaultServer() as srv:
        run = teach_cli(tmp_path, srv.base_url, "--samples", "3", "--seed", "100", "--temperature", "0.7",
                    "--max-tokens", "64", "--extra-body", '{"top_k": 20}')
        assert run.returncode == 0, run.stderr
        keys = sorted((d["request_id"], d["sample"]) for d in journal(tmp_path))
        assert keys == sorted((r.id, s) for r in reqs for s in range(3))
        assert sorted(srv.counts_by_key()) == sorted((r.id, 100 + s) for r in reqs for s in range(3))
        # Resume with more samples: only the new sample indices are sent.
        before = srv.count
        more = teach_cli(tmp_path, srv.base_url, "--samples", "4", "--seed", "100")
        assert more.returncode == 0 and srv.count - before == 3


def test_rpm_limit_spaces_requests(tmp_path):
    write_requests(tmp_path / "req.jsonl", {}, 5)
    with FaultServer() as srv:
        run = teach_cli(tmp_path, srv.base_url, "--rpm", "120", "--concurrency", "5")
        assert run.returncode == 0, run.stderr
        times = sorted(r.at for r in srv.requests)
        # 2 a second with a burst of 2: five requests cannot all arrive within 1.4 s.
        assert times[-1] - times[0] >= 1.4


def test_answer_stream_yields_responses_as_they_complete():
    reqs = [make_request(i) for i in range(20)]

    async def slow(request: httpx.Request) -> httpx.Response:
        # Later requests answer first: the stream yields in completion order, not request order.
        await asyncio.sleep(0.001 * (40 - len(request.content) % 40))
        body = {"choices": [{"message": {"content": "<answer>1</answer>"}, "finish_reason": "stop"}]}
        return httpx.Response(200, json=body)

    async def collect() -> list:
        config = OpenAIConfig(base_url="http://endpoint.invalid/v1", model="m", retry=RetryPolicy(max_retries=0),
                              timeout=5)
        async with OpenAITeacher(config, transport=httpx.MockTransport(slow)) as teacher:
            items = ((r, s) for r in reqs for s in range(2))
            return [resp async for resp in answer_stream(teacher, items, concurrency=6)]

    out = asyncio.run(collect())
    assert sorted(r.key for r in out) == sorted((r.id, s) for r in reqs for s in range(2))
    assert all(r.ok and r.teacher == "openai" for r in out)


def test_malformed_request_line_names_file_and_line(tmp_path):
    write_requests(tmp_path / "req.jsonl", {}, 2)
    with (tmp_path / "req.jsonl").open("ab") as fh:
        fh.write(b'{"id": "x"}\n')
    with FaultServer() as srv:
        run = teach_cli(tmp_path, srv.base_url)
    assert run.returncode == 2
    assert "req.jsonl:3" in run.stderr and "missing field" in run.stderr


def test_price_table_and_progress_bar_through_the_library(tmp_path):
    import io

    from rich.console import Console

    from chukmath.teach import TeachOptions, load_price_table, run_teach
    from chukmath.teach.summary import pick_prices

    write_requests(tmp_path / "req.jsonl", {1: "[fault:400*]"}, 6)
    (tmp_path / "prices.toml").write_text('["test-model"]\nin = 3.0\nout = 15.0\n')
    table = load_price_table(tmp_path / "prices.toml")
    prices = pick_prices("test-model", None, None, table)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=160)
    with FaultServer() as srv:
        teacher = OpenAITeacher(OpenAIConfig(base_url=srv.base_url, model="test-model"))
        summary = run_teach(tmp_path / "req.jsonl", tmp_path / "journal.jsonl", teacher,
                            TeachOptions(concurrency=2, prices=prices), console=console, handle_signals=False)
    lines = journal(tmp_path)
    tokens_in = sum(d["usage"]["prompt_tokens"] for d in lines if d["usage"])
    tokens_out = sum(d["usage"]["completion_tokens"] for d in lines if d["usage"])
    assert summary.cost_usd is not None and abs(summary.cost_usd - (3 * tokens_in + 15 * tokens_out) / 1e6) < 1e-12
    assert (summary.succeeded, summary.failed, summary.failures_by_kind) == (5, 1, {"http_4xx": 1})
    summary.print(console)
    shown = buf.getvalue()
    assert "6/6" in shown and "failures 1" in shown  # the bar: done/total and failed answers
    assert "http_4xx" in shown and "$" in shown  # the table: failures by kind and cost


def test_https_endpoint_with_a_path_prefix(tmp_path):
    # A self-signed certificate for 127.0.0.1, trusted through SSL_CERT_FILE like a corporate CA would be.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    reqs = write_requests(tmp_path / "req.jsonl", {1: "[fault:chunked]"}, 3)
    with FaultServer(tls=(str(cert), str(key))) as srv:
        assert srv.base_url.startswith("https://")
        untrusted = teach_cli(tmp_path, srv.base_url)
        assert untrusted.returncode == 2 and "SSL_CERT_FILE" in untrusted.stderr
        assert srv.count == 0 and journal(tmp_path) == []
        run = teach_cli(tmp_path, srv.base_url, env={"SSL_CERT_FILE": str(cert)})
        assert run.returncode == 0, run.stderr
    ok = {d["request_id"] for d in journal(tmp_path) if d["error"] is None}
    assert ok == {r.id for r in reqs}


def test_retry_after_forms_and_backoff_bounds():
    import random
    from email.utils import formatdate

    from chukmath.teach.retry import parse_retry_after

    now = 1_800_000_000.0
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": formatdate(now + 30, usegmt=True)}, now=now) == 30.0
    assert parse_retry_after({"retry-after": "soon"}) is None and parse_retry_after({}) is None
    policy = RetryPolicy(base_s=0.5, cap_s=4.0, max_retry_after_s=60)
    rng = random.Random(1)
    delays = [policy.delay(n, None, rng) for n in range(1, 10) for _ in range(50)]
    assert all(0 <= d <= 4.0 for d in delays) and max(delays) > 2.0  # full jitter up to the cap
    assert 60 <= policy.delay(1, 3600, rng) <= 60.5  # a huge Retry-After is cut to the maximum
