"""Routes: rankings from stored profiles. ML job titles for a resume; the owner's resumes for a job post.

Both score stored profiles (``matcher.titles``): nothing is parsed or tagged again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api import store
from api.deps import OwnerDep, ServicesDep, SessionDep
from api.errors import problem_responses
from api.schemas import MAX_OFFSET, CandidateList, TitleRanking
from matcher.profiles import job_profile_from_dict, resume_profile_from_dict
from matcher.titles import no_fit, rank_resumes, rank_titles, ranked_row

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
    top: Annotated[int | None, Query(ge=1, description="Only the best N resumes (overrides limit and offset).")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page.")] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
    blind: Annotated[bool, Query(description="Leave the resumes' file names out.")] = False,
) -> dict[str, Any]:
    """Every resume of the key scored for the job post, best first (ties: oldest upload first)."""
    job_row = store.get_document(session, owner_id=owner.id, kind="job", document_id=job_id)
    resumes = store.resume_profiles(session, owner_id=owner.id)
    engine = services.engine
    ranked = rank_resumes(
        [resume_profile_from_dict(r.profile) for r in resumes],
        job_profile_from_dict(job_row.profile),
        engine.index,
        as_of=engine.as_of,
    )
    if top is not None:
        limit, offset = top, 0
    data = []
    for position, report in ranked[offset : offset + limit]:
        resume = resumes[position]
        data.append({"resume_id": resume.id, "filename": None if blind else resume.filename, **ranked_row(report)})
    return {
        "job_id": job_row.id,
        "taxonomy_version": engine.taxonomy.version,
        "data": data,
        "count": len(ranked),
        "limit": limit,
        "offset": offset,
    }
