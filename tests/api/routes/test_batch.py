"""POST/GET/DELETE /v1/batch through HTTP, on SQLite and PostgreSQL: inline and background runs, restarts, owners."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.batch_runner import BatchRunner
from api.db import BatchResult, BatchRun, Document
from api.main import create_app
from matcher.engine import Engine
from matcher.scoring.profiles import job_profile_from_dict, resume_profile_from_dict
from tests.api.conftest import LOCAL_URL, api_settings, auth, new_key

EVAL = Path(__file__).resolve().parents[3] / "samples" / "eval"
RESUME_TEXTS = [
    (EVAL / "resumes" / name).read_text(encoding="utf-8")
    for name in ("ml_engineer_mid.md", "nlp_engineer.md", "data_scientist.md", "web_developer.md")
]
JOB_TEXTS = [
    (EVAL / "jobs" / name).read_text(encoding="utf-8")
    for name in ("ml_engineer.md", "nlp_engineer.md", "data_engineer.md", "frontend_developer.md")
]


def upload(client: TestClient, kind: str, text: str, headers: dict[str, str] | None = None) -> str:
    response = client.post(f"/v1/{kind}s", json={"text": text}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def upload_all(
    client: TestClient, n_resumes: int, n_jobs: int, headers: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    resumes = [upload(client, "resume", text, headers) for text in RESUME_TEXTS[:n_resumes]]
    jobs = [upload(client, "job", text, headers) for text in JOB_TEXTS[:n_jobs]]
    return resumes, jobs


def all_rows(client: TestClient, batch_id: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    response = client.get(f"/v1/batch/{batch_id}", params={"limit": 1000}, headers=headers)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results["count"] == len(results["data"])
    return results["data"]


def pairs(rows: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((row["resume_id"], row["job_id"]) for row in rows)


def assert_rows_are_the_engine_scores(client: TestClient, rows: list[dict[str, Any]]) -> None:
    """Each row equals scoring the two stored profiles directly (no parsing) with the service's engine."""
    services = client.app.state.services
    with services.sessions() as session:
        profiles = dict(session.execute(select(Document.id, Document.profile)).tuples().all())
    for row in rows:
        report = services.engine.score(
            resume_profile_from_dict(profiles[row["resume_id"]]), job_profile_from_dict(profiles[row["job_id"]])
        )
        # the vectorised rows and the report round to one decimal from values within 0.05 of each other: equal
        # except on an exact half, where float noise may put them 0.1 apart (tests/matcher/batch/test_rows.py)
        assert row["score"] == pytest.approx(report.score, abs=0.1 + 1e-9)
        for name, value in row["components"].items():
            assert value == pytest.approx(getattr(report.components, name), abs=2e-4)
        assert (row["matched"], row["partial"], row["missing"]) == (
            len(report.matched),
            len(report.partial),
            len(report.missing),
        )
        assert row["top_missing"] == [line.name for line in report.missing[:5]]


def assert_ranked(rows: list[dict[str, Any]], resumes: list[str], per_resume: int) -> None:
    """Rows come per resume in the order given, each resume's jobs best first, ranked 1..n."""
    assert [row["resume_id"] for row in rows] == [r for r in resumes for _ in range(per_resume)]
    for resume in resumes:
        mine = [row for row in rows if row["resume_id"] == resume]
        assert [row["rank"] for row in mine] == list(range(1, per_resume + 1))
        assert [row["score"] for row in mine] == sorted((row["score"] for row in mine), reverse=True)


def result_count(client: TestClient, batch_id: str | None = None) -> int:
    with client.app.state.services.sessions() as session:
        query = select(func.count()).select_from(BatchResult)
        if batch_id is not None:
            query = query.where(BatchResult.batch_id == batch_id)
        return session.scalar(query) or 0


def wait_until_done(client: TestClient, batch_id: str, *, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/v1/batch/{batch_id}").json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


# ------------------------------------------------------------------------------------------------- inline batches


def test_batch_small_is_scored_at_once_from_the_stored_profiles(client: TestClient) -> None:
    resumes, jobs = upload_all(client, 3, 4)
    response = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "done"
    assert (body["total_pairs"], body["done_pairs"], body["pending_pairs"], body["progress"]) == (12, 12, 0, 1.0)
    assert body["error"] is None
    assert body["results"]["count"] == 12
    rows = body["results"]["data"]
    assert pairs(rows) == Counter({(r, j): 1 for r in resumes for j in jobs})  # every pair, exactly once
    assert_ranked(rows, resumes, 4)
    assert_rows_are_the_engine_scores(client, rows)
    assert all_rows(client, body["id"]) == rows  # GET answers the same rows


def test_batch_results_are_paginated(client: TestClient) -> None:
    resumes, jobs = upload_all(client, 2, 3)
    created = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}, params={"limit": 2}).json()
    assert (created["results"]["count"], created["results"]["limit"], len(created["results"]["data"])) == (6, 2, 2)
    everything = all_rows(client, created["id"])
    pages = [
        client.get(f"/v1/batch/{created['id']}", params={"limit": 4, "offset": offset}).json()["results"]
        for offset in (0, 4)
    ]
    assert [len(p["data"]) for p in pages] == [4, 2]
    assert pages[0]["data"] + pages[1]["data"] == everything
    assert client.get(f"/v1/batch/{created['id']}", params={"limit": 0}).status_code == 422


def test_batch_top_keeps_the_best_jobs_per_resume(client: TestClient) -> None:
    resumes, jobs = upload_all(client, 3, 4)
    full = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}).json()["results"]["data"]
    response = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs, "top": 2})
    assert response.status_code == 201
    body = response.json()
    assert body["top"] == 2
    assert body["total_pairs"] == 12  # every pair is scored; two per resume are kept
    rows = body["results"]["data"]
    assert_ranked(rows, resumes, 2)
    assert rows == [row for row in full if row["rank"] <= 2]


def test_batch_duplicate_ids_count_once(client: TestClient) -> None:
    resumes, jobs = upload_all(client, 1, 2)
    body = client.post("/v1/batch", json={"resume_ids": resumes * 2, "job_ids": jobs + jobs[:1]}).json()
    assert body["total_pairs"] == 2
    assert pairs(body["results"]["data"]) == Counter({(resumes[0], j): 1 for j in jobs})


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"resume_ids": ["0" * 32]}, 404, "not_found"),
        ({"job_ids": ["0" * 32]}, 404, "not_found"),
        ("swap", 422, "wrong_kind"),
        ({"resume_ids": []}, 422, "invalid_request"),
        ({"top": 0}, 422, "invalid_request"),
        ({"resumes": ["x"]}, 422, "invalid_request"),
    ],
)
def test_batch_bad_ids_are_refused_and_nothing_is_created(
    client: TestClient, change: dict[str, Any] | str, status: int, code: str
) -> None:
    resumes, jobs = upload_all(client, 1, 1)
    body: dict[str, Any] = {"resume_ids": resumes, "job_ids": jobs}
    body = {"resume_ids": jobs, "job_ids": resumes} if change == "swap" else body | dict(change)
    response = client.post("/v1/batch", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert client.get("/v1/batch").json()["count"] == 0
    assert result_count(client) == 0


def test_batch_is_owner_scoped(client: TestClient) -> None:
    alice, bob = auth(new_key(client, "alice")), auth(new_key(client, "bob"))
    resumes, jobs = upload_all(client, 1, 2, alice)
    created = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}, headers=alice).json()
    url = f"/v1/batch/{created['id']}"
    assert client.get(url, headers=alice).status_code == 200
    missing = client.get("/v1/batch/" + "0" * 32, headers=bob)
    others = client.get(url, headers=bob)
    assert others.status_code == missing.status_code == 404  # another owner's batch: exactly like a missing one
    assert others.json()["detail"] == missing.json()["detail"]
    assert client.delete(url, headers=bob).status_code == 404
    assert client.get("/v1/batch", headers=bob).json()["count"] == 0
    assert client.get("/v1/batch", headers=alice).json()["count"] == 1
    # bob cannot batch alice's documents either
    refused = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}, headers=bob)
    assert refused.status_code == 404
    assert client.get("/v1/batch").status_code == 401  # keys exist: no key, no batch


def test_batch_list_newest_first_without_results(client: TestClient) -> None:
    resumes, jobs = upload_all(client, 1, 2)
    first = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}).json()
    second = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs[:1]}).json()
    listed = client.get("/v1/batch").json()
    assert listed["count"] == 2
    assert [b["id"] for b in listed["data"]] == [second["id"], first["id"]]
    assert "results" not in listed["data"][0]
    assert listed["data"][1]["total_pairs"] == 2
    page = client.get("/v1/batch", params={"limit": 1, "offset": 1}).json()
    assert [b["id"] for b in page["data"]] == [first["id"]]


def test_batch_delete_removes_the_run_and_its_results(client: TestClient) -> None:
    resumes, jobs = upload_all(client, 2, 2)
    kept = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}).json()
    gone = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}).json()
    response = client.delete(f"/v1/batch/{gone['id']}")
    assert response.status_code == 204
    assert client.get(f"/v1/batch/{gone['id']}").status_code == 404
    assert client.delete(f"/v1/batch/{gone['id']}").status_code == 404
    assert result_count(client, gone["id"]) == 0
    assert result_count(client, kept["id"]) == 4  # the other batch is untouched


def test_batch_routes_are_in_the_openapi_schema_with_examples(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/v1/batch"]["post"]
    assert {"201", "202", "404", "422"} <= set(post["responses"])
    assert post["summary"]
    assert post["description"]
    assert set(schema["paths"]["/v1/batch/{batch_id}"]) == {"get", "delete"}
    for name in ("BatchIn", "BatchOut", "BatchList"):
        assert schema["components"]["schemas"][name]["examples"]


# --------------------------------------------------------------------------------------------- background batches


@pytest.fixture
def make_app(client: TestClient, database_url: str, matcher_engine: Engine) -> Iterator[Callable[..., FastAPI]]:
    """Apps on the session app's database that queue any batch over 2 pairs; the session app's own runner is
    paused meanwhile, so that only the runners a test starts take the runs."""
    session_runner: BatchRunner = client.app.state.batch_runner
    session_runner.stop()

    def make(**runner: Any) -> FastAPI:
        options = {"poll_s": 0.02, "lease_s": 10.0, "chunk_pairs": 1} | runner
        return create_app(api_settings(database_url, batch_inline_pairs=2), engine=matcher_engine, batch_runner=options)

    yield make
    session_runner.start()


def test_batch_large_runs_in_the_background_with_progress(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(autostart=False)
    with TestClient(app, base_url=LOCAL_URL) as client:
        resumes, jobs = upload_all(client, 3, 2)
        response = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs})
        assert response.status_code == 202, response.text
        queued = response.json()
        url = f"/v1/batch/{queued['id']}"
        assert response.headers["location"] == url
        assert (queued["status"], queued["total_pairs"], queued["done_pairs"], queued["pending_pairs"]) == (
            "queued",
            6,
            0,
            6,
        )
        assert (queued["progress"], queued["results"]["count"]) == (0.0, 0)

        runner: BatchRunner = app.state.batch_runner
        assert runner.run_once(max_chunks=1)  # one chunk: one resume against both jobs
        running = client.get(url).json()
        assert (running["status"], running["done_pairs"], running["pending_pairs"]) == ("running", 2, 4)
        assert running["progress"] == pytest.approx(1 / 3, abs=1e-4)
        assert pairs(running["results"]["data"]) == Counter({(resumes[0], j): 1 for j in jobs})

        runner.start()
        done = wait_until_done(client, queued["id"])
        assert (done["status"], done["done_pairs"], done["pending_pairs"], done["progress"]) == ("done", 6, 0, 1.0)
        rows = all_rows(client, queued["id"])
        assert pairs(rows) == Counter({(r, j): 1 for r in resumes for j in jobs})
        assert_ranked(rows, resumes, 2)
        assert_rows_are_the_engine_scores(client, rows)


@pytest.mark.parametrize("stopped", ["before_start", "mid_run", "worker_died"])
def test_batch_survives_a_restart(make_app: Callable[..., FastAPI], stopped: str) -> None:
    """Stop the server before the run starts, after a chunk (a clean stop gives the run back), or with a
    worker that died holding the lease: the next start finishes it, every pair exactly once."""
    first = make_app(autostart=False)
    with TestClient(first, base_url=LOCAL_URL) as client:
        resumes, jobs = upload_all(client, 3, 2)
        batch_id = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs, "top": 1}).json()["id"]
        services = first.state.services
        if stopped == "mid_run":
            assert first.state.batch_runner.run_once(max_chunks=1)
        elif stopped == "worker_died":
            dead = BatchRunner(services.sessions, services.engine, services.settings, lease_s=0.5, chunk_pairs=1)
            assert dead.run_once(max_chunks=1)  # never stopped: its lease stays until it expires

    second = make_app(autostart=False)
    with TestClient(second, base_url=LOCAL_URL) as client:
        before = client.get(f"/v1/batch/{batch_id}").json()  # after the restart: what is still pending
        assert (before["done_pairs"], before["pending_pairs"]) == ((0, 6) if stopped == "before_start" else (2, 4))
        assert before["status"] == ("running" if stopped == "worker_died" else "queued")
        second.state.batch_runner.start()
        done = wait_until_done(client, batch_id)
        assert (done["status"], done["total_pairs"], done["done_pairs"]) == ("done", 6, 6)
        rows = all_rows(client, batch_id)
        assert max(pairs(rows).values()) == 1
        assert [row["resume_id"] for row in rows] == resumes  # top 1: one row per resume, none twice
        assert all(row["rank"] == 1 for row in rows)
        assert result_count(client, batch_id) == 3
        assert_rows_are_the_engine_scores(client, rows)


def test_batch_drops_the_pairs_of_a_document_deleted_mid_run(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(autostart=False)
    with TestClient(app, base_url=LOCAL_URL) as client:
        resumes, jobs = upload_all(client, 3, 3)
        batch_id = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}).json()["id"]
        runner: BatchRunner = app.state.batch_runner
        assert runner.run_once(max_chunks=1)
        delete_document(client, resumes[2])  # still pending
        delete_document(client, jobs[0])  # already scored for resumes[0]
        runner.start()
        done = wait_until_done(client, batch_id)
        assert (done["status"], done["error"]) == ("done", None)
        assert (done["total_pairs"], done["done_pairs"]) == (4, 4)
        rows = all_rows(client, batch_id)
        assert pairs(rows) == Counter({(r, j): 1 for r in resumes[:2] for j in jobs[1:]})


def test_batch_delete_stops_a_running_batch(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(autostart=False)
    with TestClient(app, base_url=LOCAL_URL) as client:
        resumes, jobs = upload_all(client, 3, 2)
        batch_id = client.post("/v1/batch", json={"resume_ids": resumes, "job_ids": jobs}).json()["id"]
        runner: BatchRunner = app.state.batch_runner
        assert runner.run_once(max_chunks=1)
        assert client.get(f"/v1/batch/{batch_id}").json()["status"] == "running"
        assert client.delete(f"/v1/batch/{batch_id}").status_code == 204
        runner.work(batch_id)  # the worker holding it carries on: its lease check finds the run gone
        assert result_count(client, batch_id) == 0
        assert client.get(f"/v1/batch/{batch_id}").status_code == 404
        assert not runner.run_once()
        with app.state.services.sessions() as session:
            assert session.scalar(select(func.count()).select_from(BatchRun)) == 0


def delete_document(client: TestClient, document_id: str) -> None:
    for kind in ("resumes", "jobs"):
        response = client.delete(f"/v1/{kind}/{document_id}")
        if response.status_code == 204:
            return
    raise AssertionError(f"could not delete {document_id}")
