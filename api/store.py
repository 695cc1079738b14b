"""Owner-scoped data access: every query here filters on ``owner_id``, so no route can reach another owner's rows.

Functions take the session first and everything else by keyword. They never commit: the route commits once
when all its work succeeded (the session rolls back otherwise), so a failed request leaves nothing behind. A
missing id and another owner's id both raise :class:`api.errors.NotFound`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, delete, func, insert, or_, select
from sqlalchemy.orm import Session, defer

from api.db import BatchResult, BatchRun, Document, Report, is_id, new_id, utcnow
from api.errors import NotFound
from matcher.analysis import DocumentAnalysis
from matcher.analysis.pii import TAGS, PersonalData, find_personal_data, redact
from matcher.engine import Analysed
from matcher.parsing import Diagnostics, ParsedDocument
from matcher.scoring.match import Components
from matcher.scoring.profiles import profile_to_dict
from matcher.types import DocumentKind

#: Key of the stored diagnostics that holds the hidden-text spans; the rest is the library's ``Diagnostics``.
HIDDEN_KEY = "hidden_text"


# ---------------------------------------------------------------------------------------------------------- documents


def create_document(
    session: Session,
    *,
    owner_id: int,
    analysed: Analysed,
    content_hash: str,
    filename: str | None,
    redact_text: bool,
) -> Document:
    """A new document row from an analysis (added, not committed); each upload is a record of its own, so
    two owners sending the same file never share one."""
    doc, analysis = analysed.document, analysed.analysis
    profile = analysed.resume if analysed.kind == "resume" else analysed.job
    assert profile is not None  # Engine.analyse builds the profile of the document's kind
    pii = analysis.pii
    masked = redact_text and analysed.kind == "resume" and pii is not None
    stored_profile = profile_to_dict(profile)
    if masked and pii is not None:
        # the file name is shown and scored beside the text: "Jane_Roe_resume.pdf" would undo the masking
        filename = redacted_filename(filename, pii)
        stored_profile["source"] = filename or "<upload>"
    row = Document(
        id=new_id(),
        owner_id=owner_id,
        kind=analysed.kind,
        filename=filename,
        format=doc.format,
        content_hash=content_hash,
        # same length and offsets as the parsed text: sections and mentions still index it
        text=redact(doc.text, pii) if masked and pii is not None else doc.text,
        redacted=masked,
        pages=doc.pages,
        sections=[{"name": s.name, "start": s.start, "end": s.end, "heading": s.heading} for s in analysis.sections],
        skills=analysed.tagged.to_dict()["skills"],
        diagnostics={**analysed.diagnostics(), HIDDEN_KEY: _hidden(doc)},
        warnings=list(doc.warnings),
        experience=_experience(analysis),
        profile=stored_profile,
        taxonomy_version=analysed.tagged.taxonomy_version,
        created_at=utcnow(),
    )
    session.add(row)
    return row


_NAME_PART = re.compile(r"[^\W_]+")
_PHONE_LIKE = re.compile(r"\d[\d ()+.-]{5,}\d")


def redacted_filename(name: str | None, pii: PersonalData) -> str | None:
    r"""An uploaded file's name masked like its text, the extension kept: the person's name (each word), their
    e-mail addresses (and the words of their local parts) and profile handles found in the document, and e-mails,
    URLs and phone-like digit runs in the name itself, become ``[NAME]``, ``[EMAIL]``, ``[URL]``, ``[PHONE]``.
    Words of two letters or fewer are left: too many are something else.

    >>> from matcher.analysis.pii import find_personal_data
    >>> text = "Jane Roe\njane.roe@example.com"
    >>> redacted_filename("Jane_Roe-resume (jane.roe@example.com).pdf", find_personal_data(text, kind="resume"))
    '[NAME]_[NAME]-resume ([EMAIL]).pdf'
    """
    if not name:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 8 or not extension.isalnum():
        stem, dot, extension = name, "", ""
    for finding in find_personal_data(stem).findings:
        stem = stem.replace(finding.text, TAGS[finding.kind])
    stem = _PHONE_LIKE.sub(TAGS["phone"], stem)
    words: dict[str, str] = {}
    for finding in pii.findings:
        if finding.kind == "email":
            stem = re.sub(re.escape(finding.text), TAGS["email"], stem, flags=re.IGNORECASE)
            personal = finding.text.split("@", 1)[0]  # jane.roe@: the person's name, written otherwise
        elif finding.kind == "url":
            handle = _handle(finding.text, finding.detail)  # whole only: "arjun-nlp" must not mask "nlp"
            if len(handle) > 2:
                stem = re.sub(re.escape(handle), TAGS["url"], stem, flags=re.IGNORECASE)
            continue
        elif finding.kind == "name":
            personal = finding.text
        else:
            continue  # phones: the digit runs above
        for word in _NAME_PART.findall(personal):
            if len(word) > 2 and not word.isdigit():
                words.setdefault(word.lower(), TAGS["name"])
    stem = _NAME_PART.sub(lambda m: words.get(m.group(0).lower(), m.group(0)), stem)
    return stem + dot + extension


def _handle(url: str, site: str) -> str:
    """The part of a profile URL that names the person: ``github.com/janeroe`` -> ``janeroe``, ``janeroe.dev``."""
    rest = url.split("//", 1)[-1]
    host, _, path = rest.partition("/")
    segments = [s for s in path.split("/") if s]
    if site == "linkedin":
        return segments[1] if len(segments) > 1 and segments[0] in ("in", "pub") else ""
    if site in ("github", "gitlab", "twitter", "kaggle", "scholar"):
        return segments[0] if segments else ""
    if site == "website":
        labels = [label for label in host.lower().split(".") if label != "www"]
        return labels[0] if len(labels) > 1 else ""
    return ""


def parse_diagnostics(stored: dict[str, Any]) -> dict[str, Any]:
    """The library's diagnostics of a stored document, as ``Engine.match`` puts them in a report."""
    return _ordered({key: value for key, value in stored.items() if key != HIDDEN_KEY}, _DIAGNOSTICS_ORDER)


def hidden_text(stored: dict[str, Any]) -> list[dict[str, Any]]:
    """Where hidden text was found in a stored document (page, reason, length; never the text)."""
    spans: list[dict[str, Any]] = stored.get(HIDDEN_KEY) or []
    return spans


def get_document(session: Session, *, owner_id: int, kind: DocumentKind, document_id: str) -> Document:
    """One of the owner's documents of ``kind``; NotFound for a missing id, another owner's, or the other kind."""
    if not is_id(document_id):
        raise NotFound(kind)
    row = session.scalars(
        select(Document).where(Document.id == document_id, Document.owner_id == owner_id, Document.kind == kind)
    ).first()
    if row is None:
        raise NotFound(kind)
    return row


def list_documents(
    session: Session, *, owner_id: int, kind: DocumentKind, limit: int, offset: int
) -> tuple[Sequence[Document], int]:
    """A page of the owner's documents of ``kind``, newest first, without their text; and how many there are."""
    where = (Document.owner_id == owner_id, Document.kind == kind)
    count = session.scalar(select(func.count()).select_from(Document).where(*where)) or 0
    rows = session.scalars(
        select(Document)
        .where(*where)
        .options(defer(Document.text), defer(Document.profile))
        .order_by(Document.created_at.desc(), Document.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, count


def delete_document(session: Session, *, owner_id: int, kind: DocumentKind, document_id: str) -> None:
    """Delete one of the owner's documents with every report and batch result derived from it.

    The foreign keys cascade too; deleting explicitly keeps that true on a database that ignores them."""
    if not is_id(document_id):
        raise NotFound(kind)
    found = session.scalar(
        select(Document.id).where(Document.id == document_id, Document.owner_id == owner_id, Document.kind == kind)
    )
    if found is None:
        raise NotFound(kind)
    session.execute(
        delete(Report).where(
            Report.owner_id == owner_id, or_(Report.resume_id == document_id, Report.job_id == document_id)
        )
    )
    owned_batches = select(BatchRun.id).where(BatchRun.owner_id == owner_id)
    session.execute(
        delete(BatchResult).where(
            BatchResult.batch_id.in_(owned_batches),
            or_(BatchResult.resume_id == document_id, BatchResult.job_id == document_id),
        )
    )
    session.execute(delete(Document).where(Document.id == document_id, Document.owner_id == owner_id))


def documents_by_id(
    session: Session, *, owner_id: int, kind: DocumentKind, ids: Sequence[str]
) -> dict[str, Row[tuple[str, str | None, dict[str, Any], int, str]]]:
    """``id -> (id, filename, profile, owner_id, kind)`` of those of ``ids`` that are the owner's documents of
    ``kind`` (a page of a ranking: only its rows are read in full).

    Looked up by primary key alone, owner and kind checked on the rows read: with them in the WHERE clause
    SQLite's planner prefers the (owner, kind, created) index and reads every document of the owner (100 ms at
    50,000 instead of 1)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Document.id, Document.filename, Document.profile, Document.owner_id, Document.kind).where(
            Document.id.in_(list(ids))
        )
    ).all()
    return {row.id: row for row in rows if row.owner_id == owner_id and row.kind == kind}


#: Ids per ``IN (...)`` list in the batch lookups below: well under SQLite's and PostgreSQL's parameter limits.
_IN_CHUNK = 500


def _in_chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), _IN_CHUNK):
        yield ids[start : start + _IN_CHUNK]


def _owned(
    session: Session, *, owner_id: int, ids: Sequence[str], kind: DocumentKind | None = None, column: Any = None
) -> dict[str, Any]:
    """``id -> column`` (``id -> id`` without one) of those of ``ids`` (any number) that are the owner's documents
    (of ``kind``), read ``_IN_CHUNK`` ids at a time: the one query behind the batch lookups below."""
    value = Document.id if column is None else column
    where = [Document.owner_id == owner_id] + ([Document.kind == kind] if kind is not None else [])
    found: dict[str, Any] = {}
    for part in _in_chunks(ids):
        rows = session.execute(select(Document.id, value).where(*where, Document.id.in_(part)))
        found.update((doc_id, found_value) for doc_id, found_value in rows)
    return found


def document_kinds(session: Session, *, owner_id: int, ids: Sequence[str]) -> dict[str, str]:
    """``id -> kind`` of those of ``ids`` (any number) that are the owner's documents: what a new batch checks."""
    return _owned(session, owner_id=owner_id, ids=ids, column=Document.kind)


def document_profiles(
    session: Session, *, owner_id: int, kind: DocumentKind, ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """``id -> stored profile`` of those of ``ids`` (any number) that are the owner's documents of ``kind``, in the
    order of ``ids``: what a batch scores."""
    found = _owned(session, owner_id=owner_id, ids=ids, kind=kind, column=Document.profile)
    return {doc_id: found[doc_id] for doc_id in ids if doc_id in found}


def document_ids(session: Session, *, owner_id: int, kind: DocumentKind, ids: Sequence[str]) -> list[str]:
    """Those of ``ids`` (any number) that are still the owner's documents of ``kind``, in their order."""
    found = _owned(session, owner_id=owner_id, ids=ids, kind=kind)
    return [doc_id for doc_id in ids if doc_id in found]


# ------------------------------------------------------------------------------------------------------------ reports


@dataclass(frozen=True)
class StoredReport:
    """What the caller of :func:`create_report` gets back: the new row's values (no ORM object)."""

    id: str
    owner_id: int
    resume_id: str | None
    job_id: str | None
    score: float
    created_at: datetime


_INSERT_REPORT = insert(cast(Table, Report.__table__))  # a declarative class's table (typed as FromClause)


def create_report(
    session: Session,
    *,
    owner_id: int,
    resume_id: str | None,
    job_id: str | None,
    data: dict[str, Any],
) -> StoredReport:
    """A new report row, inserted in the session's transaction (not committed); ``data`` is ``report_to_dict``'s,
    its score is the report's.

    One Core INSERT, executed at once: every match writes one, and the ORM's unit of work (an object in the
    identity map, a flush at commit working out what changed) costs more than the statement. A foreign key that
    fails (a document deleted meanwhile) therefore fails here rather than at the commit; rows added to the session
    and not written yet are flushed first."""
    row = StoredReport(
        id=new_id(),
        owner_id=owner_id,
        resume_id=resume_id,
        job_id=job_id,
        score=data["score"],
        created_at=utcnow(),
    )
    session.flush()  # rows added to the session and not yet written (a document the report refers to) go first
    session.execute(_INSERT_REPORT, {**asdict(row), "data": data})
    return row


def report_data(row: Report) -> dict[str, Any]:
    """A stored report's JSON with its objects in the order ``report_to_dict`` wrote them.

    PostgreSQL's JSONB keeps object keys in an order of its own; the renderers list components and categories
    in the order they come, so a report read back from PostgreSQL would render differently from SQLite's."""
    data = dict(row.data)
    for key in ("components", "component_weights"):
        if isinstance(data.get(key), dict):
            data[key] = _ordered(data[key], _COMPONENTS_ORDER)
    if isinstance(data.get("coverage_by_category"), dict):
        data["coverage_by_category"] = dict(sorted(data["coverage_by_category"].items()))
    if isinstance(data.get("diagnostics"), dict):
        data["diagnostics"] = {
            doc: _ordered(value, _DIAGNOSTICS_ORDER) if isinstance(value, dict) else value
            for doc, value in _ordered(data["diagnostics"], ("resume", "job")).items()
        }
    return data


def get_report(session: Session, *, owner_id: int, report_id: str) -> Report:
    if not is_id(report_id):
        raise NotFound("report")
    row = session.scalars(select(Report).where(Report.id == report_id, Report.owner_id == owner_id)).first()
    if row is None:
        raise NotFound("report")
    return row


def list_reports(
    session: Session, *, owner_id: int, limit: int, offset: int
) -> tuple[Sequence[Row[tuple[str, str | None, str | None, float, str | None, Any]]], int]:
    """A page of the owner's reports, newest first, as ``(id, resume_id, job_id, score, job_title, created_at)``:
    the report bodies stay in the database."""
    count = session.scalar(select(func.count()).select_from(Report).where(Report.owner_id == owner_id)) or 0
    rows = session.execute(
        select(
            Report.id,
            Report.resume_id,
            Report.job_id,
            Report.score,
            Report.data["job_title"].as_string().label("job_title"),
            Report.created_at,
        )
        .where(Report.owner_id == owner_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, count


def delete_report(session: Session, *, owner_id: int, report_id: str) -> None:
    if not is_id(report_id):
        raise NotFound("report")
    result = session.execute(delete(Report).where(Report.id == report_id, Report.owner_id == owner_id))
    if not getattr(result, "rowcount", 0):
        raise NotFound("report")


# ------------------------------------------------------------------------------------------------------------ helpers

_COMPONENTS_ORDER = tuple(f.name for f in fields(Components))
_DIAGNOSTICS_ORDER = tuple(f.name for f in fields(Diagnostics))


def _ordered(mapping: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """``mapping`` with the keys of ``order`` first, in that order, then any others as they come."""
    return {key: mapping[key] for key in order if key in mapping} | mapping


def _hidden(doc: ParsedDocument) -> list[dict[str, Any]]:
    return [{"page": h.page, "reason": h.reason, "chars": len(h.text)} for h in doc.hidden_text]


def _experience(analysis: DocumentAnalysis) -> dict[str, Any]:
    """What the API shows of the experience found: positions and years, without offsets into the text."""
    experience, today = analysis.experience, analysis.as_of
    return {
        "total_years": experience.total_years,
        "total_months": experience.total_months,
        "positions": [
            {
                "title": p.title,
                "employer": p.employer,
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "current": p.current,
                "months": p.months(today),
            }
            for p in experience.positions
        ],
        "requirements": [
            {
                "text": r.text,
                "min_years": r.min_years,
                "max_years": r.max_years,
                "subject": r.subject,
                "level": r.level,
            }
            for r in experience.requirements
        ],
    }
