"""Keys and owner scoping over HTTP, for the document, report and ranking routes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.security import revoke_key
from tests.api.conftest import SAMPLE_JOB, SAMPLE_RESUME, auth, new_key
from tests.api.routes.test_documents import assert_problem

ROUTES = [
    ("POST", "/v1/resumes"),
    ("GET", "/v1/resumes"),
    ("GET", "/v1/resumes/{resume}"),
    ("DELETE", "/v1/resumes/{resume}"),
    ("POST", "/v1/jobs"),
    ("GET", "/v1/jobs"),
    ("GET", "/v1/jobs/{job}"),
    ("DELETE", "/v1/jobs/{job}"),
    ("POST", "/v1/match"),
    ("GET", "/v1/reports"),
    ("GET", "/v1/reports/{report}"),
    ("DELETE", "/v1/reports/{report}"),
    ("POST", "/v1/resumes/{resume}/titles"),
    ("POST", "/v1/jobs/{job}/candidates"),
]


def owned_records(client: TestClient, key: str) -> dict[str, str]:
    """A resume, a job post and a report of the key's owner: {"resume": id, "job": id, "report": id}."""
    headers = auth(key)
    files = {"file": (SAMPLE_RESUME.name, SAMPLE_RESUME.read_bytes())}
    resume = client.post("/v1/resumes", files=files, headers=headers)
    job = client.post("/v1/jobs", json={"text": SAMPLE_JOB.read_text()}, headers=headers)
    assert resume.status_code == job.status_code == 201
    ids = {"resume": resume.json()["id"], "job": job.json()["id"]}
    report = client.post("/v1/match", json={"resume_id": ids["resume"], "job_id": ids["job"]}, headers=headers)
    assert report.status_code == 201
    return {**ids, "report": report.json()["id"]}


def request(client: TestClient, method: str, path: str, ids: dict[str, str], headers: dict[str, str]) -> Any:
    url = path.format(**ids)
    kwargs: dict[str, Any] = {"headers": headers}
    if (method, path) == ("POST", "/v1/match"):
        kwargs["json"] = {"resume_id": ids["resume"], "job_id": ids["job"]}
    elif method == "POST" and path in ("/v1/resumes", "/v1/jobs"):
        kwargs["json"] = {"text": "Skills\nPython, SQL, Docker\n"}
    return client.request(method, url, **kwargs)


def test_security_other_owner_gets_404_for_every_id(client: TestClient) -> None:
    alice, bob = new_key(client, "alice"), new_key(client, "bob")
    ids = owned_records(client, alice)
    for method, path in ROUTES:
        if "{" not in path and path != "/v1/match":
            continue
        response = request(client, method, path, ids, auth(bob))
        assert_problem(response, 404, "not_found")
        # exactly what a missing id answers
        missing = request(client, method, path, dict.fromkeys(ids, "0" * 32), auth(bob))
        assert response.json()["detail"] == missing.json()["detail"]
    # bob's attempts changed nothing of alice's
    for kind in ("resume", "job", "report"):
        assert client.get(f"/v1/{kind}s/{ids[kind]}", headers=auth(alice)).status_code == 200


def test_security_lists_show_only_own_records(client: TestClient) -> None:
    alice, bob = new_key(client, "alice"), new_key(client, "bob")
    owned_records(client, alice)
    bobs = owned_records(client, bob)
    for kind in ("resume", "job", "report"):
        page = client.get(f"/v1/{kind}s", headers=auth(bob)).json()
        assert page["count"] == 1
        assert [item["id"] for item in page["data"]] == [bobs[kind]]
    candidates = client.post(f"/v1/jobs/{bobs['job']}/candidates", headers=auth(bob)).json()
    assert [c["resume_id"] for c in candidates["data"]] == [bobs["resume"]]


def test_security_same_file_by_two_owners_is_two_records(client: TestClient) -> None:
    alice, bob = new_key(client, "alice"), new_key(client, "bob")
    files = {"file": (SAMPLE_RESUME.name, SAMPLE_RESUME.read_bytes())}
    first = client.post("/v1/resumes", files=files, headers=auth(alice)).json()
    second = client.post("/v1/resumes", files=files, headers=auth(bob)).json()
    assert first["id"] != second["id"]
    assert first["content_hash"] == second["content_hash"]
    assert client.delete(f"/v1/resumes/{first['id']}", headers=auth(alice)).status_code == 204
    assert client.get(f"/v1/resumes/{second['id']}", headers=auth(bob)).status_code == 200


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_security_key_required_as_soon_as_one_exists(client: TestClient, method: str, path: str) -> None:
    ids = {"resume": "0" * 32, "job": "1" * 32, "report": "2" * 32}
    assert request(client, method, path, ids, {}).status_code != 401  # no key yet: single-user mode
    new_key(client, "alice")  # no restart
    for headers in ({}, {"Authorization": "Bearer sm_not-a-key"}, {"Authorization": "Basic YWxpY2U6eA=="}):
        response = request(client, method, path, ids, headers)
        assert_problem(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"


def test_security_revoked_key_is_refused(client: TestClient) -> None:
    key = new_key(client, "alice")
    assert client.get("/v1/resumes", headers=auth(key)).status_code == 200
    with client.app.state.services.sessions() as session:
        assert revoke_key(session, key) == 1
        session.commit()
    for method, path in ROUTES:
        response = request(client, method, path, {"resume": "0" * 32, "job": "1" * 32, "report": "2" * 32}, auth(key))
        assert_problem(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"


def test_security_unauthenticated_upload_stores_nothing(client: TestClient) -> None:
    new_key(client, "alice")
    response = client.post("/v1/resumes", files={"file": (SAMPLE_RESUME.name, SAMPLE_RESUME.read_bytes())})
    assert_problem(response, 401, "unauthorized")
    key = new_key(client, "bob")
    assert client.get("/v1/resumes", headers=auth(key)).json()["count"] == 0
