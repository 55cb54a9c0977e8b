"""Keep API keys out of messages, files and logs: redaction of text, and base URLs without credentials.

The key travels only as the ``Authorization`` header, read from an environment variable. Two other
ways it could leak are closed here: a server that echoes the key in an error body (every message that
leaves the teach stage goes through :func:`redact`), and a base URL with ``user:password@`` in it (the
URL is printed in errors and saved in run state, so such a URL is refused, and shown only masked).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

from chukmath.errors import ConfigError

MAX_MESSAGE_CHARS = 500
# OpenAI (sk-, sk-proj-), Groq (gsk_), xAI, Anthropic (sk-ant-) and generic "key-" shapes.
_KEYLIKE = re.compile(r"\b(sk|gsk|xai|key)[-_][A-Za-z0-9_\-*.]{6,}")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s\"',;]+")


def redact(text: str, secret: str | None = None) -> str:
    """``text`` without the secret, bearer tokens or anything shaped like an API key, cut to a readable length."""
    if secret:
        text = text.replace(secret, "***")
    text = _KEYLIKE.sub(lambda m: f"{m.group(1)}-***", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} ***", text)
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + "..."


def check_api_key(key: str | None, where: str) -> None:
    """Raise ConfigError if ``key`` cannot go into an HTTP header as it is; the message never shows the key.

    A CR or LF would let the value write headers of its own (header injection), and a non-ASCII character
    cannot be encoded in a header at all (it used to end in a UnicodeEncodeError traceback mid-run). Both
    are refused before any request is sent, rather than cleaned up silently into some other key.
    """
    if not key or (key.isascii() and key.isprintable()):
        return
    for i, ch in enumerate(key, 1):
        if ch in "\r\n":
            what = "a line break (CR or LF)"
        elif not ch.isascii():
            what = "a non-ASCII character"
        elif not ch.isprintable():
            what = "a control character"
        else:
            continue
        raise ConfigError(
            f"{where}: the API key holds {what} at character {i} of {len(key)}, which an HTTP header cannot "
            "carry; nothing was sent. Set the variable to the key alone (a key read from a file often ends in "
            "a newline)"
        )


def scrub_secrets(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every occurrence of each secret replaced by ``***``; nothing else changed, nothing cut."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


def _masked(parts: SplitResult) -> str:
    host = parts.netloc.rpartition("@")[2]
    netloc = f"***@{host}" if "@" in parts.netloc else host
    query = "&".join(f"{p.partition('=')[0]}=***" for p in parts.query.split("&") if p) if parts.query else ""
    return parts._replace(netloc=netloc, query=query, fragment="").geturl()


def safe_url(url: str) -> str:
    """``url`` as it may be shown: credentials and query values masked."""
    try:
        return _masked(urlsplit(url))
    except ValueError:
        return "<unparseable URL>"


def check_base_url(url: str, where: str = "--base-url") -> str:
    """Return ``url`` if it carries no credentials and no query; else raise ConfigError that shows it masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ConfigError(f"{where}: not a URL ({safe_url(url)})") from None
    if "@" in parts.netloc:
        raise ConfigError(
            f"{where} {safe_url(url)}: the URL carries credentials (user:password@); they would be shown in "
            "messages and saved in run state. Remove them and put the key in OPENAI_API_KEY (or the variable "
            "named by --api-key-env); it is sent as a bearer header and never written anywhere"
        )
    if parts.query:
        # The chat client sends only scheme, host, port and path; a query (often ?api-key=...) would be
        # dropped without a word, and saved in run state.
        raise ConfigError(
            f"{where} {safe_url(url)}: a query string in the base URL is not supported; give the key through "
            "the environment variable (--api-key-env) and other parameters with --extra-body"
        )
    return url


def is_loopback(base_url: str) -> bool:
    """True for localhost / 127.0.0.0/8 / ::1 URLs, where an API key is optional."""
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
