"""`chukmath teach --teacher openai` against a real llama.cpp server running Gemma 3 270M on loopback.

The model is tiny and mostly wrong, so these tests check the plumbing: every key journaled, usage
counted, truncation recorded, resume sends nothing twice. Under CI=true a missing llama.cpp fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.hashing import content_hash
from chukmath.records import Request
from chukmath_testing.llama_server import EXTRA_BUFFER_TYPES, LlamaServer

pytestmark = pytest.mark.llm

QUESTIONS = ["What is 2 + 3?", "What is 7 * 6?", "What is 10 - 4?", "Simplify 6/8."]


def write_requests(path: Path) -> list[str]:
    ids = []
    with path.open("w") as fh:
        for i, question in enumerate(QUESTIONS):
            messages = [{"role": "user", "content": f"{question} Think step by step, then give the answer."}]
            request = Request(content_hash({"messages": messages}), f"p{i}", "default", "t0", messages)
            fh.write(json.dumps(request.to_dict()) + "\n")
            ids.append(request.id)
    return ids


def teach(server: LlamaServer, requests: Path, journal: Path) -> dict:
    args = ["teach", "--teacher", "openai", "--base-url", server.base_url, "--model", "gemma",
            "--max-tokens", "16", "--temperature", "0", "--seed", "1", "--concurrency", "2",
            "--requests", str(requests), "--out", str(journal), "--quiet", "--json"]
    result = CliRunner().invoke(app, args, env={"OPENAI_API_KEY": ""})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_teach_against_llama_cpp(llama_server: LlamaServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    ids = write_requests(requests)
    summary = teach(llama_server, requests, journal)
    lines = [orjson.loads(x) for x in journal.read_bytes().splitlines() if x.strip()]
    assert sorted(r["request_id"] for r in lines) == sorted(ids)
    assert all(r["error"] is None and r["sample"] == 0 and isinstance(r["content"], str) for r in lines)
    assert all(r["teacher"] == "openai" and r["model"] for r in lines)
    assert all(r["usage"]["prompt_tokens"] > 0 and 0 < r["usage"]["completion_tokens"] <= 16 for r in lines)
    # 16 tokens cannot hold a worked answer from this model: truncation must be recorded, not hidden.
    assert any(r["finish_reason"] == "length" for r in lines)
    assert summary["succeeded"] == 4 and summary["failed"] == 0
    assert summary["truncated"] == sum(r["finish_reason"] == "length" for r in lines)
    assert summary["prompt_tokens"] == sum(r["usage"]["prompt_tokens"] for r in lines)
    assert summary["completion_tokens"] == sum(r["usage"]["completion_tokens"] for r in lines)

    # Resume: everything is journaled, so nothing is sent again.
    again = teach(llama_server, requests, journal)
    assert again["sent"] == 0 and again["skipped"] == 4
    assert len(journal.read_bytes().splitlines()) == 4


def test_the_model_loads_without_extra_cpu_buffer_types(llama_server: LlamaServer) -> None:
    # llama.cpp's extra buffer types repack the weights for the CPU's fastest matmul path; on CPUs with AMX
    # that path crashes the server (an ldtilecfg fault). The plain CPU buffer works on every x86-64 CPU, and
    # the repack this machine would pick (CPU_REPACK on AVX2) shows that the switch is really off.
    log = llama_server.log_path.read_text(errors="replace")
    buffers = [line for line in log.splitlines() if "model buffer size" in line]
    assert buffers, log[-2000:]
    assert not [line for line in buffers if any(f"{kind} model buffer" in line for kind in EXTRA_BUFFER_TYPES)], buffers


BLOCKER = '''
import sys


class _Block:
    """Makes llama_cpp look uninstalled."""

    def find_spec(self, name, path=None, target=None):
        if name == "llama_cpp" or name.startswith("llama_cpp."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None


sys.meta_path.insert(0, _Block())
'''


@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("", "1 skipped")])
def test_missing_llama_cpp_fails_under_ci_and_skips_otherwise(tmp_path: Path, ci: str, outcome: str) -> None:
    (tmp_path / "block_llama.py").write_text(BLOCKER)
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(tmp_path)}
    test = f"{Path(__file__)}::test_teach_against_llama_cpp"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "block_llama", "-p", "no:cacheprovider", test],
                          env=env, capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert outcome in done.stdout, done.stdout[-2000:]
    assert "llama-cpp-python[server]" in done.stdout


def test_a_port_taken_before_the_server_binds_it_is_replaced(llama_model: Path, tmp_path: Path) -> None:
    import socket

    import httpx

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        server = LlamaServer(llama_model, log_path=tmp_path / "server.log")
        server.port = taken  # as if another process had grabbed the picked port before the server bound it
        with server:
            assert server.port != taken
            assert httpx.get(f"{server.base_url}/models", timeout=10).status_code == 200
