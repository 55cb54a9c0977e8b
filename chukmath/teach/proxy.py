"""Proxies for the teach stage: which proxy (if any) an endpoint is reached through, and a client for those.

The lean client (:mod:`chukmath.teach.http_client`) connects straight to the endpoint; behind a corporate proxy
nothing can be reached that way. :func:`proxy_for` reads ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` (either
case) and ``NO_PROXY`` the way curl, requests and Go do, and :func:`open_client` gives the lean client for a
direct endpoint (its speed is the point of it) and :class:`ProxiedHTTPClient` (httpx) for a proxied one. Both
have the same ``post`` / ``aclose`` / ``connected_once`` and raise the same errors, so the retry code above them
cannot tell them apart. A proxy's credentials (``http://user:pass@proxy:3128``) are used, never shown.

TLS: both clients trust the system store plus ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` (OpenSSL reads them), so a
private CA works with a proxy or without one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
import urllib.request
from urllib.parse import urlsplit

import httpx

from chukmath.errors import ConfigError
from chukmath.teach.http_client import (
    MAX_BODY_BYTES,
    HTTPConnectError,
    HTTPConnectionError,
    HTTPProtocolError,
    HTTPResponse,
    HTTPTimeout,
    HTTPTLSError,
    LeanHTTPClient,
)
from chukmath.teach.redact import safe_url

_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def _no_proxy_entries(value: str) -> list[str]:
    return [e.strip().lower() for e in value.replace(" ", ",").split(",") if e.strip()]


def bypasses_proxy(host: str, port: int, no_proxy: str) -> bool:
    """True when ``NO_PROXY`` (``no_proxy``) covers ``host:port``.

    Entries are host names matched with their subdomains (``example.com`` and ``.example.com`` both cover
    ``api.example.com``), IP addresses or CIDR blocks (``10.0.0.0/8``, ``::1``), each optionally with ``:port``;
    ``*`` covers everything. Loopback is covered only when listed (``localhost,127.0.0.1``), as with curl.
    """
    host = host.lower().strip("[]").rstrip(".")
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in _no_proxy_entries(no_proxy):
        if entry == "*":
            return True
        name, want_port = entry, None
        if entry.startswith("["):  # [::1]:8080
            name, _, rest = entry[1:].partition("]")
            want_port = rest[1:] if rest.startswith(":") else None
        elif entry.count(":") == 1:  # host:port (a bare IPv6 address has more colons)
            name, want_port = entry.split(":")
        if want_port is not None and want_port != str(port):
            continue
        name = name.removeprefix("*").removeprefix(".").rstrip(".")
        if not name:
            continue
        if address is not None:
            try:
                if address in ipaddress.ip_network(name, strict=False):
                    return True
            except ValueError:
                pass
            continue
        if host == name or host.endswith("." + name):
            return True
    return False


def proxy_for(url: str) -> str | None:
    """The proxy URL that ``url`` is reached through per the environment, or None for a direct connection."""
    proxies = urllib.request.getproxies_environment()
    parts = urlsplit(url)
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if bypasses_proxy(parts.hostname or "", port, proxies.get("no", "")):
        return None
    if "://" not in proxy:
        proxy = "http://" + proxy  # HTTP_PROXY=proxy.corp:3128, as curl reads it
    scheme = urlsplit(proxy).scheme
    if scheme not in _PROXY_SCHEMES or not urlsplit(proxy).hostname:
        raise ConfigError(
            f"proxy {safe_url(proxy)} (from the {parts.scheme.upper()}_PROXY / ALL_PROXY environment): expected "
            "http://host:port (or https://, socks5://); fix the variable or add the endpoint's host to NO_PROXY"
        )
    return proxy


def tls_context() -> ssl.SSLContext:
    """The system's trust store plus ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` (OpenSSL's own variables)."""
    return ssl.create_default_context()


def _cert_problem(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, ssl.SSLCertVerificationError):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


class ProxiedHTTPClient:
    """The lean client's interface over httpx, for an endpoint reached through a proxy (CONNECT for https,
    absolute-URI requests for http), or over a given httpx transport (``httpx.MockTransport`` in tests: the
    teacher's whole retry and journal logic runs in-process, with no server)."""

    def __init__(self, base_url: str, *, proxy: str | None, headers: dict[str, str] | None = None,
                 timeout: float = 60.0, connect_timeout: float = 10.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"base URL {safe_url(base_url)!r}: expected http://host[:port][/prefix] or https://...")
        if timeout <= 0:
            raise ConfigError(f"timeout {timeout}: must be > 0 seconds")
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.url = base_url.rstrip("/")
        self.proxy = proxy
        self.via = f" through proxy {safe_url(proxy)}" if proxy else " (given transport)" if transport else ""
        self.timeout = timeout
        self.connected_once = False
        fixed = {"User-Agent": "chukmath", "Accept": "application/json", "Content-Type": "application/json",
                 **(headers or {})}
        try:
            self._client = httpx.AsyncClient(
                proxy=proxy, transport=transport, verify=tls_context(), trust_env=False, headers=fixed,
                timeout=httpx.Timeout(timeout, connect=connect_timeout),
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=256),
            )
        except ImportError as exc:  # socks5:// without socksio
            raise ConfigError(f"proxy {safe_url(proxy or '')}: {exc}") from None

    async def post(self, path: str, body: bytes, *, timeout: float | None = None) -> HTTPResponse:
        """POST ``body`` to ``base_url + path`` through the proxy; raises the lean client's errors."""
        limit = self.timeout if timeout is None else timeout
        where = f"{self.host}:{self.port}{self.via}"
        try:
            async with asyncio.timeout(limit):
                async with self._client.stream("POST", self.url + path, content=body) as res:
                    self.connected_once = True
                    data = bytearray()
                    async for chunk in res.aiter_bytes():
                        data += chunk
                        if len(data) > MAX_BODY_BYTES:
                            raise HTTPProtocolError(f"response body exceeds {MAX_BODY_BYTES} bytes")
                    headers = {k.lower(): v for k, v in res.headers.items()}
                    return HTTPResponse(res.status_code, headers, bytes(data))
        except (TimeoutError, httpx.TimeoutException):
            raise HTTPTimeout(f"no complete response from {where} within {limit:g}s") from None
        except httpx.ProxyError as exc:
            reason = f"the proxy refused: {exc}"
            raise HTTPConnectError(f"cannot connect to {where} ({reason})", reason) from None
        except httpx.ConnectError as exc:
            bad = _cert_problem(exc)
            if bad is not None:
                raise HTTPTLSError(
                    f"TLS certificate of {self.host}:{self.port} not trusted ({bad.verify_message}); if the endpoint "
                    "(or the proxy's TLS inspection) uses a private CA, point SSL_CERT_FILE at its certificate"
                ) from None
            reason = str(exc) or type(exc).__name__
            raise HTTPConnectError(f"cannot connect to {where} ({reason})", reason) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise HTTPConnectionError(f"connection closed before a complete response ({exc})") from None
        except httpx.HTTPError as exc:
            raise HTTPProtocolError(f"invalid HTTP response from {where}: {exc}") from None

    async def aclose(self) -> None:
        """Close every connection."""
        await self._client.aclose()


def open_client(base_url: str, *, headers: dict[str, str] | None = None, timeout: float = 60.0,
                connect_timeout: float = 10.0,
                transport: httpx.AsyncBaseTransport | None = None) -> LeanHTTPClient | ProxiedHTTPClient:
    """The lean client for a direct endpoint; the httpx one when the environment names a proxy for it, or over
    ``transport`` when one is given (the seam tests use instead of a server)."""
    if transport is not None:
        return ProxiedHTTPClient(base_url, proxy=None, headers=headers, timeout=timeout,
                                 connect_timeout=connect_timeout, transport=transport)
    proxy = proxy_for(base_url)
    if proxy is None:
        return LeanHTTPClient(base_url, headers=headers, timeout=timeout, connect_timeout=connect_timeout)
    return ProxiedHTTPClient(base_url, proxy=proxy, headers=headers, timeout=timeout, connect_timeout=connect_timeout)

