"""The API under test, through real HTTP requests (TestClient), on SQLite always and on PostgreSQL where
``SKILLMATCH_TEST_POSTGRES_URL`` names a server (``.ci/run`` sets it; CI fails rather than skips without it).

One app per backend per session (loading the tagger is the slow part); every test starts from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.config import ServiceSettings
from api.db import Base
from api.main import create_app
from api.security import create_key
from matcher.engine import Engine
from matcher.tagging.tagger import Tagger
from tests.postgres import temporary_database

# read at import: the autouse fixture clears SKILLMATCH_* variables before each test
POSTGRES_URL = os.environ.get("SKILLMATCH_TEST_POSTGRES_URL")


#: Where test clients send requests: a loopback name, as a keyless server requires (api.edge.LocalOnly);
#: TestClient's default, "testserver", is not one.
LOCAL_URL = "http://localhost"


@contextmanager
def fresh_postgres_database(prefix: str = "skillmatch_test") -> Iterator[str]:
    """A new, empty database on the PostgreSQL server, dropped afterwards (parallel runs never share one)."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("SKILLMATCH_TEST_POSTGRES_URL is not set: CI must run the PostgreSQL tests")
        pytest.skip("SKILLMATCH_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    with temporary_database(POSTGRES_URL, prefix) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The session's own database on the PostgreSQL server."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def matcher_engine(tagger: Tagger) -> Engine:
    return Engine(taxonomy=tagger.taxonomy, tagger=tagger)


def api_settings(database_url: str, **overrides: object) -> ServiceSettings:
    """Settings for a test app: the given database, migrated at start, everything else default."""
    return ServiceSettings(database_url=database_url, migrate_on_start=True, **overrides)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'skillmatch.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def _session_client(database_url: str, matcher_engine: Engine) -> Iterator[TestClient]:
    app = create_app(api_settings(database_url), engine=matcher_engine)
    with TestClient(app, base_url=LOCAL_URL) as client:
        yield client


@pytest.fixture
def client(_session_client: TestClient) -> Iterator[TestClient]:
    """The app on a backend, with empty tables and no API key (single-user mode)."""
    services = _session_client.app.state.services
    with services.database.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    services.auth_required = False
    services.local_owner_id = None
    _session_client.headers.pop("authorization", None)
    yield _session_client
    _session_client.headers.pop("authorization", None)


def new_key(client: TestClient, owner: str) -> str:
    """An API key for ``owner``, created as ``skillmatch keys create`` does."""
    with client.app.state.services.sessions() as session:
        key = create_key(session, owner)
        session.commit()
    return key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


SAMPLE_RESUME = Path(__file__).resolve().parents[2] / "samples" / "resumes" / "ml_engineer_resume.md"
SAMPLE_JOB = Path(__file__).resolve().parents[2] / "samples" / "jobs" / "ml_engineer_job.md"
