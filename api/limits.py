"""The upload size limit and the body-read deadline, enforced as the body is read: a pure ASGI middleware.

A request that declares a ``Content-Length`` over the limit is answered 413 (problem+json, code ``too_large``)
without reading a byte of its body. A chunked request (no length) is counted as it streams: the read that
crosses the limit raises, so multipart parsing never buffers or spools more than the limit. Page and parse-time
limits are the parser's (``matcher.parsing.ParseLimits``, built from the same settings by ``Services``).

A client that sends its headers and then trickles its body, or stops sending, would hold a worker's request
(and a spooled upload) for ever: uvicorn times out idle keep-alive connections, not a body being read. The
body must arrive within ``body_timeout_s`` (``SKILLMATCH_BODY_TIMEOUT_S``), extended by a second for every
``body_min_rate`` bytes received (Apache's ``mod_reqtimeout`` rule: a slow but honest upload keeps going, a
trickle does not); past the deadline the read raises and the client gets 408 ``request_timeout`` with
``Connection: close``. A client that stalls in its *headers* never reaches the app: uvicorn (0.5x) holds such a
connection, and a fresh idle one, until the client goes away (its keep-alive timeout starts after a first
response); a proxy in front of it, or uvicorn's ``limit_concurrency`` (``SKILLMATCH_LIMIT_CONCURRENCY``),
has to bound those.
"""

from __future__ import annotations

import time

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem

#: Room for the multipart envelope (boundaries, part headers, other small fields) around a file of the limit.
MULTIPART_OVERHEAD = 64 * 1024


def _detail(limit: int) -> str:
    return f"the request body is over the limit of {limit:,} bytes"


class UploadLimit:
    """Refuse request bodies over ``max_bytes`` (plus :data:`MULTIPART_OVERHEAD`) with 413 ``too_large``, and
    bodies slower than the deadline (``body_timeout_s`` + received / ``body_min_rate`` seconds) with 408."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        body_timeout_s: float,
        body_min_rate: float,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limit = max_bytes + MULTIPART_OVERHEAD
        self.body_timeout_s = body_timeout_s
        self.body_min_rate = body_min_rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not await self.refuse_declared(scope, receive, send):
            # counted even when a length was declared: a server that does not hold the client to it cannot let
            # more in
            await self.app(scope, self.counting(receive), send)

    async def refuse_declared(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer 413 and return True when the declared ``Content-Length`` is over the limit; else False."""
        declared = _content_length(scope)
        if declared is None or declared <= self.limit:
            return False
        request = Request(scope)
        request.state.error_code = "too_large"
        response = problem(request, 413, "too_large", _detail(self.max_bytes), headers={"Connection": "close"})
        await response(scope, receive, send)
        return True

    def counting(self, receive: Receive) -> Receive:
        """``receive``, counting the body's bytes against the limit and its time against the deadline."""
        received = 0
        started = time.monotonic()
        complete = False

        async def counted() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive() waits for the disconnect: no deadline on that
                return await receive()
            deadline = started + self.body_timeout_s + received / self.body_min_rate
            try:
                with anyio.fail_after(max(deadline - time.monotonic(), 0)):
                    message = await receive()
            except TimeoutError:
                # raised into whatever reads the body (FastAPI, request.form()); the error handlers answer it
                raise HTTPException(
                    408, detail="the request body did not arrive in time", headers={"Connection": "close"}
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > self.limit:
                    # an HTTPException passes through FastAPI's body reading unchanged; the error handlers
                    # turn 413 into the too_large problem
                    raise HTTPException(413, detail=_detail(self.max_bytes))
            else:
                complete = True  # http.disconnect: nothing more will come
            return message

        return counted


def _content_length(scope: Scope) -> int | None:
    """The declared body length; None when absent (chunked); an unreadable value counts as absent."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
