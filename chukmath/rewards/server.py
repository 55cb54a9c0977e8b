"""A reward server for trainers that score rollouts over HTTP: the reward functions behind two JSON endpoints.

- ``POST /rewards`` (chukmath's own): ``{"completions": [...], "answers": [...]}`` (or ``"problem_ids"``, looked
  up in the problems the server was started with; optional ``"questions"`` beside answers), optional
  ``"rewards": {"accuracy": 1.0, "format": 0.2}``
  -> ``{"rewards": [...], "components": {"accuracy": [...], ...}}``; null where nothing applied.
- ``POST /get_reward`` (OpenRLHF's remote reward model, ``--remote_rm_url http://HOST:PORT/get_reward``):
  ``{"query": [...], "prompts": [...], "labels": [...]}`` -> ``{"rewards": [...], "scores": [...],
  "extra_logs": {...}}``. A query is prompt + response as decoded by the trainer; the prompt is cut off its
  front and trailing special tokens (``<|im_end|>``, ``</s>``, ...) off its end. Labels are answers, or problem
  ids when the server runs with ``labels="problem_id"``. Not-applicable rewards are 0.0 here: OpenRLHF makes a
  tensor of them.
- ``GET /health`` -> ``{"status": "ok", "problems": N, "rewards": {...}}``.

Errors are JSON ``{"error": "..."}`` with 400 (bad request), 404, 405, 411 (no Content-Length) or 413 (body,
batch or a completion over its cap). Requests run on their own threads (``ThreadingHTTPServer``) and scoring
takes no lock; the reward functions are pure. See docs/rewards.md.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson

from chukmath.errors import ConfigError, RequestError
from chukmath.jsonl import read_jsonl
from chukmath.rewards import REWARDS
from chukmath.rewards.combine import weighted_sum
from chukmath.rewards.language import language_reward_for
from chukmath.rewards.reading import MAX_COMPLETION_CHARS

MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_BATCH = 1024
MAX_CONNECTIONS = 64  # connections served at once (a thread each); more wait in the listen backlog
REQUEST_TIMEOUT_S = 60.0  # a client that stops sending mid-request is dropped after this long
LABEL_KINDS = ("answer", "problem_id")
PROMPT_SLACK = 64  # characters a decoded query may carry before its prompt (special tokens)
_TRAILING_SPECIAL = re.compile(r"(?:\s*(?:<\|[^|<>\s]{1,40}\|>|</s>|<eos>|<eot>|<｜[^｜<>]{1,40}｜>))+\s*$")


def load_problems(path: str | Path) -> dict[str, tuple[str, str]]:
    """Problem id -> (exact answer, question), from a JSONL of chukmath problems (``chukmath generate`` output)."""
    known: dict[str, tuple[str, str]] = {}
    for number, obj in read_jsonl(path):
        pid, answer, question = obj.get("id", obj.get("problem_id")), obj.get("answer"), obj.get("question", "")
        if not isinstance(pid, str) or not isinstance(answer, str):
            raise ConfigError(f"{path}:{number}: a problem needs a string 'id' and 'answer'")
        known[pid] = (answer, question if isinstance(question, str) else "")
    return known


@dataclass(slots=True)
class RewardService:
    """What the server computes, without HTTP: usable and testable on its own."""

    weights: dict[str, float] = field(default_factory=lambda: {"accuracy": 1.0})
    problems: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (answer, question)
    labels: str = "answer"
    language: str = "en"
    max_batch: int = MAX_BATCH

    def __post_init__(self) -> None:
        if self.labels not in LABEL_KINDS:
            raise ConfigError(f"labels {self.labels!r}: use one of {', '.join(LABEL_KINDS)}")
        if self.labels == "problem_id" and not self.problems:
            raise ConfigError("labels=problem_id needs problems to look the ids up in (--problems FILE)")
        if self.max_batch < 1:
            raise ConfigError(f"max batch {self.max_batch}: must be at least 1")
        language_reward_for(self.language)  # a bad code fails at start, not on the first request
        self.weights = self._checked_weights(self.weights)

    def _function(self, name: str) -> Callable[..., list[float | None]]:
        return language_reward_for(self.language) if name == "language" else REWARDS[name]

    @staticmethod
    def _checked_weights(weights: Any) -> dict[str, float]:
        if not isinstance(weights, dict) or not weights:
            raise ConfigError(f"rewards must be a non-empty object of name: weight; names: {', '.join(REWARDS)}")
        for name, weight in weights.items():
            if name not in REWARDS:
                raise ConfigError(f"unknown reward {name!r}; use any of {', '.join(REWARDS)}")
            if not isinstance(weight, int | float) or isinstance(weight, bool):
                raise ConfigError(f"reward {name!r}: weight must be a number, got {weight!r}")
        return {name: float(w) for name, w in weights.items()}

    def score(
        self,
        completions: list[Any],
        answers: list[str | None],
        questions: list[str | None] | None = None,
        weights: dict[str, float] | None = None,
    ) -> tuple[list[float | None], dict[str, list[float | None]]]:
        """(weighted totals, each function's rewards) for one batch; questions let a requested rounding count."""
        weights = self.weights if weights is None else weights
        columns = {"answer": answers, "question": questions}
        components = {name: self._function(name)(completions=completions, **columns) for name in weights}
        totals = weighted_sum([(components[name], w) for name, w in weights.items()], len(completions))
        return totals, components

    def lookup(self, ids: list[Any]) -> tuple[list[str | None], list[str | None]]:
        """(exact answers, questions) of problem ids; an unknown id is a 400 naming it."""
        answers: list[str | None] = []
        questions: list[str | None] = []
        for i, pid in enumerate(ids):
            known = self.problems.get(pid) if isinstance(pid, str) else None
            if known is None and pid is not None:
                raise RequestError(
                    HTTPStatus.BAD_REQUEST,
                    f"item {i}: unknown problem id {pid!r}; start the server with --problems FILE holding it",
                )
            answers.append(known[0] if known else None)
            questions.append(known[1] if known else None)
        return answers, questions

    def handle_rewards(self, body: Any) -> dict[str, Any]:
        """``POST /rewards``: chukmath's own batch shape."""
        if not isinstance(body, dict):
            raise RequestError(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
        completions = self._batch(body, "completions")
        n = len(completions)
        if "answers" in body and "problem_ids" in body:
            raise RequestError(HTTPStatus.BAD_REQUEST, "give 'answers' or 'problem_ids', not both")
        if "problem_ids" in body:
            answers, questions = self.lookup(self._list(body, "problem_ids", n))
        else:
            answers = self._texts(body, "answers", n)
            questions = self._texts(body, "questions", n) if body.get("questions") is not None else None
        weights = None
        if body.get("rewards") is not None:
            try:
                weights = self._checked_weights(body["rewards"])
            except ConfigError as exc:
                raise RequestError(HTTPStatus.BAD_REQUEST, str(exc)) from None
        totals, components = self.score(completions, answers, questions, weights)
        return {"rewards": totals, "components": components}

    def handle_openrlhf(self, body: Any) -> dict[str, Any]:
        """``POST /get_reward``: OpenRLHF's remote reward model shape (queries are prompt + response)."""
        if not isinstance(body, dict):
            raise RequestError(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
        queries = self._batch(body, "query")
        n = len(queries)
        prompts = self._list(body, "prompts", n) if body.get("prompts") is not None else [None] * n
        raw = self._list(body, "labels", n) if body.get("labels") is not None else [None] * n
        labels = [_label(v, i, "labels") for i, v in enumerate(raw)]
        answers, questions = self.lookup(labels) if self.labels == "problem_id" else (labels, None)
        responses = []
        for i, (query, prompt) in enumerate(zip(queries, prompts, strict=True)):
            if not isinstance(query, str):
                raise RequestError(HTTPStatus.BAD_REQUEST, f"query {i}: expected a string")
            responses.append(response_of(query, prompt if isinstance(prompt, str) else None))
        totals, components = self.score(responses, answers, questions)
        rewards = [0.0 if r is None else r for r in totals]
        logs = {name: [0.0 if r is None else r for r in values] for name, values in components.items()}
        return {"rewards": rewards, "scores": rewards, "extra_logs": logs}

    def _batch(self, body: dict[str, Any], key: str) -> list[Any]:
        values = body.get(key)
        if not isinstance(values, list):
            raise RequestError(HTTPStatus.BAD_REQUEST, f"'{key}' must be a list")
        if len(values) > self.max_batch:
            raise RequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"'{key}' has {len(values)} items; the server takes at most {self.max_batch} a request",
            )
        for i, value in enumerate(values):
            if _text_length(value) > MAX_COMPLETION_CHARS:
                raise RequestError(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    f"'{key}' item {i} is longer than {MAX_COMPLETION_CHARS} characters",
                )
        return values

    def _texts(self, body: dict[str, Any], key: str, n: int) -> list[str | None]:
        """An optional list of strings (numbers read as text) one per item; all None when ``key`` is absent."""
        if key not in body:
            return [None] * n
        return [_label(value, i, key) for i, value in enumerate(self._list(body, key, n))]

    @staticmethod
    def _list(body: dict[str, Any], key: str, n: int) -> list[Any]:
        values = body.get(key)
        if not isinstance(values, list) or len(values) != n:
            got = f"{len(values)} items" if isinstance(values, list) else type(values).__name__
            raise RequestError(HTTPStatus.BAD_REQUEST, f"'{key}' must be a list of {n} items (one each), got {got}")
        return values


def _label(value: Any, i: int, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise RequestError(HTTPStatus.BAD_REQUEST, f"'{key}' item {i}: expected a string, a number or null")


def _text_length(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):  # chat messages
        return sum(len(m.get("content") or "") if isinstance(m, dict) and isinstance(m.get("content"), str) else 0
                   for m in value)  # fmt: skip
    return 0


def response_of(query: str, prompt: str | None) -> str:
    """The response part of an OpenRLHF query: the prompt cut off its front (after at most ``PROMPT_SLACK``
    characters of special tokens), trailing special tokens off its end."""
    if prompt:
        # decoding the prompt's tokens may add a BOS token the prompt string lacks ("<s>", "<|begin_of_text|>")
        at = query.find(prompt, 0, len(prompt) + PROMPT_SLACK)
        if 0 <= at <= PROMPT_SLACK:
            query = query[at + len(prompt) :]
    m = _TRAILING_SPECIAL.search(query)
    return query[: m.start()] if m else query


class _Handler(BaseHTTPRequestHandler):
    server: RewardHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT_S
    server_version = "chukmath-rewards"

    def do_GET(self) -> None:
        if self.path.split("?")[0] in ("/health", "/"):
            svc = self.server.service
            self._send(HTTPStatus.OK, {"status": "ok", "problems": len(svc.problems), "rewards": svc.weights})
        else:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no such path {self.path!r}; POST /rewards or /get_reward"})

    def do_POST(self) -> None:
        routes = {"/rewards": self.server.service.handle_rewards, "/get_reward": self.server.service.handle_openrlhf}
        route = routes.get(self.path.split("?")[0])
        try:
            body = self._body()
            if route is None:
                raise RequestError(HTTPStatus.NOT_FOUND, f"no such path {self.path!r}; POST /rewards or /get_reward")
            self._send(HTTPStatus.OK, route(body))
        except RequestError as exc:
            self._send(exc.status, {"error": exc.message})
        except (TimeoutError, ConnectionError):
            self.close_connection = True  # the client stalled or left mid-request: nobody to answer
        except Exception as exc:  # a bug must answer 500 in JSON, not drop the trainer's connection
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"internal error: {type(exc).__name__}: {exc}"})

    def do_PUT(self) -> None:
        self.close_connection = True
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "use POST /rewards or POST /get_reward"})

    do_DELETE = do_PATCH = do_PUT

    def _body(self) -> Any:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length; chunked bodies are not accepted")
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "a Content-Length header is required")
        size = int(length)
        if size > self.server.max_body_bytes:
            self.close_connection = True  # the body is left unread, so the connection cannot be reused
            raise RequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"body of {size} bytes is over the server's cap of {self.server.max_body_bytes}",
            )
        raw = self.rfile.read(size)
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise RequestError(HTTPStatus.BAD_REQUEST, f"body is not valid JSON ({exc.msg})") from None

    def _send(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        data = orjson.dumps(payload)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class RewardHTTPServer(ThreadingHTTPServer):
    """The HTTP server: one thread per connection, at most ``max_connections`` at once, no lock around scoring.

    A connection past the limit waits in the listen backlog until one closes (backpressure, not an error), so
    a flood of idle connections cannot start unbounded threads.
    """

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], service: RewardService, *, max_body_bytes: int = MAX_BODY_BYTES,
        verbose: bool = False, max_connections: int = MAX_CONNECTIONS,
    ) -> None:  # fmt: skip
        super().__init__(address, _Handler)
        self.service = service
        self.max_body_bytes = max_body_bytes
        self.verbose = verbose
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()  # blocks the accept loop while every slot is taken
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def serve(
    service: RewardService, host: str = "127.0.0.1", port: int = 8000, *, max_body_bytes: int = MAX_BODY_BYTES,
    verbose: bool = False, ready: Callable[[str], None] | None = None, max_connections: int = MAX_CONNECTIONS,
) -> None:  # fmt: skip
    """Serve until interrupted; ``ready`` gets the base URL once the socket listens (port 0 picks a free one)."""
    with RewardHTTPServer(
        (host, port), service, max_body_bytes=max_body_bytes, verbose=verbose, max_connections=max_connections
    ) as server:
        (ready or (lambda url: print(f"serving rewards on {url}", file=sys.stderr, flush=True)))(server.url)
        server.serve_forever()


def start_in_thread(service: RewardService, host: str = "127.0.0.1", port: int = 0) -> RewardHTTPServer:
    """A running server on a background thread (for notebooks and in-process use); ``shutdown()`` stops it."""
    server = RewardHTTPServer((host, port), service)
    threading.Thread(target=server.serve_forever, name="chukmath-rewards", daemon=True).start()
    return server
