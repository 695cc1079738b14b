"""The background batch runner on SQLite and PostgreSQL: atomic claims, leases, failures, database errors."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from api.batch_runner import BatchRunner
from api.config import ServiceSettings
from api.db import BatchResult, BatchRun, Document
from api.security import LOCAL_OWNER, get_or_create_owner
from api.services import Services
from matcher.engine import Engine
from matcher.scoring.profiles import profile_to_dict
from tests.api.conftest import SAMPLE_JOB, SAMPLE_RESUME


@pytest.fixture
def services(client: TestClient) -> Iterator[Services]:
    """The session app's services on empty tables, its own runner paused so that only the test's runners claim."""
    runner: BatchRunner = client.app.state.batch_runner
    runner.stop()
    yield client.app.state.services
    runner.start()


def add_runs(services: Services, n: int, **values: Any) -> list[str]:
    with services.sessions() as session:
        owner = get_or_create_owner(session, LOCAL_OWNER)
        runs = [
            BatchRun(owner_id=owner.id, status="queued", resume_ids=[], job_ids=[], total_pairs=0, **values)
            for _ in range(n)
        ]
        session.add_all(runs)
        session.commit()
        return [run.id for run in runs]


def add_document(services: Services, kind: str, profile: dict[str, Any]) -> str:
    with services.sessions() as session:
        owner = get_or_create_owner(session, LOCAL_OWNER)
        doc = Document(
            owner_id=owner.id,
            kind=kind,
            format="text",
            content_hash="0" * 64,
            text="",
            sections=[],
            skills=[],
            diagnostics={},
            warnings=[],
            profile=profile,
            taxonomy_version="test",
        )
        session.add(doc)
        session.commit()
        return doc.id


def get_run(services: Services, run_id: str) -> BatchRun:
    with services.sessions() as session:
        run = session.get(BatchRun, run_id)
        assert run is not None
        return run


def runner(services: Services, name: str, **options: Any) -> BatchRunner:
    return BatchRunner(services.sessions, services.engine, services.settings, name=name, **options)


def test_batch_runner_two_runners_never_claim_the_same_run(services: Services) -> None:
    run_ids = add_runs(services, 40)
    runners = [runner(services, "worker-a"), runner(services, "worker-b")]
    claimed: dict[str, list[str]] = {r.name: [] for r in runners}
    errors: list[BaseException] = []
    start = threading.Barrier(len(runners))

    def take(r: BatchRunner) -> None:
        try:
            start.wait()
            while (run_id := r.claim()) is not None:
                claimed[r.name].append(run_id)
        except BaseException as exc:  # reported below: an exception in a thread would pass unseen
            errors.append(exc)

    threads = [threading.Thread(target=take, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    a, b = claimed.values()
    assert not set(a) & set(b)
    assert sorted(a + b) == sorted(run_ids)  # every run claimed exactly once
    for name, ids in claimed.items():
        for run_id in ids:
            run = get_run(services, run_id)
            assert (run.status, run.lease_owner) == ("running", name)


def test_batch_runner_takes_over_only_an_expired_lease(services: Services) -> None:
    [run_id] = add_runs(services, 1)
    first = runner(services, "first", lease_s=0.3)
    second = runner(services, "second", lease_s=30)
    assert first.claim() == run_id
    assert second.claim() is None  # its lease is live: the first worker may still be at it
    time.sleep(0.4)
    assert second.claim() == run_id  # the first worker died (or stalled): its lease expired
    assert get_run(services, run_id).lease_owner == "second"
    assert first.claim() is None
    first.work(run_id)  # the stalled worker wakes up: its lease check refuses it, nothing is written
    run = get_run(services, run_id)
    assert (run.status, run.lease_owner) == ("running", "second")
    second.work(run_id)
    run = get_run(services, run_id)
    assert (run.status, run.lease_owner, run.lease_until) == ("done", None, None)


def test_batch_runner_stop_gives_the_run_back(services: Services) -> None:
    [run_id] = add_runs(services, 1)
    worker = runner(services, "worker")
    assert worker.claim() == run_id
    worker.stop()
    run = get_run(services, run_id)
    assert (run.status, run.lease_owner, run.lease_until) == ("queued", None, None)


def test_batch_runner_a_profile_it_cannot_read_fails_the_run(services: Services) -> None:
    resume_id = add_document(services, "resume", {"not": "a profile"})
    job_id = add_document(services, "job", {"requirements": []})
    [run_id] = add_runs(services, 1)
    with services.sessions() as session:
        run = session.get(BatchRun, run_id)
        assert run is not None
        run.resume_ids, run.job_ids, run.total_pairs = [resume_id], [job_id], 1
        session.commit()
    worker = runner(services, "worker")
    assert worker.run_once()
    run = get_run(services, run_id)
    assert (run.status, run.error, run.lease_owner) == ("failed", "scoring failed (KeyError)", None)
    assert not worker.run_once()  # a failed run is not claimed again
    with services.sessions() as session:
        assert session.scalars(select(BatchResult)).all() == []


def test_batch_runner_survives_database_errors_and_stops(
    tmp_path: Path, matcher_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    broken = create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}")  # cannot be opened
    logger = logging.getLogger("skillmatch.api.batch")
    logger.addHandler(caplog.handler)  # the app's logging config may stop propagation to the root
    try:
        worker = BatchRunner(sessionmaker(broken), matcher_engine, ServiceSettings(), poll_s=0.01, backoff_max_s=0.05)
        worker.start()
        deadline = time.monotonic() + 10
        while len(caplog.records) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert worker.running  # backs off and retries; the thread lives on
        started = time.monotonic()
        worker.stop()
        assert not worker.running
        assert time.monotonic() - started < 2
    finally:
        logger.removeHandler(caplog.handler)
        broken.dispose()
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) >= 3
    assert all("database error OperationalError" in m for m in messages)


def test_batch_runner_a_run_never_reads_another_owners_documents(services: Services, matcher_engine: Engine) -> None:
    """The runner reads documents through api.store as the run's owner: a run of alice's that names bob's documents
    (the route refuses such ids with 404, but the runner must not depend on it) scores only alice's."""
    resume = matcher_engine.load(SAMPLE_RESUME.read_bytes(), kind="resume", name=SAMPLE_RESUME.name).resume
    job = matcher_engine.load(SAMPLE_JOB.read_bytes(), kind="job", name=SAMPLE_JOB.name).job
    assert resume is not None
    assert job is not None
    with services.sessions() as session:
        alice, bob = get_or_create_owner(session, LOCAL_OWNER), get_or_create_owner(session, "bob")
        documents = {
            (owner.name, kind): Document(
                owner_id=owner.id, kind=kind, format="text", content_hash="0" * 64, text="", sections=[], skills=[],
                diagnostics={}, warnings=[], profile=profile_to_dict(profile), taxonomy_version="test",
            )
            for owner in (alice, bob)
            for kind, profile in (("resume", resume), ("job", job))
        }  # fmt: skip
        session.add_all(documents.values())
        session.flush()
        ids = {key: doc.id for key, doc in documents.items()}
        run = BatchRun(
            owner_id=alice.id,
            status="queued",
            resume_ids=[ids[LOCAL_OWNER, "resume"], ids["bob", "resume"]],
            job_ids=[ids["bob", "job"], ids[LOCAL_OWNER, "job"]],
            total_pairs=4,
        )
        session.add(run)
        session.commit()
        run_id = run.id
    assert runner(services, "worker").run_once()
    run = get_run(services, run_id)
    assert (run.status, run.total_pairs, run.done_pairs) == ("done", 1, 1)
    with services.sessions() as session:
        scored = session.execute(select(BatchResult.resume_id, BatchResult.job_id, BatchResult.data)).all()
    assert [(r, j) for r, j, _ in scored] == [(ids[LOCAL_OWNER, "resume"], ids[LOCAL_OWNER, "job"])]
    assert scored[0].data["rank"] == 1  # ranked among alice's jobs alone
