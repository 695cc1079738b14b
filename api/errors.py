"""Every error as an RFC 9457 ``application/problem+json`` response, mapped in one table.

The body is ``{"type", "title", "status", "detail", "code", "request_id"}``; ``code`` is the stable code of
:mod:`matcher.errors` (``encrypted_pdf``, ``too_large``, ...) or one of the API's own below. ``detail`` is one line
and never holds document text.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.errors import SkillmatchError

log = logging.getLogger("skillmatch.api")

PROBLEM_JSON = "application/problem+json"

#: stable error code -> HTTP status; codes not listed are 422 (the request was understood, the content refused)
STATUS_BY_CODE: dict[str, int] = {
    "unsupported_format": 415,
    "too_large": 413,
    "too_many_pages": 413,
    "parse_timeout": 422,
    "not_found": 404,
    "unauthorized": 401,
    "invalid_taxonomy": 500,
    "database_unavailable": 503,
}


class ApiError(SkillmatchError):
    """An error of the service itself (not of a document): not found, unauthorized, bad request."""

    def __init__(self, message: str, *, code: str, status: int | None = None) -> None:
        super().__init__(message, code=code)
        self.status = status or STATUS_BY_CODE.get(code, 400)


class NotFound(ApiError):
    def __init__(self, what: str = "resource") -> None:
        # the same answer for "missing" and "someone else's": an id reveals nothing
        super().__init__(f"{what} not found", code="not_found", status=404)


class Unauthorized(ApiError):
    def __init__(self, message: str = "a valid API key is required: Authorization: Bearer KEY") -> None:
        super().__init__(message, code="unauthorized", status=401)


def problem(
    request: Request, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": f"urn:skillmatch:error:{code}",
        "title": code.replace("_", " ").capitalize(),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SkillmatchError)
    async def _skillmatch_error(request: Request, exc: SkillmatchError) -> JSONResponse:
        status = getattr(exc, "status", None) or STATUS_BY_CODE.get(exc.code, 422)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        request.state.error_code = exc.code
        return problem(request, status, exc.code, exc.message, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        request.state.error_code = "invalid_request"
        return problem(request, 422, "invalid_request", f"{where}: {first['msg']}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http_error")
        request.state.error_code = code
        return problem(request, exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        # connection refused, server restarting, locked file: the client may retry; the cause goes to the log only
        log.warning("database unavailable: %s", type(exc.orig).__name__ if exc.orig else type(exc).__name__)
        request.state.error_code = "database_unavailable"
        return problem(
            request,
            503,
            "database_unavailable",
            "the database is unavailable; retry shortly",
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
        request.state.error_code = "internal_error"
        return problem(request, 500, "internal_error", "internal error; the request id identifies it in the logs")
