"""The pool index reads documents stored before it existed from their profiles, once, and writes their features
back; uploads write the features and a new token in the upload's own transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from api.db import PoolFeatures, PoolVersion
from api.main import create_app
from api.pool_index import order_of
from matcher.engine import Engine
from tests.api.conftest import LOCAL_URL, SAMPLE_JOB, SAMPLE_RESUME, api_settings
from tests.api.routes.test_documents import upload


def _features_rows(client: TestClient) -> int:
    with client.app.state.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(PoolFeatures)) or 0


def test_pool_index_upload_writes_features_and_a_new_token(client: TestClient) -> None:
    upload(client, "resume", SAMPLE_RESUME)
    with client.app.state.services.sessions() as session:
        first = session.scalar(select(PoolVersion.token).where(PoolVersion.kind == "resume"))
    upload(client, "resume", SAMPLE_RESUME)
    with client.app.state.services.sessions() as session:
        second = session.scalar(select(PoolVersion.token).where(PoolVersion.kind == "resume"))
    assert first is not None
    assert second not in (None, first)
    assert _features_rows(client) == 2
    resume_id = client.get("/v1/resumes").json()["data"][0]["id"]
    assert client.delete(f"/v1/resumes/{resume_id}").status_code == 204
    assert _features_rows(client) == 1


def test_pool_index_backfills_documents_stored_without_features(
    client: TestClient, database_url: str, matcher_engine: Engine
) -> None:
    resume_id = upload(client, "resume", SAMPLE_RESUME).json()["id"]
    job_id = upload(client, "job", SAMPLE_JOB).json()["id"]
    expected = client.post(f"/v1/resumes/{resume_id}/jobs").json()["data"]
    with client.app.state.services.sessions() as session:
        session.execute(delete(PoolFeatures))  # as stored before the pool index existed
        session.commit()
    with TestClient(create_app(api_settings(database_url), engine=matcher_engine), base_url=LOCAL_URL) as fresh:
        assert fresh.post(f"/v1/resumes/{resume_id}/jobs").json()["data"] == expected
        assert [c["resume_id"] for c in fresh.post(f"/v1/jobs/{job_id}/candidates").json()["data"]] == [resume_id]
    assert _features_rows(client) == 2  # written back: the next build streams them


def test_pool_index_order_is_microseconds_with_or_without_a_zone() -> None:
    moment = datetime(2026, 12, 7, 1, 2, 3, 456789, tzinfo=UTC)
    assert order_of(moment) == order_of(moment.replace(tzinfo=None))
    assert order_of(moment + timedelta(microseconds=1)) == order_of(moment) + 1
