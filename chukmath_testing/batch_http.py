"""The HTTP side of the loopback Batch API: a stdlib threading server handler and multipart upload parsing."""

from __future__ import annotations

import email.parser
import email.policy
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import orjson

from chukmath_testing.batch_records import error_body

MAX_UPLOAD_BYTES = 256 * 1024 * 1024


class Router(Protocol):
    """What the handler serves: the key it requires, the Authorization values seen, and the routing."""

    api_key: str | None
    seen_authorization: set[str]

    def handle(
        self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes
    ) -> tuple[int | None, Any]: ...


def parse_upload(content_type: str, body: bytes) -> tuple[str | None, str | None, bytes | None]:
    """``(purpose, filename, data)`` of a multipart/form-data files upload."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    purpose, filename, data = None, None, None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name == "purpose":
            purpose = part.get_payload(decode=True).decode()
        elif name == "file":
            filename = part.get_filename() or "upload.jsonl"
            data = part.get_payload(decode=True)
    return purpose, filename, data


def handler_for(server: Router) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to ``server``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep test output quiet

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_UPLOAD_BYTES:
                self._reply(413, error_body("request too large"))
                return
            body = self.rfile.read(length) if length else b""
            auth = self.headers.get("Authorization", "")
            server.seen_authorization.add(auth)
            if server.api_key is not None and auth != f"Bearer {server.api_key}":
                # Echoes the refused key, as careless proxies do: the client must keep it out of its messages.
                self._reply(401, error_body(f"invalid api key {auth.partition(' ')[2]!r}"))
                return
            url = urlsplit(self.path)
            status, payload = server.handle(method, url.path, parse_qs(url.query), self.headers, body)
            if status is None:
                # Acted, then vanished: what a crash or a timed-out reply looks like to the client.
                self.close_connection = True
                self.connection.close()
                return
            self._reply(status, payload)

        def _reply(self, status: int, payload: Any) -> None:
            raw = payload if isinstance(payload, bytes) else orjson.dumps(payload)
            self.send_response(status)
            ctype = "application/octet-stream" if isinstance(payload, bytes) else "application/json"
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler
