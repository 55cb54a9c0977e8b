"""An Anthropic Messages API server on loopback, for tests: ``POST /v1/messages`` and Message Batches.

A real HTTP server (``http.server``, threaded, keep-alive), spoken to by the official SDK. It answers like the
fault server: the last ``Answer: X`` line of the prompt, in the ``<think>/<answer>/<verifier_answer>`` format,
with ``usage`` of ~4 characters a token. Markers in a user message change that answer:
``[anthropic:429]`` / ``[anthropic:529]`` / ``[anthropic:500]`` fail the first attempt of the request (with
``retry-after: 0`` on a 429), ``[anthropic:max_tokens]`` cuts the text and stops with ``max_tokens``,
``[anthropic:thinking]`` adds a ``thinking`` block before the text, ``[anthropic:error]`` makes a batch
request end ``errored``.

Batches: ``POST /v1/messages/batches`` (``{"requests": [{"custom_id", "params"}]}``),
``GET /v1/messages/batches/{id}`` (``in_progress`` until it was retrieved ``polls`` times, then ``ended``
with a ``results_url``), ``GET /v1/messages/batches/{id}/results`` (JSONL, one ``{"custom_id", "result"}`` a
line, in reverse order, as the API promises no order).

``seen`` records ``(method, path)`` of every request; ``bodies`` the JSON body of each ``/v1/messages`` call;
``keys`` the keys received (``x-api-key`` or a bearer token). With ``api_key`` set, another key gets a 401
that echoes it.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

import orjson

from chukmath_testing.background import BackgroundServer

_ANSWER = re.compile(r"^\s*Answer:\s*(.+?)\s*$", re.MULTILINE)
_MARKER = re.compile(r"\[anthropic:([a-z0-9_]+)\]")


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


def _when(offset_s: float = 0.0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset_s)).isoformat().replace("+00:00", "Z")


class AnthropicServer(BackgroundServer):
    """``with AnthropicServer() as srv``: ``srv.base_url`` is ``http://127.0.0.1:<port>`` (the SDK adds /v1)."""

    thread_name = "anthropic-server"

    def __init__(self, *, api_key: str | None = None, polls: int = 1, host: str = "127.0.0.1") -> None:
        self.api_key = api_key
        self.polls = polls
        self.seen: list[tuple[str, str]] = []
        self.bodies: list[dict[str, Any]] = []
        self.keys: set[str] = set()
        self.versions: set[str] = set()
        self.batches: dict[str, dict[str, Any]] = {}
        self._attempts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.listen(_handler(self), host)

    @property
    def base_url(self) -> str:
        return self.origin

    @property
    def message_calls(self) -> int:
        """How many ``POST /v1/messages`` requests arrived."""
        return sum(1 for m, p in self.seen if m == "POST" and p == "/v1/messages")



    # -- answers ---------------------------------------------------------------------------------------
    def message(self, params: dict[str, Any], number: int) -> dict[str, Any]:
        """The message object answering ``params`` (a Messages API body)."""
        text = "\n".join(self._texts(params))
        found = _ANSWER.findall(text)
        answer = found[-1] if found else "42"
        markers = set(_MARKER.findall(text))
        content = (f"<think>\nThe answer is {answer}.\n</think>\n<answer>{answer}</answer>\n"
                   f"<verifier_answer>{answer}</verifier_answer>")
        stop = "end_turn"
        if "max_tokens" in markers:
            content, stop = content[: len(content) // 2], "max_tokens"
        blocks: list[dict[str, Any]] = []
        if "thinking" in markers:
            blocks.append({"type": "thinking", "thinking": f"Let me think about {answer}.", "signature": "sig"})
        blocks.append({"type": "text", "text": content})
        prompt = len(text) // 4 + 1
        return {
            "id": f"msg_{number:06d}", "type": "message", "role": "assistant", "model": str(params.get("model")),
            "content": blocks, "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": prompt, "output_tokens": len(content) // 4 + 1,
                      "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
        }  # fmt: skip

    @staticmethod
    def _texts(params: dict[str, Any]) -> list[str]:
        out = [params["system"]] if isinstance(params.get("system"), str) else []
        for m in params.get("messages") or []:
            if isinstance(m, dict) and isinstance(m.get("content"), str):
                out.append(m["content"])
        return out

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            self.seen.append((method, path))
            number = len(self.seen)
        # The SDK sends the key as x-api-key (older releases) or as a bearer token (newer ones).
        key = headers.get("x-api-key") or (headers.get("authorization") or "").removeprefix("Bearer ")
        self.keys.add(key)
        self.versions.add(headers.get("anthropic-version") or "")
        if self.api_key is not None and key != self.api_key:
            return 401, _error("authentication_error", f"invalid x-api-key {key}"), {}
        if method == "POST" and path == "/v1/messages":
            return self._messages(body, number)
        if method == "POST" and path == "/v1/messages/batches":
            return self._create(body)
        found = re.fullmatch(r"/v1/messages/batches/([A-Za-z0-9_]+)(/results)?", path)
        if method == "GET" and found and found.group(1) in self.batches:
            batch = self.batches[found.group(1)]
            return (200, self._results(batch), {}) if found.group(2) else (200, self._retrieve(batch), {})
        return 404, _error("not_found_error", f"{method} {path}: not found"), {}

    def _messages(self, body: bytes, number: int) -> tuple[int, Any, dict[str, str]]:
        try:
            params = orjson.loads(body)
        except orjson.JSONDecodeError:
            return 400, _error("invalid_request_error", "body is not JSON"), {}
        if not isinstance(params, dict) or not isinstance(params.get("max_tokens"), int):
            return 400, _error("invalid_request_error", "max_tokens: Field required"), {}
        if any(isinstance(m, dict) and m.get("role") == "system" for m in params.get("messages") or []):
            return 400, _error("invalid_request_error", "messages: system is not a valid role; use 'system'"), {}
        with self._lock:
            self.bodies.append(params)
            signature = orjson.dumps(params, option=orjson.OPT_SORT_KEYS).decode()
            attempt = self._attempts[signature]
            self._attempts[signature] += 1
        markers = set(_MARKER.findall("\n".join(self._texts(params))))
        for status in ("429", "529", "500"):
            if status in markers and attempt == 0:
                kind = {"429": "rate_limit_error", "529": "overloaded_error"}.get(status, "api_error")
                return int(status), _error(kind, f"injected {status}"), {"retry-after": "0"}
        return 200, self.message(params, number), {}

    def _create(self, body: bytes) -> tuple[int, Any, dict[str, str]]:
        data = orjson.loads(body)
        requests = data.get("requests") if isinstance(data, dict) else None
        if not isinstance(requests, list) or not requests:
            return 400, _error("invalid_request_error", "requests: must be a non-empty list"), {}
        ids = [r.get("custom_id") for r in requests if isinstance(r, dict)]
        if len(set(ids)) != len(requests) or not all(isinstance(i, str) and 1 <= len(i) <= 64 for i in ids):
            return 400, _error("invalid_request_error", "custom_id: unique strings of 1-64 characters"), {}
        batch_id = f"msgbatch_{len(self.batches) + 1:04d}"
        self.batches[batch_id] = {"id": batch_id, "requests": requests, "polls": 0, "created_at": _when()}
        return 200, self._retrieve(self.batches[batch_id], count=False), {}

    def _retrieve(self, batch: dict[str, Any], count: bool = True) -> dict[str, Any]:
        if count:
            batch["polls"] += 1
        ended = batch["polls"] >= self.polls
        n = len(batch["requests"])
        errored = sum(1 for r in batch["requests"] if "[anthropic:error]" in orjson.dumps(r).decode())
        counts = {"processing": 0 if ended else n, "succeeded": n - errored if ended else 0,
                  "errored": errored if ended else 0, "canceled": 0, "expired": 0}  # fmt: skip
        return {
            "id": batch["id"], "type": "message_batch", "processing_status": "ended" if ended else "in_progress",
            "request_counts": counts, "created_at": batch["created_at"], "expires_at": _when(86400),
            "ended_at": _when() if ended else None, "archived_at": None, "cancel_initiated_at": None,
            "results_url": f"{self.base_url}/v1/messages/batches/{batch['id']}/results" if ended else None,
        }  # fmt: skip

    def _results(self, batch: dict[str, Any]) -> bytes:
        lines = []
        for number, item in enumerate(reversed(batch["requests"]), 1):
            if "[anthropic:error]" in orjson.dumps(item).decode():
                result = {"type": "errored", "error": _error("invalid_request_error", "injected batch error")}
            else:
                result = {"type": "succeeded", "message": self.message(item["params"], number)}
            lines.append(orjson.dumps({"custom_id": item["custom_id"], "result": result}))
        return b"\n".join(lines) + b"\n"


def _handler(server: AnthropicServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, payload, extra = server.handle(method, self.path.split("?")[0], self.headers, body)
            raw = payload if isinstance(payload, bytes) else orjson.dumps(payload)
            self.send_response(status)
            self.send_header("Content-Type", "application/binary" if isinstance(payload, bytes) else
                             "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.send_header("request-id", f"req_{time.monotonic_ns()}")
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler
