"""The OpenAI client used by the Batch API teacher, and how its errors are reported."""

from __future__ import annotations

import os
from collections.abc import Callable

import openai

from chukmath.errors import TeacherError

ClientFactory = Callable[[str | None, str], openai.OpenAI]


def make_client(base_url: str | None, api_key_env: str) -> openai.OpenAI:
    """An OpenAI client for ``base_url`` with the key read from env ``api_key_env`` (never stored)."""
    key = os.environ.get(api_key_env)
    if not key:
        raise TeacherError(
            f"environment variable {api_key_env} is not set; export your API key in it "
            f"or name another variable with --api-key-env"
        )
    return openai.OpenAI(base_url=base_url, api_key=key, timeout=120.0, max_retries=3)

def api_error(action: str, exc: Exception) -> TeacherError:
    status = getattr(exc, "status_code", None)
    detail = f"HTTP {status}: " if status else ""
    return TeacherError(f"{action} failed: {detail}{type(exc).__name__}: {str(exc)[:500]}")
