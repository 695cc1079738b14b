"""Size, page and parse-time limits: the upload middleware (``api.limits``) and the parser's ParseLimits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from api.db import Document
from api.limits import MULTIPART_OVERHEAD, UploadLimit
from api.main import create_app
from api.services import replace_limits
from matcher.engine import Engine
from matcher.parsing import ParseLimits
from tests.api.conftest import LOCAL_URL, SAMPLE_RESUME, api_settings
from tests.api.routes.test_documents import assert_problem, count_rows

BROKEN = Path(__file__).resolve().parents[2] / "samples" / "broken"
SMALL_LIMIT = 50_000


@pytest.fixture
def small_client(client: TestClient, database_url: str, matcher_engine: Engine) -> Iterator[TestClient]:
    """An app on the same (emptied) database with a 50 kB upload limit and a 100-page limit."""
    settings = api_settings(database_url, max_upload_bytes=SMALL_LIMIT, max_pages=100)
    with TestClient(create_app(settings, engine=matcher_engine), base_url=LOCAL_URL) as small:
        yield small


def test_limits_declared_length_over_the_limit_is_413(client: TestClient) -> None:
    body = b"x" * (10_000_000 + MULTIPART_OVERHEAD + 1)
    response = client.post("/v1/resumes", content=body, headers={"content-type": "text/plain"})
    assert_problem(response, 413, "too_large")
    assert response.json()["request_id"] == response.headers["x-request-id"]
    assert "10,000,000" in response.json()["detail"]
    assert count_rows(client, Document) == 0


def test_limits_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(11):
            yield b"x" * 1_000_000

    response = client.post("/v1/jobs", content=chunks(), headers={"content-type": "application/json"})
    assert_problem(response, 413, "too_large")
    assert count_rows(client, Document) == 0


def test_limits_come_from_the_settings(small_client: TestClient) -> None:
    too_big = b"Skills\n" + b"Python, SQL, Docker. " * 8_000  # 168 kB: over the limit and its margin
    response = small_client.post("/v1/resumes", files={"file": ("big.txt", too_big)})
    assert_problem(response, 413, "too_large")
    # the JSON body is limited too
    assert_problem(small_client.post("/v1/jobs", json={"text": too_big.decode()}), 413, "too_large")
    # within the multipart margin but over the limit itself: the parser refuses the file
    over = b"Skills\n" + b"Python, SQL. " * (SMALL_LIMIT // 13 + 10)
    assert len(over) > SMALL_LIMIT
    assert_problem(small_client.post("/v1/resumes", files={"file": ("over.txt", over)}), 413, "too_large")
    # 60 pages pass a 100-page limit
    pages = small_client.post("/v1/resumes", files={"file": ("long.pdf", (BROKEN / "too_many_pages.pdf").read_bytes())})
    assert pages.status_code == 201, pages.text
    assert pages.json()["pages"] == 60
    assert count_rows(small_client, Document) == 1


def test_limits_default_page_limit(client: TestClient) -> None:
    response = client.post("/v1/resumes", files={"file": ("long.pdf", (BROKEN / "too_many_pages.pdf").read_bytes())})
    assert_problem(response, 413, "too_many_pages")
    assert "50" in response.json()["detail"]


def test_limits_parse_timeout_is_422(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    services = client.app.state.services
    monkeypatch.setattr(services, "engine", replace_limits(services.engine, ParseLimits(timeout_s=1e-9)))
    # text never uploaded before, so the analysis cache cannot answer for the parser
    response = client.post("/v1/resumes", json={"text": SAMPLE_RESUME.read_text() + "\nparse timeout test\n"})
    assert_problem(response, 422, "parse_timeout")
    assert count_rows(client, Document) == 0


# ----------------------------------------------------------------------------------- the middleware on its own


class Recorder:
    """An ASGI app reading the whole body, remembering how much it got, answering 200."""

    def __init__(self) -> None:
        self.called = False
        self.received = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called = True
        while True:
            message = await receive()
            self.received += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def run(app: Any, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[list[Message], int]:
    """Send ``chunks`` through ``app``; the messages sent back and how many chunks were read."""
    scope = {"type": "http", "method": "POST", "path": "/v1/resumes", "headers": headers, "query_string": b""}
    pending = list(chunks)
    sent: list[Message] = []

    async def receive() -> Message:
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent, len(chunks) - len(pending)


def test_limits_middleware_refuses_a_declared_length_without_reading() -> None:
    inner = Recorder()
    limit = UploadLimit(inner, max_bytes=100, body_timeout_s=15.0, body_min_rate=500.0)
    size = 100 + MULTIPART_OVERHEAD + 1
    sent, read = run(limit, [(b"content-length", str(size).encode())], [b"x" * size])
    assert not inner.called
    assert read == 0
    assert sent[0]["status"] == 413
    assert (b"content-type", b"application/problem+json") in sent[0]["headers"]
    assert b'"code":"too_large"' in sent[1]["body"]


def test_limits_middleware_stops_a_stream_at_the_chunk_that_crosses() -> None:
    inner = Recorder()
    limit = UploadLimit(inner, max_bytes=100, body_timeout_s=15.0, body_min_rate=500.0)
    chunk = b"x" * 30_000
    with pytest.raises(HTTPException) as raised:
        run(limit, [(b"transfer-encoding", b"chunked")], [chunk] * 10)
    assert raised.value.status_code == 413
    # the third chunk crosses 100 + 64 KiB: the app never sees it nor anything after
    assert inner.received == 2 * len(chunk)


@pytest.mark.parametrize("declared", [True, False])
def test_limits_middleware_lets_a_body_at_the_limit_through(declared: bool) -> None:
    inner = Recorder()
    limit = UploadLimit(inner, max_bytes=100, body_timeout_s=15.0, body_min_rate=500.0)
    body = b"x" * (100 + MULTIPART_OVERHEAD)
    headers = [(b"content-length", str(len(body)).encode())] if declared else []
    sent, _ = run(limit, headers, [body[:1000], body[1000:]])
    assert inner.received == len(body)
    assert sent[0]["status"] == 200
