"""matcher/analysis/qualifications.py: degrees, certifications, past titles and management, read from the text."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.analysis import analyse_document
from matcher.analysis.qualifications import (
    _MANAGES,
    _MANAGES_START,
    _abbreviation_pattern,
    _alternation,
    _name_pattern,
    find_certifications,
    find_degree_asks,
    find_degrees,
    find_qualifications,
    load_qualifications,
    management_title,
)
from matcher.analysis.scan import matches_from
from matcher.errors import TaxonomyError
from matcher.parsing import parse_document
from matcher.types import DocumentKind, Section
from tests import variants
from tests.conftest import SAMPLES, SHARED_DATA

AS_OF = date(2026, 12, 1)


def _analysed(text: str, kind: DocumentKind):  # type: ignore[no-untyped-def]
    document = parse_document(text.encode("utf-8"))
    return document, analyse_document(document, as_of=AS_OF, kind=kind)


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("M.Sc. Statistics, University of Oslo, 2019", [("master", ("statistics",), "M.Sc. Statistics")]),
        ("Master of Science in Computer Science; GPA: 4.00", [("master", ("computer_science",),
                                                               "Master of Science in Computer Science")]),
        ("Ph.D. Statistics, University of Washington, 2021", [("doctorate", ("statistics",), "Ph.D. Statistics")]),
        ("B.E. Mechanical Engineering, University of Pune, 2014", [("bachelor", ("engineering",),
                                                                     "B.E. Mechanical Engineering")]),
        ("MBA Operations Management, Symbiosis Institute, 2016", [("master", ("business",),
                                                                   "MBA Operations Management")]),
        ("BSc Computer Science, University of Bucharest, 2021", [("bachelor", ("computer_science",),
                                                                  "BSc Computer Science")]),
        ("MSc Computer Vision, Universitat Autònoma de Barcelona", [("master", ("artificial_intelligence",),
                                                                     "MSc Computer Vision")]),
        ("Proficient in MS Office and MS Excel", []),  # "MS" alone is Microsoft, not a master's
        ("Level 3 Diploma in Professional Cookery", []),
    ],
)  # fmt: skip
def test_qualifications_degrees_level_field_and_words(line: str, found: list[tuple[str, tuple[str, ...], str]]) -> None:
    assert [(d.level, d.fields, d.evidence.text) for d in find_degrees(line)] == found


def test_qualifications_degree_evidence_stops_before_the_school() -> None:
    [degree] = find_degrees("Master of Science in Computer Science, Massachusetts Institute of Technology, 2016")
    assert degree.evidence.text == "Master of Science in Computer Science"


def test_qualifications_strict_outside_education_needs_a_field() -> None:
    text = "Worked with PhD researchers on ranking. Holds a PhD in physics."
    assert [(d.level, d.fields) for d in find_degrees(text, strict=True)] == [("doctorate", ("physics",))]


@pytest.mark.parametrize(
    ("text", "level", "fields", "related", "equivalent", "importance"),
    [
        ("Requirements\n- BS/MS/PhD in Computer Science, Engineering, or a related field.\n",
         "bachelor", ("computer_science", "engineering"), True, False, "required"),
        ("Requirements\n- Bachelor's degree in Computer Science or equivalent practical experience.\n",
         "bachelor", ("computer_science",), False, True, "required"),
        ("Nice to have\n- M.S. or Ph.D. in statistics, economics or another quantitative field.\n",
         "master", ("statistics", "economics"), True, False, "preferred"),
        ("Education:\n• Bachelor's (Preferred)\n", "bachelor", (), False, False, "preferred"),
        ("Requirements\n- A degree in Computer Science, Engineering, or a related field.\n",
         "bachelor", ("computer_science", "engineering"), True, False, "required"),
    ],
)  # fmt: skip
def test_qualifications_degree_asks(
    text: str, level: str, fields: tuple[str, ...], related: bool, equivalent: bool, importance: str
) -> None:
    document, analysis = _analysed(text, "job")
    [ask] = find_degree_asks(document.text, analysis.sections, title_span=analysis.title_span)
    assert (ask.level, ask.fields, ask.related, ask.equivalent, ask.importance) == (
        level, fields, related, equivalent, importance,
    )  # fmt: skip


def test_qualifications_one_required_ask_and_a_higher_preferred_one() -> None:
    text = (
        "Requirements\n- BS in computer science or a related field\n- Bachelor's (Preferred)\n\n"
        "Nice to have\n- PhD in machine learning\n"
    )
    document, analysis = _analysed(text, "job")
    asks = find_degree_asks(document.text, analysis.sections)
    assert [(a.level, a.importance) for a in asks] == [("bachelor", "required"), ("doctorate", "preferred")]


def test_qualifications_degree_named_only_by_the_company_asks_nothing() -> None:
    text = "About us\nWe are a team of PhDs in physics building weather models.\n\nRequirements\n- Python\n"
    document, analysis = _analysed(text, "job")
    assert find_degree_asks(document.text, analysis.sections) == ()


def test_qualifications_certifications_in_a_resume_and_asked_by_a_post() -> None:
    resume = "Jane Roe\njane@example.com\n\nCertifications\nAWS Certified Machine Learning – Specialty (2023); CKA\n"
    document, analysis = _analysed(resume, "resume")
    found = find_certifications(document.text, analysis.sections, kind="resume")
    assert [(c.cert_id, c.provider, c.evidence.text) for c in found] == [
        ("aws_ml_specialty", "aws", "AWS Certified Machine Learning – Specialty"),
        ("cka", "kubernetes", "CKA"),
    ]
    job = "ML Engineer\n\nRequirements\n- Python\n\nNice to have\n- An AWS or GCP certification.\n"
    document, analysis = _analysed(job, "job")
    asked = find_certifications(document.text, analysis.sections, kind="job")
    assert [(c.cert_id, c.provider, c.importance) for c in asked] == [
        (None, "aws", "preferred"), (None, "gcp", "preferred"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("title", "manages"),
    [("Engineering Manager, Machine Learning", True), ("Head of Data", True), ("Director of Engineering", True),
     ("Senior Product Manager", False), ("IT Project Manager", False), ("Machine Learning Engineer", False)],
)  # fmt: skip
def test_qualifications_management_titles(title: str, manages: bool) -> None:
    assert management_title(title) is manages


def test_qualifications_resume_titles_management_and_a_headline() -> None:
    text = (
        "Ana Example\nMachine Learning Engineer\nana@example.org\n\n"
        "Experience\nEngineering Manager, Machine Learning — Acme, Berlin\nJanuary 2023 – Present\n"
        "- Manage a team of 9 ML engineers; weekly one-on-ones.\n"
        "Senior Machine Learning Engineer — Acme, Berlin\nMarch 2019 – December 2022\n- Built models.\n"
    )
    document, analysis = _analysed(text, "resume")
    found = analysis.qualifications
    assert [(t.title, t.last_year, t.headline) for t in found.titles] == [
        ("Engineering Manager", None, False),
        ("Senior Machine Learning Engineer", 2022, False),
        ("Machine Learning Engineer", None, True),
    ]
    assert [m.text for m in found.management] == ["Engineering Manager", "Manage a team of 9", "one-on-ones"]
    for span in (*(t.evidence for t in found.titles), *found.management):
        assert document.text[span.start : span.end] == span.text


def test_qualifications_a_heading_run_into_a_title_is_left_out() -> None:
    """A resume pasted as one line: "Experience Senior Accountant — ..." is the heading, then the title."""
    pasted = variants.one_paragraph(variants.source_of(SAMPLES / "eval" / "fit_resumes" / "accountant.md", "resume"))
    _, analysis = _analysed(pasted.decode("utf-8"), "resume")
    assert [t.title for t in analysis.qualifications.titles] == ["Senior Accountant", "Audit Associate"]


def test_qualifications_title_between_a_date_and_the_employer() -> None:
    """A date column pasted into the title's line ("2017 – Product Manager, Google ... Present") keeps the title."""
    path = SHARED_DATA / "documents" / "resume-matcher" / "Resume_archive" / "alfred_pennyworth_pm.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared real documents are not here")
    pasted = variants.one_paragraph(variants.source_of(path, "resume"))
    _, analysis = _analysed(pasted.decode("utf-8"), "resume")
    assert analysis.qualifications.titles[0].title == "Product Manager"


def _eval_resumes() -> list[Path]:
    folders = [SAMPLES / "eval" / "resumes", SAMPLES / "eval" / "fit_resumes"]
    real = SHARED_DATA / "documents" / "resume-matcher" / "Resume_archive"
    return [p for folder in folders for p in sorted(folder.iterdir())] + sorted(real.glob("*.pdf"))


def test_qualifications_degree_evidence_never_names_a_school() -> None:
    """Blind mode shows degrees: their evidence must hold the level and field, never the school."""
    checked = 0
    for path in _eval_resumes():
        document = parse_document(path)
        analysis = analyse_document(document, as_of=AS_OF, kind="resume")
        for degree in analysis.qualifications.degrees:
            span = degree.evidence
            assert document.text[span.start : span.end] == span.text
            assert not any(span.start < b and a < span.end for a, b in analysis.organisations), (path.name, span)
            lowered = span.text.lower()
            assert not any(word in lowered for word in ("university", "college", "institute", "school")), span
            checked += 1
    assert checked >= 40


def test_qualifications_jobs_find_nothing_of_a_resume_and_the_other_way_round() -> None:
    sections = (Section("requirements", 0, 40, "Requirements"),)
    found = find_qualifications("Requirements: MSc in statistics, 5 years", sections, "job")
    assert found.titles == ()
    assert found.management == ()
    assert [a.level for a in found.degree_asks] == ["master"]


def test_qualifications_file_problems_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "qualifications.yml"
    bad.write_text(
        "version: x\ndegrees: {bachelor: {names: [bachelor]}}\nfields: {cs: {names: [cs], implied_by: [XYZ]}}\n"
        "certifications: {c1: {name: C, provider: nowhere}}\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as caught:
        load_qualifications(bad)
    assert [(p.entry, p.field, p.message) for p in caught.value.problems] == [
        ("fields.cs", "implied_by", "'XYZ' is no degree"),
        ("c1", "provider", "unknown provider 'nowhere'"),
    ]
    (tmp_path / "worse.yml").write_text("degrees: {phd: {}}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError):
        load_qualifications(tmp_path / "worse.yml")


# --------------------------------------------------------------------------- the forms' pattern

#: forms of each builder, with some that begin other than with an ASCII letter or digit (tried everywhere)
_FORMS = {
    **{name: _name_pattern(name) for name in [
        "AWS Certified Machine Learning Engineer Associate", "AWS Certified Developer", "Google Cloud Professional",
        "Kubernetes Administrator", "bachelor of science", "bachelor", "master's degree", "computer science",
        "statistics", "stem", "(ISC)² CISSP", "Écoles", "kelvin", "\u212aelvin scale", "\u017ftem cell",
        "4-year degree",
    ]},
    **{form: _abbreviation_pattern(form) for form in ["B.Sc.", "M.S.", "BA", "MS", "Ph.D.", "A.A.S."]},
    **{form: re.escape(form) for form in ["CKA", "PMP", "K8s", "CS"]},
}  # fmt: skip
_TRICKY = ["\u212a", "\u017f", "É", "é", ".", "-", " ", "  ", "\n", ",", "(", ")", "²", "'", "’", "x"]


def _plain(forms: dict[str, str]) -> re.Pattern[str]:
    """The reference: one alternation of every form, longest first, as the forms were searched before grouping."""
    alternatives = "|".join(forms[f] for f in sorted(forms, key=lambda f: -len(f)))
    return re.compile(r"(?<![\w.])(?:" + alternatives + r")(?![\w])")


def _texts_to_compare() -> list[str]:
    # forms that begin with a character matching another one's in any case ("\u017f" is "s", "\u212a" is "k")
    texts = ["A stem cell lab, Kelvin scale; \u017fTEM Cell, B.Sc. and M.S (ISC)² CISSP from écoles, CKA/PMP"]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.rglob("*")) if p.suffix in {".md", ".txt"}]
    dev = SHARED_DATA / "dev" / "spans-skillspan-dev.jsonl"
    if dev.is_file():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()[:400]]
    return texts


def test_qualifications_forms_pattern_finds_what_the_plain_alternation_finds() -> None:
    for forms in (_FORMS, {f: p for f, p in _FORMS.items() if f[0].isascii() and f[0].isalnum()}):
        grouped, plain = _alternation(forms), _plain(forms)
        assert grouped is not None
        for text in _texts_to_compare():
            for window in ((0, len(text)), (5, 300)):
                assert [m.span() for m in grouped.finditer(text, *window)] == [
                    m.span() for m in plain.finditer(text, *window)
                ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*(w for f in _FORMS for w in f.split()), *_TRICKY]), max_size=30))
def test_qualifications_forms_pattern_agrees_on_generated_text(words: list[str]) -> None:
    text = "".join(w if w in _TRICKY else f" {w.upper() if len(w) % 3 == 0 else w}" for w in words)
    grouped = _alternation(_FORMS)
    assert grouped is not None
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in _plain(_FORMS).finditer(text)]


_MANAGES_WORDS = [
    "Managed", "a", "team", "of", "9", "engineers", "led", "leading", "supervised", "directed", "ran", "running",
    "built and led", "coordinated", "two", "people", "manager", "direct reports", "performance reviews",
    "one-on-ones", "1:1s", "hired", "12", "data", "x", "ſ", "K",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MANAGES_WORDS), max_size=25))
def test_qualifications_management_start_scan_finds_what_the_full_scan_finds(words: list[str]) -> None:
    text = " ".join(words)
    expected = [m.span() for m in _MANAGES.finditer(text)]
    assert [m.span() for m in matches_from(_MANAGES, _MANAGES_START, text)] == expected


def test_qualifications_management_start_scan_on_samples() -> None:
    for text in _texts_to_compare():
        expected = [m.span() for m in _MANAGES.finditer(text)]
        assert [m.span() for m in matches_from(_MANAGES, _MANAGES_START, text)] == expected
