"""A judge model on loopback, for tests of ``[judge]``: an OpenAI-compatible ``/v1/chat/completions`` server.

It reads the ground truth and the prediction out of chukmath's judge prompt (``<ground_truth>`` and
``<prediction>``) and answers with what ``decide(expected, prediction)`` returns, as the assistant's text;
by default ``<verdict>equivalent</verdict>`` when the prediction holds the expected answer's text, else
``<verdict>not_equivalent</verdict>``. A test passes its own ``decide`` to make the judge say anything at all
(two verdicts, prose, an injected key) and checks that chukmath reads only a strict verdict.

``prompts`` records each prompt received, ``predictions`` each prediction.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

import orjson

from chukmath_testing.background import BackgroundServer

_TRUTH = re.compile(r"<ground_truth>(.*?)</ground_truth>", re.DOTALL)
_PREDICTION = re.compile(r"<prediction>(.*?)</prediction>", re.DOTALL)


def default_decide(expected: str, prediction: str) -> str:
    """Equivalent when the prediction contains the expected answer's text."""
    word = "equivalent" if expected and expected in prediction else "not_equivalent"
    return f"<verdict>{word}</verdict>"


class JudgeServer(BackgroundServer):
    """``with JudgeServer(decide=...) as j``: ``j.base_url`` ends in ``/v1``."""

    thread_name = "judge-server"

    def __init__(self, decide: Callable[[str, str], str] = default_decide, host: str = "127.0.0.1") -> None:
        self.decide = decide
        self.prompts: list[str] = []
        self.predictions: list[str] = []
        self.models: set[str] = set()
        self._lock = threading.Lock()
        self.listen(_handler(self), host)

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    @property
    def count(self) -> int:
        """Chat requests received."""
        with self._lock:
            return len(self.prompts)



    def answer(self, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            payload = orjson.loads(body)
            prompt = "\n".join(m["content"] for m in payload["messages"])
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return 400, {"error": {"message": "not a chat completion request"}}
        truth, prediction = _TRUTH.search(prompt), _PREDICTION.search(prompt)
        expected = truth.group(1) if truth else ""
        predicted = prediction.group(1) if prediction else ""
        with self._lock:
            self.prompts.append(prompt)
            self.predictions.append(predicted)
            self.models.add(str(payload.get("model")))
        text = self.decide(expected, predicted)
        return 200, {
            "id": f"judge-{len(self.prompts)}", "object": "chat.completion", "model": payload.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": 5, "total_tokens": len(prompt) // 4 + 5},
        }  # fmt: skip


def _handler(server: JudgeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.split("?")[0].endswith("/chat/completions"):
                status, payload = server.answer(body)
            else:
                status, payload = 404, {"error": {"message": f"{self.path}: not found"}}
            raw = orjson.dumps(payload)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    return Handler
