"""Every error as an RFC 9457 ``application/problem+json`` response, mapped in one table.

The body is ``{"type", "title", "status", "detail", "code", "request_id"}``; ``code`` is the stable code of
:mod:`matcher.errors` (``encrypted_pdf``, ``too_large``, ...) or one of the API's own below. ``detail`` is one line
and never holds document text.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from matcher.errors import ErrorCode, SkillmatchError

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
    "conflict": 409,
}


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where: body, query, path or header, then the field.")
    msg: str
    type: str


class Problem(BaseModel):
    """The body of every error response (RFC 9457 problem details), served as ``application/problem+json``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:skillmatch:error:not_found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "resume not found",
                    "code": "not_found",
                    "instance": "/v1/resumes/4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01",
                    "request_id": "0d4b6c1f2e3a4b5c8d9e0f1a2b3c4d5e",
                }
            ]
        }
    )

    type: str = Field(description="urn:skillmatch:error:CODE")
    title: str
    status: int
    detail: str = Field(description="One line for people; never document text.")
    code: str = Field(description="The stable error code: not_found, too_large, encrypted_pdf, ...")
    instance: str = Field(description="The path requested.")
    request_id: str | None = Field(description="The X-Request-ID of the response: it identifies the log line.")
    errors: list[FieldError] | None = Field(default=None, description="invalid_request only: every bad field.")


#: The OpenAPI content of an error response; ``api.openapi`` adds the ``Problem`` component it refers to.
PROBLEM_CONTENT: dict[str, Any] = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem_responses(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses=`` for its errors: each status with its description and the problem+json body."""
    return {status: {"description": text, "content": PROBLEM_CONTENT} for status, text in descriptions.items()}


class ApiError(SkillmatchError):
    """An error of the service itself (not of a document): not found, unauthorized, bad request."""

    def __init__(self, message: str, *, code: ErrorCode | str, status: int | None = None) -> None:
        super().__init__(message, code=code)
        self.status = status or STATUS_BY_CODE.get(self.code, 400)


class NotFound(ApiError):
    def __init__(self, what: str = "resource") -> None:
        # the same answer for "missing" and "someone else's": an id reveals nothing
        super().__init__(f"{what} not found", code="not_found", status=404)


class Unauthorized(ApiError):
    def __init__(self, message: str = "a valid API key is required: Authorization: Bearer KEY") -> None:
        super().__init__(message, code="unauthorized", status=401)


class ProblemResponse(JSONResponse):
    """JSON in ASCII: a detail or field name may echo the request (an id, a JSON key), and a lone surrogate in
    it ("\\ud800" in a JSON body) must come back escaped, not crash the encoding of the error itself."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def problem(
    request: Request,
    status: int,
    code: ErrorCode | str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    code = ErrorCode(code)  # every code the service answers is one of the enum's
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
    return ProblemResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


#: Starlette's (and our middleware's) HTTP errors -> stable code
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "too_large",
}


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the path answers: Starlette's 405 names only the first route's (a path with
    GET and DELETE routes would say ``Allow: GET``)."""
    from api.routing import api_routes  # here: api.routing imports FastAPI's routing, which needs this module

    path = request.scope.get("path", "")
    methods = {m for route in api_routes(request.app) if route.matches_path(path) for m in route.methods}
    return sorted(methods)


def database_unavailable(exc: DBAPIError) -> bool:
    """Whether a database error means "not reachable now" (503, retry) rather than "refused this statement"."""
    return isinstance(exc, (OperationalError, InterfaceError)) or bool(exc.connection_invalidated)


def raced_a_delete(exc: DBAPIError) -> bool:
    """Whether the database refused a row because a record it refers to is gone: a concurrent request deleted
    it between this request reading it and writing (a match against a resume being deleted)."""
    orig = exc.orig
    return getattr(orig, "sqlstate", None) == "23503" or "FOREIGN KEY constraint failed" in str(orig)


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
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        request.state.error_code = code
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return problem(request, exc.status_code, code, str(exc.detail), headers=headers or None)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if raced_a_delete(exc):
            # not a bug and not an outage: the same request again answers as the database now is (404, mostly)
            log.warning("conflict: a record the request refers to was deleted meanwhile (%s)", request.url.path)
            request.state.error_code = "conflict"
            detail = "a record this request refers to was deleted meanwhile; retry"
            return problem(request, 409, "conflict", detail)
        if not database_unavailable(exc):
            # a statement the database refused (bad data, a bug): retrying would not help, so no 503
            return await _unexpected(request, exc)
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

    @app.exception_handler(ClientDisconnect)
    async def _client_gone(request: Request, exc: ClientDisconnect) -> JSONResponse:
        # the client closed the connection before its body arrived (a lying Content-Length, a cancelled upload):
        # nobody is there to answer, and nothing went wrong here. nginx's 499 "client closed request" names it
        # in the log line and the metrics.
        log.info("client disconnected before its request was read (499) on %s", request.url.path)
        request.state.error_code = "client_closed_request"
        return problem(request, 499, "client_closed_request", "the client closed the connection")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
        request.state.error_code = "internal_error"
        return problem(request, 500, "internal_error", "internal error; the request id identifies it in the logs")
