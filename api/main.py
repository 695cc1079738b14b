"""The FastAPI application: ``create_app()`` wires settings, routers, error handlers and middleware.

The taxonomy, the tagger and the database engine load once per worker in the lifespan, not at import and not
per request. Run it with ``skillmatch serve`` (uvicorn), or ``uvicorn --factory api.main:create_app``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics, openapi
from api.batch_runner import BatchRunner
from api.config import ServiceSettings, get_service_settings
from api.edge import LocalOnly
from api.errors import install_error_handlers
from api.limits import UploadLimit
from api.routes import batch, documents, health, matches, taxonomy, titles, web
from api.services import Services
from matcher.engine import Engine
from matcher.settings import Settings, get_settings

log = logging.getLogger("skillmatch.api")


#: What a client's X-Request-ID may be; any other value is replaced by a fresh id.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestId:
    """A request id in every response and log line; the line has method, path, status and time, never a body.

    The client's ``X-Request-ID`` is kept when it is 1-64 of ``[A-Za-z0-9._-]``, else replaced.

    Plain ASGI rather than ``@app.middleware("http")``: that wrapper costs a task group per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id")
        # a client's id is logged as is, so it must be a plain token: one with spaces could forge a log line
        rid = given if given is not None and _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            log.info("%s %s %s %.1fms rid=%s", scope["method"], scope["path"], status, elapsed_ms, rid)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    batch_runner: Mapping[str, Any] | None = None,
    service: ServiceSettings | None = None,
) -> FastAPI:
    """The application; ``settings`` and ``service`` (the service's own settings) default to the
    ``SKILLMATCH_*`` environment, ``engine`` (a loaded matcher engine to share, as tests do) to one built at
    start-up; ``batch_runner``: keyword arguments of :class:`~api.batch_runner.BatchRunner` (tests shorten its
    lease and poll)."""
    settings = settings or get_settings()
    service = service or get_service_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # FIFO: anyio's limiter hands tokens out in arrival order
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        app.state.services = Services.start(settings, service=service, engine=engine)
        app.state.services.open_lanes()
        metrics.count_parsed_documents(app.state.services.engine)
        services = app.state.services
        runner = app.state.batch_runner = BatchRunner(
            services.sessions, services.engine, services.settings, **(batch_runner or {})
        )
        if runner.autostart:
            runner.start()
        try:
            yield
        finally:
            runner.stop()
            app.state.services.close()

    app = FastAPI(
        title="skillmatch",
        version=version("skillmatch"),
        summary="Resume <-> job-description skill matching for machine-learning hiring: gap reports and rankings.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    openapi.install(app)
    # innermost: refuses an oversized body before anything reads it, inside the request id and CORS headers
    app.add_middleware(
        UploadLimit,
        max_bytes=settings.max_upload_bytes,
        body_timeout_s=settings.body_timeout_s,
        body_min_rate=settings.body_min_rate,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )

    # keyless mode answers loopback names only, and same-origin state changes only (api.edge)
    app.add_middleware(
        LocalOnly,
        allowed_hosts=service.allowed_hosts,
        allowed_origins=settings.cors_origins,
        disabled=settings.allow_open,
    )
    app.add_middleware(RequestId)
    # outermost: counts every request, including those the error handlers answer
    app.add_middleware(metrics.MetricsMiddleware)

    for module in (health, documents, matches, titles, batch, taxonomy, web):
        app.include_router(module.router)
    app.mount("/static", web.static_files(), name="static")
    return app
