"""Settings of the service alone (``SKILLMATCH_*`` variables, like the library's): its edge, sandbox and database.

The library's :class:`matcher.settings.Settings` keeps what it already held (the database URL, limits, workers);
what only ``skillmatch serve`` reads is here, so the library does not grow knobs it never uses. Both are read once
at start; an invalid value stops ``skillmatch serve`` with one line (:func:`matcher.settings.settings_error`).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: A text longer than this (characters) is analysed in the heavy lane: one at a time per worker, beside the
#: thread pool, so that a few huge texts never hold every thread while small requests wait.
HEAVY_CHARS = 20_000


class ServiceSettings(BaseSettings):
    """The service's own settings; see ``docs/hardening.md`` for what each bounds and why."""

    model_config = SettingsConfigDict(env_prefix="SKILLMATCH_", extra="ignore")

    #: Parsing processes per server worker (PDF, DOCX and HTML are parsed there); unset: one per worker thread,
    #: so that a parse never waits for a free process while a thread is free.
    parse_processes: int | None = Field(default=None, ge=1, le=64)
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


@lru_cache(maxsize=1)
def get_service_settings() -> ServiceSettings:
    """The service settings read from the environment once per process."""
    return ServiceSettings()

