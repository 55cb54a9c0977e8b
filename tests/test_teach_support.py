"""Shared pieces of the `chukmath teach` and `chukmath batch` tests: request files, the CLI, journal reading.

Imported by test_teach_openai*.py, test_batch.py and test_batch_kill.py; it holds no tests itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import orjson

from chukmath.hashing import content_hash
from chukmath.records import Request

# The installed console script next to this interpreter, as a user would run it.
CHUKMATH = str(Path(sys.executable).with_name("chukmath"))


def user_request(content: str, problem_id: str, template: str = "t", template_hash: str = "0" * 32) -> Request:
    """A request of one user message; its id is the content hash of the messages, as the renderer makes it."""
    messages = [{"role": "user", "content": content}]
    return Request(id=content_hash({"messages": messages}), problem_id=problem_id, template=template,
                   template_hash=template_hash, messages=messages)  # fmt: skip


def save_requests(path: Path, reqs: Iterable[Request]) -> list[Request]:
    """Write ``reqs`` as a requests JSONL file; returns them as a list."""
    reqs = list(reqs)
    path.write_bytes(b"".join(orjson.dumps(r.to_dict()) + b"\n" for r in reqs))
    return reqs


def read_journal(path: Path) -> list[dict]:
    """Every line of a teacher journal, in order."""
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def teach_argv(tmp: Path, url: str, *extra: str, model: str = "test-model", out: str = "journal.jsonl") -> list[str]:
    """`chukmath teach --teacher openai --json` from ``tmp``/req.jsonl to ``tmp``/``out`` against ``url``."""
    return [CHUKMATH, "teach", "--requests", str(tmp / "req.jsonl"), "--out", str(tmp / out), "--teacher", "openai",
            "--base-url", url, "--model", model, "--json", *extra]  # fmt: skip


def teach_cli(
    tmp: Path, url: str, *extra: str, out: str = "journal.jsonl", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run :func:`teach_argv` to the end, without any OpenAI key or base URL of this environment, plus ``env``."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    full_env.update(env or {})
    return subprocess.run(teach_argv(tmp, url, *extra, out=out), capture_output=True, text=True, env=full_env,
                          timeout=120)  # fmt: skip
