"""Routes: rankings from stored profiles. ML job titles for a resume; the owner's job posts for a resume and the
owner's resumes for a job post (both through the pool index, :mod:`api.pool_index`).

All score stored profiles: nothing is parsed or tagged again. The pool ranks with the scores of
``score_match`` itself; the full report is built only for the rows of the page returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Row
from sqlalchemy.orm import Session

from api import store
from api.deps import OwnerDep, ServicesDep, SessionDep
from api.errors import problem_responses
from api.schemas import MAX_OFFSET, CandidateList, JobList, TitleRanking
from api.services import Services
from matcher.scoring.match import MatchReport, score_match
from matcher.scoring.profiles import JobProfile, ResumeProfile, job_profile_from_dict, resume_profile_from_dict
from matcher.scoring.titles import no_fit, rank_titles, ranked_row
from matcher.types import DocumentKind, Seniority

router = APIRouter(
    tags=["rankings"],
    responses=problem_responses({401: "A key is required (or it is unknown or revoked): unauthorized."}),
)


@router.post(
    "/v1/resumes/{resume_id}/titles",
    response_model=TitleRanking,
    summary="Rank ML job titles for a resume",
    responses=problem_responses({404: "No such resume for this key (not_found)."}),
)
def rank_resume_titles(
    resume_id: str,
    owner: OwnerDep,
    services: ServicesDep,
    session: SessionDep,
    top: Annotated[int | None, Query(ge=1, description="Only the best N titles.")] = None,
) -> dict[str, Any]:
    """Every ML job title of the taxonomy scored for the resume, best first, each with its top gaps."""
    row = store.get_document(session, owner_id=owner.id, kind="resume", document_id=resume_id)
    engine = services.engine
    ranked = rank_titles(resume_profile_from_dict(row.profile), engine.index, as_of=engine.as_of)
    return {
        "resume_id": row.id,
        "taxonomy_version": engine.taxonomy.version,
        "no_fit": no_fit(ranked),  # of the whole ranking, before top cuts it
        "titles": [m.to_dict() for m in ranked[:top]],
    }


#: filters both rankings take besides min_score
MustHavesMet = Annotated[
    bool, Query(description="Only pairs with every must-have skill met (no score capped for a missing one).")
]
SeniorityFilter = Annotated[
    list[Seniority] | None,
    Query(description="Only rows at these seniority levels (repeat the parameter for several)."),
]
MinScore = Annotated[float | None, Query(ge=0, le=100, description="Only rows scoring at least this.")]
Top = Annotated[int | None, Query(ge=1, description="Only the best N (overrides limit and offset).")]
Limit = Annotated[int, Query(ge=1, le=100, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


@dataclass(frozen=True)
class RankingPage:
    """The page and the filters both rankings take."""

    limit: int = 20
    offset: int = 0
    min_score: float | None = None
    must_haves_met: bool = False
    seniority: frozenset[Seniority] | None = None


def ranking_page(
    top: Top = None,
    limit: Limit = 20,
    offset: Offset = 0,
    min_score: MinScore = None,
    must_haves_met: MustHavesMet = False,
    seniority: SeniorityFilter = None,
) -> RankingPage:
    """The rankings' query parameters as one page (``top`` is the first ``top`` rows)."""
    if top is not None:
        limit, offset = top, 0
    return RankingPage(limit, offset, min_score, must_haves_met, None if seniority is None else frozenset(seniority))


RankingPageDep = Annotated[RankingPage, Depends(ranking_page)]


def _search(
    services: Services,
    session: Session,
    *,
    owner_id: int,
    kind: DocumentKind,
    query: ResumeProfile | JobProfile,
    wanted: RankingPage,
) -> tuple[list[tuple[Row[tuple[str, str | None, dict[str, Any], int, str]], MatchReport]], int]:
    """A page of the owner's documents of ``kind`` ranked for ``query`` by the pool index, each with its full
    report (built for these rows only), and how many passed the filters."""
    with services.pools.pool(session, owner_id=owner_id, kind=kind) as pool:
        page = pool.search(
            query,
            limit=wanted.limit,
            offset=wanted.offset,
            min_score=wanted.min_score,
            must_haves_met=wanted.must_haves_met,
            seniority=None if wanted.seniority is None else set(wanted.seniority),
        )
    found = store.documents_by_id(session, owner_id=owner_id, kind=kind, ids=[hit.key for hit in page.hits])
    engine = services.engine
    ranked = []
    for hit in page.hits:
        row = found.get(hit.key)
        if row is None:  # deleted since the pool was refreshed
            continue
        if isinstance(query, ResumeProfile):
            report = score_match(query, job_profile_from_dict(row.profile), engine.index, as_of=engine.as_of)
        else:
            report = score_match(resume_profile_from_dict(row.profile), query, engine.index, as_of=engine.as_of)
        ranked.append((row, report))
    return ranked, page.count


@router.post(
    "/v1/resumes/{resume_id}/jobs",
    response_model=JobList,
    summary="Rank the key's job posts for a resume",
    responses=problem_responses({404: "No such resume for this key (not_found)."}),
)
def rank_jobs(
    resume_id: str,
    owner: OwnerDep,
    services: ServicesDep,
    session: SessionDep,
    wanted: RankingPageDep,
    blind: Annotated[bool, Query(description="Never show a job post's file name in place of its title.")] = False,
) -> dict[str, Any]:
    """Every job post of the key scored for the resume, best first (ties: oldest upload first)."""
    resume_row = store.get_document(session, owner_id=owner.id, kind="resume", document_id=resume_id)
    ranked, count = _search(
        services,
        session,
        owner_id=owner.id,
        kind="job",
        query=resume_profile_from_dict(resume_row.profile),
        wanted=wanted,
    )
    data = []
    for row, report in ranked:
        title = row.profile.get("title") or (None if blind else row.filename)
        data.append({"job_id": row.id, "title": title, **ranked_row(report)})
    return {
        "resume_id": resume_row.id,
        "taxonomy_version": services.engine.taxonomy.version,
        "data": data,
        "count": count,
        "limit": wanted.limit,
        "offset": wanted.offset,
    }


@router.post(
    "/v1/jobs/{job_id}/candidates",
    response_model=CandidateList,
    summary="Rank the key's resumes for a job post",
    responses=problem_responses({404: "No such job post for this key (not_found)."}),
)
def rank_candidates(
    job_id: str,
    owner: OwnerDep,
    services: ServicesDep,
    session: SessionDep,
    wanted: RankingPageDep,
    blind: Annotated[bool, Query(description="Leave the resumes' file names out.")] = False,
) -> dict[str, Any]:
    """Every resume of the key scored for the job post, best first (ties: oldest upload first)."""
    job_row = store.get_document(session, owner_id=owner.id, kind="job", document_id=job_id)
    ranked, count = _search(
        services,
        session,
        owner_id=owner.id,
        kind="resume",
        query=job_profile_from_dict(job_row.profile),
        wanted=wanted,
    )
    data = [
        {"resume_id": row.id, "filename": None if blind else row.filename, **ranked_row(report)}
        for row, report in ranked
    ]
    return {
        "job_id": job_row.id,
        "taxonomy_version": services.engine.taxonomy.version,
        "data": data,
        "count": count,
        "limit": wanted.limit,
        "offset": wanted.offset,
    }
