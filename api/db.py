"""Persistence: SQLAlchemy 2.x models, the engine and sessions. SQLite by default, PostgreSQL in production.

Every row a user can reach carries ``owner_id``; the data-access helpers in :mod:`api.store` filter on it, so
another owner's id is indistinguishable from a missing one. The schema is owned by the Alembic migrations in
``api/migrations``; ``Base.metadata`` must stay equal to what they create (a test compares the two).
"""

from __future__ import annotations

import logging
import math
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

#: JSON columns: JSONB on PostgreSQL (compact, indexable), JSON text elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")


def new_id() -> str:
    """Random, unguessable ids: a guessed id must not even reveal that a record exists."""
    return uuid.uuid4().hex


#: What an id can be: new_id's hex, or another short token; anything else (NUL, a lone surrogate, 10 kB) is not
#: an id of ours, and is answered "not found" without being sent to the database (PostgreSQL refuses NUL in text).
_ID_RE = re.compile(r"[0-9A-Za-z_-]{1,64}")


def is_id(value: str) -> bool:
    """Whether ``value`` could be an id; a route answers 404 for one that cannot, as for any missing id."""
    return _ID_RE.fullmatch(value) is not None


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Owner(Base):
    """Whoever holds an API key; ``local`` owns everything uploaded while no key exists."""

    __tablename__ = "owners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiKey(Base):
    """An API key, stored only as its SHA-256: keys are 256-bit random, so a slow hash would add nothing."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    #: the first characters of the key, shown by ``keys list`` so a person can tell keys apart
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class Document(Base):
    """A resume or a job post, parsed and tagged once; ``profile`` is what scoring needs to score it again."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_owner_kind_created", "owner_id", "kind", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str | None] = mapped_column(String(255), default=None)
    format: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    #: the parsed text; for resumes by default with personal data masked (same length, same offsets)
    text: Mapped[str] = mapped_column(Text)
    redacted: Mapped[bool] = mapped_column(default=False)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    sections: Mapped[list[Any]] = mapped_column(JSONType)
    skills: Mapped[list[Any]] = mapped_column(JSONType)
    diagnostics: Mapped[dict[str, Any]] = mapped_column(JSONType)
    warnings: Mapped[list[Any]] = mapped_column(JSONType)
    experience: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    profile: Mapped[dict[str, Any]] = mapped_column(JSONType)
    taxonomy_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PoolFeatures(Base):
    """What the pool index keeps of a document (``matcher.scoring.pool.features``): a fifth of its profile, so a worker
    builds an owner's pool by streaming these rather than decoding every profile. Written with the document;
    ``order`` is its upload time in microseconds (the rankings' tie order: oldest first, then id)."""

    __tablename__ = "pool_features"
    #: with the id: listing an owner's ids (each refresh) reads the index alone
    __table_args__ = (Index("ix_pool_features_owner_kind", "owner_id", "kind", "document_id"),)

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    order: Mapped[int] = mapped_column(BigInteger)
    features: Mapped[dict[str, Any]] = mapped_column(JSONType)


class PoolVersion(Base):
    """A token per owner and kind, replaced by every upload and delete of that kind in the same transaction: a
    worker whose pool was built at another token refreshes it (see :mod:`api.pool_index`). A random token rather
    than a counter, so that a database emptied and refilled never looks unchanged."""

    __tablename__ = "pool_versions"

    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class Report(Base):
    """A gap report; deleting either document deletes it (inline-text reports have no document ids)."""

    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    resume_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BatchRun(Base):
    """Many resumes x many jobs. ``lease_until`` lets any worker take over a run whose worker died."""

    __tablename__ = "batch_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    #: queued, running, done, failed
    status: Mapped[str] = mapped_column(String(16), index=True)
    resume_ids: Mapped[list[str]] = mapped_column(JSONType)
    job_ids: Mapped[list[str]] = mapped_column(JSONType)
    top: Mapped[int | None] = mapped_column(Integer, default=None)
    total_pairs: Mapped[int] = mapped_column(Integer)
    done_pairs: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    lease_owner: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class BatchResult(Base):
    """One scored pair of a batch; the unique key makes a retried chunk unable to write a pair twice."""

    __tablename__ = "batch_results"
    __table_args__ = (UniqueConstraint("batch_id", "resume_id", "job_id", name="uq_batch_results_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batch_runs.id", ondelete="CASCADE"), index=True)
    resume_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)


def _no_result_rows(record: logging.LogRecord) -> bool:
    """SQLAlchemy's engine logs result rows at DEBUG: document text, profiles, reports. Dropped, whatever level
    an operator (or a test) sets; statements still log at INFO, their parameters hidden (``hide_parameters``)."""
    return record.levelno >= logging.INFO


def make_engine(url: str, *, timeout_s: float = 5.0) -> Engine:
    """An engine for ``url``; SQLite gets its parent folder, foreign keys (for ON DELETE CASCADE) and WAL.

    ``hide_parameters``: a database error's message never carries the values bound to it (document text).
    ``timeout_s`` bounds every wait on the database (``SKILLMATCH_DB_TIMEOUT_S``), so that a database that is
    down *or hangs* answers 503 in seconds rather than holding every request: connecting (libpq's
    ``connect_timeout``), waiting for a pooled connection (``pool_timeout``), a statement (PostgreSQL's
    ``statement_timeout``, and on the client a wait of the same length for each answer: a server that is
    stopped (SIGSTOP) or cut off accepts the bytes and never answers, and only the client can notice), and
    SQLite's busy wait on a locked file. Values given in the URL (``?connect_timeout=``, ``?options=``) win."""
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    if _no_result_rows not in engine_log.filters:
        engine_log.addFilter(_no_result_rows)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args: dict[str, Any] = {}
        postgres = parsed.get_backend_name() == "postgresql"
        if postgres and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = max(2, math.ceil(timeout_s))  # libpq: whole seconds, at least 2
        if postgres and "options" not in parsed.query:
            connect_args["options"] = f"-c statement_timeout={int(timeout_s * 1000)}"
        engine = create_engine(
            url,
            # pre-ping: a connection the database dropped (restart, failover) is replaced, not handed out
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=10,
            pool_timeout=timeout_s,
            hide_parameters=True,
            connect_args=connect_args,
        )
        if postgres and parsed.get_driver_name() == "psycopg":
            _answer_within(engine, timeout_s + 1.0)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeout_s}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def _answer_within(engine: Engine, seconds: float) -> None:
    """psycopg connections that give up on an answer after ``seconds``: closed, with an OperationalError (503).

    psycopg waits for each answer of the server for ever; its ``Connection.wait`` takes a timeout (psycopg
    3.3), which this subclass always passes. A server that is merely slow hits ``statement_timeout`` first
    (a second earlier) and the connection stays usable. With an older psycopg nothing changes."""
    import inspect

    import psycopg

    if "timeout" not in inspect.signature(psycopg.Connection.wait).parameters:
        return

    class AnsweringConnection(psycopg.Connection):
        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            try:
                return super().wait(gen, interval=interval, timeout=seconds if timeout is None else timeout)
            except psycopg.OperationalError as exc:
                if type(exc).__name__ != "_WaitTimeout":
                    raise
                # the protocol is mid-exchange: this connection cannot be used again
                self.pgconn.finish()
                raise psycopg.OperationalError(f"the database did not answer within {seconds:g} s") from None

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> Any:
        return AnsweringConnection.connect(*cargs, **cparams)


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
