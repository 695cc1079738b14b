from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.db import Report
from api.schemas import ReportOut
from matcher.engine import Engine
from matcher.report.model import report_to_dict
from matcher.report.render import render_html, render_markdown, skill_names
from tests.api.conftest import SAMPLE_JOB, SAMPLE_RESUME
from tests.api.routes.test_documents import assert_problem, count_rows, upload

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
PDF_RESUME = SAMPLES / "resumes" / "nlp_engineer_two_column_sidebar.pdf"
HTML_JOB = SAMPLES / "jobs" / "senior_nlp_engineer_post.html"
MISSING_ID = "0123456789abcdef0123456789abcdef"


def without_timings(report: dict[str, Any]) -> dict[str, Any]:
    """A report without the parse times in its diagnostics (two parses of one file differ only there)."""
    diagnostics = {doc: {k: v for k, v in d.items() if k != "elapsed_ms"} for doc, d in report["diagnostics"].items()}
    return {**report, "diagnostics": diagnostics}


def stored_pair(client: TestClient, resume: Path = SAMPLE_RESUME, job: Path = SAMPLE_JOB) -> tuple[str, str]:
    return upload(client, "resume", resume).json()["id"], upload(client, "job", job).json()["id"]


@pytest.mark.parametrize(("resume", "job"), [(SAMPLE_RESUME, SAMPLE_JOB), (PDF_RESUME, HTML_JOB)])
def test_matches_by_ids_equal_engine_match(client: TestClient, matcher_engine: Engine, resume: Path, job: Path) -> None:
    resume_id, job_id = stored_pair(client, resume, job)
    response = client.post("/v1/match", json={"resume_id": resume_id, "job_id": job_id})
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    expected = matcher_engine.match(
        matcher_engine.load(resume.read_bytes(), kind="resume", name=resume.name),
        matcher_engine.load(job.read_bytes(), kind="job", name=job.name),
    )
    assert body["score"] == expected.score
    assert (body["resume_id"], body["job_id"]) == (resume_id, job_id)
    report = {k: v for k, v in body.items() if k not in ("id", "resume_id", "job_id", "created_at")}
    assert without_timings(report) == without_timings(report_to_dict(expected))
    # the response is the documented model, key for key
    assert ReportOut.model_validate(body).model_dump(mode="json").keys() == body.keys()


def test_matches_inline_text_scores_like_engine_and_stores_no_document(
    client: TestClient, matcher_engine: Engine
) -> None:
    resume_text, job_text = SAMPLE_RESUME.read_text(), SAMPLE_JOB.read_text()
    response = client.post("/v1/match", json={"resume_text": resume_text, "job_text": job_text})
    assert response.status_code == 201, response.text
    body = response.json()
    expected = matcher_engine.match(
        matcher_engine.load_text(resume_text, kind="resume"), matcher_engine.load_text(job_text, kind="job")
    )
    assert body["score"] == expected.score
    assert body["resume_id"] is None
    assert body["job_id"] is None
    assert client.get("/v1/resumes").json()["count"] == 0
    assert client.get("/v1/jobs").json()["count"] == 0
    stored = client.get(f"/v1/reports/{body['id']}")
    assert stored.status_code == 200
    assert stored.json() == body
    # in the same order too, though PostgreSQL's JSONB keeps object keys in an order of its own
    again = stored.json()
    assert list(again) == list(body)
    for key in ("components", "component_weights", "coverage_by_category", "diagnostics"):
        assert list(again[key]) == list(body[key])
    assert list(again["diagnostics"]["resume"]) == list(body["diagnostics"]["resume"])
    assert list(again["matched"][0]) == list(body["matched"][0])


def test_matches_stored_resume_against_inline_job(client: TestClient) -> None:
    resume_id, _ = stored_pair(client)
    by_ids = client.post("/v1/match", json={"resume_id": resume_id, "job_text": SAMPLE_JOB.read_text()}).json()
    assert by_ids["resume_id"] == resume_id
    assert by_ids["job_id"] is None
    assert by_ids["score"] > 50


def test_matches_blind_hides_the_resume(client: TestClient) -> None:
    resume_id, job_id = stored_pair(client)
    body = client.post("/v1/match", json={"resume_id": resume_id, "job_id": job_id, "blind": True}).json()
    assert body["blind"] is True
    assert body["resume"] is None
    for group in ("matched", "partial", "missing"):
        for line in body[group]:
            assert all(e["section"] not in ("contact", "education") for e in line["resume_evidence"])
    page = client.get(f"/v1/reports/{body['id']}", params={"format": "html"}).text
    assert "hidden (blind mode)" in page
    assert SAMPLE_RESUME.name not in page


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"resume_text": "Python"},
        {"job_text": "Python"},
        {"resume_id": MISSING_ID, "resume_text": "Python", "job_text": "Python"},
        {"resume_text": "Python", "job_id": MISSING_ID, "job_text": "Python"},
        {"resume_text": "Python", "job_text": "Python", "colour": "red"},
        {"resume_text": "Python", "job_text": "Python", "blind": "maybe"},
    ],
)
def test_matches_not_exactly_one_of_each_is_422(client: TestClient, payload: dict[str, Any]) -> None:
    assert_problem(client.post("/v1/match", json=payload), 422, "invalid_request")
    assert count_rows(client, Report) == 0


def test_matches_unknown_or_wrong_kind_ids_are_404(client: TestClient) -> None:
    resume_id, job_id = stored_pair(client)
    for payload in (
        {"resume_id": MISSING_ID, "job_id": job_id},
        {"resume_id": resume_id, "job_id": MISSING_ID},
        {"resume_id": job_id, "job_id": resume_id},
    ):
        assert_problem(client.post("/v1/match", json=payload), 404, "not_found")
    assert count_rows(client, Report) == 0


def test_matches_inline_text_without_content_is_a_problem(client: TestClient) -> None:
    response = client.post("/v1/match", json={"resume_text": " ", "job_text": SAMPLE_JOB.read_text()})
    assert_problem(response, 422, "empty_document")
    assert response.json()["detail"] == "resume_text: empty file"  # which of the two texts it was
    assert count_rows(client, Report) == 0


def test_matches_report_rendered_as_html_and_markdown(client: TestClient, matcher_engine: Engine) -> None:
    resume_id, job_id = stored_pair(client)
    body = client.post("/v1/match", json={"resume_id": resume_id, "job_id": job_id}).json()
    url = f"/v1/reports/{body['id']}"
    stored = {k: v for k, v in body.items() if k not in ("id", "resume_id", "job_id", "created_at")}
    names = {"names": skill_names(matcher_engine.taxonomy), "category_names": matcher_engine.taxonomy.categories}

    html = client.get(url, params={"format": "html"})
    assert html.status_code == 200
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.text == render_html(stored, **names)
    assert f"{body['score']:.1f}" in html.text
    browser = client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.headers["content-type"] == "text/html; charset=utf-8"
    assert browser.text == html.text

    markdown = client.get(url, params={"format": "md"})
    assert markdown.status_code == 200
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text == render_markdown(stored, **names)
    assert markdown.text.startswith(f"# Match score {body['score']:.1f}")

    as_json = client.get(url, params={"format": "json"}, headers={"Accept": "text/html"})
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.json() == body
    assert client.get(url, headers={"Accept": "application/json, text/html"}).json() == body
    assert_problem(client.get(url, params={"format": "pdf"}), 422, "invalid_request")


def test_matches_reports_list_and_delete(client: TestClient) -> None:
    resume_id, job_id = stored_pair(client)
    first = client.post("/v1/match", json={"resume_id": resume_id, "job_id": job_id}).json()
    second = client.post("/v1/match", json={"resume_text": "Skills\nPython\n", "job_id": job_id}).json()
    page = client.get("/v1/reports", params={"limit": 1}).json()
    assert page["count"] == 2
    assert page["data"] == [
        {
            "id": second["id"],
            "resume_id": None,
            "job_id": job_id,
            "score": second["score"],
            "job_title": second["job_title"],
            "created_at": second["created_at"],
        }
    ]
    assert [r["id"] for r in client.get("/v1/reports", params={"offset": 1}).json()["data"]] == [first["id"]]

    response = client.delete(f"/v1/reports/{first['id']}")
    assert response.status_code == 204
    assert_problem(client.get(f"/v1/reports/{first['id']}"), 404, "not_found")
    assert_problem(client.delete(f"/v1/reports/{first['id']}"), 404, "not_found")
    # deleting a report leaves its documents
    assert client.get(f"/v1/resumes/{resume_id}").status_code == 200
    assert client.get("/v1/reports").json()["count"] == 1


def test_matches_openapi_documents_requests_and_formats(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/v1/match"]["post"]
    assert post["summary"]
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/ReportOut")
    assert schema["components"]["schemas"]["MatchRequest"]["examples"]
    assert schema["components"]["schemas"]["ReportOut"]["examples"]
    content = schema["paths"]["/v1/reports/{report_id}"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/html", "text/markdown"} <= content.keys()


def test_matches_inline_text_then_stored_resume_is_still_redacted(client: TestClient) -> None:
    """Inline matches skip personal-data detection; the same text uploaded afterwards must not reuse that
    analysis from the cache and be stored unredacted."""
    text = SAMPLE_RESUME.read_text(encoding="utf-8")
    email = next(word for word in text.split() if "@" in word).strip("<>(),;")
    response = client.post("/v1/match", json={"resume_text": text, "job_text": SAMPLE_JOB.read_text()})
    assert response.status_code == 201
    stored = client.post("/v1/resumes", json={"text": text})
    assert stored.status_code == 201
    body = client.get(f"/v1/resumes/{stored.json()['id']}").json()
    assert email not in body["text"]
    assert "[EMAIL]" in body["text"]
