"""The FastAPI application: ``create_app()`` wires settings, routers, error handlers and middleware.

The taxonomy, the tagger and the database engine load once per worker in the lifespan, not at import and not
per request. Run it with ``skillmatch serve`` (uvicorn), or ``uvicorn --factory api.main:create_app``.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.routes import batch, documents, health, matches, taxonomy, titles
from api.services import Services
from matcher.engine import Engine
from matcher.settings import Settings, get_settings

log = logging.getLogger("skillmatch.api")


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The application; ``settings`` default to the ``SKILLMATCH_*`` environment, ``engine`` (a loaded matcher
    engine to share, as tests do) to one built at start-up."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = Services.start(settings, engine=engine)
        try:
            yield
        finally:
            app.state.services.close()

    app = FastAPI(
        title="skillmatch",
        version=version("skillmatch"),
        summary="Resume <-> job-description skill matching for machine-learning hiring: gap reports and rankings.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.middleware("http")
    async def request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """A request id in every response and log line; the log line has method, route, status and time, no body."""
        rid = request.headers.get("x-request-id") or uuid.uuid4().hex
        request.state.request_id = rid[:64]
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        log.info(
            "%s %s %s %.1fms rid=%s",
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            request.state.request_id,
        )
        return response

    for module in (health, documents, matches, titles, batch, taxonomy):
        app.include_router(module.router)
    return app
