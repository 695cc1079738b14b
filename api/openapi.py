"""The OpenAPI schema, completed so that it is honest about errors: every error a route can answer is in it.

Routes document their own errors (``responses=problem_responses({...})``); this pass adds what follows from
how a route is built, so that a new route cannot forget it, and says what every error body is:

- 401 ``unauthorized`` on a route that needs the owner (:func:`api.deps.get_owner`);
- 503 ``database_unavailable`` on a route that opens a database session (:func:`api.deps.get_session`);
- 400 ``invalid_host`` on every route but ``/healthz``, and 403 ``cross_origin`` on every route that changes
  something: keyless mode's checks (:class:`api.edge.LocalOnly`);
- 400 ``bad_request``, 408 ``request_timeout``, 413 ``too_large`` and 415 ``unsupported_media_type`` on a
  route with a request body (a body that cannot be read at all: not JSON, not UTF-8, broken multipart; one too
  slow or too big for :class:`api.limits.UploadLimit`; one sent as another media type, :mod:`api.bodies`);
- every 4xx/5xx as ``application/problem+json`` with the :class:`~api.errors.Problem` schema, instead of
  FastAPI's default 422 (``application/json``, a body the error handlers never send).

``tests/reliability/test_api_contract.py`` holds every response of the API to this schema (schemathesis).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

from api.deps import get_owner, get_session
from api.errors import PROBLEM_CONTENT, PROBLEM_JSON, Problem
from api.routing import api_routes

_REF = "#/components/schemas/{model}"

#: status -> description of the errors this pass adds
IMPLIED = {
    "400": "The body cannot be read at all: not JSON, not UTF-8, or broken multipart (bad_request); or, while no "
    "API key exists, the Host is not a loopback name (invalid_host).",
    "400-no-body": "While no API key exists, the Host is not a loopback name (invalid_host).",
    "403": "While no API key exists: a request from another origin (Origin header) may not change anything "
    "(cross_origin).",
    "401": "No API key, or an unknown or revoked one, while keys are in force (unauthorized).",
    "408": "The body did not arrive in time; the connection is closed (request_timeout).",
    "413": "The request body is over the upload limit (too_large).",
    "415": "The body is not sent as the media type this route reads (unsupported_media_type).",
    "503": "The database is unreachable; retry after Retry-After seconds (database_unavailable).",
}
INVALID_REQUEST = "A parameter or the body does not match this schema (invalid_request, with every bad field)."


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` (and ``/openapi.json``) return the completed schema."""
    base = app.openapi
    completed: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        schema = base()  # FastAPI's, cached until the routes change
        if not completed or completed[0] is not schema:
            completed[:] = [complete(schema, app)]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete(schema: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """``schema`` (FastAPI's, for ``app``) with the implied errors and the problem+json bodies; changed in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template=_REF)
    components.update(problem.pop("$defs", {}))
    components["Problem"] = problem
    for route in api_routes(app):
        if not route.include_in_schema:
            continue
        calls = route.calls
        for method in route.methods:
            operation = schema.get("paths", {}).get(route.path, {}).get(method.lower())
            if operation is not None:
                _complete_operation(
                    operation,
                    needs_key=get_owner in calls,
                    uses_database=get_session in calls,
                    checks_host=route.path != "/healthz",
                    changes=method in ("POST", "PUT", "PATCH", "DELETE"),
                )
    _drop_unused(schema, ("HTTPValidationError", "ValidationError"))
    return schema


def _complete_operation(
    operation: dict[str, Any], *, needs_key: bool, uses_database: bool, checks_host: bool, changes: bool
) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    implied = {
        "400": "requestBody" in operation or checks_host,
        "403": changes,
        "401": needs_key,
        "408": "requestBody" in operation,
        "413": "requestBody" in operation,
        "415": "requestBody" in operation,
        "503": uses_database,
    }
    for status, applies in implied.items():
        if applies and status not in responses:
            words = IMPLIED["400-no-body"] if status == "400" and "requestBody" not in operation else IMPLIED[status]
            responses[status] = {"description": words}
    for status, response in responses.items():
        if status[:1] not in ("4", "5"):
            continue
        if status == "422" and response.get("description") == "Validation Error":  # FastAPI's default
            response["description"] = INVALID_REQUEST
        content = response.get("content") or {}
        # the error handlers answer every error as problem+json, whatever a route's default media type
        response["content"] = {PROBLEM_JSON: {**PROBLEM_CONTENT[PROBLEM_JSON], **content.get(PROBLEM_JSON, {})}}


def _drop_unused(schema: dict[str, Any], names: tuple[str, ...]) -> None:
    """Remove components nothing refers to any more (FastAPI's validation error models, once replaced)."""
    components = schema.get("components", {}).get("schemas", {})
    for name in names:
        if name not in components:
            continue
        rest = {key: value for key, value in schema.items() if key != "components"}
        others = {key: value for key, value in components.items() if key != name}
        text = json.dumps(rest) + json.dumps(others)
        if f'"#/components/schemas/{name}"' not in text:
            del components[name]
