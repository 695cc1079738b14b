"""The app factory's middleware: CORS off by default, on for the origins SKILLMATCH_CORS_ORIGINS names."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from matcher.engine import Engine
from tests.api.conftest import LOCAL_URL, api_settings

ORIGIN = "https://careers.example.com"


def test_main_cors_off_by_default(client: TestClient) -> None:
    response = client.get("/v1/taxonomy/titles", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/v1/match", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_main_cors_on_for_configured_origins(database_url: str, matcher_engine: Engine) -> None:
    app = create_app(api_settings(database_url, cors_origins=[ORIGIN]), engine=matcher_engine)
    with TestClient(app, base_url=LOCAL_URL) as client:
        response = client.get("/v1/taxonomy/titles", headers={"Origin": ORIGIN})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == ORIGIN
        preflight = client.options(
            "/v1/match",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "POST" in preflight.headers["access-control-allow-methods"]
        other = client.get("/v1/taxonomy/titles", headers={"Origin": "https://evil.example.net"})
        assert "access-control-allow-origin" not in other.headers


def test_main_cors_origins_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.config import ServiceSettings

    monkeypatch.setenv("SKILLMATCH_CORS_ORIGINS", f'["{ORIGIN}", "http://localhost:3000"]')
    assert ServiceSettings().cors_origins == [ORIGIN, "http://localhost:3000"]
