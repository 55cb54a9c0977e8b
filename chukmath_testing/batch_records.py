"""The records of the loopback Batch API: stored files and batches, the answers, and list pages.

Shapes follow the OpenAI API objects (``file``, ``batch`` with ``request_counts`` and ``usage``, a
``chat.completion`` per answered line) so the ``openai`` SDK reads them unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from chukmath.hashing import text_hash

ENDPOINT = "/v1/chat/completions"
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
AnswerFn = Callable[[str, dict[str, Any]], str]


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int

    def to_object(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class StoredBatch:
    id: str
    input_file_id: str
    metadata: dict[str, str] | None
    created_at: int
    created_mono: float
    status: str = "validating"
    total: int = 0
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    stamps: dict[str, int] = field(default_factory=dict)
    usage: dict[str, Any] | None = None

    def to_object(self) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "id": self.id,
            "object": "batch",
            "endpoint": ENDPOINT,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "created_at": self.created_at,
            "expires_at": self.created_at + 86400,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "request_counts": {"total": self.total, "completed": self.completed, "failed": self.failed},
            "metadata": self.metadata,
            "usage": self.usage,
        }
        obj.update(self.stamps)
        return obj


def default_answer(custom_id: str, body: dict[str, Any]) -> str:
    """The deterministic reply text for one request: a small well-formed trace."""
    digest = int(text_hash(custom_id + orjson.dumps(body.get("messages")).decode())[:6], 16) % 1000
    return (
        f"<think>batch reasoning for {custom_id} step by step</think>\n"
        f"<answer>{digest}</answer>\n<verifier_answer>{digest}</verifier_answer>"
    )


def completion(custom_id: str, body: dict[str, Any], answer: AnswerFn) -> dict[str, Any]:
    """The chat completion for one input line; cut to ``max_tokens`` words with ``finish_reason: length``."""
    words = answer(custom_id, body).split(" ")
    max_tokens = body.get("max_tokens") or body.get("max_completion_tokens")
    finish = "stop"
    if isinstance(max_tokens, int) and len(words) > max_tokens:
        words, finish = words[:max_tokens], "length"
    prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body["messages"])
    return {
        "id": "chatcmpl-" + text_hash(custom_id)[:12],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": str(body["model"]),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": " ".join(words)},
                     "finish_reason": finish}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(words),
                  "total_tokens": prompt_tokens + len(words)},
    }


def batch_usage(completions: list[dict[str, Any]]) -> dict[str, Any]:
    """The batch's ``usage`` object: token totals over its answered lines (as the API reports them)."""
    tokens_in = sum(c["usage"]["prompt_tokens"] for c in completions)
    tokens_out = sum(c["usage"]["completion_tokens"] for c in completions)
    return {"input_tokens": tokens_in, "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": tokens_out, "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": tokens_in + tokens_out}



def error_body(message: str) -> dict[str, Any]:
    """An OpenAI-style error object."""
    return {"error": {"message": message, "type": "invalid_request_error"}}


def page(items: list[dict[str, Any]], query: dict[str, list[str]], *, newest_first: bool) -> dict[str, Any]:
    """One page of a list endpoint (``after``, ``limit``), as the SDK's paginator expects."""
    # Ids are zero-padded counters, so sorting by id is sorting by creation.
    items = sorted(items, key=lambda o: o["id"], reverse=newest_first)
    if query.get("after"):
        ids = [o["id"] for o in items]
        after = query["after"][0]
        items = items[ids.index(after) + 1 :] if after in ids else []
    limit = int(query.get("limit", ["20"])[0])
    page = items[:limit]
    return {"object": "list", "data": page, "has_more": len(items) > limit,
            "first_id": page[0]["id"] if page else None, "last_id": page[-1]["id"] if page else None}
