"""Prometheus metrics: counts and latency by route template (never a raw id), documents parsed, errors by code."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.main import create_app
from matcher.engine import Engine
from tests.api.conftest import LOCAL_URL, SAMPLE_JOB, api_settings, new_key
from tests.conftest import REPO


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, by name and sorted labels."""
    text = client.get("/metrics").text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_requests_and_latency_by_route_template(client: TestClient) -> None:
    labels = {"method": "GET", "route": "/v1/taxonomy/skills", "status": "200"}
    before = samples(client)
    for q in ("python", "pytorch", "k8s"):
        assert client.get("/v1/taxonomy/skills", params={"q": q}).status_code == 200
    after = samples(client)
    assert (
        value(after, "skillmatch_http_requests_total", **labels)
        - value(before, "skillmatch_http_requests_total", **labels)
        == 3
    )
    count = "skillmatch_http_request_duration_seconds_count"
    assert value(after, count, **labels) - value(before, count, **labels) == 3
    inf = {**labels, "le": "+Inf"}
    assert value(after, "skillmatch_http_request_duration_seconds_bucket", **inf) == value(after, count, **labels)


def test_metrics_labels_hold_templates_not_ids(client: TestClient) -> None:
    secret = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    client.get(f"/v1/reports/{secret}")
    client.get(f"/v1/no-such-thing/{secret}")
    found = samples(client)
    assert all(secret not in v for _, labels in found for _, v in labels)
    assert value(found, "skillmatch_http_requests_total", method="GET", route="<unmatched>", status="404") >= 1
    assert any(
        name == "skillmatch_http_requests_total" and dict(labels)["route"].startswith("/v1/reports/{")
        for name, labels in found
    )


def test_metrics_errors_by_code(client: TestClient) -> None:
    before = samples(client)
    client.get("/v1/no-such-thing")
    client.get("/v1/taxonomy/skills", params={"limit": 0})  # 422
    new_key(client, "alice")
    client.get("/v1/taxonomy/titles")  # no key: 401
    after = samples(client)
    for code in ("not_found", "unauthorized", "invalid_request"):
        delta = value(after, "skillmatch_errors_total", code=code) - value(before, "skillmatch_errors_total", code=code)
        assert delta == 1, code


def test_metrics_documents_parsed_by_kind_and_format(client: TestClient) -> None:
    before = samples(client)
    text = SAMPLE_JOB.read_text(encoding="utf-8") + f"\n\nReference {uuid.uuid4().hex}\n"  # not a cache hit
    response = client.post("/v1/jobs", json={"text": text})
    assert response.status_code == 201, response.text
    fmt = response.json()["format"]
    assert client.post("/v1/jobs", json={"text": text}).status_code == 201  # the same text again: cached
    after = samples(client)
    parsed = "skillmatch_documents_parsed_total"
    assert value(after, parsed, kind="job", format=fmt) - value(before, parsed, kind="job", format=fmt) == 1


def test_metrics_multiprocess_mode_sums_the_workers(tmp_path: os.PathLike[str]) -> None:
    """With PROMETHEUS_MULTIPROC_DIR, what each worker counts lands in files that /metrics adds up."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = (
        "from api import metrics; "
        "metrics.REQUESTS.labels('GET', '/healthz', '200').inc(); metrics.ERRORS.labels('not_found').inc()"
    )
    for _ in range(2):  # two "workers"
        subprocess.run([sys.executable, "-c", count], env=env, check=True, cwd=REPO, timeout=60)
    render = "import sys; from api import metrics; sys.stdout.write(metrics.render().decode())"
    text = subprocess.run(
        [sys.executable, "-c", render], env=env, check=True, cwd=REPO, timeout=60, capture_output=True, text=True
    ).stdout
    found = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert value(found, "skillmatch_http_requests_total", method="GET", route="/healthz", status="200") == 2
    assert value(found, "skillmatch_errors_total", code="not_found") == 2


def test_metrics_unhandled_error_counts_as_internal_error(database_url: str, matcher_engine: Engine) -> None:
    app = create_app(api_settings(database_url), engine=matcher_engine)

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom/{thing_id}", boom)
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL_URL) as client:
        before = samples(client)
        response = client.get("/boom/123")
        assert response.status_code == 500
        assert response.json()["code"] == "internal_error"
        after = samples(client)
    labels = {"method": "GET", "route": "/boom/{thing_id}", "status": "500"}
    requests = "skillmatch_http_requests_total"
    assert value(after, requests, **labels) - value(before, requests, **labels) == 1
    errors = "skillmatch_errors_total"
    assert value(after, errors, code="internal_error") - value(before, errors, code="internal_error") == 1


def test_metrics_mounted_app_is_labelled_with_its_mount_path(
    database_url: str, matcher_engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "a1b2c3.js").write_text("// static", encoding="utf-8")
    app = create_app(api_settings(database_url), engine=matcher_engine)
    app.mount("/files", StaticFiles(directory=tmp_path), name="files")
    with TestClient(app, base_url=LOCAL_URL) as client:
        assert client.get("/files/a1b2c3.js").status_code == 200
        assert client.get("/files/d4e5f6.js").status_code == 404
        found = samples(client)
    requests = "skillmatch_http_requests_total"
    assert value(found, requests, method="GET", route="/files/{path}", status="200") >= 1
    assert value(found, requests, method="GET", route="/files/{path}", status="404") >= 1
    assert all("a1b2c3" not in v and "d4e5f6" not in v for _, labels in found for _, v in labels)
