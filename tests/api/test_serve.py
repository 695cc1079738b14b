"""`skillmatch serve` as a real server: uvicorn in a subprocess on a free port, a temporary SQLite database,
requests over real HTTP (urllib: nothing beyond the standard library)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(url: str, *, data: Any = None, headers: dict[str, str] | None = None) -> Answer:
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def start(tmp: Path, *args: str) -> Server:
    env = {**os.environ, "SKILLMATCH_DATA_DIR": str(tmp / "data")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    port = free_port()
    log = tmp / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), *args],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log, env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}: {log.read_text()}")
        try:
            if request(server.url + "/healthz").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    pytest.fail(f"the server did not answer /healthz within 120 s: {log.read_text()}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # the autouse fixture only runs per test: give the module's server its own clean environment
    saved = {k: v for k, v in os.environ.items() if k.startswith("SKILLMATCH_")}
    for name in saved:
        os.environ.pop(name)
    tmp = tmp_path_factory.mktemp("serve")
    os.environ["SKILLMATCH_CACHE_DIR"] = str(tmp / "cache")
    running = start(tmp)
    try:
        yield running
    finally:
        stop(running)
        os.environ.pop("SKILLMATCH_CACHE_DIR", None)
        os.environ.update(saved)


def test_serve_health_readiness_and_metrics_over_http(server: Server) -> None:
    health = request(server.url + "/healthz")
    assert health.json() == {"status": "ok"}
    assert len(health.headers["x-request-id"]) >= 16
    ready = request(server.url + "/readyz")
    assert ready.status == 200
    assert ready.json()["database"] == "sqlite"
    assert ready.json()["skills"] >= 1000
    metrics = request(server.url + "/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert b'skillmatch_http_requests_total{method="GET",route="/readyz",status="200"} 1.0' in metrics.body
    assert "server" not in health.headers  # no version banner
    assert (Path(server.env["SKILLMATCH_DATA_DIR"]) / "skillmatch.db").exists()  # migrated at start


def test_serve_key_created_while_running_is_required_at_once(server: Server) -> None:
    assert request(server.url + "/v1/taxonomy/titles").status == 200  # no key yet: single-user
    created = cli("keys", "create", "--owner", "x", env=server.env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("sm_")
    refused = request(server.url + "/v1/taxonomy/titles")
    assert refused.status == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "unauthorized"
    ok = request(server.url + "/v1/taxonomy/skills?q=private-query-text", headers={"Authorization": f"Bearer {key}"})
    assert ok.status == 200
    assert request(server.url + "/readyz").status == 200  # health needs no key
    log = server.log.read_text()
    assert "GET /v1/taxonomy/skills 200" in log
    assert "private-query-text" not in log  # no access log with query strings
    assert key not in log


def test_serve_refuses_an_open_address_without_keys(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLMATCH_DATA_DIR": str(tmp_path / "data")}
    result = cli("serve", "--host", "0.0.0.0", "--port", str(free_port()), env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("skillmatch: error: no API key exists")
    assert result.stdout == ""


def test_serve_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLMATCH_DATA_DIR": str(tmp_path / "data")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port), env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"skillmatch: error: cannot listen on 127.0.0.1:{port}: address already in use"
    ]


def test_serve_two_workers_share_their_metrics(tmp_path: Path) -> None:
    server = start(tmp_path, "--workers", "2")
    try:
        for _ in range(20):
            assert request(server.url + "/healthz").status == 200
        for _ in range(3):  # whichever worker answers, it reports both workers' counts
            text = request(server.url + "/metrics").body.decode()
            line = next(
                line
                for line in text.splitlines()
                if line.startswith('skillmatch_http_requests_total{method="GET",route="/healthz",status="200"}')
            )
            assert float(line.split()[-1]) >= 21  # 20 + the start-up probe
    finally:
        stop(server)
    assert "Traceback" not in server.log.read_text()
