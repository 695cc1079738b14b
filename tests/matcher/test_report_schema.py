"""docs/report-schema.json describes report_to_dict's output: real reports validate against it.

jsonschema is not a dependency, so a small checker of the keywords the schema uses (type, enum, const,
properties, required, additionalProperties, items, minimum, maximum, local $ref) does the validation, and a test
makes sure the schema uses no other keyword the checker would silently skip.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest

from matcher.engine import Engine
from matcher.report import REPORT_SCHEMA_VERSION, report_to_dict
from matcher.scoring import MatchReport
from matcher.tagging import Tagger
from tests.conftest import REPO, SAMPLES

SCHEMA_FILE = REPO / "docs" / "report-schema.json"
RESUMES = ("ml_engineer_resume.md", "applied_scientist_table_header.docx", "ml_engineer_one_column.pdf")
JOBS = ("ml_engineer_job.md", "nlp_engineer_years.txt", "senior_nlp_engineer_post.html")

_CHECKED = {"type", "enum", "const", "properties", "required", "additionalProperties", "items", "minimum",
            "maximum", "$ref", "$defs"}  # fmt: skip
_ANNOTATIONS = {"$schema", "$id", "title", "description"}
_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(instance: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """Every violation of ``schema`` by ``instance``, as ``path: message`` (empty when it validates)."""
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        schema = {**root["$defs"][ref.removeprefix("#/$defs/")], **{k: v for k, v in schema.items() if k != "$ref"}}
    errors: list[str] = []
    if "type" in schema:
        types = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        if not any(_TYPES[t](instance) for t in types):
            return [f"{path}: {instance!r} is not of type {types}"]
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{path}: {instance!r} != {schema['const']!r}")
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} not in {schema['enum']}")
    if _TYPES["number"](instance):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{path}: {instance} < {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{path}: {instance} > {schema['maximum']}")
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        errors += [f"{path}: missing key {key!r}" for key in schema.get("required", ()) if key not in instance]
        extra = schema.get("additionalProperties", True)
        for key, value in instance.items():
            if key in properties:
                errors += validate(value, properties[key], root, f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                errors += validate(value, extra, root, f"{path}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            errors += validate(item, schema["items"], root, f"{path}[{i}]")
    return errors


def _subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        yield schema
        for key in ("properties", "$defs"):
            for sub in schema.get(key, {}).values():
                yield from _subschemas(sub)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                yield from _subschemas(schema[key])


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(tagger: Tagger) -> list[MatchReport]:
    engine = Engine(tagger=tagger, as_of=2026)
    resumes = [engine.load(SAMPLES / "resumes" / name, kind="resume") for name in RESUMES]
    resumes.append(engine.load(SAMPLES / "broken" / "keyword_stuffing.pdf", kind="resume"))  # low trust
    jobs = [engine.load(SAMPLES / "jobs" / name, kind="job") for name in JOBS]
    return [engine.match(resume, job) for resume in resumes for job in jobs]


def _as_json(report: MatchReport, *, blind: bool = False) -> Any:
    """What a client receives: the dict through JSON (tuples become lists)."""
    return json.loads(json.dumps(report_to_dict(report, blind=blind)))


def test_schema_is_draft_2020_12_and_uses_only_checked_keywords(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"]["const"] == REPORT_SCHEMA_VERSION
    for sub in _subschemas(schema):
        assert set(sub) <= _CHECKED | _ANNOTATIONS, set(sub) - _CHECKED - _ANNOTATIONS
        assert set(sub.get("required", ())) <= set(sub.get("properties", {})), sub.get("required")
        for ref in [sub["$ref"]] if "$ref" in sub else []:
            assert ref.removeprefix("#/$defs/") in schema["$defs"], ref


def test_real_reports_validate(schema: dict[str, Any], reports: list[MatchReport]) -> None:
    assert any(r.cap_reason for r in reports)
    assert any(r.low_trust for r in reports)
    assert any(r.partial for r in reports)
    assert any(line.transferable for r in reports for line in r.missing)
    for report in reports:
        for blind in (False, True):
            assert validate(_as_json(report, blind=blind), schema, schema) == [], (report.resume_source, blind)


def test_report_without_documents_validates(schema: dict[str, Any], reports: list[MatchReport]) -> None:
    """score_match on profiles (no Engine) leaves the diagnostics empty."""
    assert validate(_as_json(dataclasses.replace(reports[0], diagnostics={})), schema, schema) == []


def test_every_key_is_documented_and_required(schema: dict[str, Any], reports: list[MatchReport]) -> None:
    data = _as_json(reports[0])
    assert set(data) == set(schema["required"]) == set(schema["properties"])
    line = schema["$defs"]["skillLine"]
    assert set(data["matched"][0]) == set(line["required"]) == set(line["properties"])
    undocumented = [key for key, sub in schema["properties"].items() if "description" not in sub]
    assert undocumented == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("score"), "missing key 'score'"),
        (lambda d: d.update(extra=1), "unexpected key 'extra'"),
        (lambda d: d.update(score="81"), "is not of type"),
        (lambda d: d.update(low_trust=1), "is not of type"),
        (lambda d: d.update(score=101), "> 100"),
        (lambda d: d["components"].update(experience=True), "is not of type"),
        (lambda d: d["seniority"].update(job="wizard"), "not in"),
        (lambda d: d["matched"][0].update(relation="cousin"), "not in"),
        (lambda d: d["matched"][0]["job_evidence"][0].update(start=1.5), "is not of type"),
        (lambda d: d["coverage_by_category"].update(x=2), "> 1"),
        (lambda d: d.update(schema_version="2"), "!= '1'"),
    ],
)
def test_validator_catches_broken_reports(
    schema: dict[str, Any], reports: list[MatchReport], change: Any, message: str
) -> None:
    data = _as_json(reports[0])
    change(data)
    errors = validate(data, schema, schema)
    assert errors
    assert any(message in e for e in errors), errors
