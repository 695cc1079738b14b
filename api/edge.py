"""The HTTP edge: what a connection or a request must be before the app spends anything on it.

**Connections** (:class:`GuardedHttpToolsProtocol`, the HTTP protocol ``skillmatch serve`` gives uvicorn):

- *Header deadline*: a connection has ``SKILLMATCH_HEADER_TIMEOUT_S`` seconds to send a request's complete
  headers, counted from its opening or from the first byte of a later request on it; past that it is answered
  408 and closed. uvicorn waits for ever (its keep-alive timeout only runs between requests), so a few hundred
  connections sending half a header held every slot of ``limit_concurrency`` and everyone got 503.
- *Per-client bound*: one client address holds at most ``SKILLMATCH_MAX_CONNECTIONS_PER_CLIENT`` connections
  per worker at once; more are closed as they open. Behind a reverse proxy every connection comes from the
  proxy's address: let the proxy bound clients and set this to 0 (see ``docs/hardening.md``).
- ``/healthz`` is answered even when ``limit_concurrency`` is reached: a liveness probe must not mistake a busy
  worker for a dead one.

**Requests** (:class:`LocalOnly`, an ASGI middleware): while no API key exists (keyless, single-user mode on
loopback), a request must be addressed to a loopback name (``Host``: ``localhost``, ``*.localhost``,
``127.x.x.x``, ``[::1]``, or one of ``SKILLMATCH_ALLOWED_HOSTS``), else 400 ``invalid_host``: a DNS-rebinding
page (a name of the attacker's resolving to 127.0.0.1) reaches the server under its own name and is refused.
A request that changes something (POST, PUT, PATCH, DELETE) with an ``Origin`` header must come from the same
origin (or one of ``SKILLMATCH_CORS_ORIGINS``), else 403 ``cross_origin``: a page elsewhere cannot post a form
to it. A request without ``Origin`` (curl, scripts) passes. With keys in force, or ``--allow-open``, neither
check applies: the key protects the data, and CORS stays as configured.

**One middleware** (:class:`ServiceEdge`): the request id, the log line, the metrics, keyless mode's checks and
the body's size and deadline (:class:`api.limits.UploadLimit`) are one plain ASGI layer, in that order from the
outside in; CORS, when configured, stays Starlette's, between the checks and the body limit, as it always sat.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import time
import uuid
from asyncio import TimerHandle
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics
from api.config import get_service_settings
from api.errors import problem
from api.limits import UploadLimit

try:  # uvicorn[standard] brings httptools; without it `skillmatch serve` falls back to h11 (api.cli)
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover
    HttpToolsProtocol = object  # type: ignore[assignment,misc]

log = logging.getLogger("skillmatch.api")

#: the path answered whatever the load
HEALTHZ = b"/healthz"

_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
    b"content-length: 42\r\n\r\nthe request headers did not arrive in time"
)

#: open connections per client address, in this worker (one event loop: no lock needed)
_per_client: Counter[str] = Counter()
_last_warning = 0.0


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline, a per-client connection bound and ``/healthz``
    exempt from ``limit_concurrency`` (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = get_service_settings()
        self.header_timeout = service.header_timeout_s
        self.max_per_client = service.max_connections_per_client
        self._header_timer: TimerHandle | None = None
        self._counted: str | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        address = self.client[0] if self.client else None
        if address is not None:
            _per_client[address] += 1
            self._counted = address
            if self.max_per_client and _per_client[address] > self.max_per_client:
                _warn(f"refused a connection: {address} holds {self.max_per_client} already")
                transport.close()
                return
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        if self._counted is not None:
            _per_client[self._counted] -= 1
            if _per_client[self._counted] <= 0:
                del _per_client[self._counted]
            self._counted = None
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:  # a later request on a kept-alive connection: its headers are timed too
            self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        path = self.url.split(b"?", 1)[0]
        self.limit_concurrency = None if path == HEALTHZ else self.config.limit_concurrency
        super().on_headers_complete()

    def _arm_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request in progress (its headers arrived): not ours to end
        self.transport.write(_TIMED_OUT)
        self.transport.close()


def _warn(message: str) -> None:
    """A warning at most every 10 s: a flood must not become a flood of log lines."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 10:
        _last_warning = now
        log.warning(message)


# ---------------------------------------------------------------------------------------------------- requests

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _split_host(value: str, default_port: int) -> tuple[str, int] | None:
    """``(host, port)`` of a Host header or an origin's authority, host lower-cased; None when malformed."""
    try:
        parts = urlsplit(f"//{value}")
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return host.lower().rstrip("."), port or default_port


def is_loopback_host(host: str) -> bool:
    """``localhost``, a ``.localhost`` name (browsers resolve those to loopback themselves), or a loopback IP."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class LocalOnly:
    """Keyless mode's request checks: loopback ``Host`` and same-origin state changes (module docstring)."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: list[str], allowed_origins: list[str], disabled: bool) -> None:
        self.app = app
        self.allowed_hosts = {h.lower().rstrip(".") for h in allowed_hosts}
        self.allowed_origins = {o.rstrip("/").lower() for o in allowed_origins}
        self.disabled = disabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not await self.refuse(scope, receive, send):
            await self.app(scope, receive, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer the request with its refusal and return True, or return False to let it pass."""
        if self.disabled or scope["path"] == "/healthz":
            return False
        services = scope["app"].state.services
        if services.auth_required:
            return False
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None and await run_in_threadpool(_keys_exist_now, services):
            refusal = None  # a key was created since this worker last looked: keys protect it now
        if refusal is None:
            return False
        status, code, detail = refusal
        request = Request(scope)
        request.state.error_code = code
        await problem(request, status, code, detail, headers={"Connection": "close"})(scope, receive, send)
        return True

    def _refusal(self, scope: Scope, headers: Headers) -> tuple[int, str, str] | None:
        default_port = 443 if scope.get("scheme") == "https" else 80
        host = _split_host(headers.get("host", ""), default_port)
        if host is None or not (is_loopback_host(host[0]) or host[0] in self.allowed_hosts):
            return 400, "invalid_host", "this server answers only to loopback names while no API key exists"
        origin = headers.get("origin")
        if origin is None or scope["method"] in _SAFE_METHODS:
            return None
        parts = urlsplit(origin)
        origin_port = 443 if parts.scheme == "https" else 80
        theirs = _split_host(parts.netloc, origin_port) if parts.scheme in ("http", "https") else None
        if theirs == host or origin.rstrip("/").lower() in self.allowed_origins:
            return None
        return 403, "cross_origin", "a request from another origin cannot change anything on this server"


def _keys_exist_now(services: Any) -> bool:
    from api.security import any_key_exists

    with services.sessions() as session:
        if any_key_exists(session):
            services.auth_required = True
    return bool(services.auth_required)


# ---------------------------------------------------------------------------------------------- the middleware

#: What a client's X-Request-ID may be; any other value is replaced by a fresh id.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _header(scope: Scope, name: bytes) -> str | None:
    """One request header, latin-1 as Starlette reads it; None when absent (first one wins, as ``Headers.get``)."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class ServiceEdge:
    """The service's one ASGI middleware, in the order the separate ones ran, outermost first:

    1. **metrics**: every HTTP request counted and timed once answered (:func:`api.metrics.record_request`),
       499 when the client went away (cancelled), 500 (``internal_error``) when an exception escapes;
    2. **request id**: ``X-Request-ID`` on every response the app sends, one log line per request (method, path,
       status, milliseconds, id; never a body or a query string). A client's id is kept when it is 1-64 of
       ``[A-Za-z0-9._-]``, else replaced: one with spaces could forge a log line;
    3. **keyless mode's checks** (:class:`LocalOnly`), unless ``local_only`` is off;
    4. CORS (Starlette's ``CORSMiddleware``) when ``cors_origins`` lists any; else nothing;
    5. **the body's size limit and deadline** (:class:`api.limits.UploadLimit`).

    One layer instead of four: each layer was a coroutine and a ``send`` wrapper per request, and two parsed the
    headers again; a fifth (the request id) is what ``@app.middleware("http")`` would cost a task group for.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        body_timeout_s: float,
        body_min_rate: float,
        allowed_hosts: list[str],
        cors_origins: list[str],
        local_only: bool,
    ) -> None:
        self.app = app
        self.limit = UploadLimit(app, max_bytes=max_bytes, body_timeout_s=body_timeout_s, body_min_rate=body_min_rate)
        self.cors: ASGIApp | None = None
        if cors_origins:
            self.cors = CORSMiddleware(
                self.limit,
                allow_origins=cors_origins,
                allow_methods=["GET", "POST", "DELETE"],
                allow_headers=["Authorization", "Content-Type"],
            )
        inner = self.cors or self.limit
        self.local = (
            LocalOnly(inner, allowed_hosts=allowed_hosts, allowed_origins=cors_origins, disabled=False)
            if local_only
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        root_path = str(scope.get("root_path", ""))  # a Mount extends it in place: how metrics tell a mounted app
        given = _header(scope, b"x-request-id")
        rid = given if given is not None and _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        sent = 500  # what the log line says when nothing was sent
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal sent
            if message["type"] == "http.response.start":
                sent = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            try:
                await self._checked(scope, receive, send_with_id)
            finally:
                elapsed_ms = (time.perf_counter() - started) * 1000
                log.info("%s %s %s %.1fms rid=%s", scope["method"], scope["path"], sent, elapsed_ms, rid)
            status = sent
        except asyncio.CancelledError:
            status = 499  # the client went away before the answer (nginx's "client closed request")
            raise
        except Exception:
            # the outermost handler turns it into a 500 after we are gone: count it as such here
            status = 500
            scope.setdefault("state", {}).setdefault("error_code", "internal_error")
            raise
        finally:
            metrics.record_request(scope, root_path, status, time.perf_counter() - started)

    async def _checked(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Keyless mode's checks, then CORS (if any) and the body limit, then the app."""
        if self.local is not None:
            refused = await self.local.refuse(scope, receive, send)
            if refused:
                return
        if self.cors is not None:
            await self.cors(scope, receive, send)
            return
        limit = self.limit
        if not await limit.refuse_declared(scope, receive, send):
            await self.app(scope, limit.counting(receive), send)
