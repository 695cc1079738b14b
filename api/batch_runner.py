"""Batch runs in the service: stored profiles scored many x many, at once or by a background thread per worker.

Scoring never parses again: it reads each document's stored profile and scores it with the vectorised rows of
:mod:`matcher.batch` (the ``skillmatch batch`` rows, so the CLI and the service agree). Documents are read through
:mod:`api.store`'s owner-scoped functions, always as the run's owner: a run never sees another owner's documents.

The runner keeps no state of its own: the database is the queue. A worker *claims* a run with one
``UPDATE ... WHERE`` (queued, or running with an expired lease), so two workers never take the same run; then it
scores the pending resumes in chunks, and writes each chunk's results, its progress and a renewed lease in ONE
transaction that first checks the lease is still its own. A worker that dies leaves a lease that expires; the
next worker computes the pending pairs (resumes without results) and continues, and the unique key
``(batch_id, resume_id, job_id)`` makes a pair written twice impossible. A document deleted mid-run drops its
pairs; it does not fail the run.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import ColumnElement

from api import metrics, store
from api.config import ServiceSettings
from api.db import BatchResult, BatchRun, utcnow
from matcher.batch import JobSet, RowBuilder
from matcher.engine import Engine
from matcher.scoring.profiles import ResumeProfile, job_profile_from_dict, resume_profile_from_dict
from matcher.settings import Settings

log = logging.getLogger("skillmatch.api.batch")

#: Pairs scored per chunk (one transaction) at most; at least one resume against every job.
CHUNK_PAIRS = 2_000
#: Rows per INSERT statement: well under SQLite's and PostgreSQL's bound-parameter limits.
_INSERT_CHUNK = 500


# ------------------------------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Jobs:
    """The jobs of a run, profiled once, with the row builder that scores resumes against all of them."""

    ids: tuple[str, ...]
    builder: RowBuilder | None  # None when no job is left

    @classmethod
    def build(cls, engine: Engine, settings: Settings, profiles: dict[str, dict[str, Any]], *, top: int | None) -> Jobs:
        """From the jobs' stored profiles (``id -> profile``, as :func:`api.store.document_profiles` gives them)."""
        ids = tuple(profiles)
        if not ids:
            return cls(ids, None)
        jobs = [job_profile_from_dict(p) for p in profiles.values()]
        return cls(ids, RowBuilder(engine, JobSet.from_profiles(ids, jobs, engine, settings, top=top)))

    def rows(self, profiles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        """Result rows of these resumes: per resume (in order), its jobs best first (the ``top`` best)."""
        if self.builder is None or not profiles:
            return []
        resumes: list[ResumeProfile] = [resume_profile_from_dict(p) for p in profiles.values()]
        rows = self.builder.rows(list(profiles), resumes)
        position = {resume_id: i for i, resume_id in enumerate(profiles)}
        rows.sort(key=lambda row: (position[row["resume"]], row["rank"]))  # each resume's jobs best first
        return rows


def result_values(batch_id: str, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``batch_results`` rows for an INSERT: ids and score in columns, the rest of the row as JSON."""
    return [
        {
            "batch_id": batch_id,
            "resume_id": row["resume"],
            "job_id": row["job"],
            "score": row["score"],
            "data": {
                "rank": row["rank"],
                "components": row["components"],
                "matched": row["matched"],
                "partial": row["partial"],
                "missing": row["missing"],
                "top_missing": row["top_missing"],
            },
        }
        for row in rows
    ]


def insert_results(session: Session, batch_id: str, rows: Sequence[dict[str, Any]]) -> None:
    values = result_values(batch_id, rows)
    for start in range(0, len(values), _INSERT_CHUNK):
        session.execute(insert(BatchResult), values[start : start + _INSERT_CHUNK])
    metrics.BATCH_PAIRS_SCORED.inc(len(values))


def delete_run(session: Session, owner_id: int, batch_id: str) -> bool:
    """Delete a run and its results (a worker running it loses its lease check and stops); False if not found."""
    found = session.scalar(select(BatchRun.id).where(BatchRun.id == batch_id, BatchRun.owner_id == owner_id))
    if found is None:
        return False
    session.execute(delete(BatchResult).where(BatchResult.batch_id == batch_id))
    session.execute(delete(BatchRun).where(BatchRun.id == batch_id, BatchRun.owner_id == owner_id))
    return True


# -------------------------------------------------------------------------------------------------- runner


def claimable(now: Any) -> ColumnElement[bool]:
    """Runs a worker may take: queued, or running under a lease that has expired (its worker died)."""
    return or_(
        BatchRun.status == "queued",
        and_(BatchRun.status == "running", or_(BatchRun.lease_until.is_(None), BatchRun.lease_until < now)),
    )


@dataclass
class _Budget:
    """Chunks a call may still write (None: no limit)."""

    left: int | None

    @property
    def spent(self) -> bool:
        return self.left is not None and self.left <= 0

    def spend(self) -> None:
        if self.left is not None:
            self.left -= 1


class LeaseLost(Exception):
    """The run was deleted, or another worker took it over: stop working on it."""


class BatchRunner:
    """Runs queued batches in a daemon thread; one per worker process, started and stopped by the app lifespan.

    ``poll_s``: how often to look for work when idle; ``lease_s``: how long a claim lasts without renewal (a
    chunk must take less); ``chunk_pairs``: pairs per chunk; ``backoff_max_s``: the longest wait after a
    database error; ``autostart``: whether the lifespan starts the thread (tests step it by hand).
    """

    def __init__(
        self,
        sessions: sessionmaker,
        engine: Engine,
        settings: ServiceSettings,
        *,
        poll_s: float | None = None,
        lease_s: float | None = None,
        chunk_pairs: int = CHUNK_PAIRS,
        backoff_max_s: float = 30.0,
        autostart: bool = True,
        name: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.engine = engine
        self.settings = settings
        self.poll_s = poll_s if poll_s is not None else settings.batch_poll_s
        self.lease = timedelta(seconds=lease_s if lease_s is not None else settings.batch_lease_s)
        self.chunk_pairs = max(1, chunk_pairs)
        self.backoff_max_s = max(backoff_max_s, self.poll_s)
        self.autostart = autostart
        self.name = (name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")[:64]
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        #: runs this runner holds a lease on, released on stop so that the next worker need not wait for it
        self._held: set[str] = set()
        self._lock = threading.Lock()

    # -- thread

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="skillmatch-batch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the chunk in progress, and release the runs still held so another worker resumes them."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout if timeout is not None else self.lease.total_seconds() + 5)
            self._thread = None
        self.release()

    def wake(self) -> None:
        """Look for work now (a run was just queued) rather than at the next poll."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        backoff = self.poll_s
        while not self._stop.is_set():
            wait = self.poll_s
            try:
                worked = self.run_once()
                backoff = self.poll_s
            except SQLAlchemyError as exc:  # database down, locked, restarting: wait and retry, never die
                log.warning("batch runner: database error %s; retrying in %.1fs", type(exc).__name__, backoff)
                worked, wait = False, backoff
                backoff = min(backoff * 2, self.backoff_max_s)
            except Exception as exc:  # a bug must not end the thread: every later run would wait forever
                log.error("batch runner: unexpected %s; retrying in %.1fs", type(exc).__name__, backoff)
                worked, wait = False, backoff
                backoff = min(backoff * 2, self.backoff_max_s)
            if not worked:
                self._wake.wait(wait)
                self._wake.clear()

    # -- work

    def run_once(self, *, max_chunks: int | None = None) -> bool:
        """Claim one run and :meth:`work` on it; False when there was nothing to claim."""
        run_id = self.claim()
        if run_id is None:
            return False
        self.work(run_id, max_chunks=max_chunks)
        return True

    def claim(self) -> str | None:
        """Take the oldest claimable run; the conditional UPDATE makes the claim atomic across workers."""
        now = utcnow()
        with self.sessions() as session:
            candidates = session.scalars(
                select(BatchRun.id).where(claimable(now)).order_by(BatchRun.created_at, BatchRun.id).limit(20)
            ).all()
            for run_id in candidates:
                result = session.execute(
                    update(BatchRun)
                    .where(BatchRun.id == run_id, claimable(now))
                    .values(status="running", lease_owner=self.name, lease_until=now + self.lease, updated_at=now)
                    .execution_options(synchronize_session=False)
                )
                session.commit()
                if result.rowcount == 1:
                    with self._lock:
                        self._held.add(run_id)
                    log.info("batch %s: claimed by %s", run_id, self.name)
                    return run_id
        return None

    def work(self, run_id: str, *, max_chunks: int | None = None) -> None:
        """Work on a run this runner claimed, until it is done, deleted, taken over, stopped or ``max_chunks``
        chunks are written (then the lease is kept, as if this worker had died)."""
        budget = _Budget(max_chunks)
        try:
            for attempt in range(1, 6):
                try:
                    self._work_pass(run_id, budget)
                    return
                except IntegrityError as exc:
                    # a document deleted between reading it and writing its pairs: read what is left, go on
                    log.info("batch %s: %s while writing (%d); re-reading", run_id, type(exc).__name__, attempt)
            self._work_pass(run_id, budget)
        except LeaseLost:
            log.info("batch %s: deleted or taken over by another worker", run_id)
            self._forget(run_id)

    def _work_pass(self, run_id: str, budget: _Budget) -> None:
        """One pass over the pending resumes, until they are done or the runner stops."""
        with self.sessions() as session:
            run = session.get(BatchRun, run_id)
            if run is None or run.lease_owner != self.name or run.status != "running":
                raise LeaseLost()
            owner_id, top, resume_ids = run.owner_id, run.top, list(run.resume_ids)
            job_profiles = store.document_profiles(session, owner_id=owner_id, kind="job", ids=list(run.job_ids))
            live = set(store.document_ids(session, owner_id=owner_id, kind="resume", ids=resume_ids))
            done = set(session.scalars(select(BatchResult.resume_id).where(BatchResult.batch_id == run_id).distinct()))
        try:
            jobs = Jobs.build(self.engine, self.settings, job_profiles, top=top)
        except Exception as exc:
            self._fail(run_id, exc)
            return
        resumes = [r for r in resume_ids if r in live]
        pending = [r for r in resumes if r not in done] if jobs.ids else []
        n_jobs = len(jobs.ids)
        total = len(resumes) * n_jobs
        done_resumes = len(resumes) - len(pending)
        per_chunk = max(1, self.chunk_pairs // max(1, n_jobs))
        for start in range(0, len(pending), per_chunk):
            if self._stop.is_set() or budget.spent:
                return
            chunk = pending[start : start + per_chunk]
            with self.sessions() as session:
                profiles = store.document_profiles(session, owner_id=owner_id, kind="resume", ids=chunk)
            try:
                rows = jobs.rows(profiles)
            except Exception as exc:
                self._fail(run_id, exc)
                return
            dropped = len(chunk) - len(profiles)  # deleted since the pass began
            total -= dropped * n_jobs
            done_resumes += len(profiles)
            with self.sessions() as session, session.begin():
                # the lease check first: on PostgreSQL it locks the run's row until this chunk commits
                self._renew(session, run_id, done_pairs=done_resumes * n_jobs, total_pairs=total)
                insert_results(session, run_id, rows)
            budget.spend()
        with self.sessions() as session, session.begin():
            # counted again at the end: a document deleted after its chunk drops its pairs here
            n_resumes = len(store.document_ids(session, owner_id=owner_id, kind="resume", ids=resume_ids))
            n_jobs_left = len(store.document_ids(session, owner_id=owner_id, kind="job", ids=list(jobs.ids)))
            total = n_resumes * n_jobs_left
            self._renew(session, run_id, done_pairs=total, total_pairs=total, status="done")
        self._forget(run_id)
        log.info("batch %s: done, %d pairs", run_id, total)

    def _renew(self, session: Session, run_id: str, *, status: str | None = None, **values: Any) -> None:
        now = utcnow()
        if status is None:
            values |= {"lease_until": now + self.lease}
        else:
            values |= {"status": status, "lease_owner": None, "lease_until": None}
        result = session.execute(
            update(BatchRun)
            .where(BatchRun.id == run_id, BatchRun.lease_owner == self.name, BatchRun.status == "running")
            .values(updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost()

    def _fail(self, run_id: str, exc: Exception) -> None:
        """A run that cannot be scored (a stored profile this taxonomy cannot read): failed, with the error class."""
        log.error("batch %s: failed with %s", run_id, type(exc).__name__)
        with self.sessions() as session, session.begin():
            self._renew(session, run_id, status="failed", error=f"scoring failed ({type(exc).__name__})")
        self._forget(run_id)

    def _forget(self, run_id: str) -> None:
        with self._lock:
            self._held.discard(run_id)

    def release(self) -> None:
        """Give back the runs held (queued again, progress kept); a database error leaves them to lease expiry."""
        with self._lock:
            held, self._held = set(self._held), set()
        if not held:
            return
        try:
            with self.sessions() as session, session.begin():
                session.execute(
                    update(BatchRun)
                    .where(BatchRun.id.in_(held), BatchRun.lease_owner == self.name, BatchRun.status == "running")
                    .values(status="queued", lease_owner=None, lease_until=None, updated_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
        except SQLAlchemyError as exc:
            log.warning("batch runner: could not release %d runs (%s)", len(held), type(exc).__name__)
