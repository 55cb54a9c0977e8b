"""`chukmath teach` behind a proxy: HTTP_PROXY / HTTPS_PROXY / NO_PROXY are honoured, and SSL_CERT_FILE with them.

A real forward proxy (chukmath_testing.proxy_server) sits on loopback in front of the fault server; it records
every request it relayed, so each test can tell whether the run went through it or straight to the endpoint.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from test_teach_support import read_journal, save_requests, teach_argv, user_request

from chukmath.teach.proxy import bypasses_proxy
from chukmath_testing.fault_server import FaultServer
from chukmath_testing.proxy_server import ProxyServer

NO_PROXY_ENV: dict[str, str] = {}


def teach_cli(tmp: Path, url: str, *extra: str, out: str = "journal.jsonl",
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`chukmath teach --teacher openai` with this machine's proxy variables (and OpenAI key) removed, plus ``env``.

    Removed, not emptied: an empty lower-case variable would cancel an upper-case one, as in curl and urllib.
    """
    full = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and not k.startswith("OPENAI_")}
    full.update(env or {})
    return subprocess.run(teach_argv(tmp, url, *extra, out=out), capture_output=True, text=True, env=full,
                          timeout=120)  # fmt: skip


def _requests(tmp: Path, n: int = 3) -> set[str]:
    reqs = save_requests(tmp / "req.jsonl", (user_request(f"Q{i}\nAnswer: {i}", f"p{i}") for i in range(n)))
    return {r.id for r in reqs}


def _answered(tmp: Path, out: str = "journal.jsonl") -> set[str]:
    return {d["request_id"] for d in read_journal(tmp / out) if d["error"] is None}


def test_http_proxy_carries_the_run_and_no_proxy_sends_it_direct(tmp_path):
    ids = _requests(tmp_path)
    with FaultServer() as srv, ProxyServer() as proxy:
        env = {**NO_PROXY_ENV, "HTTP_PROXY": proxy.url}
        run = teach_cli(tmp_path, srv.base_url, env=env)
        assert run.returncode == 0, run.stderr
        assert _answered(tmp_path) == ids
        # The proxy relayed each request as an absolute-URI POST to the endpoint.
        assert proxy.seen == [("POST", f"{srv.base_url}/chat/completions")] * 3
        assert srv.count == 3

        # NO_PROXY naming the endpoint's host: straight to it, the proxy sees nothing more.
        run = teach_cli(tmp_path, srv.base_url, out="direct.jsonl", env={**env, "NO_PROXY": "localhost,127.0.0.1"})
        assert run.returncode == 0, run.stderr
        assert _answered(tmp_path, "direct.jsonl") == ids
        assert len(proxy.seen) == 3 and srv.count == 6


def test_a_proxy_that_is_down_is_a_clear_error_naming_it_without_its_password(tmp_path):
    _requests(tmp_path, 1)
    with FaultServer() as srv, ProxyServer() as proxy:
        dead = proxy.url
    # The proxy has stopped: nothing listens at its address any more.
    url = dead.replace("http://", "http://corp-user:hunter2secret@")
    run = teach_cli(tmp_path, srv.base_url, "--max-retries", "0", env={**NO_PROXY_ENV, "HTTP_PROXY": url})
    assert run.returncode == 2
    assert "through proxy" in run.stderr and "hunter2secret" not in run.stderr
    assert srv.count == 0


def test_https_through_a_connect_tunnel_trusting_a_private_ca_from_ssl_cert_file(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    ids = _requests(tmp_path)
    with FaultServer(tls=(str(cert), str(key))) as srv, ProxyServer() as proxy:
        env = {**NO_PROXY_ENV, "HTTPS_PROXY": proxy.url}
        untrusted = teach_cli(tmp_path, srv.base_url, env=env)
        assert untrusted.returncode == 2 and "SSL_CERT_FILE" in untrusted.stderr
        assert srv.count == 0
        assert not (tmp_path / "journal.jsonl").exists() or _answered(tmp_path) == set()
        run = teach_cli(tmp_path, srv.base_url, env={**env, "SSL_CERT_FILE": str(cert)})
        assert run.returncode == 0, run.stderr
        assert _answered(tmp_path) == ids
        # Only tunnels: the proxy never saw a request line, the endpoint's TLS ran end to end through it.
        host = srv.base_url.split("//")[1].split("/")[0]
        assert proxy.seen and set(proxy.seen) == {("CONNECT", host)}
        assert srv.count == 3


def test_a_proxy_asking_for_credentials_gets_them_from_the_proxy_url(tmp_path):
    ids = _requests(tmp_path, 2)
    import base64

    token = "Basic " + base64.b64encode(b"corp-user:s3cret-pass").decode()
    with FaultServer() as srv, ProxyServer(require_auth=token) as proxy:
        url = proxy.url.replace("http://", "http://corp-user:s3cret-pass@")
        run = teach_cli(tmp_path, srv.base_url, env={**NO_PROXY_ENV, "http_proxy": url})
        assert run.returncode == 0, run.stderr
        assert _answered(tmp_path) == ids and len(proxy.seen) == 2


def test_no_proxy_matching_follows_curl():
    assert bypasses_proxy("api.example.com", 443, "example.com")
    assert bypasses_proxy("api.example.com", 443, ".example.com")
    assert bypasses_proxy("example.com", 443, "*.example.com")
    assert not bypasses_proxy("badexample.com", 443, "example.com")
    assert bypasses_proxy("10.1.2.3", 80, "10.0.0.0/8")
    assert not bypasses_proxy("11.1.2.3", 80, "10.0.0.0/8")
    assert bypasses_proxy("::1", 80, "::1") and bypasses_proxy("[::1]", 8080, "[::1]:8080")
    assert bypasses_proxy("127.0.0.1", 8000, "localhost, 127.0.0.1:8000")
    assert not bypasses_proxy("127.0.0.1", 9000, "127.0.0.1:8000")
    assert not bypasses_proxy("127.0.0.1", 80, "")  # loopback too goes through the proxy unless listed
    assert bypasses_proxy("anything.org", 1, "*")
