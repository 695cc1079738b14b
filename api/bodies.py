"""JSON request bodies, read one way on every route: the key checked first, the depth bounded, one code per failure.

- **Depth**: JSON nested deeper than :data:`MAX_JSON_DEPTH` is refused before it is parsed, 422
  ``invalid_request`` (``json_too_deep``). Python's parser, pydantic and the error handlers all recurse; a
  body of ten thousand ``[`` would end as a ``RecursionError`` (500) somewhere among them. The bound is far past
  any body of this API (the deepest is three levels).
- **Not JSON** (a syntax error, bytes that are not UTF-8): 400 ``bad_request`` on every route, whether FastAPI
  or our own upload reader parses the body.
- **A wrong media type** on a route that takes JSON: 415 ``unsupported_media_type``, as the uploads answer.
- **The key first**: a body that cannot be read is answered 401 when keys are in force and the request has no
  valid key, as a readable one would be (FastAPI parses the body before it resolves any dependency, so without
  this, a broken body told a stranger 400/422 where a good one told them 401).

:class:`JsonRoute` does this for every route of a router made with ``APIRouter(route_class=JsonRoute)``; the
upload routes, whose body is JSON or multipart, call :func:`read_json` for theirs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

import numpy as np
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError

#: Deepest nesting of arrays and objects a JSON body may have.
MAX_JSON_DEPTH = 32

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: bytes that are not brackets, deleted to leave the structure: every byte but [ ] { }
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
#: openers to +1, closers to -1 (as signed bytes)
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def json_depth(body: bytes, *, limit: int = MAX_JSON_DEPTH) -> int:
    """The nesting depth of a JSON text, at least; exact up to ``limit`` (a body with fewer than ``limit``
    brackets in all is returned at once as that count, an upper bound, without reading further).

    Strings are skipped (a ``[`` inside one is text); malformed JSON gets some number: its parser refuses it next.
    """
    openers = body.count(b"[") + body.count(b"{")
    if openers <= limit:
        return openers
    steps = _STRING.sub(b"", body).translate(_STEPS, _NOT_BRACKETS)
    if not steps:
        return 0
    return int(np.cumsum(np.frombuffer(steps, dtype=np.int8), dtype=np.int64).max())


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def too_deep() -> RequestValidationError:
    return RequestValidationError(
        [
            {
                "type": "json_too_deep",
                "loc": ("body",),
                "msg": f"JSON nested deeper than {MAX_JSON_DEPTH} levels",
                "input": None,
            }
        ]
    )


def not_json() -> ApiError:
    return ApiError("the body is not valid JSON (UTF-8)", code="bad_request", status=400)


async def read_json(request: Request) -> Any:
    """The request's JSON body, parsed once (``request.json()`` returns it again); 422 when nested too deep,
    400 when not JSON."""
    cached = getattr(request, "_json", _MISSING)
    if cached is not _MISSING:
        return cached
    body = await request.body()
    # a big body is checked and parsed in a thread: the event loop serves everyone else meanwhile
    value = _parse(body) if len(body) < _INLINE_BYTES else await run_in_threadpool(_parse, body)
    # Starlette's Request.json() caches here: FastAPI's own call then returns it without parsing again
    request._json = value
    return value


#: bodies up to this size are parsed on the event loop (well under a millisecond)
_INLINE_BYTES = 256 * 1024


def _parse(body: bytes) -> Any:
    if json_depth(body) > MAX_JSON_DEPTH:
        raise too_deep()
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise not_json() from None


_MISSING = object()


class JsonRoute(APIRoute):
    """An API route that reads a JSON body as :mod:`api.bodies` says: key first, depth bounded, one code."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        takes_json = self.body_field is not None
        checks_key = _needs_owner(self)

        async def route_handler(request: Request) -> Response:
            # an empty body is FastAPI's to refuse as missing (422), as it always was
            if takes_json and request.method in ("POST", "PUT", "PATCH") and await request.body():
                media = media_type(request)
                try:
                    if not is_json(media):
                        raise ApiError(
                            "send the body as JSON (Content-Type: application/json)",
                            code="unsupported_media_type",
                            status=415,
                        )
                    await read_json(request)
                except (ApiError, RequestValidationError):
                    if checks_key:
                        await run_in_threadpool(_check_key, request)
                    raise
            return await handler(request)

        return route_handler


def _needs_owner(route: APIRoute) -> bool:
    from api.deps import get_owner  # here: api.deps imports the routes' dependencies, built after this module

    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if dependency.call is get_owner:
            return True
        stack.extend(dependency.dependencies)
    return False


def _check_key(request: Request) -> None:
    """Raise ``Unauthorized`` as :func:`api.deps.get_owner` would for this request; nothing when it would pass."""
    from api.deps import owner_from_header

    services = request.app.state.services
    with services.sessions() as session:
        owner_from_header(request, services, session, request.headers.get("authorization"))
