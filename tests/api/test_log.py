"""Logs: one line per request (method, path, status, time, request id); never a document's text, e-mail or phone."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from api.log import logging_config
from tests.api.conftest import SAMPLE_JOB, SAMPLE_RESUME
from tests.conftest import REPO

# what the sample resume holds and no log line may
PERSONAL = ["ana.example@example.org", "+44 20 7946 0000", "7946", "Ana Example", "Northwind Analytics"]


def server_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the server side logged (the test client's own httpx log of its requests left out)."""
    return "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records if not r.name.startswith("httpx")
    )


def test_log_resume_upload_logs_the_request_but_no_personal_data(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    resume = SAMPLE_RESUME.read_text(encoding="utf-8")
    job = SAMPLE_JOB.read_text(encoding="utf-8")
    caplog.set_level(logging.DEBUG)  # everything any library logs, not only ours
    uploaded = client.post("/v1/resumes", json={"text": resume})
    assert uploaded.status_code == 201, uploaded.text
    with SAMPLE_RESUME.open("rb") as file:
        assert client.post("/v1/resumes", files={"file": ("cv.md", file, "text/markdown")}).status_code == 201
    assert client.post("/v1/match", json={"resume_text": resume, "job_text": job}).status_code in (200, 201)
    client.post("/v1/resumes", json={"text": resume[:1] * 20})  # whatever it answers, nothing of it is logged
    logged = server_log(caplog)
    for secret in PERSONAL:
        assert secret not in logged
    for line in resume.splitlines():
        if len(line) > 30:
            assert line not in logged
    request_id = uploaded.headers["x-request-id"]
    lines = [r.getMessage() for r in caplog.records if request_id in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].startswith("POST /v1/resumes 201 ")
    assert lines[0].endswith(f"rid={request_id}")


def test_log_query_strings_are_not_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client.get("/v1/taxonomy/skills", params={"q": "secret-search-term"})
    assert "secret-search-term" not in server_log(caplog)
    assert "GET /v1/taxonomy/skills 200" in server_log(caplog)


def test_log_config_one_line_per_request_and_no_access_log() -> None:
    """Applied as uvicorn applies it: our lines go to stderr, uvicorn's access log (with queries) nowhere."""
    code = (
        "import logging, logging.config; from api.log import logging_config; "
        "logging.config.dictConfig(logging_config('info')); "
        "logging.getLogger('skillmatch.api').info('GET /healthz 200 0.4ms rid=abc'); "
        "logging.getLogger('uvicorn.access').info('GET /v1/taxonomy/skills?q=leaked 200'); "
        "logging.getLogger('sqlalchemy.engine').info('INSERT INTO documents text=leaked'); "
        "logging.getLogger('skillmatch.api').debug('not at info')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert " INFO skillmatch.api " in lines[0]
    assert lines[0].endswith("GET /healthz 200 0.4ms rid=abc")
    assert "leaked" not in result.stderr


def test_log_config_rejects_unknown_level() -> None:
    from matcher.errors import SkillmatchError

    assert logging_config("DEBUG")["loggers"]["skillmatch"]["level"] == "DEBUG"
    with pytest.raises(SkillmatchError, match="log level"):
        logging_config("verbose")
