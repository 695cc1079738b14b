"""The one place skillmatch reads configuration from: ``SKILLMATCH_*`` environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    """``$XDG_DATA_HOME/skillmatch``, else ``~/.local/share/skillmatch``: where the default SQLite file lives."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "skillmatch"


def _default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/skillmatch``, else ``~/.cache/skillmatch``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "skillmatch"


class Settings(BaseSettings):
    """Library settings; entry points read them once and pass plain values down."""

    model_config = SettingsConfigDict(env_prefix="SKILLMATCH_", extra="ignore")

    #: A directory of the user's own taxonomy files that extend or override the bundled ones.
    taxonomy_dir: Path | None = None
    #: An installed spaCy model to use instead of ``spacy.blank("en")`` (never downloaded).
    spacy_model: str | None = None
    #: Drop the tokenizer's special-case rules on blank pipelines: ~25x faster tokenising (spaCy#13950);
    #: our matcher does not depend on spaCy's token boundaries, so mentions are unchanged.
    fast_tokenizer: bool = True
    #: Accept misspelled skill names (RapidFuzz, length-aware cut-offs).
    fuzzy: bool = True
    #: The trained skill recogniser beside the taxonomy (``on``/``off``): finds skill phrases no list names,
    #: links what it can, reports the rest as ``unlinked`` (docs/recogniser.md). Off by default: ~30 resumes/s
    #: per core with it against ~500 without, under the 300/s it would need to be on by default.
    recogniser: bool = False
    #: Where parsed taxonomy files are cached (JSON keyed by content hash); empty to switch caching off.
    cache_dir: Path | None = Field(default_factory=_default_cache_dir)


    # --- the service (``skillmatch serve``) -------------------------------------------------------------
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
    #: one slower and the slowest much slower.
    worker_threads: int = Field(default=4, ge=1, le=256)
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

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _empty_means_off(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def effective_database_url(self) -> str:
        """``database_url``, else the SQLite file in ``data_dir``."""
        return self.database_url or f"sqlite:///{self.data_dir / 'skillmatch.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read from the environment once per process."""
    return Settings()


def settings_error(exc: ValidationError) -> str:
    """One line naming every invalid ``SKILLMATCH_*`` variable and why: what ``skillmatch`` prints at start.

    >>> try:
    ...     Settings(redact_resumes="nonsense")
    ... except ValidationError as exc:
    ...     print(settings_error(exc))
    invalid setting SKILLMATCH_REDACT_RESUMES: Input should be a valid boolean, unable to interpret input
    """
    problems = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(f"SKILLMATCH_{field.upper()}: {error.get('msg', 'invalid')}")
    return "invalid setting " + "; ".join(problems)
