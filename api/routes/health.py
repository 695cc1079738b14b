"""Routes for operators and load balancers: liveness, readiness and Prometheus metrics. They need no API key."""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api import metrics
from api.deps import ServicesDep
from api.errors import ApiError

log = logging.getLogger("skillmatch.api")
router = APIRouter(tags=["health"])


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"status": "ready", "database": "sqlite", "taxonomy_version": "2026.12.0", "skills": 24502}]
        }
    )

    status: Literal["ready"] = "ready"
    database: str = Field(description="The database backend that answered (sqlite, postgresql).")
    taxonomy_version: str
    skills: int = Field(description="Skills in the loaded taxonomy.")


NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {"description": "The database is unreachable or the taxonomy is not loaded (problem+json)."}
}


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up and answering; touches nothing else (a liveness probe)."""
    return Health()


@router.get("/readyz", response_model=Ready, responses=NOT_READY)
def readyz(services: ServicesDep) -> Ready:
    """The database answers a query and the taxonomy is loaded: the worker can serve requests."""
    try:
        with services.database.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        # the cause (host, driver message) goes to the log, never to the client
        log.warning("not ready: database unreachable (%s)", type(getattr(exc, "orig", None) or exc).__name__)
        raise ApiError("the database is unreachable", code="not_ready", status=503) from exc
    taxonomy = services.engine.taxonomy
    if not taxonomy.skills:
        raise ApiError("the taxonomy is not loaded", code="not_ready", status=503)
    return Ready(
        database=services.database.url.get_backend_name(),
        taxonomy_version=taxonomy.version,
        skills=len(taxonomy.skills),
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {metrics.CONTENT_TYPE_LATEST: {"example": "skillmatch_http_requests_total{...} 3.0"}}}},
)
def prometheus_metrics() -> Response:
    """Prometheus text format: requests and latency by route, documents parsed, errors by code."""
    return Response(metrics.render(), media_type=metrics.CONTENT_TYPE_LATEST)
