"""matcher/report/model.py: one model (GapReport) is the report's JSON, its schema file and its validation.

``docs/report-schema.json`` is generated from the model; a test checks it is current. Real reports are then
validated against that file by an independent validator (jsonschema-rs), so the file is also checked to mean what
the model means.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import jsonschema_rs
import pytest
from pydantic import ValidationError

from matcher.engine import Engine
from matcher.report.model import REPORT_SCHEMA_VERSION, GapReport, report_model, report_schema, report_to_dict
from matcher.scoring.match import MatchReport
from matcher.tagging.tagger import Tagger
from tests.conftest import REPO, SAMPLES

SCHEMA_FILE = REPO / "docs" / "report-schema.json"
RESUMES = ("ml_engineer_resume.md", "applied_scientist_table_header.docx", "ml_engineer_one_column.pdf")
JOBS = ("ml_engineer_job.md", "nlp_engineer_years.txt", "senior_nlp_engineer_post.html")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Any:
    return jsonschema_rs.validator_for(schema)


@pytest.fixture(scope="module")
def reports(tagger: Tagger) -> list[MatchReport]:
    engine = Engine(tagger=tagger, as_of=2026)
    resumes = [engine.load(SAMPLES / "resumes" / name, kind="resume") for name in RESUMES]
    resumes.append(engine.load(SAMPLES / "broken" / "keyword_stuffing.pdf", kind="resume"))  # low trust
    jobs = [engine.load(SAMPLES / "jobs" / name, kind="job") for name in JOBS]
    return [engine.match(resume, job) for resume in resumes for job in jobs]


def _as_json(report: MatchReport, *, blind: bool = False) -> Any:
    """What a client receives: the dict through JSON."""
    return json.loads(json.dumps(report_to_dict(report, blind=blind)))


def test_report_schema_file_is_generated_from_the_model(schema: dict[str, Any]) -> None:
    """`python -m matcher.report > docs/report-schema.json` after changing the model."""
    assert schema == report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"]["const"] == REPORT_SCHEMA_VERSION


def test_report_real_reports_validate_against_the_file(validator: Any, reports: list[MatchReport]) -> None:
    assert any(r.cap_reason for r in reports)
    assert any(r.low_trust for r in reports)
    assert any(r.partial for r in reports)
    assert any(line.transferable for r in reports for line in r.missing)
    for report in reports:
        for blind in (False, True):
            data = _as_json(report, blind=blind)
            assert list(validator.iter_errors(data)) == [], (report.resume_source, blind)
            assert GapReport.model_validate(data) == report_model(report, blind=blind)  # a lossless round trip


def test_report_without_documents_validates(validator: Any, reports: list[MatchReport]) -> None:
    """score_match on profiles (no Engine) leaves the diagnostics empty."""
    assert validator.is_valid(_as_json(dataclasses.replace(reports[0], diagnostics={})))


def test_report_every_key_is_documented_and_required(schema: dict[str, Any], reports: list[MatchReport]) -> None:
    data = _as_json(reports[0])
    assert list(data) == list(schema["properties"])  # the JSON's key order is the model's
    assert set(schema["required"]) == set(schema["properties"])
    line = schema["$defs"]["ReportLine"]
    assert set(data["matched"][0]) == set(line["required"]) == set(line["properties"])
    assert [key for key, sub in schema["properties"].items() if "description" not in sub] == []


def _evidence_sections(data: dict[str, Any]) -> set[str | None]:
    lines = [line for group in ("matched", "partial") for line in data[group]]
    return {e["section"] for line in lines for e in line["resume_evidence"]}


def test_report_blind_leaves_out_the_file_name_and_identifying_evidence(reports: list[MatchReport]) -> None:
    identifying = [r for r in reports if _evidence_sections(_as_json(r)) & {"contact", "education"}]
    assert identifying  # the samples name skills in their education sections
    for report in identifying:
        blind = _as_json(report, blind=True)
        assert blind["resume"] is None
        assert blind["blind"] is True
        assert not _evidence_sections(blind) & {"contact", "education"}
        assert _as_json(report)["resume"] is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("score"),
        lambda d: d.update(extra=1),
        lambda d: d.update(score="81"),
        lambda d: d.update(low_trust=1),
        lambda d: d.update(score=101),
        lambda d: d["components"].update(experience=True),
        lambda d: d["seniority"].update(job="wizard"),
        lambda d: d["matched"][0].update(relation="cousin"),
        lambda d: d["matched"][0]["job_evidence"][0].update(start=1.5),
        lambda d: d["coverage_by_category"].update(x=2),
        lambda d: d.update(schema_version="2"),
    ],
)
def test_report_broken_reports_are_refused_by_the_file_and_the_model(
    validator: Any, reports: list[MatchReport], change: Any
) -> None:
    data = copy.deepcopy(_as_json(reports[0]))
    change(data)
    assert not validator.is_valid(data)
    with pytest.raises(ValidationError):
        GapReport.model_validate(data, strict=True)


def test_report_qualifications_are_lines_with_evidence_and_a_verdict(tagger: Tagger) -> None:
    """Issue 17: the job's title, degree and certifications, each credited with evidence from both documents."""
    engine = Engine(tagger=tagger, as_of=2026)
    resume = engine.load(SAMPLES / "resumes" / "ml_engineer_positions.txt", kind="resume")
    job = engine.load(SAMPLES / "eval" / "jobs" / "computer_vision_engineer.txt", kind="job")
    data = _as_json(engine.match(resume, job), blind=True)
    assert [q["kind"] for q in data["qualifications"]] == ["title", "degree"]
    title, degree = data["qualifications"]
    assert title["resume_evidence"][0]["text"] == "Senior Machine Learning Engineer"
    assert degree["job_evidence"][0]["text"].startswith("M.Sc. or Ph.D. in computer science")
    assert degree["resume_evidence"][0]["text"] == "MSc Machine Learning"  # kept in blind mode: level and field
    assert "Manchester" not in json.dumps(data)  # the school is not
    for line in data["qualifications"]:
        assert line["contribution"] == round(line["weight"] * line["credit"], 4)
        for side, doc in (("resume_evidence", resume), ("job_evidence", job)):
            for e in line[side]:
                assert doc.document.text[e["start"] : e["end"]] == e["text"]
    assert data["verdict"] in ("strong fit", "partial fit", "not a fit")
    assert data["components"]["qualifications"] == pytest.approx(
        sum(q["contribution"] for q in data["qualifications"]) / sum(q["weight"] for q in data["qualifications"]),
        abs=1e-4,
    )


def test_report_stored_before_issue_17_is_upgraded(reports: list[MatchReport]) -> None:
    """A stored report without qualifications or verdict reads as one whose job asked for none."""
    from matcher.report.model import upgrade_stored

    data = _as_json(reports[0])
    old = {k: v for k, v in data.items() if k not in ("qualifications", "verdict")}
    old["components"] = {k: v for k, v in old["components"].items() if k != "qualifications"}
    old["component_weights"] = {k: v for k, v in old["component_weights"].items() if k != "qualifications"}
    with pytest.raises(ValidationError):
        GapReport.model_validate(old)
    upgraded = GapReport.model_validate(upgrade_stored(old))
    assert upgraded.qualifications == []
    assert upgraded.verdict is None
    assert upgraded.component_weights.qualifications == 0.0
    assert upgrade_stored(data) == data
