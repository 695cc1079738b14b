"""The FastAPI application: ``create_app()`` wires settings, routers, error handlers and middleware.

The taxonomy, the tagger and the database engine load once per worker in the lifespan, not at import and not
per request. Run it with ``skillmatch serve`` (uvicorn), or ``uvicorn --factory api.main:create_app``.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

import anyio.to_thread
from fastapi import FastAPI

from api import docs, openapi
from api.batch_runner import BatchRunner
from api.config import ServiceSettings, get_service_settings
from api.edge import ServiceEdge
from api.errors import install_error_handlers
from api.routes import batch, documents, health, matches, taxonomy, titles, web
from api.services import Services
from matcher.engine import Engine

log = logging.getLogger("skillmatch.api")


def create_app(
    settings: ServiceSettings | None = None,
    *,
    engine: Engine | None = None,
    batch_runner: Mapping[str, Any] | None = None,
) -> FastAPI:
    """The application; ``settings`` default to the ``SKILLMATCH_*`` environment, ``engine`` (a loaded matcher
    engine to share, as tests do) to one built at start-up; ``batch_runner``: keyword arguments of
    :class:`~api.batch_runner.BatchRunner` (tests shorten its lease and poll)."""
    settings = settings or get_service_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # FIFO: anyio's limiter hands tokens out in arrival order
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        app.state.services = Services.start(settings, engine=engine)
        if engine is None:
            # this worker's taxonomy, lexicon and tagger: long-lived objects that older-generation collections
            # would scan again and again, in the middle of some request; frozen, they never are
            gc.freeze()
        app.state.services.open_lanes()
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
        docs_url=None,  # served from packaged assets, not a CDN (api.docs)
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    openapi.install(app)
    docs.install(app)
    # one plain ASGI layer: metrics, request id and log line, keyless mode's checks, CORS when configured, the
    # body's limits (api.edge.ServiceEdge); the error handlers' answers pass through it like any other
    app.add_middleware(
        ServiceEdge,
        max_bytes=settings.max_upload_bytes,
        body_timeout_s=settings.body_timeout_s,
        body_min_rate=settings.body_min_rate,
        allowed_hosts=settings.allowed_hosts,
        cors_origins=settings.cors_origins,
        local_only=not settings.allow_open,
    )

    for module in (health, documents, matches, titles, batch, taxonomy, web):
        app.include_router(module.router)
    app.mount("/static", web.static_files(), name="static")
    return app
