"""The upload size limit, enforced before anything reads the body: a pure ASGI middleware.

A request that declares a ``Content-Length`` over the limit is answered 413 (problem+json, code ``too_large``)
without reading a byte of its body. A chunked request (no length) is counted as it streams: the read that
crosses the limit raises, so multipart parsing never buffers or spools more than the limit. Page and parse-time
limits are the parser's (``matcher.parsing.ParseLimits``, built from the same settings by ``Services``).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem

#: Room for the multipart envelope (boundaries, part headers, other small fields) around a file of the limit.
MULTIPART_OVERHEAD = 64 * 1024


def _detail(limit: int) -> str:
    return f"the request body is over the limit of {limit:,} bytes"


class UploadLimit:
    """Refuse request bodies over ``max_bytes`` (plus :data:`MULTIPART_OVERHEAD`) with 413 ``too_large``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limit = max_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            request = Request(scope)
            request.state.error_code = "too_large"
            response = problem(request, 413, "too_large", _detail(self.max_bytes), headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        # counted even when a length was declared: a server that does not hold the client to it cannot let more in
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # an HTTPException passes through FastAPI's body reading unchanged; the error handlers
                    # turn 413 into the too_large problem
                    raise HTTPException(413, detail=_detail(self.max_bytes))
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
