"""Liveness, readiness and metrics: no key needed, 503 problem+json when the database or taxonomy is missing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from tests.api.conftest import auth, new_key


def test_health_unknown_route_is_a_problem_response(client: TestClient) -> None:
    response = client.get("/v1/no-such-route")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_found"
    assert body["request_id"] == response.headers["x-request-id"]


def test_health_healthz_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_readyz_reports_database_and_taxonomy(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    services = client.app.state.services
    assert body == {
        "status": "ready",
        "database": services.database.url.get_backend_name(),
        "taxonomy_version": services.engine.taxonomy.version,
        "skills": len(services.engine.taxonomy.skills),
    }
    assert body["skills"] >= 1000


def test_health_readyz_503_when_database_unreachable(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    services = client.app.state.services
    unreachable = create_engine("sqlite:////nonexistent-skillmatch-dir/nowhere/x.db")
    monkeypatch.setattr(services, "database", unreachable)
    response = client.get("/readyz")
    unreachable.dispose()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_ready"
    assert "nonexistent" not in body["detail"]  # no connection details for the client
    # liveness does not depend on the database
    assert client.get("/healthz").status_code == 200


def test_health_readyz_503_without_taxonomy(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = client.app.state.services.engine
    monkeypatch.setattr(engine, "taxonomy", replace(engine.taxonomy, skills={}))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["code"] == "not_ready"


def test_health_routes_need_no_key_when_keys_exist(client: TestClient) -> None:
    key = new_key(client, "alice")
    assert client.get("/v1/taxonomy/titles").status_code == 401  # keys are in force
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200, path
    assert client.get("/v1/taxonomy/titles", headers=auth(key)).status_code == 200


def test_health_metrics_is_prometheus_text(client: TestClient) -> None:
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE skillmatch_http_requests_total counter" in response.text
    assert 'skillmatch_http_requests_total{method="GET",route="/healthz",status="200"}' in response.text


def test_health_routes_in_openapi_outside_v1(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/healthz", "/readyz", "/metrics"):
        assert path in paths
        assert paths[path]["get"]["description"] or paths[path]["get"]["summary"]
