"""What the fault server answers: fault markers in prompts, the request log entry, and the completion body.

Markers: ``[fault:429]`` faults the first attempt of that request, ``[fault:500x2]`` the first two,
``[fault:hang*]`` every attempt, and ``[fault:429][fault:drop]`` the first attempt with 429 and the
second with a dropped connection. Attempts are counted per (messages, seed).

``[fault:stale]`` is not an attempt fault: the first time the request arrives on a reused keep-alive
connection, the server closes that connection without reading the request, as a server that timed
the idle connection out just before the request arrived would. It is neither logged nor counted.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any

import orjson

STALE = "stale"
FAULT_KINDS = frozenset(
    "429 429ms 408 500 502 503 400 401 404 hang drop partial malformed nochoices length reasoning chunked close".split()
)
_MARKER = re.compile(r"\[fault:([a-z0-9_]+?)(?:x(\d+)|(\*))?\]")
_ANSWER = re.compile(r"^\s*Answer:\s*(.+?)\s*$", re.MULTILINE)


@dataclass(slots=True, frozen=True)
class LoggedRequest:
    """One request as the server saw it: ``key`` is the content hash of its messages (the chukmath request id)."""

    n: int
    key: str
    seed: int | None
    attempt: int
    fault: str | None
    at: float
    authorization: bool
    # The body's sampling parameters (everything but the messages), to check what the client sent.
    params: dict[str, Any] = field(default_factory=dict)


def messages_key(messages: Any) -> str:
    """The chukmath request id of these messages."""
    # Same recipe as chukmath.hashing.content_hash({"messages": ...}), so keys equal request ids.
    data = orjson.dumps({"messages": messages}, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _contents(messages: Any) -> list[str]:
    if not isinstance(messages, list):
        return []
    return [m["content"] for m in messages if isinstance(m, dict) and isinstance(m.get("content"), str)]


def planned_faults(messages: Any) -> tuple[list[str], bool, bool]:
    """The per-attempt fault sequence the markers ask for, whether its last entry repeats forever, and
    whether the request asks for one stale keep-alive close."""
    plan: list[str] = []
    forever = stale = False
    for content in _contents(messages):
        if "[fault:" not in content:
            continue
        for kind, times, star in _MARKER.findall(content):
            if kind == STALE:
                stale = True
            elif star:
                plan.append(kind)
                forever = True
            else:
                plan.extend([kind] * int(times or 1))
    return plan, forever, stale


def completion_body(payload: dict[str, Any], messages: Any, fault: str | None, *, default_answer: str,
                    number: int, echo_key: str | None = None) -> bytes:
    """A chat completion echoing the last ``Answer: X`` line of the prompt in the tag format.

    ``length`` cuts the content and reports ``finish_reason: length``; ``reasoning`` adds
    ``reasoning_content``. ``echo_key`` (the bearer token the request came with) is repeated at the start of
    the reasoning and in ``reasoning_content``, as a leaky proxy or a prompt-injected model might. Usage
    counts are ~4 characters a token.
    """
    text = "\n".join(_contents(messages))
    found = _ANSWER.findall(text)
    answer = found[-1] if found else default_answer
    leak = f"I was called with the key {echo_key}.\n" if echo_key else ""
    content = (f"<think>\n{leak}The answer is {answer}.\n</think>\n<answer>{answer}</answer>\n"
               f"<verifier_answer>{answer}</verifier_answer>")
    finish = "stop"
    if fault == "length":
        content = content[: len(content) // 2]
        finish = "length"
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if fault == "reasoning" or echo_key:
        message["reasoning_content"] = f"{leak}Let me think about {answer}."
    prompt_tokens = len(text) // 4 + 1
    completion_tokens = len(content) // 4 + 1
    return orjson.dumps(
        {
            "id": f"chatcmpl-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(payload.get("model") or "fault-server"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )
