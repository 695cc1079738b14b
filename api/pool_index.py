"""The pool index: per owner, the stored job posts and resumes as :mod:`matcher.scoring.pool` arrays, for the rankings
both ways (``POST /v1/resumes/{id}/jobs``, ``POST /v1/jobs/{id}/candidates``).

**Built lazily**, on an owner's first ranking of a kind, by streaming the ``pool_features`` rows (a fifth of a
profile each) a chunk at a time; a document stored before that table existed is read once from its profile and
its features written back. The pool is the owner's ``pool_features`` rows of that kind: every upload writes its
row in its own transaction, and a delete removes it.

**Kept consistent across workers.** Every upload and delete replaces the owner's token for that kind
(``pool_versions``) in its own transaction. Before each search a worker reads the token; if it is not the one its
pool was built at, it lists the owner's document ids of that kind, drops the rows gone and streams in the new
ones (the ids from ``pool_features``' covering index, not from the wide documents table). The token is read
*before* the ids, so whatever the worker holds afterwards includes every change committed before the token it
records (a change committed in between is picked up again at the next search). A random token rather than a
counter: a database emptied and refilled must not look unchanged.

**Owner isolation.** Pools are keyed by owner id and every query here filters on it; nothing else can reach one.
"""

from __future__ import annotations

import ctypes
import gc
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine as DatabaseEngine
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db import Document, PoolFeatures, PoolVersion, new_id
from matcher.engine import Engine
from matcher.scoring.pool import FEATURES_VERSION, JobPool, ResumePool, Row, features
from matcher.scoring.profiles import JobProfile, ResumeProfile, job_profile_from_dict, resume_profile_from_dict
from matcher.types import DocumentKind

#: rows fetched from the database at a time while a pool is built
CHUNK = 2000
#: new ids up to this many are fetched by id; more, and the owner's rows are streamed again (held ones skipped)
BY_ID = 1000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

AnyPool = JobPool | ResumePool


def order_of(created_at: datetime) -> int:
    """A document's tie order: its upload time in whole microseconds (SQLite hands times back without a zone)."""
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return (created_at - _EPOCH) // timedelta(microseconds=1)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector off while a pool is built: decoding and building create millions of
    containers and no cycles, and the collections they would trigger took three quarters of the time (3.5 s of
    4.3 s for 50,000 job features, measured)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def give_back_memory() -> None:
    """Return the heap freed after a build to the system (glibc's ``malloc_trim``; nothing elsewhere). Decoding
    tens of thousands of features records leaves some 60 MB of freed but mapped memory per 50,000 rows that the
    allocator keeps otherwise, counted in the worker's RSS."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# ----------------------------------------------------------------------------------------------------- writing


def touch(session: Session, *, owner_id: int, kind: DocumentKind) -> None:
    """A new token for the owner's pool of ``kind``, in the session's transaction (an upsert: no row yet, or a
    row another worker wrote, both end with this one)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    token = new_id()
    statement = insert(PoolVersion).values(owner_id=owner_id, kind=kind, token=token)
    session.execute(statement.on_conflict_do_update(index_elements=["owner_id", "kind"], set_={"token": token}))


def record_upload(session: Session, row: Document, profile: ResumeProfile | JobProfile) -> None:
    """What the pools need of a document just added to the session: its features, and a new token."""
    session.flush()  # the document first: its features refer to it
    session.add(
        PoolFeatures(
            document_id=row.id,
            owner_id=row.owner_id,
            kind=row.kind,
            order=order_of(row.created_at),
            features=features(profile),
        )
    )
    touch(session, owner_id=row.owner_id, kind=row.kind)  # type: ignore[arg-type]


def record_delete(session: Session, *, owner_id: int, kind: DocumentKind, document_id: str) -> None:
    """A document deleted in the session: its features go (the foreign key cascades too), and a new token."""
    session.execute(
        delete(PoolFeatures).where(PoolFeatures.document_id == document_id, PoolFeatures.owner_id == owner_id)
    )
    touch(session, owner_id=owner_id, kind=kind)


# ----------------------------------------------------------------------------------------------------- reading


@dataclass
class _Entry:
    pool: AnyPool
    token: str | None = None
    built: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class PoolIndex:
    """This worker's pools, one per (owner, kind), each refreshed from the database before it is searched."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._entries: dict[tuple[int, str], _Entry] = {}
        self._lock = threading.Lock()

    def _entry(self, owner_id: int, kind: DocumentKind) -> _Entry:
        with self._lock:
            entry = self._entries.get((owner_id, kind))
            if entry is None:
                cls = JobPool if kind == "job" else ResumePool
                entry = self._entries[(owner_id, kind)] = _Entry(cls(self.engine.index, as_of=self.engine.as_of))
            return entry

    @contextmanager
    def pool(self, session: Session, *, owner_id: int, kind: DocumentKind) -> Iterator[AnyPool]:
        """The owner's pool of ``kind``, current as of this call, held for the caller alone until it exits
        (a refresh never runs under a search)."""
        entry = self._entry(owner_id, kind)
        with entry.lock:
            self._refresh(session, entry, owner_id=owner_id, kind=kind)
            yield entry.pool

    def _refresh(self, session: Session, entry: _Entry, *, owner_id: int, kind: DocumentKind) -> None:
        token = session.scalar(
            select(PoolVersion.token).where(PoolVersion.owner_id == owner_id, PoolVersion.kind == kind)
        )
        if entry.built and entry.token == token:
            return
        with _no_gc():
            self._apply(session, entry, owner_id=owner_id, kind=kind, token=token)

    def _apply(self, session: Session, entry: _Entry, *, owner_id: int, kind: DocumentKind, token: str | None) -> None:
        new: set[str] = set()
        if not entry.built:
            # documents stored before the pool existed first (their features computed and written back), then
            # the stream; a row in both is added once
            missing = session.scalars(
                select(Document.id).where(
                    Document.owner_id == owner_id,
                    Document.kind == kind,
                    ~select(PoolFeatures.document_id).where(PoolFeatures.document_id == Document.id).exists(),
                )
            ).all()
            entry.pool.add(self._backfill(session, owner_id=owner_id, kind=kind, ids=list(missing)))
            entry.pool.add(self._rows(session, owner_id=owner_id, kind=kind))
        else:
            # the ids from the pool's own table: an index-only scan (the documents' rows are wide)
            current = set(
                session.scalars(
                    select(PoolFeatures.document_id).where(PoolFeatures.owner_id == owner_id, PoolFeatures.kind == kind)
                )
            )
            held = set(entry.pool.keys())
            entry.pool.remove(held - current)
            new = current - held
            if new:
                entry.pool.add(self._rows(session, owner_id=owner_id, kind=kind, ids=new))
        if not entry.built or len(new) > BY_ID:
            give_back_memory()
        entry.token, entry.built = token, True

    def _rows(
        self, session: Session, *, owner_id: int, kind: DocumentKind, ids: Iterable[str] | None = None
    ) -> Iterator[Row]:
        """``(id, order, features)`` of the owner's rows of ``kind`` in ``pool_features`` (of ``ids`` only, when
        few), streamed; features of an older version are computed again from the profiles and written back."""
        where = [PoolFeatures.owner_id == owner_id, PoolFeatures.kind == kind]
        wanted = list(ids) if ids is not None else None
        if wanted is not None and len(wanted) <= BY_ID:
            where.append(PoolFeatures.document_id.in_(wanted))
        statement = (
            select(PoolFeatures.document_id, PoolFeatures.order, PoolFeatures.features)
            .where(*where)
            .execution_options(yield_per=CHUNK)
        )
        stale: list[str] = []
        for document_id, order, data in session.execute(statement):
            if data.get("v") != FEATURES_VERSION:
                stale.append(document_id)
            else:
                yield document_id, order, data
        for start in range(0, len(stale), CHUNK):
            yield from self._backfill(session, owner_id=owner_id, kind=kind, ids=stale[start : start + CHUNK])

    def _backfill(self, session: Session, *, owner_id: int, kind: DocumentKind, ids: list[str]) -> list[Row]:
        """Features of documents stored without them (or with an older version), from their profiles; written
        back in a transaction of their own, so that the next build streams them. Read by primary key, owner and
        kind checked on the rows (see :func:`api.store.documents_by_id`)."""
        rows: list[Row] = []
        from_dict = resume_profile_from_dict if kind == "resume" else job_profile_from_dict
        for start in range(0, len(ids), CHUNK):
            found = session.execute(
                select(Document.id, Document.created_at, Document.profile, Document.owner_id, Document.kind).where(
                    Document.id.in_(ids[start : start + CHUNK])
                )
            ).all()
            rows += [
                (i, order_of(created), features(from_dict(profile)))
                for i, created, profile, owner, found_kind in found
                if owner == owner_id and found_kind == kind
            ]
        if not rows:
            return rows
        bind = session.get_bind()
        engine: DatabaseEngine = bind if isinstance(bind, DatabaseEngine) else bind.engine
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        values: list[dict[str, Any]] = [
            {"document_id": i, "owner_id": owner_id, "kind": kind, "order": order, "features": data}
            for i, order, data in rows
        ]
        statement = insert(PoolFeatures)
        statement = statement.on_conflict_do_update(
            index_elements=["document_id"], set_={"features": statement.excluded.features}
        )
        try:
            with engine.begin() as connection:
                connection.execute(statement, values)
        except IntegrityError:  # a document deleted meanwhile: its features are not needed
            pass
        return rows
