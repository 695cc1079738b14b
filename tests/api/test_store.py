"""The owner-scoped data access layer, on both databases (the ``client`` fixture supplies empty tables)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import store
from api.db import BatchResult, BatchRun, Document, Owner, Report
from api.errors import NotFound
from matcher.engine import Analysed, Engine
from matcher.report.model import report_to_dict
from matcher.scoring.profiles import job_profile_from_dict, resume_profile_from_dict
from tests.api.conftest import SAMPLE_JOB, SAMPLE_RESUME

STUFFED = SAMPLE_RESUME.parents[1] / "broken" / "keyword_stuffing.pdf"


@pytest.fixture
def session(client: TestClient) -> Iterator[Session]:
    with client.app.state.services.sessions() as session:
        yield session


@pytest.fixture
def owners(session: Session) -> tuple[int, int]:
    alice, bob = Owner(name="alice"), Owner(name="bob")
    session.add_all([alice, bob])
    session.commit()
    return alice.id, bob.id


@pytest.fixture(scope="module")
def resume(matcher_engine: Engine) -> Analysed:
    return matcher_engine.load(SAMPLE_RESUME.read_bytes(), kind="resume", name=SAMPLE_RESUME.name)


@pytest.fixture(scope="module")
def job(matcher_engine: Engine) -> Analysed:
    return matcher_engine.load(SAMPLE_JOB.read_bytes(), kind="job", name=SAMPLE_JOB.name)


def add(session: Session, owner_id: int, analysed: Analysed, *, redact_text: bool = True) -> Document:
    return store.create_document(
        session,
        owner_id=owner_id,
        analysed=analysed,
        content_hash=hashlib.sha256(analysed.document.text.encode()).hexdigest(),
        filename=analysed.source,
        redact_text=redact_text,
    )


def test_store_document_round_trip_keeps_the_profile(
    session: Session, owners: tuple[int, int], resume: Analysed, job: Analysed, matcher_engine: Engine
) -> None:
    alice, _ = owners
    resume_row, job_row = add(session, alice, resume), add(session, alice, job)
    session.commit()
    session.expunge_all()
    loaded_resume = store.get_document(session, owner_id=alice, kind="resume", document_id=resume_row.id)
    loaded_job = store.get_document(session, owner_id=alice, kind="job", document_id=job_row.id)
    assert resume_profile_from_dict(loaded_resume.profile) == resume.resume
    assert job_profile_from_dict(loaded_job.profile) == job.job
    # stored profiles score exactly as a fresh analysis does
    stored = matcher_engine.score(
        resume_profile_from_dict(loaded_resume.profile),
        job_profile_from_dict(loaded_job.profile),
        diagnostics={
            "resume": store.parse_diagnostics(loaded_resume.diagnostics),
            "job": store.parse_diagnostics(loaded_job.diagnostics),
        },
    )
    assert report_to_dict(stored) == report_to_dict(matcher_engine.match(resume, job))


def test_store_resume_text_redacted_same_length(session: Session, owners: tuple[int, int], resume: Analysed) -> None:
    alice, _ = owners
    masked, verbatim = add(session, alice, resume), add(session, alice, resume, redact_text=False)
    assert masked.redacted
    assert not verbatim.redacted
    assert len(masked.text) == len(verbatim.text) == len(resume.document.text)
    assert verbatim.text == resume.document.text
    pii = resume.analysis.pii
    assert pii is not None
    assert pii.emails
    for email in pii.emails:
        assert email not in masked.text


def test_store_hidden_text_kept_apart_from_the_diagnostics(
    session: Session, owners: tuple[int, int], matcher_engine: Engine
) -> None:
    stuffed = matcher_engine.load(STUFFED.read_bytes(), kind="resume")
    row = add(session, owners[0], stuffed)
    hidden = store.hidden_text(row.diagnostics)
    assert [h["reason"] for h in hidden] == [h.reason for h in stuffed.document.hidden_text]
    assert all("text" not in h for h in hidden)
    # what is left is the library's diagnostics, as Engine.match puts them in a report
    assert store.parse_diagnostics(row.diagnostics) == stuffed.diagnostics()


def test_store_other_owner_sees_nothing(
    session: Session, owners: tuple[int, int], resume: Analysed, job: Analysed
) -> None:
    alice, bob = owners
    row = add(session, alice, resume)
    report = store.create_report(session, owner_id=alice, resume_id=row.id, job_id=None, data={"score": 50.0})
    session.commit()
    with pytest.raises(NotFound):
        store.get_document(session, owner_id=bob, kind="resume", document_id=row.id)
    with pytest.raises(NotFound):
        store.get_document(session, owner_id=alice, kind="job", document_id=row.id)
    with pytest.raises(NotFound):
        store.delete_document(session, owner_id=bob, kind="resume", document_id=row.id)
    with pytest.raises(NotFound):
        store.get_report(session, owner_id=bob, report_id=report.id)
    with pytest.raises(NotFound):
        store.delete_report(session, owner_id=bob, report_id=report.id)
    assert store.list_documents(session, owner_id=bob, kind="resume", limit=10, offset=0) == ([], 0)
    assert store.list_reports(session, owner_id=bob, limit=10, offset=0) == ([], 0)
    assert store.documents_by_id(session, owner_id=bob, kind="resume", ids=[row.id]) == {}
    assert list(store.documents_by_id(session, owner_id=alice, kind="resume", ids=[row.id])) == [row.id]
    # what batches read (api.batch_runner, api.routes.batch): the owner's documents only, too
    assert store.document_kinds(session, owner_id=bob, ids=[row.id]) == {}
    assert store.document_profiles(session, owner_id=bob, kind="resume", ids=[row.id]) == {}
    assert store.document_ids(session, owner_id=bob, kind="resume", ids=[row.id]) == []
    assert store.document_kinds(session, owner_id=alice, ids=[row.id]) == {row.id: "resume"}
    assert list(store.document_profiles(session, owner_id=alice, kind="resume", ids=[row.id])) == [row.id]
    assert store.document_ids(session, owner_id=alice, kind="job", ids=[row.id]) == []
    session.commit()
    assert store.get_document(session, owner_id=alice, kind="resume", document_id=row.id).id == row.id
    assert store.get_report(session, owner_id=alice, report_id=report.id).score == 50.0


def test_store_batch_lookups_take_any_number_of_ids_in_their_order(
    session: Session, owners: tuple[int, int], resume: Analysed, job: Analysed
) -> None:
    alice, _ = owners
    first, last, other = add(session, alice, resume), add(session, alice, resume), add(session, alice, job)
    session.commit()
    missing = [f"{i:032x}" for i in range(1_200)]  # more ids than one IN list takes
    ids = [last.id, *missing, other.id, first.id]
    assert store.document_ids(session, owner_id=alice, kind="resume", ids=ids) == [last.id, first.id]
    assert list(store.document_profiles(session, owner_id=alice, kind="resume", ids=ids)) == [last.id, first.id]
    assert store.document_kinds(session, owner_id=alice, ids=ids) == {
        first.id: "resume", last.id: "resume", other.id: "job"
    }


def test_store_delete_document_removes_reports_and_batch_results(
    session: Session, owners: tuple[int, int], resume: Analysed, job: Analysed
) -> None:
    alice, _ = owners
    resume_row, job_row = add(session, alice, resume), add(session, alice, job)
    other_resume = add(session, alice, resume)
    store.create_report(session, owner_id=alice, resume_id=resume_row.id, job_id=job_row.id, data={"score": 1.0})
    kept = store.create_report(session, owner_id=alice, resume_id=other_resume.id, job_id=None, data={"score": 2.0})
    run = BatchRun(
        owner_id=alice, status="done", resume_ids=[resume_row.id, other_resume.id], job_ids=[job_row.id], total_pairs=2
    )
    session.add(run)
    session.flush()
    session.add_all(
        [
            BatchResult(batch_id=run.id, resume_id=resume_row.id, job_id=job_row.id, score=1.0, data={}),
            BatchResult(batch_id=run.id, resume_id=other_resume.id, job_id=job_row.id, score=2.0, data={}),
        ]
    )
    session.commit()

    store.delete_document(session, owner_id=alice, kind="resume", document_id=resume_row.id)
    session.commit()
    assert session.scalars(select(Report.id)).all() == [kept.id]
    assert session.scalars(select(BatchResult.resume_id)).all() == [other_resume.id]
    store.delete_document(session, owner_id=alice, kind="job", document_id=job_row.id)
    session.commit()
    assert session.scalar(select(func.count()).select_from(BatchResult)) == 0
    assert session.scalars(select(Document.id)).all() == [other_resume.id]


def test_store_lists_newest_first_with_count(session: Session, owners: tuple[int, int], resume: Analysed) -> None:
    alice, _ = owners
    rows = [add(session, alice, resume) for _ in range(3)]
    reports = [
        store.create_report(
            session, owner_id=alice, resume_id=None, job_id=None, data={"score": float(i), "job_title": f"job {i}"}
        )
        for i in range(3)
    ]
    session.commit()
    page, count = store.list_documents(session, owner_id=alice, kind="resume", limit=2, offset=0)
    assert count == 3
    assert [r.id for r in page] == [rows[2].id, rows[1].id]
    listed, total = store.list_reports(session, owner_id=alice, limit=5, offset=1)
    assert total == 3
    assert [(r.id, r.score, r.job_title) for r in listed] == [
        (reports[1].id, 1.0, "job 1"),
        (reports[0].id, 0.0, "job 0"),
    ]


def test_store_never_commits(client: TestClient, owners: tuple[int, int], resume: Analysed) -> None:
    services = client.app.state.services
    with services.sessions() as session:
        add(session, owners[0], resume)
        store.create_report(session, owner_id=owners[0], resume_id=None, job_id=None, data={"score": 1.0})
        session.flush()
        session.rollback()
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(Report)) == 0
