from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.analysis import _school_parts, analyse_document, guess_kind
from matcher.parsing import parse_document
from tests.conftest import SAMPLES

AS_OF = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("resumes/ml_engineer_one_column.pdf", "resume"),
        ("resumes/computer_vision_engineer.md", "resume"),
        ("jobs/senior_nlp_engineer_post.html", "job"),
        ("jobs/mlops_engineer.txt", "job"),
    ],
)
def test_init_guesses_the_kind_and_respects_an_explicit_one(relative: str, kind: str) -> None:
    doc = parse_document(SAMPLES / relative)
    assert analyse_document(doc, as_of=AS_OF).kind == kind
    other = "job" if kind == "resume" else "resume"
    assert analyse_document(doc, as_of=AS_OF, kind=other).kind == other  # type: ignore[arg-type]


def test_init_guess_kind() -> None:
    assert guess_kind("Requirements\n3+ years of Python\nBenefits\nRemote") == "job"
    assert guess_kind("Jane Roe\njane@example.org\nExperience\nEducation") == "resume"
    assert guess_kind("We need a Python and Kubernetes engineer with PyTorch") == "job"  # a one-line post


def test_init_json_resume_is_a_resume() -> None:
    doc = parse_document(SAMPLES / "resumes" / "ml_research_engineer.json")
    assert analyse_document(doc, as_of=AS_OF).kind == "resume"


def test_init_fills_sections_experience_and_pii() -> None:
    analysis = analyse_document(parse_document(SAMPLES / "resumes" / "ml_engineer_one_column.pdf"), as_of=AS_OF)
    # the headline under the name ("Machine Learning Engineer · Toronto, ON") is body text, not contact data
    assert [section.name for section in analysis.sections] == [
        "contact", "body", "contact", "summary", "experience", "education", "skills", "certifications"]  # fmt: skip
    assert analysis.experience.positions
    assert analysis.pii is not None
    assert analysis.pii.emails
    assert analyse_document(parse_document(b"Jane Roe\njane@example.org"), as_of=AS_OF, personal_data=False).pii is None


def test_init_present_is_the_month_of_as_of() -> None:
    doc = parse_document(b"Experience\nData Scientist, Acme, Jan 2024 - Present\nBuilt models in Python.\n")
    early = analyse_document(doc, as_of=date(2024, 12, 1), kind="resume").experience
    later = analyse_document(doc, as_of=date(2026, 12, 1), kind="resume").experience
    assert (early.total_months, later.total_months) == (12, 36)


def test_init_contact_block_employers_and_schools_are_not_skill_places() -> None:
    text = (
        "Jane Roe\njane@example.org | Austin, TX\n\n"
        "Experience\nMachine Learning Engineer, OpenAI, Jan 2021 - Present\nBuilt LLM tools with the OpenAI API.\n"
        "Education\nMSc, Institute of Data Science, 2019\n"
    )
    analysis = analyse_document(parse_document(text.encode()), as_of=AS_OF, kind="resume")

    def excluded(word: str, nth: int = 0) -> bool:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return analysis.not_a_skill_at(start, start + len(word))

    assert excluded("Austin")  # the contact block
    assert excluded("OpenAI")  # the employer on the position line
    assert not excluded("OpenAI", 1)  # the API the person used, in the description
    assert excluded("Data Science")  # inside the school's name
    assert not excluded("LLM")


def test_init_one_line_texts_have_one_body_section() -> None:
    resume = analyse_document(parse_document(b"5 years of Python and PyTorch"), as_of=AS_OF, kind="resume")
    assert [s.name for s in resume.sections] == ["body"]
    assert resume.experience.total_years == 0.0  # years of two skills, not of work: no total stated
    stated = analyse_document(parse_document(b"8+ years of experience in data science"), as_of=AS_OF, kind="resume")
    assert stated.experience.total_years == 8.0
    job = analyse_document(parse_document(b"Requirements: Python, Docker"), as_of=AS_OF, kind="job")
    assert [(s.name, s.heading) for s in job.sections] == [("requirements", "Requirements")]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Senior ML Engineer\nRequirements: Python", "Senior ML Engineer"),
        ("Machine Learning Engineer - Requirements: Python, Docker, 5 years", "Machine Learning Engineer"),
        ("Job title: Senior ML Engineer\nRequirements: Python", "Senior ML Engineer"),
        ("Job title\nData Scientist\n\nRequirements\n- SQL", "Data Scientist"),
        ("Job Description: Java Developer (3 Years)\nWe build banks.", "Java Developer (3 Years)"),
        ("Job description\nWe are looking for an ML engineer to join us.\nRequirements: Python", None),
        # a post that opens with a heading other than a title's has no title (the README's one-line example)
        ("Requirements: Python, Docker", None),
        ("About the role\nWe are hiring an ML engineer to build models.\nRequirements: Python", None),
        # a post that opens with a sentence has none either: no past title could meet that one
        ("We need a Python and Kubernetes engineer with PyTorch", None),
        ("Looking for a data scientist who knows SQL and dbt", None),
        ("Weekend Support Engineer\nRequirements: Linux", "Weekend Support Engineer"),
        ("Hiring Manager Assistant\nRequirements: Excel", "Hiring Manager Assistant"),
        # a title line wrapped inside its parenthesis (a PDF's line break) goes on to the closing one
        (
            "Job Description: Senior Engineer (5+ Years of\nExperience)\n\nAcme",
            "Senior Engineer (5+ Years of\nExperience)",
        ),
        ("Data Scientist (Remote\n\nWe build things (and more)", "Data Scientist (Remote"),
    ],
)
def test_init_job_title_is_the_first_line_unless_the_post_opens_with_a_heading(text: str, title: str | None) -> None:
    doc = parse_document(text.encode(), filename="post.txt")
    analysis = analyse_document(doc, as_of=AS_OF, kind="job")
    span = analysis.title_span
    assert (doc.text[span[0] : span[1]] if span else None) == title


#: the school pattern as it was first written (a run, a school word, a run): the reference for _school_parts
_SCHOOL_PART = re.compile(
    r"[^,|•·\t\n;:()\"“”\d—–]*\b(?:universit(?:y|é|ät|at|ad|à)|college|institute|school|academy|polytechnic|iit|nit)\b"
    r"[^,|•·\t\n;:()\"“”\d—–]*",
    re.IGNORECASE,
)
_SCHOOL_TEXT = [
    "Stanford University", "MIT", "2University", "University2", "Universität", "school", "of", "IIT", "Delhi",
    ", ", " ", " | ", "\n", "(", ")", "1999", "—", "x", "Polytechnic", "institute", "é", "Ü",
]  # fmt: skip


def _school_spans_agree(text: str, start: int, end: int) -> None:
    expected = [m.span() for m in _SCHOOL_PART.finditer(text, start, end)]
    assert list(_school_parts(text, start, end)) == expected, (text, start, end)


def test_init_school_parts_equal_the_plain_pattern_on_samples() -> None:
    for path in sorted(SAMPLES.rglob("*")):
        if path.suffix in {".md", ".txt"}:
            text = path.read_text(encoding="utf-8")
            _school_spans_agree(text, 0, len(text))
            _school_spans_agree(text, len(text) // 3, len(text) // 2)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SCHOOL_TEXT), max_size=20), st.integers(0, 40), st.integers(0, 40))
def test_init_school_parts_equal_the_plain_pattern_on_generated_text(parts: list[str], cut: int, keep: int) -> None:
    text = "".join(parts)
    start = min(cut, len(text))
    _school_spans_agree(text, start, min(len(text), start + keep + 5))
    _school_spans_agree(text, 0, len(text))
