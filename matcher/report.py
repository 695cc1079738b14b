"""The gap report as JSON (a documented, stable shape): ``report_to_dict``.

Blind mode leaves out what could identify the person: file names (``jane_doe.pdf``), and the resume evidence
of the contact and education sections (names, e-mails, schools). The score never used any of it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from matcher.profiles import Evidence
from matcher.scoring import MatchReport, SkillLine

#: Version of the JSON shape below; bump it when a key changes meaning.
REPORT_SCHEMA_VERSION = "1"
_BLIND_SECTIONS = frozenset({"contact", "education"})


def report_to_dict(report: MatchReport, *, blind: bool = False) -> dict[str, Any]:
    """The report as plain JSON values; keys are a contract (see the README's report schema)."""
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "score": report.score,
        "uncapped_score": report.uncapped_score,
        "cap_reason": report.cap_reason,
        "components": asdict(report.components),
        "component_weights": dict(report.weights),
        "matched": [_line(line, blind) for line in report.matched],
        "partial": [_line(line, blind) for line in report.partial],
        "missing": [_line(line, blind) for line in report.missing],
        "learning_order": list(report.learning_order),
        "coverage_by_category": dict(report.coverage_by_category),
        "seniority": {"resume": report.resume_seniority, "job": report.job_seniority},
        "years": {"resume": report.resume_years, "asked": report.years_asked},
        "low_trust": report.low_trust,
        "trust_warnings": list(report.trust_warnings),
        "taxonomy_version": report.taxonomy_version,
        "resume": None if blind else report.resume_source,
        "job": report.job_source,
        "job_title": report.job_title,
        "blind": blind,
        "diagnostics": dict(report.diagnostics),
    }


def _line(line: SkillLine, blind: bool) -> dict[str, Any]:
    return {
        "id": line.skill_id,
        "name": line.name,
        "category": line.category,
        "level": line.level,
        "weight": line.weight,
        "credit": line.credit,
        "contribution": round(line.weight * line.credit, 4),
        "relation": line.relation,
        "via": line.via,
        "years": line.years,
        "years_asked": line.years_asked,
        "last_used": line.last_used,
        "experience_factor": line.experience_factor,
        "recency_factor": line.recency_factor,
        "must_have": line.must_have,
        "transferable": line.transferable,
        "prerequisites": list(line.prerequisites),
        "job_evidence": [_evidence(e) for e in line.job_evidence],
        "resume_evidence": [
            _evidence(e) for e in line.resume_evidence if not (blind and e.section in _BLIND_SECTIONS)
        ],
    }


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {"section": evidence.section, "start": evidence.start, "end": evidence.end, "text": evidence.text}
