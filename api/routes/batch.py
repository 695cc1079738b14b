"""Routes: batch runs, many of the owner's resumes x many of the owner's jobs, scored from the stored profiles.

A small batch (at most ``batch_inline_pairs`` pairs) is scored in the request and answered 201, done; a larger
one is queued (202) for the background runner (:mod:`api.batch_runner`), with progress and paginated results at
``GET /v1/batch/{id}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import store
from api.batch_runner import Jobs, insert_results
from api.batch_runner import delete_run as delete_batch_run
from api.bodies import JsonRoute
from api.db import BatchResult, BatchRun, is_id
from api.deps import OwnerDep, ServicesDep, SessionDep
from api.errors import ApiError, NotFound, problem_responses
from api.schemas import MAX_OFFSET, Text

router = APIRouter(prefix="/v1/batch", tags=["batch"], route_class=JsonRoute)

#: Ids per list at most, and pairs per batch at most: bounds what one request can queue.
MAX_IDS = 10_000
MAX_PAIRS = 1_000_000

_ID_R = "4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01"
_ID_J = "7a2d9c1e0b3f4a5d8c6e1f2a3b4c5d6e"
_ID_B = "c0ffee00c0ffee00c0ffee00c0ffee00"
_ROW_EXAMPLE: dict[str, Any] = {
    "resume_id": _ID_R,
    "job_id": _ID_J,
    "rank": 1,
    "score": 78.4,
    "components": {
        "required_coverage": 0.8333, "preferred_coverage": 0.5, "experience": 1.0, "title_fit": 0.75,
        "qualifications": 0.6,
    },
    "matched": 9,
    "partial": 1,
    "missing": 2,
    "top_missing": ["Kubernetes", "Apache Spark"],
}
_SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": _ID_B,
    "status": "running",
    "top": None,
    "total_pairs": 12000,
    "done_pairs": 4000,
    "pending_pairs": 8000,
    "progress": 0.3333,
    "created_at": "2026-01-15T09:30:00Z",
    "updated_at": "2026-01-15T09:30:04Z",
    "error": None,
}


class BatchIn(BaseModel):
    """Ids of the owner's stored documents; an id given twice counts once."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"resume_ids": [_ID_R], "job_ids": [_ID_J], "top": 3}]}
    )

    resume_ids: list[Text] = Field(min_length=1, max_length=MAX_IDS)
    job_ids: list[Text] = Field(min_length=1, max_length=MAX_IDS)
    top: int | None = Field(
        default=None, ge=1, le=MAX_IDS, description="Keep only the best K jobs per resume; null keeps all."
    )

    @field_validator("resume_ids", "job_ids")
    @classmethod
    def _unique(cls, ids: list[str]) -> list[str]:
        return list(dict.fromkeys(ids))


class Components(BaseModel):
    required_coverage: float
    preferred_coverage: float
    experience: float
    title_fit: float
    qualifications: float | None = Field(
        default=None, description="The qualifications component (null in rows scored before it was written)."
    )


class BatchRow(BaseModel):
    """One scored pair, as a row of ``skillmatch batch``: the gap report's score, components and counts."""

    resume_id: str
    job_id: str
    rank: int = Field(description="The job's place among this batch's jobs for this resume (1 = best).")
    score: float = Field(ge=0, le=100)
    components: Components
    matched: int = Field(description="The job's skills the resume has.")
    partial: int = Field(description="The job's skills the resume has only in part (a related skill).")
    missing: int = Field(description="The job's skills the resume lacks.")
    top_missing: list[str] = Field(description="The most important missing skills, at most five.")


class BatchRows(BaseModel):
    """One page of results: each resume in the order given, its jobs best first."""

    data: list[BatchRow]
    count: int = Field(description="Result rows in all, over every page.")
    limit: int
    offset: int


class BatchSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_SUMMARY_EXAMPLE]})

    id: str
    status: Literal["queued", "running", "done", "failed"]
    top: int | None
    total_pairs: int = Field(description="Resume x job pairs to score (pairs of deleted documents dropped).")
    done_pairs: int
    pending_pairs: int = Field(description="Pairs still to score: after a restart, the runner resumes these.")
    progress: float = Field(ge=0, le=1)
    created_at: datetime
    updated_at: datetime
    error: str | None


class BatchOut(BatchSummary):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _SUMMARY_EXAMPLE | {"results": {"data": [_ROW_EXAMPLE], "count": 1200, "limit": 100, "offset": 0}}
            ]
        }
    )

    results: BatchRows


class BatchList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"data": [_SUMMARY_EXAMPLE], "count": 1, "limit": 20, "offset": 0}]}
    )

    data: list[BatchSummary]
    count: int
    limit: int
    offset: int


LimitQ = Annotated[int, Query(ge=1, le=1000, description="Result rows per page.")]
OffsetQ = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _summary(run: BatchRun) -> dict[str, Any]:
    total, done = run.total_pairs, min(run.done_pairs, run.total_pairs)
    return {
        "id": run.id,
        "status": run.status,
        "top": run.top,
        "total_pairs": total,
        "done_pairs": done,
        "pending_pairs": total - done,
        "progress": round(done / total, 4) if total else 1.0,
        "created_at": _utc(run.created_at),
        "updated_at": _utc(run.updated_at),
        "error": run.error,
    }


def _results(session: Session, batch_id: str, *, limit: int, offset: int) -> BatchRows:
    count = session.scalar(select(func.count()).select_from(BatchResult).where(BatchResult.batch_id == batch_id))
    rows = session.scalars(
        select(BatchResult).where(BatchResult.batch_id == batch_id).order_by(BatchResult.id).limit(limit).offset(offset)
    ).all()
    data = [
        BatchRow(resume_id=r.resume_id, job_id=r.job_id, score=r.score, **r.data)  # rank, components, counts
        for r in rows
    ]
    return BatchRows(data=data, count=count or 0, limit=limit, offset=offset)


def _batch_out(session: Session, run: BatchRun, *, limit: int, offset: int) -> BatchOut:
    return BatchOut(**_summary(run), results=_results(session, run.id, limit=limit, offset=offset))


def _check_documents(session: Session, owner_id: int, resume_ids: list[str], job_ids: list[str]) -> None:
    """Every id must be one of the owner's documents (404 otherwise, as for a missing one), of the right kind."""
    # an id that cannot be one is not looked up (PostgreSQL refuses NUL in text): it is simply not found
    kinds = store.document_kinds(session, owner_id=owner_id, ids=[i for i in (*resume_ids, *job_ids) if is_id(i)])
    for ids, kind in ((resume_ids, "resume"), (job_ids, "job")):
        for doc_id in ids:
            found = kinds.get(doc_id)
            if found is None:
                raise NotFound(f"{kind} {doc_id}")
            if found != kind:
                raise ApiError(f"{doc_id} is a {found}, not a {kind}", code="wrong_kind", status=422)


_CREATED: dict[int | str, dict[str, Any]] = {
    201: {"description": "A small batch, scored at once: status done, with the first page of results."},
    202: {"model": BatchOut, "description": "A large batch, queued for the background runner: poll its URL."},
    **problem_responses(
        {
            404: "An id is not one of the owner's documents (not_found).",
            409: "A document was deleted while the batch was being written (conflict); retry.",
            422: "A resume id names a job post or the reverse (wrong_kind), too many pairs (too_many_pairs), or "
            "a body that does not match this schema (invalid_request).",
        }
    ),
}
_NOT_FOUND = problem_responses({404: "No such batch for this key (not_found)."})


@router.post(
    "",
    response_model=BatchOut,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATED,
    summary="Create a batch",
)
def create_batch(
    body: BatchIn,
    request: Request,
    response: Response,
    services: ServicesDep,
    session: SessionDep,
    owner: OwnerDep,
    limit: LimitQ = 100,
    offset: OffsetQ = 0,
) -> BatchOut:
    """Score stored resumes x stored jobs: at once when small (201), else in the background (202)."""
    _check_documents(session, owner.id, body.resume_ids, body.job_ids)
    pairs = len(body.resume_ids) * len(body.job_ids)
    if pairs > MAX_PAIRS:
        raise ApiError(f"{pairs} pairs: at most {MAX_PAIRS} in one batch", code="too_many_pairs", status=422)
    run = BatchRun(
        owner_id=owner.id,
        status="queued",
        resume_ids=body.resume_ids,
        job_ids=body.job_ids,
        top=body.top,
        total_pairs=pairs,
        done_pairs=0,
    )
    session.add(run)
    inline = pairs <= services.settings.batch_inline_pairs
    if inline:
        jobs = Jobs.build(
            services.engine,
            services.settings,
            store.document_profiles(session, owner_id=owner.id, kind="job", ids=body.job_ids),
            top=body.top,
        )
        rows = jobs.rows(store.document_profiles(session, owner_id=owner.id, kind="resume", ids=body.resume_ids))
        run.status, run.done_pairs = "done", pairs
        session.flush()
        insert_results(session, run.id, rows)
    session.commit()
    if not inline:
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/v1/batch/{run.id}"
        runner = getattr(request.app.state, "batch_runner", None)
        if runner is not None:
            runner.wake()
    return _batch_out(session, run, limit=limit, offset=offset)


@router.get("", response_model=BatchList, summary="List batches")
def list_batches(session: SessionDep, owner: OwnerDep, limit: LimitQ = 20, offset: OffsetQ = 0) -> BatchList:
    """The owner's batch runs, newest first, without their results."""
    where = BatchRun.owner_id == owner.id
    count = session.scalar(select(func.count()).select_from(BatchRun).where(where)) or 0
    runs = session.scalars(
        select(BatchRun).where(where).order_by(BatchRun.created_at.desc(), BatchRun.id).limit(limit).offset(offset)
    ).all()
    return BatchList(data=[BatchSummary(**_summary(r)) for r in runs], count=count, limit=limit, offset=offset)


@router.get(
    "/{batch_id}",
    response_model=BatchOut,
    responses=_NOT_FOUND,
    summary="Get a batch",
)
def get_batch(
    batch_id: str, session: SessionDep, owner: OwnerDep, limit: LimitQ = 100, offset: OffsetQ = 0
) -> BatchOut:
    """A batch run's status, progress and one page of its results."""
    if not is_id(batch_id):
        raise NotFound("batch")
    run = session.scalar(select(BatchRun).where(BatchRun.id == batch_id, BatchRun.owner_id == owner.id))
    if run is None:
        raise NotFound("batch")
    return _batch_out(session, run, limit=limit, offset=offset)


@router.delete(
    "/{batch_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=_NOT_FOUND,
    summary="Delete a batch",
)
def delete_batch(batch_id: str, session: SessionDep, owner: OwnerDep) -> Response:
    """Delete a batch run and its results; a worker running it stops at its next chunk."""
    if not is_id(batch_id) or not delete_batch_run(session, owner.id, batch_id):
        raise NotFound("batch")
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
