"""Shared pieces of the export tests: a loopback OpenAI-compatible server whose samples are right or wrong by plan,
and a build run with several samples per problem made against it. Holds no tests itself.

The fault server (chukmath_testing) answers every sample of a request alike; preference pairs and pass rates need
samples of one problem that differ, so this server reads two lines of the prompt — ``Answer: X`` and
``Solves: K`` — and answers sample *k* (the request's ``seed``, the recipe's teacher seed being 0) correctly when
``k < K``, else wrongly in turn: a wrong final answer, a false arithmetic step, a truncated answer.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson
from test_build_support import build_json, single_mix

_ANSWER = re.compile(r"^Answer: (.+)$", re.MULTILINE)
_SOLVES = re.compile(r"^Solves: (\d+)$", re.MULTILINE)
WRONG = "123456789"
KINDS = ("wrong_answer", "bad_step", "truncated")

PLANNED_TEMPLATE = """{#---
name = "planned"
description = "Test prompt: the planned server answers sample k correctly when k < Solves."
variables = ["question", "answer", "problem"]
reveals_answer = true
---#}
Problem: {{ question }}
Solves: {{ problem.index % 5 }}
Answer: {{ answer }}
"""

RECIPE = """name = "planned"
count = {count}
seed = 5
{mix}
[prompt]
template = "planned"
templates_dirs = ["{templates}"]

[teacher]
kind = "openai"
model = "planned"
base_url = "{base_url}"
api_key_env = ""
seed = 0
samples = {samples}
concurrency = 8
max_retries = 0

[verify]
keep = "first"
"""


def planned_content(text: str, sample: int) -> tuple[str, str]:
    """The content and finish_reason sample ``sample`` gets for a prompt ``text``."""
    answer = _ANSWER.findall(text)[-1].strip()
    solves = int(_SOLVES.findall(text)[-1])
    # Odd samples word it differently: two correct samples of a problem are two distinct chosen traces.
    think = f"The answer is {answer}." + (" I checked it twice." if sample % 2 else "")
    good = f"<think>\n{think}\n</think>\n<answer>{answer}</answer>\n<verifier_answer>{answer}</verifier_answer>"
    if sample < solves:
        return good, "stop"
    kind = KINDS[(sample - solves) % len(KINDS)]
    if kind == "wrong_answer":
        return good.replace(answer, WRONG), "stop"
    if kind == "bad_step":
        return good.replace("<think>\n", "<think>\n2 + 2 = 5\n", 1), "stop"
    return good[: len(good) // 2], "length"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        payload = orjson.loads(body)
        text = "\n".join(m["content"] for m in payload["messages"])
        content, finish = planned_content(text, int(payload.get("seed") or 0))
        data = orjson.dumps(
            {
                "id": "planned",
                "object": "chat.completion",
                "created": 0,
                "model": payload.get("model", "planned"),
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


class PlannedServer:
    """``with PlannedServer() as server: server.base_url`` — a real HTTP server on loopback, in a thread."""

    def __enter__(self) -> PlannedServer:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def planned_recipe(tmp_path: Path, base_url: str, *, count: int = 20, samples: int = 4, tail: str = "") -> Path:
    """The recipe (and its template folder) of a run against the planned server; ``tail`` adds tables."""
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "planned.jinja").write_text(PLANNED_TEMPLATE)
    path = tmp_path / "planned.toml"
    text = RECIPE.format(
        count=count, mix=single_mix("arithmetic"), templates=templates, base_url=base_url, samples=samples
    )
    path.write_text(text + tail)
    return path


def planned_run(tmp_path: Path, *, count: int = 20, samples: int = 4, tail: str = "") -> tuple[Path, Path]:
    """A finished build run with ``samples`` planned answers per problem; returns (recipe, run directory)."""
    out = tmp_path / "run"
    with PlannedServer() as server:
        recipe = planned_recipe(tmp_path, server.base_url, count=count, samples=samples, tail=tail)
        summary = build_json(recipe, out)
    assert summary["complete"] and summary["problems"] == count
    return recipe, out


def read_rows(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]
