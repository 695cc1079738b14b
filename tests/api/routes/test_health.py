from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_unknown_route_is_a_problem_response(client: TestClient) -> None:
    response = client.get("/v1/no-such-route")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_found"
    assert body["request_id"] == response.headers["x-request-id"]
