"""The OpenAPI schema says what every route can answer: its errors as problem+json (``api.openapi``)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


def test_openapi_every_error_is_a_problem(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema == client.app.openapi()  # served as built
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code", "instance", "request_id"} <= set(problem["required"])
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for method, path, op in operations(schema):
        for status, response in op["responses"].items():
            if status[0] in "45":
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM_REF}}, (method, path)
                assert response["description"] != "Validation Error", (method, path)


def test_openapi_errors_implied_by_how_a_route_is_built(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for method, path, op in operations(schema):
        responses = op["responses"]
        if path.startswith("/v1/"):  # a key and a database
            assert {"401", "503"} <= responses.keys(), (method, path)
            assert op["security"] == [{"ApiKey": []}]
        if "requestBody" in op:
            assert {"400", "408", "413"} <= responses.keys(), (method, path)
    health = schema["paths"]["/healthz"]["get"]["responses"]
    assert set(health) == {"200"}
    assert schema["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"


def test_openapi_route_errors_keep_their_own_words(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    upload = schema["paths"]["/v1/resumes"]["post"]["responses"]
    assert "unsupported_format" in upload["415"]["description"]
    assert "not_found" in schema["paths"]["/v1/reports/{report_id}"]["get"]["responses"]["404"]["description"]


def test_openapi_match_body_says_exactly_one_of_each_side(client: TestClient) -> None:
    body = client.get("/openapi.json").json()["components"]["schemas"]["MatchRequest"]
    one_of = [part["oneOf"] for part in body["allOf"]]
    assert [[option["required"] for option in options] for options in one_of] == [
        [["resume_id"], ["resume_text"]],
        [["job_id"], ["job_text"]],
    ]
