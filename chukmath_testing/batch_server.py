"""A loopback OpenAI Batch API (files + batches endpoints) for tests and benchmarks.

It is a real HTTP server on 127.0.0.1 that the ``openai`` SDK talks to unchanged. Batches move
``validating → in_progress → completed`` after configurable delays (or stay ``in_progress`` while the
server is held), and every input line is answered with a deterministic chat completion; a finished
batch reports its token ``usage``. Faults are injected per ``custom_id`` so tests can cover partial
failure, expiry, resubmission and lost responses (the server acts, then drops the connection, as a
client crash or timeout would look). Records live in :mod:`chukmath_testing.batch_records`, the HTTP
handler in :mod:`chukmath_testing.batch_http`.

Run it alone with ``python -m chukmath_testing.batch_server --port 8089``.
"""

from __future__ import annotations

import argparse
import itertools
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any

import orjson

from chukmath_testing.batch_http import handler_for, parse_upload
from chukmath_testing.batch_records import (
    ENDPOINT,
    TERMINAL,
    AnswerFn,
    StoredBatch,
    StoredFile,
    batch_usage,
    completion,
    default_answer,
    error_body,
    page,
)

__all__ = ["BatchApiServer", "StoredBatch", "StoredFile", "default_answer", "main"]


class BatchApiServer:
    """The server and its state; use as a context manager or call ``start()``/``stop()``.

    ``validate_s`` and ``complete_s`` are the delays (from creation) after which a batch is reported
    ``in_progress`` and ``completed``. While ``hold()`` is on, batches never leave ``in_progress``.
    ``fail_times[custom_id] = n`` answers that request with HTTP 500 (into the error file) the first n
    times it is processed. ``drop_next_create``/``drop_next_upload`` make the server perform the next
    batch creation / upload and then close the connection without a reply; ``create_reply_delay_s``
    holds the reply to a creation back that long (to kill a client while it waits).
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        validate_s: float = 0.0,
        complete_s: float = 0.0,
        answer: AnswerFn = default_answer,
        port: int = 0,
    ) -> None:
        self.api_key = api_key
        self.validate_s = validate_s
        self.complete_s = complete_s
        self.answer = answer
        self.fail_times: dict[str, int] = {}
        self.drop_next_create = 0
        # Seconds the reply to a batch creation is held back after the batch was made (a client killed in
        # that window never learns the id: the crash case that must not lead to paying twice).
        self.create_reply_delay_s = 0.0
        self.drop_next_upload = 0
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, StoredBatch] = {}
        self.create_calls = 0
        self.upload_calls = 0
        self.seen_authorization: set[str] = set()
        self._held = False
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> BatchApiServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="batch-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> BatchApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- controls used by tests ------------------------------------------------------------------
    def hold(self, on: bool = True) -> None:
        """While held, batches stay ``in_progress`` whatever their age."""
        with self._lock:
            self._held = on

    def expire(self, batch_id: str, answered: int) -> None:
        """End a batch as ``expired`` with only its first ``answered`` lines processed."""
        with self._lock:
            batch = self.batches[batch_id]
            self._finish(batch, "expired", answered, unprocessed_code="batch_expired")

    def advance_all(self) -> None:
        """Move every batch along now (as a poll would), e.g. to build outputs outside a timed section."""
        with self._lock:
            for batch in self.batches.values():
                self._advance(batch)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids):06d}"

    def _store(self, filename: str, purpose: str, data: bytes) -> StoredFile:
        stored = StoredFile(self._new_id("file"), filename, purpose, data, int(time.time()))
        self.files[stored.id] = stored
        return stored

    # -- batch life ------------------------------------------------------------------------------
    def _advance(self, batch: StoredBatch) -> None:
        if batch.status in TERMINAL or batch.status == "cancelling":
            return
        age = time.monotonic() - batch.created_mono
        if batch.status == "validating" and age >= self.validate_s:
            problems = self._validate(batch)
            if problems:
                batch.status = "failed"
                batch.errors = problems
                batch.stamps["failed_at"] = int(time.time())
                return
            batch.status = "in_progress"
            batch.stamps["in_progress_at"] = int(time.time())
        if batch.status == "in_progress" and not self._held and age >= self.complete_s:
            self._finish(batch, "completed", None)

    def _input_lines(self, batch: StoredBatch) -> list[dict[str, Any]]:
        data = self.files[batch.input_file_id].data
        return [orjson.loads(raw) for raw in data.splitlines() if raw.strip()]

    def _validate(self, batch: StoredBatch) -> list[dict[str, Any]]:
        problems: list[dict[str, Any]] = []
        seen: set[str] = set()
        try:
            lines = self._input_lines(batch)
        except orjson.JSONDecodeError as exc:
            return [{"code": "invalid_json_line", "message": str(exc), "line": None}]
        for number, line in enumerate(lines, start=1):
            custom_id = line.get("custom_id")
            body = line.get("body")
            problem = None
            if not isinstance(custom_id, str) or custom_id in seen:
                problem = ("duplicate_custom_id", f"missing or repeated custom_id {custom_id!r}")
            elif line.get("method") != "POST" or line.get("url") != ENDPOINT:
                problem = ("invalid_url", "method/url must be POST " + ENDPOINT)
            elif not isinstance(body, dict) or "model" not in body or not isinstance(body.get("messages"), list):
                problem = ("invalid_body", "body needs model and messages")
            if problem:
                problems.append({"code": problem[0], "message": problem[1], "line": number})
            if isinstance(custom_id, str):
                seen.add(custom_id)
        batch.total = len(lines)
        return problems

    def _finish(
        self, batch: StoredBatch, status: str, answered: int | None, unprocessed_code: str | None = None
    ) -> None:
        """Answer the first ``answered`` lines (all if None); the rest get an error line with
        ``unprocessed_code`` (expiry does that) or nothing at all (a cancelled batch here)."""
        outputs: list[bytes] = []
        errors: list[bytes] = []
        answered_bodies: list[dict[str, Any]] = []
        lines = self._input_lines(batch)
        for number, line in enumerate(lines):
            custom_id = line["custom_id"]
            if answered is not None and number >= answered:
                if unprocessed_code is None:
                    continue
                errors.append(orjson.dumps({
                    "id": self._new_id("batch_req"), "custom_id": custom_id, "response": None,
                    "error": {"code": unprocessed_code, "message": f"Request not executed: {unprocessed_code}."},
                }))
                continue
            if self.fail_times.get(custom_id, 0) > 0:
                self.fail_times[custom_id] -= 1
                errors.append(orjson.dumps({
                    "id": self._new_id("batch_req"), "custom_id": custom_id,
                    "response": {"status_code": 500, "request_id": self._new_id("req"),
                                 "body": {"error": {"message": "The server had an error", "type": "server_error"}}},
                    "error": None,
                }))
                continue
            answer = completion(custom_id, line["body"], self.answer)
            answered_bodies.append(answer)
            outputs.append(orjson.dumps({
                "id": self._new_id("batch_req"), "custom_id": custom_id,
                "response": {"status_code": 200, "request_id": self._new_id("req"), "body": answer},
                "error": None,
            }))
        batch.completed, batch.failed = len(outputs), len(errors)
        batch.usage = batch_usage(answered_bodies)
        batch.total = len(lines)
        if outputs:
            output = b"\n".join(outputs) + b"\n"
            batch.output_file_id = self._store(f"{batch.id}_output.jsonl", "batch_output", output).id
        if errors:
            error = b"\n".join(errors) + b"\n"
            batch.error_file_id = self._store(f"{batch.id}_error.jsonl", "batch_output", error).id
        batch.status = status
        batch.stamps[f"{status}_at"] = int(time.time())

    # -- request handling ------------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes
    ) -> tuple[int | None, Any]:
        """Route one request; returns (status, JSON object or raw bytes). ``None`` status drops it."""
        parts = [p for p in path.split("/") if p]
        if parts[:1] != ["v1"]:
            return 404, error_body("not found")
        parts = parts[1:]
        if method == "POST" and parts == ["batches"]:
            with self._lock:
                status, reply = self._create(body)
            if self.create_reply_delay_s > 0:
                time.sleep(self.create_reply_delay_s)
            return status, reply
        with self._lock:
            if method == "POST" and parts == ["files"]:
                return self._upload(headers, body)
            if method == "GET" and parts == ["files"]:
                items = [f.to_object() for f in self.files.values()
                         if not query.get("purpose") or f.purpose == query["purpose"][0]]
                return 200, page(items, query, newest_first=query.get("order", ["desc"])[0] == "desc")
            if method == "GET" and len(parts) == 2 and parts[0] == "files":
                stored = self.files.get(parts[1])
                return (200, stored.to_object()) if stored else (404, error_body(f"no file {parts[1]}"))
            if method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
                stored = self.files.get(parts[1])
                return (200, stored.data) if stored else (404, error_body(f"no file {parts[1]}"))
            if method == "GET" and parts == ["batches"]:
                for batch in self.batches.values():
                    self._advance(batch)
                return 200, page([b.to_object() for b in self.batches.values()], query, newest_first=True)
            if len(parts) >= 2 and parts[0] == "batches":
                batch = self.batches.get(parts[1])
                if batch is None:
                    return 404, error_body(f"no batch {parts[1]}")
                if method == "GET" and len(parts) == 2:
                    self._advance(batch)
                    return 200, batch.to_object()
                if method == "POST" and parts[2:] == ["cancel"]:
                    if batch.status not in TERMINAL:
                        self._finish(batch, "cancelled", 0)
                    return 200, batch.to_object()
        return 404, error_body(f"no route {method} {path}")

    def _upload(self, headers: Any, body: bytes) -> tuple[int | None, Any]:
        self.upload_calls += 1
        purpose, filename, data = parse_upload(headers.get("Content-Type", ""), body)
        if purpose != "batch" or data is None:
            return 400, error_body("multipart upload needs purpose=batch and a file part")
        stored = self._store(str(filename), purpose, data)
        if self.drop_next_upload:
            self.drop_next_upload -= 1
            return None, None
        return 200, stored.to_object()

    def _create(self, body: bytes) -> tuple[int | None, Any]:
        self.create_calls += 1
        params = orjson.loads(body)
        if params.get("input_file_id") not in self.files:
            return 400, error_body(f"input_file_id {params.get('input_file_id')!r} does not exist")
        if params.get("endpoint") != ENDPOINT or params.get("completion_window") != "24h":
            return 400, error_body("endpoint must be /v1/chat/completions and completion_window 24h")
        batch = StoredBatch(self._new_id("batch"), params["input_file_id"], params.get("metadata"),
                            int(time.time()), time.monotonic())
        self.batches[batch.id] = batch
        if self.drop_next_create:
            self.drop_next_create -= 1
            return None, None
        return 200, batch.to_object()


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--complete-s", type=float, default=1.0)
    args = parser.parse_args()
    server = BatchApiServer(port=args.port, complete_s=args.complete_s)
    print(f"batch API on {server.base_url}", flush=True)
    server.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
