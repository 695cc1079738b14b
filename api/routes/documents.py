"""Routes: resumes and job posts, uploaded as a file (multipart field ``file``) or as JSON text ``{"text": ...}``.

Each upload is parsed (PDF, DOCX and HTML in a parsing process), tagged and profiled once
(``Services.analyse_upload``, cached per owner by content), then stored with its profile, so matching and ranking
later never parse or tag it again. The upload routes are ``async`` only to hand each step to its lane
(:mod:`api.services`): parsing waits in the parse lane, a long text is analysed in the heavy one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from api import pool_index, store
from api.bodies import is_json, media_type, read_json
from api.db import Document
from api.deps import OwnerDep, ServicesDep, SessionDep
from api.errors import ApiError, problem_responses
from api.schemas import MAX_OFFSET, DocumentDetail, DocumentList, TextUpload
from api.services import Services
from matcher.types import DocumentKind

router = APIRouter(responses=problem_responses({401: "A key is required (or it is unknown or revoked): unauthorized."}))

#: The request body of an upload, in OpenAPI: a file (multipart) or text (JSON).
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, DOCX, HTML, Markdown, text or JSON Resume; the type comes from "
                            "the bytes.",
                        }
                    },
                }
            },
            "application/json": {"schema": TextUpload.model_json_schema()},
        },
    }
}
_UPLOAD_ERRORS = problem_responses(
    {
        413: "Over the size or page limit (too_large, too_many_pages).",
        415: "Not a format the parsers read (unsupported_format), or neither multipart nor JSON "
        "(unsupported_media_type).",
        422: "A document without usable text (encrypted_pdf, no_text_layer, empty_document, corrupt_file, "
        "parse_timeout) or a bad request body (invalid_request).",
    }
)
_NOT_FOUND = problem_responses({404: "No such document for this key (not_found)."})


@dataclass(frozen=True)
class Upload:
    """An upload's bytes and the file name to show for it."""

    data: bytes
    filename: str | None


def _invalid(loc: tuple[str | int, ...], msg: str, kind: str = "missing") -> RequestValidationError:
    return RequestValidationError([{"type": kind, "loc": loc, "msg": msg, "input": None}])


def _clean_name(name: str | None) -> str | None:
    """The base name of an uploaded file, as long as the column allows; None for an empty one."""
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    # control characters (NUL above all: PostgreSQL refuses it in text) have no place in a name to show
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:255]
    # "." and ".." name directories, not files: shown or joined to a path, they could only mislead
    return base if base not in ("", ".", "..") else None


async def read_upload(request: Request) -> Upload:
    """The document of an upload request: the multipart field ``file``, or the JSON body's ``text``.

    Async because reading the body is; the parsing itself happens in the (threadpool) route."""
    media = media_type(request)
    if media == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=16)
        try:
            file = form.get("file")
            if file is None:
                raise _invalid(("body", "file"), "Field required")
            if not isinstance(file, UploadFile):
                raise _invalid(("body", "file"), "Expected a file, not a text field", "value_error")
            return Upload(await file.read(), _clean_name(file.filename))
        finally:
            await form.close()
    if is_json(media):
        payload = await read_json(request)  # 400 when not JSON, 422 when nested too deep: as on every route
        try:
            body = TextUpload.model_validate(payload)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False, include_context=False)]
            ) from None
        return Upload(body.text.encode("utf-8"), _clean_name(body.filename or body.name))
    raise ApiError(
        'send the document as multipart/form-data (field "file") or as JSON {"text": ...}',
        code="unsupported_media_type",
        status=415,
    )


UploadDep = Annotated[Upload, Depends(read_upload)]


def document_view(row: Document, *, with_text: bool) -> dict[str, Any]:
    """The API's view of a stored document (``DocumentDetail`` with the text, ``DocumentOut`` without)."""
    view: dict[str, Any] = {
        "id": row.id,
        "kind": row.kind,
        "filename": row.filename,
        "format": row.format,
        "pages": row.pages,
        "content_hash": row.content_hash,
        "redacted": row.redacted,
        "taxonomy_version": row.taxonomy_version,
        "created_at": row.created_at,
        "skills": row.skills,
        "sections": row.sections,
        "diagnostics": store.parse_diagnostics(row.diagnostics),
        "warnings": row.warnings,
        "hidden_text": store.hidden_text(row.diagnostics),
        "experience": row.experience,
    }
    if with_text:  # lists leave the text and the profile unread
        view["text"] = row.text
        view["title"] = row.profile.get("title") if row.kind == "job" else None
    return view


async def _store_upload(
    upload: Upload, *, kind: DocumentKind, owner_id: int, services: Services, session: Session
) -> dict[str, Any]:
    analysed = await services.analyse_upload(upload.data, owner_id=owner_id, kind=kind, filename=upload.filename)

    def store_it() -> dict[str, Any]:
        row = store.create_document(
            session,
            owner_id=owner_id,
            analysed=analysed,
            content_hash=hashlib.sha256(upload.data).hexdigest(),
            filename=upload.filename,
            redact_text=services.settings.redact_resumes,
        )
        profile = analysed.resume if kind == "resume" else analysed.job
        assert profile is not None
        pool_index.record_upload(session, row, profile)
        session.commit()
        return document_view(row, with_text=True)

    return await services.run(None, store_it)


def _page(rows: Any, count: int, limit: int, offset: int) -> dict[str, Any]:
    return {"data": [document_view(r, with_text=False) for r in rows], "count": count, "limit": limit, "offset": offset}


Limit = Annotated[int, Query(ge=1, le=100, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]

# ------------------------------------------------------------------------------------------------------------ resumes


@router.post(
    "/v1/resumes",
    status_code=201,
    response_model=DocumentDetail,
    tags=["resumes"],
    summary="Upload a resume",
    openapi_extra=_UPLOAD_BODY,
    responses=_UPLOAD_ERRORS,
)
async def upload_resume(
    owner: OwnerDep, upload: UploadDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Parse, tag and store a resume; its text is kept with personal data masked unless configured otherwise."""
    return await _store_upload(upload, kind="resume", owner_id=owner.id, services=services, session=session)


@router.get("/v1/resumes", response_model=DocumentList, tags=["resumes"], summary="List resumes")
def list_resumes(owner: OwnerDep, session: SessionDep, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """The key's resumes, newest first, without their text."""
    rows, count = store.list_documents(session, owner_id=owner.id, kind="resume", limit=limit, offset=offset)
    return _page(rows, count, limit, offset)


@router.get(
    "/v1/resumes/{resume_id}",
    response_model=DocumentDetail,
    tags=["resumes"],
    summary="Get a resume",
    responses=_NOT_FOUND,
)
def get_resume(resume_id: str, owner: OwnerDep, session: SessionDep) -> dict[str, Any]:
    """One resume with its stored (redacted) text, sections, skills and diagnostics."""
    row = store.get_document(session, owner_id=owner.id, kind="resume", document_id=resume_id)
    return document_view(row, with_text=True)


@router.delete(
    "/v1/resumes/{resume_id}",
    status_code=204,
    response_class=Response,
    tags=["resumes"],
    summary="Delete a resume",
    responses=_NOT_FOUND,
)
def delete_resume(resume_id: str, owner: OwnerDep, session: SessionDep) -> Response:
    """Delete a resume and every report and batch result derived from it."""
    store.delete_document(session, owner_id=owner.id, kind="resume", document_id=resume_id)
    pool_index.record_delete(session, owner_id=owner.id, kind="resume", document_id=resume_id)
    session.commit()
    return Response(status_code=204)


# --------------------------------------------------------------------------------------------------------------- jobs


@router.post(
    "/v1/jobs",
    status_code=201,
    response_model=DocumentDetail,
    tags=["jobs"],
    summary="Upload a job post",
    openapi_extra=_UPLOAD_BODY,
    responses=_UPLOAD_ERRORS,
)
async def upload_job(owner: OwnerDep, upload: UploadDep, services: ServicesDep, session: SessionDep) -> dict[str, Any]:
    """Parse, tag and store a job post: each skill with its level (required or preferred) and years asked."""
    return await _store_upload(upload, kind="job", owner_id=owner.id, services=services, session=session)


@router.get("/v1/jobs", response_model=DocumentList, tags=["jobs"], summary="List job posts")
def list_jobs(owner: OwnerDep, session: SessionDep, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """The key's job posts, newest first, without their text."""
    rows, count = store.list_documents(session, owner_id=owner.id, kind="job", limit=limit, offset=offset)
    return _page(rows, count, limit, offset)


@router.get(
    "/v1/jobs/{job_id}",
    response_model=DocumentDetail,
    tags=["jobs"],
    summary="Get a job post",
    responses=_NOT_FOUND,
)
def get_job(job_id: str, owner: OwnerDep, session: SessionDep) -> dict[str, Any]:
    """One job post with its text, sections, skills and diagnostics."""
    row = store.get_document(session, owner_id=owner.id, kind="job", document_id=job_id)
    return document_view(row, with_text=True)


@router.delete(
    "/v1/jobs/{job_id}",
    status_code=204,
    response_class=Response,
    tags=["jobs"],
    summary="Delete a job post",
    responses=_NOT_FOUND,
)
def delete_job(job_id: str, owner: OwnerDep, session: SessionDep) -> Response:
    """Delete a job post and every report and batch result derived from it."""
    store.delete_document(session, owner_id=owner.id, kind="job", document_id=job_id)
    pool_index.record_delete(session, owner_id=owner.id, kind="job", document_id=job_id)
    session.commit()
    return Response(status_code=204)
