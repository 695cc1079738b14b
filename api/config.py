"""The service's settings: the library's (:class:`matcher.settings.Settings`) and what only ``skillmatch serve``
reads (its database, edge, limits, workers and sandbox), from the same ``SKILLMATCH_*`` variables.

The library never sees these fields, so it does not grow knobs it never uses. They are read once at start; an
invalid value stops every ``skillmatch`` command with one line (:func:`matcher.settings.settings_error`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from matcher.settings import Settings

#: A text longer than this (characters) is analysed in the heavy lane: one at a time per worker, beside the
#: thread pool, so that a few huge texts never hold every thread while small requests wait.
HEAVY_CHARS = 20_000


def _default_data_dir() -> Path:
    """``$XDG_DATA_HOME/skillmatch``, else ``~/.local/share/skillmatch``: where the default SQLite file lives."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "skillmatch"


class ServiceSettings(Settings):
    """The library's settings plus the service's own; see ``docs/hardening.md`` for what each limit bounds and why."""

    #: SQLAlchemy URL; unset means a SQLite file in ``data_dir`` (zero set-up). Production: PostgreSQL,
    #: ``postgresql+psycopg://user@host/db``.
    database_url: str | None = None
    #: Where the default SQLite database is kept.
    data_dir: Path = Field(default_factory=_default_data_dir)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    #: Serve on a non-loopback address while no API key exists (anyone who can reach it may upload).
    allow_open: bool = False
    #: Apply pending database migrations at start-up; unset means "only for SQLite" (PostgreSQL schemas are
    #: changed deliberately, with ``skillmatch db upgrade``).
    migrate_on_start: bool | None = None
    #: Largest upload accepted, in bytes (413 above it).
    max_upload_bytes: int = Field(default=10_000_000, ge=1)
    #: Most pages and seconds one document may take to parse.
    max_pages: int = Field(default=50, ge=1)
    parse_timeout_s: float = Field(default=10.0, gt=0)
    #: Keep resumes' text with names, e-mails, phones and URLs masked (offsets unchanged) rather than verbatim.
    redact_resumes: bool = True
    #: A request body must arrive within this many seconds, plus one per ``body_min_rate`` bytes received
    #: (408 otherwise): a client trickling its upload cannot hold a worker.
    body_timeout_s: float = Field(default=15.0, gt=0)
    body_min_rate: float = Field(default=500.0, gt=0)
    #: Most simultaneous connections per worker; more get 503 at once. uvicorn does not time out a client
    #: that stalls while sending its headers, so in production put a proxy in front and keep this bounded.
    limit_concurrency: int | None = Field(default=256, ge=1)
    #: Requests one worker runs at once (its thread pool; more wait their turn, first come first served). The
    #: work is CPU-bound under one GIL: running 40 at once (the default of the web framework) only makes each
    #: one slower and the slowest much slower; so did 4 against 2 (`bench_api.py`, 2 workers, 16 clients: a match
    #: cost 10.1-11.2 ms of CPU with 4 threads, 9.8-10.3 with 2, 9.9 with 1; p99 / p50 2.05 against 1.67-1.92;
    #: PDF uploads 21.2 against 18.1 ms, p99 592 against 316 ms). Two, not one: a request waiting on the
    #: database does not stop the worker.
    worker_threads: int = Field(default=2, ge=1, le=256)
    #: Batches of at most this many pairs are answered at once; larger ones run in the background.
    batch_inline_pairs: int = Field(default=2_000, ge=0)
    #: How long a worker holds a background batch without renewing it before another worker may take it over
    #: (the renewal happens every chunk), and how often idle workers look for queued batches.
    batch_lease_s: float = Field(default=30.0, gt=0)
    batch_poll_s: float = Field(default=1.0, gt=0)
    #: Origins allowed to call the API from a browser; empty (the default) means CORS is off.
    cors_origins: list[str] = Field(default_factory=list)
    #: Parsed, tagged documents kept in memory per worker, by content hash (pasted job posts repeat).
    analysis_cache_size: int = Field(default=256, ge=0)
    log_level: str = "info"
    #: Parsing processes per server worker (PDF, DOCX and HTML are parsed there). A request waiting for one holds
    #: a thread of its own lane but no CPU, so there are more of them than worker threads: uploads parse while
    #: other requests are analysed.
    parse_processes: int = Field(default=4, ge=1, le=64)
    #: Address space of each parsing process, in MiB: a decompression bomb fails there (``too_large``).
    parse_memory_mb: int = Field(default=1024, ge=128)
    #: Memory the analysis cache may hold per worker, in MiB (estimated from each document's size).
    analysis_cache_mb: float = Field(default=64.0, ge=0)
    #: Seconds a connection has to send complete request headers (from its opening, or from the first byte of
    #: a later request on it); past them it gets 408 and is closed. uvicorn itself waits for ever.
    header_timeout_s: float = Field(default=10.0, gt=0)
    #: Connections one client address may hold open at once per worker; more are closed at once. 0: no bound
    #: (behind a reverse proxy every connection comes from the proxy: bound clients there).
    max_connections_per_client: int = Field(default=64, ge=0)
    #: Host names served besides loopback ones while no API key exists (keyless mode answers only requests
    #: addressed to loopback: a DNS-rebinding page cannot read it).
    allowed_hosts: list[str] = Field(default_factory=list)
    #: Seconds for each database step: connecting, waiting for a pooled connection, one statement (PostgreSQL's
    #: statement_timeout, and a client-side wait for a server that hangs), SQLite's busy wait.
    db_timeout_s: float = Field(default=5.0, gt=0, le=300)

    @property
    def effective_database_url(self) -> str:
        """``database_url``, else the SQLite file in ``data_dir``."""
        return self.database_url or f"sqlite:///{self.data_dir / 'skillmatch.db'}"


@lru_cache(maxsize=1)
def get_service_settings() -> ServiceSettings:
    """The service settings read from the environment once per process."""
    return ServiceSettings()
