"""A loopback stand-in for the Hugging Face Hub: just the API that ``create_repo`` and ``upload_folder`` use.

``huggingface_hub`` talks to it when ``HF_ENDPOINT`` is its base URL (and ``HF_HUB_DISABLE_XET=1``, so uploads go
through the classic commit API). Every file is answered as a "regular" (non-LFS) upload, so contents arrive base64
in the commit's NDJSON body, and the server records what each repository received and which token came with each
request. Routes: ``POST /api/repos/create``, ``POST /api/validate-yaml``,
``POST /api/{type}s/{ns}/{name}/preupload/{revision}``, ``POST /api/{type}s/{ns}/{name}/commit/{revision}`` and
``GET /api/{type}s/{ns}/{name}[/revision/{revision}]`` (repo info: asked when a commit would change nothing);
anything else is a 404 that is recorded too.

    with HubServer(token="hf_test") as hub:
        env = {"HF_ENDPOINT": hub.base_url, "HF_TOKEN": "hf_test", "HF_HUB_DISABLE_XET": "1"}
        ...
        hub.repos["USER/NAME"].files["README.md"]
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from chukmath_testing.background import BackgroundServer

_REPO_ROUTE = re.compile(
    r"^/api/(?P<type>models|datasets|spaces)/(?P<repo>[^/]+/[^/]+)/(?P<op>preupload|commit)/(?P<rev>[^/?]+)"
)
_INFO_ROUTE = re.compile(r"^/api/(?P<type>models|datasets|spaces)/(?P<repo>[^/]+/[^/]+)(?:/revision/[^/?]+)?$")
MAX_BODY = 64 * 1024 * 1024


@dataclass
class HubRepo:
    """One repository as the server saw it: how it was created and the files its commits wrote."""

    repo_id: str
    repo_type: str
    visibility: str | None
    files: dict[str, bytes] = field(default_factory=dict)
    commits: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class HubRequest:
    """One request: method, path and the Authorization header it carried."""

    method: str
    path: str
    authorization: str | None


class HubServer(BackgroundServer):
    """The server on 127.0.0.1 in a background thread; ``token`` (when set) is required as a bearer token."""

    thread_name = "hub-server"

    def __init__(self, *, token: str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = token
        self.repos: dict[str, HubRepo] = {}
        self.requests: list[HubRequest] = []
        self._lock = threading.Lock()
        self.listen(self._handler(), host, port)

    @property
    def base_url(self) -> str:
        return self.origin



    # -- the API ---------------------------------------------------------------------------------------------------

    def _create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        name, org = body.get("name"), body.get("organization")
        repo_type = body.get("type") or "model"
        repo_id = f"{org}/{name}" if org else str(name)
        with self._lock:
            if repo_id in self.repos:
                return 409, {"error": "You already created this dataset repo", "url": self._url(repo_type, repo_id)}
            self.repos[repo_id] = HubRepo(repo_id, repo_type, body.get("visibility"))
        return 200, {"url": self._url(repo_type, repo_id), "name": repo_id}

    def _url(self, repo_type: str, repo_id: str) -> str:
        return f"{self.base_url}/{'' if repo_type == 'model' else repo_type + 's/'}{repo_id}"

    def _info(self, repo: HubRepo) -> dict[str, Any]:
        with self._lock:
            sha = repo.commits[-1]["oid"] if repo.commits else "0" * 40
            return {"id": repo.repo_id, "sha": sha, "private": repo.visibility == "private",
                    "siblings": [{"rfilename": name} for name in sorted(repo.files)]}

    def _preupload(self, repo: HubRepo, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        files = [
            {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False,
             "oid": _git_oid(repo.files[f["path"]]) if f["path"] in repo.files else None}
            for f in body.get("files", [])
        ]
        return 200, {"files": files, "commitOid": "0" * 40}

    def _commit(self, repo: HubRepo, raw: bytes, revision: str) -> tuple[int, dict[str, Any]]:
        header: dict[str, Any] = {}
        written: list[str] = []
        for line in raw.splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            key, value = item.get("key"), item.get("value") or {}
            if key == "header":
                header = value
            elif key == "file":
                if value.get("encoding") != "base64":
                    return 400, {"error": f"file {value.get('path')}: only base64 content is supported here"}
                with self._lock:
                    repo.files[value["path"]] = base64.b64decode(value["content"])
                written.append(value["path"])
            elif key == "deletedFile":
                with self._lock:
                    repo.files.pop(value["path"], None)
            else:
                return 400, {"error": f"this test Hub does not implement commit operation {key!r} (LFS?)"}
        oid = hashlib.sha1(raw).hexdigest()
        with self._lock:
            repo.commits.append({"revision": revision, "summary": header.get("summary"), "files": written, "oid": oid})
        return 200, {"commitUrl": f"{self._url(repo.repo_type, repo.repo_id)}/commit/{oid}", "commitOid": oid,
                     "success": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the test reads `requests`

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Request-Id", "loopback")
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    raise ValueError("body too large")
                return self.rfile.read(length)

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def _route(self, method: str) -> None:
                auth = self.headers.get("Authorization")
                with server._lock:
                    server.requests.append(HubRequest(method, self.path, auth))
                raw = self._body() if method == "POST" else b""
                if server.token is not None and auth != f"Bearer {server.token}":
                    self._reply(401, {"error": "Invalid credentials in Authorization header"})
                    return
                path = self.path.split("?", 1)[0]
                if method == "POST" and path == "/api/repos/create":
                    self._reply(*server._create(json.loads(raw or b"{}")))
                    return
                if method == "POST" and path == "/api/validate-yaml":
                    self._reply(200, {"errors": [], "warnings": []})
                    return
                info = _INFO_ROUTE.match(path)
                if method == "GET" and info:
                    repo = server.repos.get(info["repo"])
                    if repo is None or f"{repo.repo_type}s" != info["type"]:
                        self._reply(404, {"error": f"Repository not found: {info['repo']}"})
                    else:
                        self._reply(200, server._info(repo))
                    return
                match = _REPO_ROUTE.match(path)
                if method == "POST" and match:
                    repo = server.repos.get(match["repo"])
                    if repo is None or f"{repo.repo_type}s" != match["type"]:
                        self._reply(404, {"error": f"Repository not found: {match['repo']}"})
                    elif match["op"] == "preupload":
                        self._reply(*server._preupload(repo, json.loads(raw or b"{}")))
                    else:
                        self._reply(*server._commit(repo, raw, match["rev"]))
                    return
                self._reply(404, {"error": f"not implemented by the test Hub: {method} {path}"})

        return Handler


def _git_oid(data: bytes) -> str:
    # The git blob id, as the Hub reports a regular file's oid (huggingface_hub skips unchanged files by it).
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
