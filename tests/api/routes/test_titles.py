from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from matcher.engine import Engine
from tests.api.conftest import LOCAL_URL, SAMPLE_JOB, SAMPLE_RESUME, api_settings, auth, new_key
from tests.api.routes.test_documents import assert_problem, upload

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
RESUMES = [
    SAMPLE_RESUME,
    SAMPLES / "resumes" / "computer_vision_engineer.md",
    SAMPLES / "resumes" / "ml_engineer_one_column.pdf",
    SAMPLES / "resumes" / "applied_scientist_table_header.docx",
]


def test_titles_ranked_like_the_engine(client: TestClient, matcher_engine: Engine) -> None:
    resume_id = upload(client, "resume", SAMPLE_RESUME).json()["id"]
    response = client.post(f"/v1/resumes/{resume_id}/titles")
    assert response.status_code == 200, response.text
    body = response.json()
    expected = matcher_engine.rank_titles(matcher_engine.load(SAMPLE_RESUME.read_bytes(), kind="resume"))
    assert body["resume_id"] == resume_id
    assert body["taxonomy_version"] == matcher_engine.taxonomy.version
    assert [(t["title_id"], t["score"]) for t in body["titles"]] == [(m.title_id, m.score) for m in expected]
    assert len(body["titles"]) == len(matcher_engine.taxonomy.titles)
    first = body["titles"][0]
    assert first == expected[0].to_dict()
    assert body["no_fit"] is False  # an ML engineer's resume: some ML title fits
    scores = [t["score"] for t in body["titles"]]
    assert scores == sorted(scores, reverse=True)


def test_titles_top_n(client: TestClient) -> None:
    resume_id = upload(client, "resume", SAMPLE_RESUME).json()["id"]
    everything = client.post(f"/v1/resumes/{resume_id}/titles").json()["titles"]
    top = client.post(f"/v1/resumes/{resume_id}/titles", params={"top": 3}).json()["titles"]
    assert top == everything[:3]
    assert_problem(client.post(f"/v1/resumes/{resume_id}/titles", params={"top": 0}), 422, "invalid_request")


def test_titles_unknown_resume_or_a_job_is_404(client: TestClient) -> None:
    job_id = upload(client, "job", SAMPLE_JOB).json()["id"]
    assert_problem(client.post(f"/v1/resumes/{job_id}/titles"), 404, "not_found")
    assert_problem(client.post("/v1/resumes/0123456789abcdef0123456789abcdef/titles"), 404, "not_found")


@pytest.fixture
def ranked_setup(client: TestClient) -> tuple[str, dict[str, str]]:
    """A job post and four resumes of the owner: (job id, {resume id: file name})."""
    job_id = upload(client, "job", SAMPLE_JOB).json()["id"]
    resumes = {upload(client, "resume", path).json()["id"]: path.name for path in RESUMES}
    return job_id, resumes


def test_titles_candidates_ranked_best_first_with_engine_scores(
    client: TestClient, matcher_engine: Engine, ranked_setup: tuple[str, dict[str, str]]
) -> None:
    job_id, resumes = ranked_setup
    response = client.post(f"/v1/jobs/{job_id}/candidates")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["job_id"] == job_id
    assert body["count"] == len(RESUMES)
    job = matcher_engine.load(SAMPLE_JOB.read_bytes(), kind="job")
    expected = {
        path.name: matcher_engine.match(matcher_engine.load(path.read_bytes(), kind="resume"), job) for path in RESUMES
    }
    scores = [c["score"] for c in body["data"]]
    assert scores == sorted(scores, reverse=True)
    for candidate in body["data"]:
        name = resumes[candidate["resume_id"]]
        assert candidate["filename"] == name
        report = expected[name]
        assert candidate["score"] == report.score
        assert candidate["missing"] == [line.name for line in report.missing[:5]]
        assert (candidate["matched_count"], candidate["partial_count"], candidate["missing_count"]) == (
            len(report.matched),
            len(report.partial),
            len(report.missing),
        )
    assert body["data"][0]["filename"] == max(expected, key=lambda n: expected[n].score)


def test_titles_candidates_paginated_top_and_blind(
    client: TestClient, ranked_setup: tuple[str, dict[str, str]]
) -> None:
    job_id, _ = ranked_setup
    url = f"/v1/jobs/{job_id}/candidates"
    everything = client.post(url).json()["data"]
    page = client.post(url, params={"limit": 2, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (len(RESUMES), 2, 1)
    assert page["data"] == everything[1:3]
    top = client.post(url, params={"top": 1}).json()
    assert top["data"] == everything[:1]
    blind = client.post(url, params={"blind": True}).json()["data"]
    assert [c["resume_id"] for c in blind] == [c["resume_id"] for c in everything]
    assert all(c["filename"] is None for c in blind)


def test_titles_candidates_of_a_job_without_resumes(client: TestClient) -> None:
    job_id = upload(client, "job", SAMPLE_JOB).json()["id"]
    body = client.post(f"/v1/jobs/{job_id}/candidates").json()
    assert body["data"] == []
    assert body["count"] == 0


def test_titles_candidates_unknown_job_or_a_resume_is_404(client: TestClient) -> None:
    resume_id = upload(client, "resume", SAMPLE_RESUME).json()["id"]
    assert_problem(client.post(f"/v1/jobs/{resume_id}/candidates"), 404, "not_found")
    assert_problem(client.post("/v1/jobs/0123456789abcdef0123456789abcdef/candidates"), 404, "not_found")


# ---------------------------------------------------------------------------------------- jobs for a resume (pool)

JOBS = sorted((SAMPLES / "jobs").iterdir())
JOB_KEYS = {"job_id", "title", "score", "components", "missing", "matched_count", "partial_count", "missing_count"}


@pytest.fixture
def jobs_setup(client: TestClient) -> tuple[str, dict[str, str]]:
    """A resume and every sample job post of the owner: (resume id, {job id: file name})."""
    resume_id = upload(client, "resume", SAMPLE_RESUME).json()["id"]
    jobs = {upload(client, "job", path).json()["id"]: path.name for path in JOBS}
    return resume_id, jobs


def test_titles_jobs_for_a_resume_ranked_with_engine_scores(
    client: TestClient, matcher_engine: Engine, jobs_setup: tuple[str, dict[str, str]]
) -> None:
    resume_id, jobs = jobs_setup
    response = client.post(f"/v1/resumes/{resume_id}/jobs")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"resume_id", "taxonomy_version", "data", "count", "limit", "offset"}
    assert (body["resume_id"], body["count"], body["limit"], body["offset"]) == (resume_id, len(JOBS), 20, 0)
    resume = matcher_engine.load(SAMPLE_RESUME.read_bytes(), kind="resume")
    expected = {path.name: matcher_engine.match(resume, matcher_engine.load(path.read_bytes(), kind="job"))
                for path in JOBS}  # fmt: skip
    scores = [row["score"] for row in body["data"]]
    assert scores == sorted(scores, reverse=True)
    for row in body["data"]:
        assert set(row) == JOB_KEYS
        report = expected[jobs[row["job_id"]]]
        assert row["score"] == report.score
        assert row["missing"] == [line.name for line in report.missing[:5]]
        assert (row["matched_count"], row["partial_count"], row["missing_count"]) == (
            len(report.matched),
            len(report.partial),
            len(report.missing),
        )
        assert row["title"]  # the post's title, or its file name
    page = client.post(f"/v1/resumes/{resume_id}/jobs", params={"limit": 2, "offset": 1}).json()
    assert page["data"] == body["data"][1:3]
    assert client.post(f"/v1/resumes/{resume_id}/jobs", params={"top": 1}).json()["data"] == body["data"][:1]


def test_titles_jobs_filters(client: TestClient, jobs_setup: tuple[str, dict[str, str]]) -> None:
    resume_id, _ = jobs_setup
    url = f"/v1/resumes/{resume_id}/jobs"
    everything = client.post(url, params={"limit": 100}).json()["data"]
    floor = everything[len(everything) // 2]["score"]
    high = client.post(url, params={"min_score": floor, "limit": 100}).json()
    assert high["data"] == [row for row in everything if row["score"] >= floor]
    assert high["count"] == len(high["data"])
    met = client.post(url, params={"must_haves_met": True, "limit": 100}).json()
    assert met["count"] <= len(everything)
    assert all(row in everything for row in met["data"])
    senior = client.post(url, params=[("seniority", "senior"), ("seniority", "lead"), ("limit", 100)]).json()
    assert all(row in everything for row in senior["data"])
    assert_problem(client.post(url, params={"seniority": "wizard"}), 422, "invalid_request")
    assert_problem(client.post(url, params={"min_score": 101}), 422, "invalid_request")


def test_titles_jobs_unknown_resume_or_a_job_is_404(client: TestClient) -> None:
    job_id = upload(client, "job", SAMPLE_JOB).json()["id"]
    assert_problem(client.post(f"/v1/resumes/{job_id}/jobs"), 404, "not_found")
    assert_problem(client.post("/v1/resumes/0123456789abcdef0123456789abcdef/jobs"), 404, "not_found")


def test_titles_pool_reflects_uploads_and_deletes(client: TestClient) -> None:
    resume_id = upload(client, "resume", SAMPLE_RESUME).json()["id"]
    url = f"/v1/resumes/{resume_id}/jobs"
    assert client.post(url).json()["count"] == 0  # the pool is built, empty
    first = upload(client, "job", JOBS[0]).json()["id"]
    assert [row["job_id"] for row in client.post(url).json()["data"]] == [first]
    second = upload(client, "job", JOBS[1]).json()["id"]
    assert {row["job_id"] for row in client.post(url).json()["data"]} == {first, second}
    assert client.delete(f"/v1/jobs/{first}").status_code == 204
    assert [row["job_id"] for row in client.post(url).json()["data"]] == [second]
    # the other way: a resume uploaded after the job's first ranking is a candidate at once
    candidates = f"/v1/jobs/{second}/candidates"
    assert [c["resume_id"] for c in client.post(candidates).json()["data"]] == [resume_id]
    other = upload(client, "resume", RESUMES[1]).json()["id"]
    assert {c["resume_id"] for c in client.post(candidates).json()["data"]} == {resume_id, other}
    assert client.delete(f"/v1/resumes/{resume_id}").status_code == 204
    assert [c["resume_id"] for c in client.post(candidates).json()["data"]] == [other]


def test_titles_pool_owner_isolation(client: TestClient) -> None:
    alice, bob = new_key(client, "alice"), new_key(client, "bob")
    alice_resume = upload(client, "resume", SAMPLE_RESUME, headers=auth(alice)).json()["id"]
    alice_job = upload(client, "job", JOBS[0], headers=auth(alice)).json()["id"]
    bob_resume = upload(client, "resume", SAMPLE_RESUME, headers=auth(bob)).json()["id"]
    bob_job = upload(client, "job", JOBS[1], headers=auth(bob)).json()["id"]
    for key, resume, job in ((alice, alice_resume, alice_job), (bob, bob_resume, bob_job)):
        ranked = client.post(f"/v1/resumes/{resume}/jobs", headers=auth(key)).json()
        assert [row["job_id"] for row in ranked["data"]] == [job]
        candidates = client.post(f"/v1/jobs/{job}/candidates", headers=auth(key)).json()
        assert [c["resume_id"] for c in candidates["data"]] == [resume]
    # another owner's ids are not found, and their pools are never consulted
    assert_problem(client.post(f"/v1/resumes/{bob_resume}/jobs", headers=auth(alice)), 404, "not_found")
    assert_problem(client.post(f"/v1/jobs/{bob_job}/candidates", headers=auth(alice)), 404, "not_found")
    upload(client, "job", JOBS[2], headers=auth(bob))
    ranked = client.post(f"/v1/resumes/{alice_resume}/jobs", headers=auth(alice)).json()
    assert [row["job_id"] for row in ranked["data"]] == [alice_job]


def test_titles_pool_a_second_worker_sees_uploads_and_deletes(
    client: TestClient, database_url: str, matcher_engine: Engine
) -> None:
    """Two app instances on one database stand for two worker processes: each has its own pool index."""
    resume_id = upload(client, "resume", SAMPLE_RESUME).json()["id"]
    url = f"/v1/resumes/{resume_id}/jobs"
    first = upload(client, "job", JOBS[0]).json()["id"]
    assert [row["job_id"] for row in client.post(url).json()["data"]] == [first]  # worker 1 built its pool
    with TestClient(create_app(api_settings(database_url), engine=matcher_engine), base_url=LOCAL_URL) as worker2:
        assert [row["job_id"] for row in worker2.post(url).json()["data"]] == [first]  # worker 2 built its own
        second = upload(worker2, "job", JOBS[1]).json()["id"]
        assert {row["job_id"] for row in client.post(url).json()["data"]} == {first, second}
        assert client.delete(f"/v1/jobs/{second}").status_code == 204
        assert [row["job_id"] for row in worker2.post(url).json()["data"]] == [first]
        assert [row["job_id"] for row in client.post(url).json()["data"]] == [first]
