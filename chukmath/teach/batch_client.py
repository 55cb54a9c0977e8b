"""The OpenAI client used by the Batch API teacher, and how its errors are reported."""

from __future__ import annotations

import os
from collections.abc import Callable

import openai

from chukmath.errors import TeacherError
from chukmath.teach.redact import check_api_key, is_loopback, redact
from chukmath.teach.specs import CLI_LABELS, BatchSpec, resolve_endpoint

ClientFactory = Callable[[str, str], openai.OpenAI]
# Sent to loopback servers that need no key: the SDK refuses to start without one.
NO_KEY = "no-key-needed"


def resolve_base_url(base_url: str | None) -> str:
    """``--base-url``, else env ``OPENAI_BASE_URL``, else OpenAI's: the batch spec's URL from the one resolver
    (:func:`chukmath.teach.specs.resolve_endpoint`); the key is read when the client is made."""
    spec = BatchSpec.model_construct()
    return resolve_endpoint(spec, [base_url] if base_url else [], labels=CLI_LABELS, need_key=False).url.rstrip("/")



def make_client(base_url: str, api_key_env: str) -> openai.OpenAI:
    """An OpenAI client for ``base_url`` with the key read from env ``api_key_env`` (never stored)."""
    key = os.environ.get(api_key_env)
    if not key:
        if not is_loopback(base_url):
            raise TeacherError(
                f"{base_url} needs an API key: environment variable {api_key_env} is not set; export your key "
                f"in it or name another variable with --api-key-env"
            )
        key = NO_KEY
    check_api_key(key, f"environment variable {api_key_env}")
    return openai.OpenAI(base_url=base_url, api_key=key, timeout=120.0, max_retries=3)


def _sent_key(exc: Exception) -> str | None:
    # The SDK's errors carry the request they failed on; its bearer token is the key to hide.
    request = getattr(exc, "request", None)
    headers = getattr(request, "headers", None)
    auth = headers.get("authorization") if headers is not None else None
    return auth.partition(" ")[2] or None if isinstance(auth, str) else None


def api_error(action: str, exc: Exception) -> TeacherError:
    """A TeacherError naming the action and the server's status; the message is redacted, because a server
    or proxy may echo the key it refused in its error body."""
    status = getattr(exc, "status_code", None)
    detail = f"HTTP {status}: " if status else ""
    return TeacherError(redact(f"{action} failed: {detail}{type(exc).__name__}: {exc}", _sent_key(exc)))
