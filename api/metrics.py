"""Prometheus metrics: requests and latency by route, documents parsed, errors by code, batch pairs scored.

Labels never hold raw paths or ids: a request is labelled with its route template (``/v1/reports/{report_id}``),
``<unmatched>`` when no route matched. With several uvicorn workers each process counts on its own; set
``PROMETHEUS_MULTIPROC_DIR`` to an empty, writable folder before the workers start (``skillmatch serve
--workers N`` makes a fresh one when it is unset) and ``/metrics`` sums every worker's files
(prometheus-client's multiprocess mode). The variable is read when ``prometheus_client`` is first imported.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from starlette.types import Scope

__all__ = [
    "BATCH_PAIRS_SCORED",
    "CONTENT_TYPE_LATEST",
    "DOCUMENTS_PARSED",
    "ERRORS",
    "REQUESTS",
    "REQUEST_SECONDS",
    "count_parsed_document",
    "record_request",
    "render",
]

# the *_created series double the output and no dashboard here reads them
disable_created_metrics()

REQUESTS = Counter("skillmatch_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
REQUEST_SECONDS = Histogram(
    "skillmatch_http_request_duration_seconds",
    "Time from request to the end of the response.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
DOCUMENTS_PARSED = Counter(
    "skillmatch_documents_parsed_total",
    "Documents parsed and tagged (uploads and inline text; repeats served from the cache are not counted).",
    ["kind", "format"],
)
ERRORS = Counter("skillmatch_errors_total", "Error responses by stable error code.", ["code"])
BATCH_PAIRS_SCORED = Counter("skillmatch_batch_pairs_scored_total", "Resume x job pairs scored by batches.")

UNMATCHED = "<unmatched>"


def _route_template(scope: Scope, root_path: str) -> str:
    """The matched route's template; for a mounted app (static files) its mount path; else ``<unmatched>``."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if template:
        return str(template)
    mounted = str(scope.get("root_path", ""))
    if scope.get("endpoint") is not None and mounted.startswith(root_path) and len(mounted) > len(root_path):
        return mounted[len(root_path) :] + "/{path}"
    return UNMATCHED


def record_request(scope: Scope, root_path: str, status: int, seconds: float) -> None:
    """Count and time one answered request (:class:`api.edge.ServiceEdge` calls it once per HTTP request);
    ``root_path``: the scope's before the app ran (a Mount extends it in place: how a mounted app is told)."""
    labels = (scope["method"], _route_template(scope, root_path), str(status))
    REQUESTS.labels(*labels).inc()
    REQUEST_SECONDS.labels(*labels).observe(seconds)
    code = scope.get("state", {}).get("error_code")
    if code:
        ERRORS.labels(code).inc()


def count_parsed_document(kind: str, document_format: str) -> None:
    """Count one document parsed and tagged (:meth:`api.services.Services.analyse_document`, the one step every
    upload and inline text goes through; cache hits never reach it)."""
    DOCUMENTS_PARSED.labels(kind, document_format).inc()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def render() -> bytes:
    """The metrics in Prometheus text format: this process's, or every worker's in multiprocess mode."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()
