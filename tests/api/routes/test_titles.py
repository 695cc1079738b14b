from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from matcher.engine import Engine
from tests.api.conftest import SAMPLE_JOB, SAMPLE_RESUME
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
