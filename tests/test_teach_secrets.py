"""The API key never reaches a message, log or file: echoed by a server, or put into the base URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from chukmath.hashing import content_hash
from chukmath.records import Request
from chukmath_testing.batch_server import BatchApiServer
from chukmath_testing.fault_server import FaultServer

CHUKMATH = str(Path(sys.executable).with_name("chukmath"))
SECRET = "sk-proj-SECRET0123456789abcdefXYZ"


def write_requests(path: Path, n: int) -> None:
    lines = []
    for i in range(n):
        messages = [{"role": "user", "content": f"What is {i} + 1?\nAnswer: {i + 1}"}]
        lines.append(orjson.dumps(Request(id=content_hash({"messages": messages}), problem_id=f"p{i}", template="t",
                                          template_hash="0" * 32, messages=messages).to_dict()) + b"\n")
    path.write_bytes(b"".join(lines))


def chukmath(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    return subprocess.run([CHUKMATH, *args], capture_output=True, text=True, env={**base, **(env or {})}, timeout=60)


def everything_written(tmp: Path, *runs: subprocess.CompletedProcess[str]) -> str:
    files = "".join(p.read_bytes().decode("utf-8", "replace") for p in tmp.rglob("*") if p.is_file())
    return files + "".join(r.stdout + r.stderr for r in runs)


def test_teach_refuses_a_base_url_with_credentials_or_a_query_and_never_shows_them(tmp_path):
    write_requests(tmp_path / "req.jsonl", 2)
    teach = ["teach", "--requests", str(tmp_path / "req.jsonl"), "--out", str(tmp_path / "j.jsonl"),
             "--teacher", "openai", "--model", "m"]
    with FaultServer() as srv:
        host = srv.base_url.removeprefix("http://")
        in_url = chukmath(*teach, "--base-url", f"http://user:{SECRET}@{host}")
        from_env = chukmath(*teach, env={"OPENAI_BASE_URL": f"http://{SECRET}@{host}"})
        in_query = chukmath(*teach, "--base-url", f"{srv.base_url}?api-key={SECRET}")
        assert srv.count == 0  # refused before anything was sent
    for run in (in_url, from_env, in_query):
        assert run.returncode == 2 and "error:" in run.stderr, run.stderr
    assert "OPENAI_API_KEY" in in_url.stderr and "--api-key-env" in in_query.stderr
    assert "***@127.0.0.1" in in_url.stderr and "OPENAI_BASE_URL" in from_env.stderr
    assert "api-key=***" in in_query.stderr
    assert not (tmp_path / "j.jsonl").exists()
    assert SECRET not in everything_written(tmp_path, in_url, from_env, in_query)


def test_a_key_echoed_by_the_server_is_redacted_from_errors_and_the_journal(tmp_path):
    # The fault server echoes a refused key in its 401 body (as careless proxies do); after a first success
    # a 401 is journaled per request, so the echo would land in the journal too.
    write_requests(tmp_path / "req.jsonl", 3)
    teach = ["teach", "--requests", str(tmp_path / "req.jsonl"), "--out", str(tmp_path / "j.jsonl"),
             "--teacher", "openai", "--model", "m", "--json"]
    with FaultServer(api_key="sk-the-right-one-000000") as srv:
        refused = chukmath(*teach, "--base-url", srv.base_url, env={"OPENAI_API_KEY": SECRET})
        assert 1 <= srv.count <= 16  # stopped at the first refusal (those already in flight come back too)
    assert refused.returncode == 2 and "Incorrect API key provided: ***" in refused.stderr
    with FaultServer(faults={2: "401"}) as srv:  # a later 401: recorded as that request's error
        later = chukmath(*teach, "--base-url", srv.base_url, "--concurrency", "1", env={"OPENAI_API_KEY": SECRET})
    assert later.returncode == 1, later.stderr
    errors = [d["error"] for d in map(orjson.loads, (tmp_path / "j.jsonl").read_bytes().splitlines()) if d["error"]]
    assert len(errors) == 1 and errors[0]["kind"] == "http_4xx" and "provided: ***" in errors[0]["message"]
    assert SECRET not in everything_written(tmp_path, refused, later)


def test_batch_refuses_credentials_in_the_url_and_redacts_an_echoed_key(tmp_path):
    write_requests(tmp_path / "req.jsonl", 2)
    submit = ["batch", "submit", "--requests", str(tmp_path / "req.jsonl"), "--out", str(tmp_path / "j.jsonl"),
              "--model", "m", "--api-key-env", "MY_KEY"]
    with BatchApiServer(api_key="sk-the-right-one-000000") as server:
        host = server.base_url.removeprefix("http://")
        in_url = chukmath(*submit, "--base-url", f"http://me:{SECRET}@{host}", env={"MY_KEY": "sk-x-00000000"})
        assert in_url.returncode == 2 and "***@127.0.0.1" in in_url.stderr
        assert server.upload_calls == 0
        wrong = chukmath(*submit, "--base-url", server.base_url, env={"MY_KEY": SECRET})
        assert f"Bearer {SECRET}" in server.seen_authorization  # sent, refused, echoed back in the 401 body
    assert wrong.returncode == 2 and "HTTP 401" in wrong.stderr and "invalid api key" in wrong.stderr
    assert SECRET not in everything_written(tmp_path, in_url, wrong)
