"""Request and response models of the API: what crosses the HTTP boundary, with the examples OpenAPI shows.

Inside, the library hands frozen dataclasses around; these models are their JSON shapes (``TagResult.to_dict``,
``report_to_dict``) written down for validation and documentation. Routes never return ORM rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from matcher.report.model import ReportQualification
from matcher.types import Seniority

DocumentKindName = Literal["resume", "job"]


def _encodable(value: str) -> str:
    # JSON may spell a lone surrogate ("\ud800"): not text; it could be neither encoded, parsed nor stored
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text (a lone surrogate)") from None
    return value


#: The largest ``offset`` a list takes: pages beyond it cannot exist, and the database's integers have an end.
MAX_OFFSET = 1_000_000_000

#: A string from a JSON body that is Unicode text (every string of a body the routes encode, parse or store).
Text = Annotated[str, AfterValidator(_encodable)]

# --------------------------------------------------------------------------------------------------- shared pieces


class _Out(BaseModel):
    """Response models: built from dicts and rows, timestamps always with their time zone."""

    model_config = ConfigDict(from_attributes=True)

    @field_validator("created_at", mode="after", check_fields=False)
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        # SQLite hands back naive datetimes; everything is stored in UTC
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class Page(BaseModel):
    """The list wrapper: ``data`` is one page, ``count`` the total the filters match."""

    count: int = Field(description="How many items there are in all, over every page.", examples=[42])
    limit: int = Field(examples=[20])
    offset: int = Field(examples=[0])


class Mention(BaseModel):
    start: int = Field(description="Offset of the first character in the parsed text.")
    end: int = Field(description="Offset after the last character: text[start:end].")
    text: str
    section: str | None = Field(default=None, description="The section the mention stands in.")


class TaggedSkill(BaseModel):
    """One skill found in a document, as ``skillmatch tag`` prints it."""

    id: str
    name: str
    category: str
    kind: str = Field(description="hard or soft")
    years: float | None = Field(default=None, description="Resumes: years in the positions that mention it.")
    last_used: int | None = Field(default=None, description="Resumes: last year of those positions.")
    level: str | None = Field(default=None, description="Job posts: required or preferred.")
    years_asked: float | None = Field(default=None, description="Job posts: years of it the post asks for.")
    background: bool | None = Field(
        default=None,
        description="Job posts: named only in the company's own text (about us, benefits), so asked at a low weight.",
    )
    external: dict[str, str | None] | None = Field(
        default=None, description='The skill\'s ESCO URI and O*NET example: {"esco": URI|null, "onet": ...}.'
    )
    mentions: list[Mention]


class SectionOut(BaseModel):
    name: str = Field(examples=["experience"])
    start: int
    end: int
    heading: str = Field(default="", description="The heading as written, empty for an untitled block.")


class HiddenText(BaseModel):
    """Text a reader cannot see (keyword stuffing): never tagged or scored; its content is not returned."""

    page: int | None
    reason: str = Field(examples=["white_on_white"])
    chars: int


class PositionOut(BaseModel):
    title: str
    employer: str
    start: str = Field(description="First month worked (ISO date, day 1).", examples=["2022-01-01"])
    end: str | None = Field(default=None, description="Last month worked; null while current.")
    current: bool
    months: int


class YearsAsked(BaseModel):
    text: str = Field(examples=["3+ years"])
    min_years: float
    max_years: float | None = None
    subject: str = Field(description="What the years are of; empty for overall experience.")
    level: str


class ExperienceSummary(BaseModel):
    """Resumes: dated positions and total years; job posts: the years asked."""

    total_years: float
    total_months: int
    positions: list[PositionOut] = Field(default_factory=list)
    requirements: list[YearsAsked] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------------------- documents

_DOCUMENT_EXAMPLE: dict[str, Any] = {
    "id": "4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01",
    "kind": "resume",
    "filename": "ml_engineer_resume.md",
    "format": "markdown",
    "pages": 1,
    "content_hash": "9b1e0c0d6f3d4e0c9a9f2b1d7f8e6a5c4b3a29180706f5e4d3c2b1a098f7e6d5",
    "redacted": True,
    "taxonomy_version": "2026.12.0",
    "created_at": "2026-01-15T09:30:00Z",
    "skills": [
        {
            "id": "pytorch",
            "name": "PyTorch",
            "category": "ml_framework",
            "kind": "hard",
            "years": 4.3,
            "last_used": 2026,
            "level": None,
            "years_asked": None,
            "background": None,
            "mentions": [{"start": 420, "end": 427, "text": "PyTorch", "section": "experience"}],
        }
    ],
    "sections": [
        {"name": "contact", "start": 0, "end": 82, "heading": ""},
        {"name": "experience", "start": 320, "end": 941, "heading": "Experience"},
    ],
    "diagnostics": {
        "parser": "markdown",
        "columns": [],
        "text_area_share": None,
        "scanned_pages": [],
        "empty_pages": [],
        "sections_found": ["contact", "summary", "experience", "skills", "education"],
        "hidden_text_count": 0,
        "chars": 1268,
        "line_count": 22,
        "elapsed_ms": 9.3,
    },
    "warnings": [],
    "hidden_text": [],
    "experience": {
        "total_years": 7.2,
        "total_months": 87,
        "positions": [
            {
                "title": "Senior Machine Learning Engineer",
                "employer": "Northwind Analytics",
                "start": "2022-01-01",
                "end": None,
                "current": True,
                "months": 49,
            }
        ],
        "requirements": [],
    },
}


class DocumentOut(_Out):
    """A stored resume or job post without its text (lists)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_DOCUMENT_EXAMPLE]})

    id: str
    kind: DocumentKindName
    filename: str | None = Field(description="The name the upload gave; null for pasted text without one.")
    format: str = Field(description="Detected from the bytes: pdf, docx, html, markdown, text or jsonresume.")
    pages: int
    content_hash: str = Field(description="SHA-256 of the uploaded bytes (of the UTF-8 text for JSON uploads).")
    redacted: bool = Field(description="Whether the stored text has names, e-mails, phones and URLs masked.")
    taxonomy_version: str
    created_at: datetime
    skills: list[TaggedSkill]
    sections: list[SectionOut]
    diagnostics: dict[str, Any] = Field(description="How the parse went: parser, columns, scanned pages, ...")
    warnings: list[str]
    hidden_text: list[HiddenText]
    experience: ExperienceSummary | None


class DocumentDetail(DocumentOut):
    """A stored resume or job post with its parsed text (redacted for resumes unless configured otherwise)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_DOCUMENT_EXAMPLE, "text": "[NAME]     \n\n[EMAIL]              ..."}]}
    )

    text: str = Field(description="The parsed text every offset above indexes.")
    title: str | None = Field(
        default=None,
        description="A job post's title as read (its first line, or the line under a title heading), the one "
        "title fit compares past titles with; null for a resume and for a post that opens with a sentence.",
    )


class DocumentList(Page):
    data: list[DocumentOut]


class TextUpload(BaseModel):
    """A document sent as text rather than a file; Markdown, plain text, HTML or JSON Resume text."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "# Ana Example\n\n## Skills\nPython, PyTorch, Kubernetes\n", "filename": "ana.md"}]
        },
    )

    text: Text = Field(description="The document's text.")
    filename: Text | None = Field(default=None, max_length=255, description="A name to show in reports.")
    name: Text | None = Field(default=None, max_length=255, description="Same as filename, when that is unset.")


# ----------------------------------------------------------------------------------------------------------- reports


def _exactly_one(side: str) -> dict[str, Any]:
    """JSON Schema for "exactly one of SIDE_id and SIDE_text is given (not null)", as the validator checks it."""
    given, other = f"{side}_id", f"{side}_text"
    return {
        "oneOf": [
            {"required": [a], "properties": {a: {"type": "string"}, b: {"type": "null"}}}
            for a, b in ((given, other), (other, given))
        ]
    }


class MatchRequest(BaseModel):
    """One resume and one job post, each by the id of a stored document or as inline text."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "allOf": [_exactly_one("resume"), _exactly_one("job")],
            "examples": [
                {"resume_id": "4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01", "job_id": "0a9b8c7d6e5f40312a3b4c5d6e7f8091"},
                {
                    "resume_text": "Jane Roe\n\nSkills\nPython, PyTorch, Docker, AWS\n",
                    "job_text": "ML Engineer\n\nRequirements\n- 3+ years of Python\n- PyTorch or TensorFlow\n",
                    "blind": True,
                },
            ],
        },
    )

    resume_id: Text | None = Field(default=None, max_length=64)
    resume_text: Text | None = None
    job_id: Text | None = Field(default=None, max_length=64)
    job_text: Text | None = None
    blind: bool = Field(default=False, description="Leave out the resume's file name and contact/education evidence.")

    @model_validator(mode="after")
    def _one_of_each(self) -> MatchRequest:
        for side in ("resume", "job"):
            given = [f"{side}_{how}" for how in ("id", "text") if getattr(self, f"{side}_{how}") is not None]
            if len(given) != 1:
                raise ValueError(f"give exactly one of {side}_id and {side}_text")
        return self


class Evidence(BaseModel):
    section: str | None
    start: int
    end: int
    text: str


class ReportLine(BaseModel):
    """One job skill and how the resume covers it; contribution = weight x credit."""

    id: str
    name: str
    category: str
    level: str
    weight: float
    credit: float
    contribution: float
    relation: str | None
    via: str | None
    years: float | None
    years_asked: float | None
    last_used: int | None
    experience_factor: float
    recency_factor: float
    must_have: bool
    transferable: str | None
    prerequisites: list[str]
    job_evidence: list[Evidence]
    resume_evidence: list[Evidence]


class Components(BaseModel):
    required_coverage: float
    preferred_coverage: float
    experience: float
    title_fit: float
    qualifications: float = Field(default=0.0, description="Title, degree, certifications (0, weight 0, if none).")


class SeniorityPair(BaseModel):
    resume: Seniority | None
    job: Seniority | None


class YearsPair(BaseModel):
    resume: float | None
    asked: float | None


_REPORT_EXAMPLE: dict[str, Any] = {
    "id": "7d3e1f0a2b4c4d5e8f9a0b1c2d3e4f50",
    "resume_id": "4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01",
    "job_id": "0a9b8c7d6e5f40312a3b4c5d6e7f8091",
    "created_at": "2026-01-15T09:31:00Z",
    "schema_version": "1",
    "score": 84.8,
    "uncapped_score": 84.8,
    "cap_reason": None,
    "components": {"required_coverage": 0.8753, "preferred_coverage": 0.5493, "experience": 1.0, "title_fit": 1.0},
    "component_weights": {"required_coverage": 0.5, "preferred_coverage": 0.2, "experience": 0.15, "title_fit": 0.15},
    "matched": [
        {
            "id": "pytorch",
            "name": "PyTorch",
            "category": "ml_framework",
            "level": "required",
            "weight": 3.0,
            "credit": 1.0,
            "contribution": 3.0,
            "relation": "exact",
            "via": None,
            "years": 4.3,
            "years_asked": None,
            "last_used": None,
            "experience_factor": 1.0,
            "recency_factor": 1.0,
            "must_have": False,
            "transferable": None,
            "prerequisites": [],
            "job_evidence": [{"section": "requirements", "start": 310, "end": 317, "text": "PyTorch"}],
            "resume_evidence": [{"section": "experience", "start": 420, "end": 427, "text": "PyTorch"}],
        }
    ],
    "partial": [],
    "missing": [],
    "learning_order": ["communication", "llm_fine_tuning"],
    "coverage_by_category": {"ml_framework": 1.0, "soft_skill": 0.0},
    "seniority": {"resume": "senior", "job": "mid"},
    "years": {"resume": 7.2, "asked": 3.0},
    "low_trust": False,
    "trust_warnings": [],
    "taxonomy_version": "2026.12.0",
    "resume": "ml_engineer_resume.md",
    "job": "ml_engineer_job.md",
    "job_title": "Machine Learning Engineer (NLP platform)",
    "blind": False,
    "diagnostics": {"resume": {"parser": "markdown"}, "job": {"parser": "markdown"}},
}


class ReportOut(_Out):
    """The gap report (the JSON of ``skillmatch match``) with its id and the documents it came from."""

    model_config = ConfigDict(json_schema_extra={"examples": [_REPORT_EXAMPLE]})

    id: str
    resume_id: str | None = Field(description="The stored resume scored; null when it was sent as text.")
    job_id: str | None = Field(description="The stored job post scored; null when it was sent as text.")
    created_at: datetime
    schema_version: str
    score: float = Field(description="0-100.")
    uncapped_score: float
    cap_reason: str | None
    components: Components
    component_weights: dict[str, float]
    matched: list[ReportLine]
    partial: list[ReportLine]
    missing: list[ReportLine] = Field(description="Most important first.")
    learning_order: list[str] = Field(description="Skill ids in the order to learn them.")
    coverage_by_category: dict[str, float]
    seniority: SeniorityPair
    years: YearsPair
    low_trust: bool
    trust_warnings: list[str]
    taxonomy_version: str
    resume: str | None = Field(description="The resume's file name; null in blind mode.")
    job: str | None
    job_title: str | None
    blind: bool
    diagnostics: dict[str, Any]
    qualifications: list[ReportQualification] = Field(
        default_factory=list, description="The job's title, people management, degrees and certifications, credited."
    )
    verdict: str | None = Field(default=None, description="strong fit, partial fit or not a fit.")


class ReportSummary(_Out):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "7d3e1f0a2b4c4d5e8f9a0b1c2d3e4f50",
                    "resume_id": "4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01",
                    "job_id": None,
                    "score": 84.8,
                    "job_title": "Machine Learning Engineer (NLP platform)",
                    "created_at": "2026-01-15T09:31:00Z",
                }
            ]
        }
    )

    id: str
    resume_id: str | None
    job_id: str | None
    score: float
    job_title: str | None
    created_at: datetime


class ReportList(Page):
    data: list[ReportSummary]


# ------------------------------------------------------------------------------------------------ titles, candidates


class TitleFit(BaseModel):
    """How well the resume fits one ML job title of the taxonomy."""

    title: str = Field(examples=["Machine Learning Engineer"])
    title_id: str = Field(examples=["ml_engineer"])
    score: float = Field(examples=[87.3])
    seniority: Seniority | None = Field(description="The person's estimated seniority.", examples=["senior"])
    title_seniority: Seniority = Field(examples=["mid"])
    missing: list[str] = Field(description="The most important skills the title asks for that the resume lacks.")
    match_score: float | None = Field(default=None, description="The resume scored against the title (0-100).")
    level_factor: float | None = Field(default=None, description="1/0.9/0.7/0.5 by level distance.")
    role_factor: float | None = Field(default=None, description="0.7 + 0.3 x what past titles say of this one.")
    fits: bool | None = Field(default=None, description="An ML or data title whose score reaches the fit threshold.")
    verdict: str | None = Field(default=None, description="The match score's band.")


class TitleRanking(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "resume_id": "4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01",
                    "taxonomy_version": "2026.12.0",
                    "no_fit": False,
                    "titles": [
                        {
                            "title": "Machine Learning Engineer",
                            "title_id": "ml_engineer",
                            "score": 87.3,
                            "seniority": "senior",
                            "title_seniority": "mid",
                            "missing": ["model serving", "feature store"],
                        }
                    ],
                }
            ]
        }
    )

    resume_id: str
    taxonomy_version: str
    no_fit: bool = Field(
        default=False, description="True when no ML or data title fits: the titles are then the nearest ones."
    )
    titles: list[TitleFit]


class Candidate(BaseModel):
    """One of the owner's resumes scored for the job."""

    resume_id: str
    filename: str | None = Field(description="Null when the request asked for blind results.")
    score: float
    components: Components
    missing: list[str] = Field(description="The five most important missing skills, by name.")
    matched_count: int
    partial_count: int
    missing_count: int


class CandidateList(Page):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "job_id": "0a9b8c7d6e5f40312a3b4c5d6e7f8091",
                    "taxonomy_version": "2026.12.0",
                    "data": [
                        {
                            "resume_id": "4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01",
                            "filename": "ml_engineer_resume.md",
                            "score": 84.8,
                            "components": {
                                "required_coverage": 0.8753,
                                "preferred_coverage": 0.5493,
                                "experience": 1.0,
                                "title_fit": 1.0,
                            },
                            "missing": ["communication", "collaboration"],
                            "matched_count": 18,
                            "partial_count": 3,
                            "missing_count": 5,
                        }
                    ],
                    "count": 1,
                    "limit": 20,
                    "offset": 0,
                }
            ]
        }
    )

    job_id: str
    taxonomy_version: str
    data: list[Candidate]


class JobFit(BaseModel):
    """One of the owner's job posts scored for the resume."""

    job_id: str
    title: str | None = Field(
        description="The title read from the post; else its file name (not with blind); null when neither."
    )
    score: float
    components: Components
    missing: list[str] = Field(description="The five most important missing skills, by name.")
    matched_count: int
    partial_count: int
    missing_count: int


class JobList(Page):
    """The owner's job posts ranked for one resume, best first (ties: oldest upload first)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "resume_id": "4f1c2b0e9d8a4c6f8e2a7b1d3c5e9f01",
                    "taxonomy_version": "2026.12.0",
                    "data": [
                        {
                            "job_id": "0a9b8c7d6e5f40312a3b4c5d6e7f8091",
                            "title": "Machine Learning Engineer",
                            "score": 84.8,
                            "components": {
                                "required_coverage": 0.8753,
                                "preferred_coverage": 0.5493,
                                "experience": 1.0,
                                "title_fit": 1.0,
                                "qualifications": 0.0,
                            },
                            "missing": ["communication", "collaboration"],
                            "matched_count": 18,
                            "partial_count": 3,
                            "missing_count": 5,
                        }
                    ],
                    "count": 1,
                    "limit": 20,
                    "offset": 0,
                }
            ]
        }
    )

    resume_id: str
    taxonomy_version: str
    data: list[JobFit]
