"""Errors as problem+json (``api.errors``): 405 with every allowed method, ASCII bodies, which database errors
are "unavailable", 400 for a body that cannot be read."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError

from api.errors import ProblemResponse, database_unavailable
from tests.api.routes.test_documents import assert_problem


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", "/v1/resumes/4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01", "DELETE, GET"),  # two routes, one path
        ("PUT", "/v1/resumes", "GET, POST"),
        ("OPTIONS", "/v1/batch/x", "DELETE, GET"),
        ("DELETE", "/v1/match", "POST"),
    ],
)
def test_errors_405_names_every_method_of_the_path(client: TestClient, method: str, path: str, allow: str) -> None:
    response = client.request(method, path)
    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allow


def test_errors_problem_bodies_are_ascii_whatever_they_echo(client: TestClient) -> None:
    # a detail that names the id asked for
    response = client.post("/v1/batch", json={"resume_ids": ["履歴書"], "job_ids": ["x"]})
    assert_problem(response, 404, "not_found")
    assert response.content.isascii()
    assert response.json()["detail"] == "resume 履歴書 not found"
    # a lone surrogate (JSON may spell one) cannot break the encoding of the error that echoes it
    assert ProblemResponse({"detail": "\ud800"}).body == b'{"detail":"\\ud800"}'


def test_errors_a_body_that_is_not_utf8_is_a_bad_request(client: TestClient) -> None:
    response = client.post(
        "/v1/match", content=b'{"resume_text": "\xff"}', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "bad_request")


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("SELECT 1", {}, Exception("connection refused")), True),
        (InterfaceError("SELECT 1", {}, Exception("connection already closed")), True),
        (DBAPIError("SELECT 1", {}, Exception("terminated"), connection_invalidated=True), True),
        (DataError("SELECT 1", {}, Exception("cannot contain NUL")), False),
        (IntegrityError("INSERT", {}, Exception("duplicate key")), False),
    ],
)
def test_errors_only_connection_failures_are_unavailable(error: DBAPIError, unavailable: bool) -> None:
    assert database_unavailable(error) is unavailable
