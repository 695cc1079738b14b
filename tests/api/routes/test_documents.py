from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.db import Document, Report
from matcher.engine import Engine
from tests.api.conftest import SAMPLE_JOB, SAMPLE_RESUME

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
PROBLEM_JSON = "application/problem+json"


def upload(client: TestClient, kind: str, path: Path, **kwargs: Any) -> Any:
    return client.post(f"/v1/{kind}s", files={"file": (path.name, path.read_bytes())}, **kwargs)


def upload_text(client: TestClient, kind: str, text: str, **extra: Any) -> dict[str, Any]:
    response = client.post(f"/v1/{kind}s", json={"text": text, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def count_rows(client: TestClient, model: type[Document] | type[Report]) -> int:
    with client.app.state.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    ("kind", "path", "fmt"),
    [
        ("resume", SAMPLES / "resumes" / "ml_engineer_resume.md", "markdown"),
        ("resume", SAMPLES / "resumes" / "ml_engineer_one_column.pdf", "pdf"),
        ("resume", SAMPLES / "resumes" / "applied_scientist_table_header.docx", "docx"),
        ("resume", SAMPLES / "resumes" / "ml_engineer_positions.txt", "text"),
        ("resume", SAMPLES / "resumes" / "ml_research_engineer.json", "jsonresume"),
        ("job", SAMPLES / "jobs" / "senior_nlp_engineer_post.html", "html"),
        ("job", SAMPLES / "jobs" / "mlops_engineer.txt", "text"),
        ("job", SAMPLES / "jobs" / "ml_engineer_job.md", "markdown"),
    ],
)
def test_documents_upload_each_format(
    client: TestClient, matcher_engine: Engine, kind: str, path: Path, fmt: str
) -> None:
    response = upload(client, kind, path)
    assert response.status_code == 201, response.text
    body = response.json()
    assert {"id", "skills", "sections", "diagnostics"} <= body.keys()
    assert body["kind"] == kind
    assert body["format"] == fmt
    assert body["filename"] == path.name
    assert body["content_hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert body["taxonomy_version"] == matcher_engine.taxonomy.version
    # the skills are exactly what `skillmatch tag` prints for the same file
    expected = matcher_engine.load(path.read_bytes(), kind=kind, name=path.name)  # type: ignore[arg-type]
    assert body["skills"] == expected.tagged.to_dict()["skills"]
    assert body["skills"], "every sample names some skills"
    assert [s["name"] for s in body["sections"]] == body["diagnostics"]["sections_found"]
    assert body["diagnostics"]["parser"] == expected.document.diagnostics.parser
    assert body["pages"] == expected.document.pages
    # the stored copy answers the same
    stored = client.get(f"/v1/{kind}s/{body['id']}")
    assert stored.status_code == 200
    assert stored.json() == body
    assert list(stored.json()["diagnostics"]) == list(body["diagnostics"])


def test_documents_upload_text_json(client: TestClient, matcher_engine: Engine) -> None:
    text = SAMPLE_JOB.read_text()
    body = upload_text(client, "job", text, filename="nlp-platform.md")
    assert body["filename"] == "nlp-platform.md"
    assert body["format"] == "markdown"
    expected = matcher_engine.load_text(text, kind="job")
    assert body["text"] == expected.document.text
    assert body["content_hash"] == hashlib.sha256(text.encode()).hexdigest()
    assert body["skills"] == expected.tagged.to_dict()["skills"]
    levels = {s["id"]: s["level"] for s in body["skills"]}
    assert levels["python"] == "required"
    assert levels["mlflow"] == "preferred"
    assert body["experience"]["requirements"][0]["min_years"] == 3.0
    named = upload_text(client, "resume", "Skills\nPython, PyTorch, Docker\n", name="pasted")
    assert named["filename"] == "pasted"
    assert upload_text(client, "resume", "Skills\nPython, SQL\n")["filename"] is None


def test_documents_resume_text_is_redacted_with_offsets_kept(client: TestClient) -> None:
    original = SAMPLE_RESUME.read_text()
    body = upload(client, "resume", SAMPLE_RESUME).json()
    text = client.get(f"/v1/resumes/{body['id']}").json()["text"]
    assert body["redacted"] is True
    assert "ana.example@example.org" in original
    assert "ana.example@example.org" not in text
    assert "+44 20 7946 0000" not in text
    assert "[EMAIL]" in text
    # same offsets: every mention outside the contact block still indexes the stored text
    for skill in body["skills"]:
        for mention in skill["mentions"]:
            if mention["section"] != "contact":
                assert text[mention["start"] : mention["end"]] == mention["text"]
    assert body["diagnostics"]["chars"] == len(text)


def test_documents_resume_text_kept_verbatim_when_redaction_is_off(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = client.app.state.services
    monkeypatch.setattr(services, "settings", services.settings.model_copy(update={"redact_resumes": False}))
    body = upload(client, "resume", SAMPLE_RESUME).json()
    assert body["redacted"] is False
    assert "ana.example@example.org" in body["text"]


def test_documents_job_text_is_never_redacted(client: TestClient) -> None:
    body = upload_text(client, "job", "ML Engineer\n\nRequirements\n- Python\n\nApply: jobs@example.com\n")
    assert body["redacted"] is False
    assert "jobs@example.com" in body["text"]


def test_documents_job_title_as_read(client: TestClient) -> None:
    """A job post's title, the one title fit compares past titles with, is shown where the post is (upload, get)."""
    job = upload_text(client, "job", "Senior ML Engineer\n\nRequirements\n- Python\n")
    assert job["title"] == "Senior ML Engineer"
    assert client.get(f"/v1/jobs/{job['id']}").json()["title"] == "Senior ML Engineer"
    assert upload_text(client, "job", "We need a Python engineer with PyTorch\n")["title"] is None
    assert upload(client, "resume", SAMPLE_RESUME).json()["title"] is None


def test_documents_hidden_text_reported_not_tagged(client: TestClient) -> None:
    response = upload(client, "resume", SAMPLES / "broken" / "keyword_stuffing.pdf")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["diagnostics"]["hidden_text_count"] == 4
    assert sorted(h["reason"] for h in body["hidden_text"]) == ["invisible", "off_page", "tiny_font", "white_on_white"]
    assert all(set(h) == {"page", "reason", "chars"} and h["chars"] > 0 for h in body["hidden_text"])
    assert any("hidden text" in w for w in body["warnings"])
    assert "hidden_text" not in body["diagnostics"]


def test_documents_list_paginated_newest_first_without_text(client: TestClient) -> None:
    ids = [upload_text(client, "resume", f"Skills\nPython, SQL, skill set {i}\n")["id"] for i in range(3)]
    upload_text(client, "job", "ML Engineer\n\nRequirements\n- Python\n")
    first = client.get("/v1/resumes", params={"limit": 2})
    assert first.status_code == 200
    page = first.json()
    assert page["count"] == 3
    assert (page["limit"], page["offset"]) == (2, 0)
    assert [d["id"] for d in page["data"]] == ids[::-1][:2]
    assert all("text" not in d and d["skills"] for d in page["data"])
    rest = client.get("/v1/resumes", params={"limit": 2, "offset": 2}).json()
    assert [d["id"] for d in rest["data"]] == [ids[0]]
    jobs = client.get("/v1/jobs").json()
    assert jobs["count"] == 1
    assert jobs["data"][0]["kind"] == "job"


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}])
def test_documents_list_bad_page_is_a_problem(client: TestClient, params: dict[str, int]) -> None:
    assert_problem(client.get("/v1/jobs", params=params), 422, "invalid_request")


def test_documents_get_missing_or_other_kind_is_404(client: TestClient) -> None:
    job = upload_text(client, "job", "ML Engineer\n\nRequirements\n- Python\n")
    assert_problem(client.get("/v1/resumes/0123456789abcdef0123456789abcdef"), 404, "not_found")
    assert_problem(client.get(f"/v1/resumes/{job['id']}"), 404, "not_found")
    assert client.get(f"/v1/jobs/{job['id']}").status_code == 200


def test_documents_delete_cascades_to_reports(client: TestClient) -> None:
    resume = upload(client, "resume", SAMPLE_RESUME).json()
    job = upload(client, "job", SAMPLE_JOB).json()
    by_ids = client.post("/v1/match", json={"resume_id": resume["id"], "job_id": job["id"]}).json()
    by_job = client.post("/v1/match", json={"resume_text": "Skills\nPython, SQL\n", "job_id": job["id"]}).json()
    inline = client.post("/v1/match", json={"resume_text": "Skills\nPython\n", "job_text": "Requirements\n- Python\n"})
    assert count_rows(client, Report) == 3

    response = client.delete(f"/v1/resumes/{resume['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(f"/v1/resumes/{resume['id']}"), 404, "not_found")
    assert_problem(client.get(f"/v1/reports/{by_ids['id']}"), 404, "not_found")
    assert client.get(f"/v1/reports/{by_job['id']}").status_code == 200

    assert client.delete(f"/v1/jobs/{job['id']}").status_code == 204
    assert_problem(client.get(f"/v1/reports/{by_job['id']}"), 404, "not_found")
    # a report from inline texts depends on no stored document
    assert client.get(f"/v1/reports/{inline.json()['id']}").status_code == 200
    assert count_rows(client, Document) == 0
    assert_problem(client.delete(f"/v1/jobs/{job['id']}"), 404, "not_found")


BROKEN = SAMPLES / "broken"


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("encrypted.pdf", 422, "encrypted_pdf"),
        ("scanned.pdf", 422, "no_text_layer"),
        ("empty.pdf", 422, "empty_document"),
        ("blank_page.pdf", 422, "empty_document"),
        ("corrupt.pdf", 422, "corrupt_file"),
        ("truncated.pdf", 422, "corrupt_file"),
        ("resume_screenshot.png", 415, "unsupported_format"),
        ("too_many_pages.pdf", 413, "too_many_pages"),
        ("zip_bomb.docx", 413, "too_large"),
    ],
)
def test_documents_bad_files_are_problems_and_store_nothing(
    client: TestClient, name: str, status: int, code: str
) -> None:
    for kind in ("resume", "job"):
        response = upload(client, kind, BROKEN / name)
        assert_problem(response, status, code)
        body = response.json()
        assert body["status"] == status
        assert body["request_id"] == response.headers["x-request-id"]
    assert count_rows(client, Document) == 0


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"json": {"text": "   \n "}}, 422, "empty_document"),
        ({"json": {"text": '{"rows": [1, 2, 3]}'}}, 415, "unsupported_format"),
        ({"json": {}}, 422, "invalid_request"),
        ({"json": {"text": 3}}, 422, "invalid_request"),
        ({"json": {"text": "Python", "colour": "red"}}, 422, "invalid_request"),
        ({"json": ["Python"]}, 422, "invalid_request"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "bad_request"),
        ({"content": b"%PDF-1.7 raw", "headers": {"content-type": "application/pdf"}}, 415, "unsupported_media_type"),
        ({"data": {"text": "Python"}, "files": {"other": ("a.txt", b"Python")}}, 422, "invalid_request"),
        ({"data": {"file": "Python, SQL"}, "files": {"other": ("a.txt", b"x")}}, 422, "invalid_request"),
    ],
)
def test_documents_bad_requests_are_problems(
    client: TestClient, kwargs: dict[str, Any], status: int, code: str
) -> None:
    response = client.post("/v1/resumes", **kwargs)
    assert_problem(response, status, code)
    assert count_rows(client, Document) == 0


def test_documents_missing_file_field_names_it(client: TestClient) -> None:
    response = client.post("/v1/jobs", files={"upload": ("a.txt", b"Python")})
    assert_problem(response, 422, "invalid_request")
    assert response.json()["errors"][0]["loc"] == ["body", "file"]


def test_documents_same_bytes_twice_are_two_records(client: TestClient) -> None:
    first = upload(client, "resume", SAMPLE_RESUME).json()
    second = upload(client, "resume", SAMPLE_RESUME).json()
    assert first["id"] != second["id"]
    assert first["content_hash"] == second["content_hash"]
    assert client.get("/v1/resumes").json()["count"] == 2


def test_documents_filename_keeps_the_base_name_only(client: TestClient) -> None:
    response = client.post("/v1/resumes", files={"file": ("C:\\Users\\ana\\cv.md", SAMPLE_RESUME.read_bytes())})
    assert response.status_code == 201
    assert response.json()["filename"] == "cv.md"


def test_documents_openapi_has_both_upload_bodies_and_examples(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/v1/resumes", "/v1/jobs"):
        post = schema["paths"][path]["post"]
        content = post["requestBody"]["content"]
        assert content["multipart/form-data"]["schema"]["required"] == ["file"]
        assert "text" in content["application/json"]["schema"]["properties"]
        assert post["summary"]
        assert post["description"]
        assert "201" in post["responses"]
    assert schema["components"]["schemas"]["DocumentDetail"]["examples"]
    assert schema["components"]["schemas"]["DocumentList"]["properties"]["count"]


def test_documents_openapi_every_route_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ours = [
        (path, method, op)
        for path, ops in schema["paths"].items()
        if path.startswith(("/v1/resumes", "/v1/jobs", "/v1/match", "/v1/reports"))
        for method, op in ops.items()
    ]
    assert len(ours) == 15
    for path, method, op in ours:
        where = f"{method.upper()} {path}"
        assert op["summary"], where
        assert op["description"], where
        assert "\n" not in op["description"], where
        assert op["tags"], where
        assert "401" in op["responses"], where
        ok = next(code for code in op["responses"] if code.startswith("2"))
        if ok != "204":
            ref = op["responses"][ok]["content"]["application/json"]["schema"]["$ref"]
            model = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
            assert model.get("examples") or all(
                "examples" in prop or "$ref" in prop or "items" in prop for prop in model["properties"].values()
            ), where
