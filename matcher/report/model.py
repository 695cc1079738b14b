"""The gap report as JSON, described once: the pydantic model :class:`GapReport`.

One model is the report's shape everywhere: :func:`report_to_dict` (``skillmatch match --format json``) dumps
it, ``docs/report-schema.json`` is generated from it (``python -m matcher.report`` writes it; a test checks the
file is current), the service validates stored reports with it before rendering and answers with it, and the
Markdown and HTML renderers (:mod:`matcher.report.render`) read it. A key that changes meaning bumps
:data:`REPORT_SCHEMA_VERSION`; keys are added, never renamed.

Blind mode leaves out what could identify the person: file names (``jane_doe.pdf``), and the resume evidence
of the contact and education sections (names, e-mails, schools) in the skill lines. The qualifications keep
the degree's level and field (their evidence is the degree's own words, "M.Sc. Statistics", never the school).
The score never used any of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from matcher.scoring.match import NOT_A_FIT, VERDICT_BANDS, MatchReport, QualificationLine, SkillLine
from matcher.scoring.profiles import Evidence

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "GapReport",
    "ReportComponents",
    "ReportEvidence",
    "ReportLine",
    "ReportQualification",
    "report_model",
    "report_schema",
    "report_to_dict",
    "upgrade_stored",
]

#: Version of the JSON shape; bump it when a key changes meaning.
REPORT_SCHEMA_VERSION: Literal["1"] = "1"
_BLIND_SECTIONS = frozenset({"contact", "education"})

Seniority = Literal["intern", "junior", "mid", "senior", "lead", "principal", "executive"]
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportEvidence(_Model):
    """Where a skill is mentioned: the section and the exact text span (character offsets into the document's
    text)."""

    section: str | None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ReportLine(_Model):
    """One job skill with everything needed to recompute its part of the score."""

    id: str = Field(description="Stable taxonomy skill id.")
    name: str = Field(description="Display name.")
    category: str = Field(description="Taxonomy category id.")
    level: Literal["required", "preferred"]
    weight: NonNegative = Field(description="The skill's weight in its level's coverage, from the job text.")
    credit: Share = Field(description="0-1: relation credit x experience_factor x recency_factor (0 when missing).")
    contribution: NonNegative = Field(description="weight x credit, four decimals.")
    relation: Literal["exact", "narrower", "broader", "sibling", "related"] | None = Field(
        description="How the resume covers the skill; null when missing."
    )
    via: str | None = Field(description="For a partial match: the resume skill id that earned the credit.")
    years: NonNegative | None = Field(description="Years the resume shows with the (via) skill.")
    years_asked: NonNegative | None = Field(description="Years the job asks of this skill.")
    last_used: int | None = Field(description="Last year the resume shows the skill in use.")
    experience_factor: Share = Field(
        description="min(1, 0.5 + 0.5 x years / years asked) when both are known, else 1."
    )
    recency_factor: Share = Field(
        description="1 / 0.85 / 0.7 when last used at most 2 / 5 / more years ago; 1 when unknown."
    )
    must_have: bool = Field(description="A required skill asked with years: missing it caps the score.")
    transferable: str | None = Field(description="For a missing skill: the closest skill id the person has, or null.")
    prerequisites: list[str] = Field(description="For a missing skill: broader skill ids the person lacks.")
    job_evidence: list[ReportEvidence]
    resume_evidence: list[ReportEvidence] = Field(
        description="In blind mode, without the contact and education sections."
    )


class ReportComponents(_Model):
    """The four components of the score, each 0-1."""

    required_coverage: Share = Field(
        description="sum(weight x credit) / sum(weight) over the required skills (1 when there are none)."
    )
    preferred_coverage: Share = Field(description="The same over the preferred skills.")
    experience: Share = Field(
        description="min(1, resume years / years asked); 1 when none asked, 0.5 when the resume's years are unknown."
    )
    title_fit: Share = Field(
        description="Seniority fit: distance 0/1/2/3+ gives 1/0.7/0.3/0; 0.8 when either is unknown."
    )
    qualifications: Share = Field(
        description="sum(weight x credit) / sum(weight) over the qualification lines (the job's title, people "
        "management, degrees, certifications); 0 with weight 0 when the job asks for none."
    )


class ReportQualification(_Model):
    """One qualification the job asks for besides skills, with everything needed to recompute its credit."""

    kind: Literal["title", "management", "degree", "certification"] = Field(
        description="title: the job's title against the person's past titles; management: a manager's title asks "
        "for evidence of managing people; degree; certification."
    )
    name: str = Field(description="What the job asks, in words.")
    level: Literal["required", "preferred"]
    weight: NonNegative = Field(description="title 3, management 2, a degree or certification 2 (1 when preferred).")
    credit: Share = Field(description="0-1, how the resume meets it (see reason).")
    contribution: NonNegative = Field(description="weight x credit, four decimals.")
    reason: str = Field(description="How the credit was reached, in words.")
    job_evidence: list[ReportEvidence]
    resume_evidence: list[ReportEvidence] = Field(
        description="The past title, degree (its level and field only, never the school), certification or "
        "management text that earned the credit; kept in blind mode."
    )


class ReportSeniority(_Model):
    resume: Seniority | None
    job: Seniority | None


class ReportYears(_Model):
    resume: NonNegative | None
    asked: NonNegative | None


class GapReport(_Model):
    """The JSON form of a resume-job match (``skillmatch match --format json``). score = min(uncapped_score, cap)
    and uncapped_score = 100 x sum(component_weights[c] x components[c])."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="skillmatch gap report",
        json_schema_extra={"$id": f"urn:skillmatch:report:{REPORT_SCHEMA_VERSION}"},
    )

    schema_version: Literal["1"] = Field(description="Version of this shape.")
    score: float = Field(
        ge=0, le=100,
        description="The final score, 0-100, one decimal: the uncapped score, or the cap when a must-have is missing.",
    )  # fmt: skip
    uncapped_score: float = Field(ge=0, le=100, description="100 x the weighted sum of the components, one decimal.")
    cap_reason: str | None = Field(description="Why the score was capped (the missing must-have skills), or null.")
    components: ReportComponents = Field(description="Each component, 0-1, four decimals.")
    component_weights: ReportComponents = Field(
        description="The weight each component had in this match; they sum to 1 (preferred's weight moves to "
        "required when a job has no preferred skills, and the other way round)."
    )
    matched: list[ReportLine] = Field(description="Job skills the resume has (relation exact), in job order.")
    partial: list[ReportLine] = Field(
        description="Job skills the resume covers through a taxonomy relation (narrower, broader, sibling, related)."
    )
    missing: list[ReportLine] = Field(description="Job skills with no credit, most important (highest weight) first.")
    learning_order: list[str] = Field(
        description="Skill ids to learn, in order: the most important missing skills, each after the prerequisites "
        "the person lacks."
    )
    coverage_by_category: dict[str, Share] = Field(
        description="Taxonomy category id -> coverage 0-1 of the job's skills in that category (weighted by skill "
        "weight)."
    )
    seniority: ReportSeniority = Field(
        description="Seniority estimated from the resume and from the job post, null when unknown."
    )
    years: ReportYears = Field(
        description="Total years of experience on the resume (overlaps merged) and years the job asks overall, null "
        "when unknown."
    )
    low_trust: bool = Field(description="True when the score may not reflect the documents: trust_warnings say why.")
    trust_warnings: list[str] = Field(
        description="Why the score is low-trust, each prefixed with the document ('resume: ...', 'job: ...')."
    )
    taxonomy_version: str = Field(description="The taxonomy the skills were found with.")
    resume: str | None = Field(description="The resume's file name or label; null in blind mode.")
    job: str | None = Field(description="The job post's file name or label.")
    job_title: str | None = Field(description="The job post's title, when found.")
    blind: bool = Field(
        description="True when the report leaves out the resume file name and contact and education evidence."
    )
    diagnostics: dict[str, dict[str, Any]] = Field(
        description="How each document (resume, job) was read: the parse diagnostics and the sections found; "
        "empty when the report was scored from stored profiles."
    )
    qualifications: list[ReportQualification] = Field(
        description="The job's title, people management, degrees and certifications, each with its credit: the "
        "lines of the qualifications component (empty when the job asks for none)."
    )
    verdict: Literal["strong fit", "partial fit", "not a fit"] | None = Field(
        description=f"The score's band: '{VERDICT_BANDS[0][1]}' from {VERDICT_BANDS[0][0]:g}, '{VERDICT_BANDS[1][1]}' "
        f"from {VERDICT_BANDS[1][0]:g}, '{NOT_A_FIT}' below (thresholds from labelled pairs, docs/fit.md); null in "
        "reports stored before it existed (read through upgrade_stored)."
    )


def report_model(report: MatchReport, *, blind: bool = False) -> GapReport:
    """The report as its model (validated: a value out of its range is a bug, and raises)."""
    return GapReport(
        schema_version=REPORT_SCHEMA_VERSION,
        score=report.score,
        uncapped_score=report.uncapped_score,
        cap_reason=report.cap_reason,
        components=ReportComponents(**_fields(report.components)),
        component_weights=ReportComponents(**dict(report.weights)),
        matched=[_line(line, blind) for line in report.matched],
        partial=[_line(line, blind) for line in report.partial],
        missing=[_line(line, blind) for line in report.missing],
        learning_order=list(report.learning_order),
        coverage_by_category=dict(report.coverage_by_category),
        seniority=ReportSeniority(resume=report.resume_seniority, job=report.job_seniority),
        years=ReportYears(resume=report.resume_years, asked=report.years_asked),
        low_trust=report.low_trust,
        trust_warnings=list(report.trust_warnings),
        taxonomy_version=report.taxonomy_version,
        resume=None if blind else report.resume_source,
        job=report.job_source,
        job_title=report.job_title,
        blind=blind,
        diagnostics={doc: dict(diag) for doc, diag in report.diagnostics.items()},  # type: ignore[call-overload]
        qualifications=[_qualification(line) for line in report.qualifications],
        verdict=report.verdict,  # type: ignore[arg-type]
    )


def upgrade_stored(data: Mapping[str, Any]) -> dict[str, Any]:
    """A report stored before the qualifications component and the verdict existed, with them as such a report
    meant them: no qualification lines, a qualifications component of 0 weighing 0, no verdict. Newer reports
    pass unchanged."""
    upgraded = dict(data)
    for key in ("components", "component_weights"):
        if isinstance(upgraded.get(key), Mapping) and "qualifications" not in upgraded[key]:
            upgraded[key] = {**upgraded[key], "qualifications": 0.0}
    upgraded.setdefault("qualifications", [])
    upgraded.setdefault("verdict", None)
    return upgraded


def report_to_dict(report: MatchReport, *, blind: bool = False) -> dict[str, Any]:
    """The report as plain JSON values; keys are a contract (``docs/report-schema.json``)."""
    return report_model(report, blind=blind).model_dump(mode="json")


def report_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`GapReport`, as ``docs/report-schema.json`` holds it."""
    schema = GapReport.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _fields(components: object) -> dict[str, float]:
    """A components record's fields by name (the dataclass of :mod:`matcher.scoring.match`)."""
    return {name: getattr(components, name) for name in ReportComponents.model_fields}


def _line(line: SkillLine, blind: bool) -> ReportLine:
    return ReportLine(
        id=line.skill_id,
        name=line.name,
        category=line.category,
        level=line.level,  # type: ignore[arg-type]
        weight=line.weight,
        credit=line.credit,
        contribution=round(line.weight * line.credit, 4),
        relation=line.relation,
        via=line.via,
        years=line.years,
        years_asked=line.years_asked,
        last_used=line.last_used,
        experience_factor=line.experience_factor,
        recency_factor=line.recency_factor,
        must_have=line.must_have,
        transferable=line.transferable,
        prerequisites=list(line.prerequisites),
        job_evidence=[_evidence(e) for e in line.job_evidence],
        resume_evidence=[_evidence(e) for e in line.resume_evidence if not (blind and e.section in _BLIND_SECTIONS)],
    )


def _qualification(line: QualificationLine) -> ReportQualification:
    return ReportQualification(
        kind=line.kind,
        name=line.name,
        level=line.level,
        weight=line.weight,
        credit=line.credit,
        contribution=round(line.weight * line.credit, 4),
        reason=line.reason,
        job_evidence=[_evidence(e) for e in line.job_evidence],
        resume_evidence=[_evidence(e) for e in line.resume_evidence],
    )


def _evidence(evidence: Evidence) -> ReportEvidence:
    return ReportEvidence(section=evidence.section, start=evidence.start, end=evidence.end, text=evidence.text)

