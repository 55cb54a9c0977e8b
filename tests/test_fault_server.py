"""The fault-injecting server answers like an OpenAI endpoint and injects its faults deterministically."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import orjson
import pytest

from chukmath.hashing import content_hash
from chukmath_testing.fault_server import FaultServer

ROOT = Path(__file__).resolve().parent.parent


def chat(url: str, content: str, **extra: object) -> httpx.Response:
    body = {"model": "m", "messages": [{"role": "user", "content": content}], **extra}
    return httpx.post(f"{url}/chat/completions", json=body, timeout=10)


def test_answers_in_the_tag_format_echoing_the_prompt_answer():
    with FaultServer() as srv:
        r = chat(srv.base_url, "What is 2 + 3?\nAnswer: 5")
        assert r.status_code == 200
        data = r.json()
        content = data["choices"][0]["message"]["content"]
        assert "<answer>5</answer>" in content and "<verifier_answer>5</verifier_answer>" in content
        assert data["choices"][0]["finish_reason"] == "stop"
        assert data["usage"]["total_tokens"] == data["usage"]["prompt_tokens"] + data["usage"]["completion_tokens"]
        assert "<answer>42</answer>" in chat(srv.base_url, "no answer line").text
        assert httpx.get(f"{srv.base_url}/models").status_code == 404


def test_marker_sequence_faults_each_attempt_then_succeeds_and_is_logged():
    with FaultServer(retry_after=2) as srv:
        prompt = "Q [fault:429][fault:503x2]"
        first = chat(srv.base_url, prompt)
        assert first.status_code == 429 and first.headers["retry-after"] == "2"
        assert [chat(srv.base_url, prompt).status_code for _ in range(3)] == [503, 503, 200]
        key = content_hash({"messages": [{"role": "user", "content": prompt}]})
        log = srv.requests
        assert [r.key for r in log] == [key] * 4
        assert [r.attempt for r in log] == [1, 2, 3, 4]
        assert [r.fault for r in log] == ["429", "503", "503", None]
        # A different seed is a different sample: its attempts are counted separately.
        assert chat(srv.base_url, prompt, seed=7).status_code == 429
        assert srv.counts_by_key()[(key, None)] == 4


def test_response_shapes_length_reasoning_malformed_chunked():
    with FaultServer() as srv:
        r = chat(srv.base_url, "[fault:length]\nAnswer: 9").json()
        assert r["choices"][0]["finish_reason"] == "length"
        r = chat(srv.base_url, "[fault:reasoning]\nAnswer: 9").json()
        assert r["choices"][0]["message"]["reasoning_content"]
        bad = chat(srv.base_url, "[fault:malformed]")
        assert bad.status_code == 200
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(bad.content)
        chunked = chat(srv.base_url, "[fault:chunked]\nAnswer: 3")
        assert chunked.headers.get("transfer-encoding") == "chunked"
        assert "<answer>3</answer>" in chunked.json()["choices"][0]["message"]["content"]


def test_drop_closes_without_an_answer_and_auth_is_checked():
    with FaultServer(api_key="sk-right") as srv:
        assert chat(srv.base_url, "x").status_code == 401
        with pytest.raises(httpx.HTTPError):
            httpx.post(f"{srv.base_url}/chat/completions", headers={"Authorization": "Bearer sk-right"},
                       json={"model": "m", "messages": [{"role": "user", "content": "[fault:drop]"}]}, timeout=5)


def test_faults_by_request_number():
    with FaultServer(faults={2: "500"}) as srv:
        assert [chat(srv.base_url, "a").status_code for _ in range(3)] == [200, 500, 200]


def test_runs_as_a_module_and_prints_its_url():
    proc = subprocess.Popen([sys.executable, "-m", "chukmath_testing.fault_server", "--port", "0"],
                            stdout=subprocess.PIPE, cwd=ROOT)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().decode().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        assert chat(url, "Answer: 1").status_code == 200
        # Keep-alive: two requests over one raw socket.
        host, port = url.removeprefix("http://").removesuffix("/v1").split(":")
        body = orjson.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
        req = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            for _ in range(2):
                sock.sendall(req)
                data = b""
                while b"chat.completion" not in data or not data.endswith(b"}}"):
                    data += sock.recv(65536)
                assert data.startswith(b"HTTP/1.1 200")
    finally:
        proc.terminate()
        proc.wait(10)
