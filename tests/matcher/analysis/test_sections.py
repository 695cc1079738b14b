from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.analysis.sections import OTHER, detect_sections, lines_of, section_at
from matcher.types import DocumentKind, Section, TextLine
from tests.conftest import SAMPLES, SHARED_DATA


def named(
    text: str, kind: DocumentKind = "resume", lines: list[TextLine] | None = None
) -> list[tuple[str, str]]:
    return [(s.name, s.heading) for s in detect_sections(text, lines or lines_of(text), kind)]


# --------------------------------------------------------------------------- whole documents

RESUME = """\
Jane Q. Public
jane@example.com | +1 415 555 0142

Summary
ML engineer.

Work Experience
Acme Corp, ML Engineer, 2020 - Present
- Built models in Python.

Technical Skills
Python, SQL

EDUCATION
BSc Physics, 2019

Volunteering
Code club mentor
"""

JOB = """\
Senior ML Engineer, Initech

About Us
We make staplers smarter.

What You'll Do:
Ship models.

Who You Are
3+ years of Python.

Bonus Points
Rust.

Perks
Free staplers.
"""


def test_sections_resume_plain_text() -> None:
    sections = detect_sections(RESUME, lines_of(RESUME), "resume")
    assert [(s.name, s.heading) for s in sections] == [
        ("contact", ""),
        ("summary", "Summary"),
        ("experience", "Work Experience"),
        ("skills", "Technical Skills"),
        ("education", "EDUCATION"),
        ("volunteering", "Volunteering"),
    ]
    assert [s.start for s in sections[1:]] == [
        RESUME.index(h)
        for h in ("Summary", "Work Experience", "Technical Skills", "EDUCATION", "Volunteering")
    ]
    assert sections[0].start == 0
    assert sections[-1].end == len(RESUME)


def test_sections_job_post_plain_text() -> None:
    assert named(JOB, "job") == [
        ("about", ""),
        ("about", "About Us"),
        ("responsibilities", "What You'll Do:"),
        ("requirements", "Who You Are"),
        ("preferred", "Bonus Points"),
        ("benefits", "Perks"),
    ]


def test_sections_inline_heading_with_an_aside_before_its_colon() -> None:
    """A post pasted as one line keeps its "nice to have" part even when the heading carries an aside."""
    text = (
        "Backend Developer. Required Skills: • Python • PostgreSQL. Good to have (Additional Skills): • AWS "
        "services such as EC2 and S3."
    )
    assert named(text, "job")[-1] == ("preferred", "Good to have")


def test_sections_same_text_differs_by_kind() -> None:
    text = "Intro\nExperience\n5 years\nSummary\nShort\n"
    assert named(text, "resume") == [("body", ""), ("experience", "Experience"), ("summary", "Summary")]
    assert named(text, "job") == [("about", ""), ("requirements", "Experience"), ("about", "Summary")]


def test_sections_no_heading_is_one_body_section() -> None:
    text = "Just a paragraph about someone.\nAnother line."
    assert detect_sections(text, lines_of(text), "resume") == [Section("body", 0, len(text))]
    assert detect_sections(text, lines_of(text), "job") == [Section("body", 0, len(text))]


def test_sections_empty_text_has_no_sections() -> None:
    assert detect_sections("", [], "resume") == []


def test_sections_blank_preamble_joins_the_first_section() -> None:
    text = "\n\nSkills\nPython\n"
    assert detect_sections(text, lines_of(text), "resume") == [Section("skills", 0, len(text), "Skills")]


def test_sections_lines_default_to_the_text_lines() -> None:
    assert detect_sections(RESUME, (), "resume") == detect_sections(RESUME, lines_of(RESUME), "resume")


def test_sections_lowercase_wrapped_word_is_not_a_heading() -> None:
    text = "Contact\nWe value hands-on\nexperience\nwith care.\n"
    assert named(text) == [("contact", "Contact")]


def test_sections_unbalanced_parenthesis_line_is_not_a_heading() -> None:
    text = "Job Description: Full Stack Engineer (5+ Years of\nExperience)\nAbout Us\nWe build.\n"
    assert named(text, "job") == [("about", "Job Description"), ("about", "About Us")]


def _styled(
    text: str, styles: dict[str, tuple[bool, float]], body: tuple[bool, float] = (False, 10.0)
) -> list[TextLine]:
    """TextLines for ``text`` with (bold, size) per line text, ``body`` for the rest."""
    result = []
    for line in lines_of(text):
        bold, size = styles.get(text[line.start : line.end], body)
        result.append(TextLine(line.start, line.end, page=1, bold=bold, size=size))
    return result


STYLED = """\
Maria Rossi
maria@example.com
Selected Work Experience
Engineer at Globex from 2019 to 2022 building forecasting models for retail.
Side Quests
Built a sailing-route planner in my spare time with friends and family.
Education
MSc Data Science, Politecnico di Milano, graduated with honours in 2018.
Projects
Wrote a small compiler for a toy language used in teaching at university.
"""


def test_sections_qualified_heading_needs_a_layout_cue() -> None:
    bold = {"Selected Work Experience": (True, 10.0)}
    assert ("experience", "Selected Work Experience") in named(STYLED, lines=_styled(STYLED, bold))
    plain = named(STYLED, lines=_styled(STYLED, {}))
    assert ("experience", "Selected Work Experience") not in plain


def test_sections_unlisted_heading_styled_like_the_others_opens_other() -> None:
    heading_style = (True, 14.0)
    styles = {h: heading_style for h in ("Selected Work Experience", "Side Quests", "Education", "Projects")}
    styles["Maria Rossi"] = (True, 22.0)  # the name: larger still, so not a section heading
    assert named(STYLED, lines=_styled(STYLED, styles)) == [
        ("contact", ""),
        ("experience", "Selected Work Experience"),
        (OTHER, "Side Quests"),
        ("education", "Education"),
        ("projects", "Projects"),
    ]


def test_sections_unlisted_capitals_without_sizes_stay_in_their_section() -> None:
    text = "EXPERIENCE\nGLOBEX CORPORATION\nEngineer 2019 - 2022\nEDUCATION\nPOLITECNICO DI MILANO\n"
    assert named(text) == [("experience", "EXPERIENCE"), ("education", "EDUCATION")]


def test_sections_bold_everywhere_is_not_a_cue() -> None:
    text = "Intro line\nSelected Work Experience\nEngineer, Globex, 2019 - 2022\n"
    all_bold = [TextLine(line.start, line.end, bold=True, size=10.0) for line in lines_of(text)]
    assert named(text, lines=all_bold) == [("body", "")]


def test_section_at_boundaries() -> None:
    sections = [Section("contact", 0, 10), Section("skills", 10, 30, "Skills")]
    assert section_at(sections, 0) == "contact"
    assert section_at(sections, 9) == "contact"
    assert section_at(sections, 10) == "skills"
    assert section_at(sections, 29) == "skills"
    assert section_at(sections, 30) is None
    assert section_at(sections, -1) is None
    assert section_at([], 0) is None


# --------------------------------------------------------------------------- our samples


def test_sections_sample_resume() -> None:
    text = (SAMPLES / "resumes" / "ml_engineer_positions.txt").read_text(encoding="utf-8")
    assert named(text) == [
        ("contact", ""),
        ("body", ""),  # the headline between the name and the contact line
        ("contact", ""),
        ("summary", "PROFESSIONAL SUMMARY"),
        ("skills", "Technical Skills"),
        ("experience", "Work History"),
        ("education", "Education"),
        ("projects", "Projects"),
        ("certifications", "Certifications"),
    ]


def test_sections_sample_job_post() -> None:
    text = (SAMPLES / "jobs" / "nlp_engineer_years.txt").read_text(encoding="utf-8")
    assert named(text, "job") == [
        ("about", ""),
        ("about", "About the role"),
        ("responsibilities", "What you'll do"),
        ("requirements", "What you'll bring"),
        ("preferred", "Nice to have"),
        ("benefits", "Perks"),
        ("how_to_apply", "How to apply"),
    ]


def test_sections_lead_markdown_samples() -> None:
    resume = (SAMPLES / "resumes" / "ml_engineer_resume.md").read_text(encoding="utf-8")
    assert [n for n, _ in named(resume)] == ["contact", "summary", "experience", "skills", "education"]
    job = (SAMPLES / "jobs" / "ml_engineer_job.md").read_text(encoding="utf-8")
    assert [n for n, _ in named(job, "job")] == ["about", "about", "requirements", "preferred"]


# --------------------------------------------------------------------------- real documents

PDF_TEMPLATES = SHARED_DATA / "documents" / "resume-matcher"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "Resume_archive/harvey_dent_mle.pdf",
            # the headline and the icon-led handles are body text; name, address, place, phone, e-mail contact
            ["contact", "body", "contact", "body", "summary", "skills", "experience", "education", "projects"],
        ),
        (
            "pdf_templates/single-column.pdf",
            # "SENIOR SOFTWARE ENGINEER" under the name is a headline, not contact data
            # "Technical Skills: Go, ..." labels its line; the section it interrupted goes on after it
            ["contact", "body", "contact", "summary", "experience", "education", "projects", "skills", "skills",
             "skills"],
        ),
        ("JobDescriptionArchive/job_desc_java_developer.pdf", None),
    ],
)
def test_sections_real_single_column_pdfs(path: str, expected: list[str] | None) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    source = PDF_TEMPLATES / path
    if not source.is_file():
        pytest.skip(f"real documents not present at {source.parent} (see ../shared/data/README.md)")
    pdf = pdfium.PdfDocument(str(source))
    try:
        # single-column files: pypdfium2's own text order is the reading order
        text = "\n".join(page.get_textpage().get_text_range().replace("\r\n", "\n") for page in pdf)
    finally:
        pdf.close()
    if expected is None:
        assert named(text, "job") == [
            ("about", "Job Description"),
            ("about", "About Us"),
            ("about", "Job Description"),
            ("responsibilities", "Responsibilities"),
            ("requirements", "Requirements"),
            ("benefits", "Benefits"),
            ("how_to_apply", "How to Apply"),
        ]
    else:
        assert [n for n, _ in named(text)] == expected


# --------------------------------------------------------------------------- properties

_HEADING_LINES = st.sampled_from(
    [
        "Experience",
        "SKILLS",
        "Education:",
        "What you'll do",
        "Nice to have",
        "## Projects",
        "Bonus points",
        "",
    ]
)
_OTHER_LINES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40).map(
    lambda s: s.replace("\n", " ").replace("\r", " ")
)


@given(
    st.lists(st.one_of(_HEADING_LINES, _OTHER_LINES), max_size=25),
    st.sampled_from(["resume", "job"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_sections_property_contiguous_ordered_covering(
    lines: list[str], kind: DocumentKind, newline: str
) -> None:
    text = newline.join(lines)
    sections = detect_sections(text, lines_of(text), kind)
    if not text:
        assert sections == []
        return
    assert sections[0].start == 0
    assert sections[-1].end == len(text)
    for before, after in itertools.pairwise(sections):
        assert before.end == after.start
    assert all(s.start < s.end for s in sections)
    assert all(section_at(sections, offset) is not None for offset in range(len(text)))


@pytest.mark.parametrize("unit", ["aB", "xEducation Details:", "Skills:"])
def test_sections_headings_inside_lines_stay_linear_on_long_lines(unit: str) -> None:
    """A line of 100,000 characters with a possible heading start every two of them ("aBaB..."): each start
    read the rest of the line (29 s). Bounded heading words make it linear; generous bound for shared CI."""
    text = unit * (100_000 // len(unit))
    started = time.perf_counter()
    for kind in ("resume", "job"):
        detect_sections(text, lines_of(text), kind=kind)
    assert time.perf_counter() - started < 10
