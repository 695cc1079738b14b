"""The app factory's middleware: CORS off by default, on for the origins SKILLMATCH_CORS_ORIGINS names."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from matcher.engine import Engine
from tests.api.conftest import LOCAL_URL, api_settings
from tests.conftest import REPO

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


def test_main_worker_freezes_what_it_loaded(tmp_path: Path) -> None:
    """A worker that loads its own engine freezes it after start-up (a full collection scanning it would stall
    one request); an app given an engine (as tests share one) freezes nothing. In a fresh process: the freeze
    is process-wide."""
    script = (
        "import gc, sys\n"
        "from fastapi.testclient import TestClient\n"
        "from api.config import ServiceSettings\n"
        "from api.main import create_app\n"
        "settings = ServiceSettings(database_url='sqlite:///' + sys.argv[1], migrate_on_start=True)\n"
        "with TestClient(create_app(settings)) as client:\n"
        "    assert client.get('/healthz').status_code == 200\n"
        "    print(gc.get_freeze_count())\n"
    )
    command = [sys.executable, "-c", script, str(tmp_path / "db.sqlite")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) > 10_000


def test_main_shared_engine_is_not_frozen(database_url: str, matcher_engine: Engine) -> None:
    before = gc.get_freeze_count()  # whatever other tests of this process froze
    with TestClient(create_app(api_settings(database_url), engine=matcher_engine), base_url=LOCAL_URL) as shared:
        assert shared.get("/healthz").status_code == 200
    assert gc.get_freeze_count() == before
