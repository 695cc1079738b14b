from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.analysis.headings import bundled_headings, heading_key, load_headings, match_heading
from matcher.analysis.sections import detect_sections
from matcher.errors import TaxonomyError
from matcher.taxonomy import bundled_taxonomy_dir, load_taxonomy
from matcher.types import DocumentKind

# --------------------------------------------------------------------------- the headings file


def test_headings_bundled_headings_file_is_next_to_the_taxonomy() -> None:
    headings = bundled_headings()
    assert (bundled_taxonomy_dir() / "sections.yml").is_file()
    assert headings.version
    assert headings.names("resume")[:6] == (
        "contact",
        "summary",
        "experience",
        "education",
        "skills",
        "projects",
    )
    assert set(headings.names("job")) >= {
        "about",
        "responsibilities",
        "requirements",
        "preferred",
        "benefits",
    }
    assert headings.index["resume"]["work history"] == "experience"
    assert headings.index["job"]["bonus points"] == "preferred"


def test_headings_headings_file_is_ignored_by_the_taxonomy_loader(tmp_path: Path) -> None:
    # sections.yml ends in .yml so the strict taxonomy schema (which rejects its keys) never reads it
    (tmp_path / "taxonomy.yaml").write_text(
        "version: '1'\ncategories: {misc: {name: Misc}}\n", encoding="utf-8"
    )
    shutil.copy(bundled_taxonomy_dir() / "sections.yml", tmp_path / "sections.yml")
    assert load_taxonomy(bundled_dir=tmp_path).version == "1"
    assert load_headings(bundled_dir=tmp_path).version == bundled_headings().version


def test_headings_invalid_headings_file_reports_file_entry_and_field(tmp_path: Path) -> None:
    (tmp_path / "sections.yml").write_text(
        "version: '1'\n"
        "resume:\n"
        "  summary: {headings: [summary], colour: blue}\n"
        "  Experience: {headings: [experience]}\n"
        "job:\n"
        "  about: {headings: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as caught:
        load_headings(bundled_dir=tmp_path)
    problems = [(p.file, p.entry, p.field, p.message) for p in caught.value.problems]
    assert problems == [
        ("sections.yml", "resume.summary", "colour", "Extra inputs are not permitted"),
        ("sections.yml", "resume.Experience", "[key]", "String should match pattern '^[a-z][a-z0-9_]*$'"),
        ("sections.yml", "job.about", "headings", "List should have at least 1 item after validation, not 0"),
    ]
    assert caught.value.code == "invalid_taxonomy"


def test_headings_headings_clashes_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "sections.yml").write_text(
        "version: '1'\n"
        "resume:\n"
        "  contact: {headings: [contact]}\n"
        "  summary: {headings: [summary]}\n"
        "  experience: {headings: [experience, Work History, 'WORK  HISTORY']}\n"
        "  education: {headings: [education]}\n"
        "  skills: {headings: [skills, '2024']}\n"
        "  projects: {headings: [experience]}\n"
        "job:\n"
        "  about: {headings: [about]}\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as caught:
        load_headings(bundled_dir=tmp_path)
    assert [(p.entry, p.field, p.message) for p in caught.value.problems] == [
        ("resume.experience", "headings.2", "'WORK  HISTORY' is listed twice"),
        ("resume.skills", "headings.1", "'2024' has no usable words"),
        ("resume.projects", "headings.0", "'experience' is already a heading of section 'experience'"),
        ("job.benefits", "", "required section missing"),
        ("job.preferred", "", "required section missing"),
        ("job.requirements", "", "required section missing"),
        ("job.responsibilities", "", "required section missing"),
    ]


def test_headings_user_headings_extend_and_move_variants(tmp_path: Path) -> None:
    (tmp_path / "sections.yml").write_text(
        "resume:\n"
        "  projects: {headings: [Things I Built, research]}\n"
        "  hackathons: {headings: [hackathons]}\n",
        encoding="utf-8",
    )
    headings = load_headings(tmp_path)
    assert headings.index["resume"]["things i built"] == "projects"
    assert headings.index["resume"]["research"] == "projects"
    assert "research" not in headings.sections["resume"]["experience"]
    assert headings.index["resume"]["hackathons"] == "hackathons"
    text = "Jo Bloggs\nThings I Built\nA compiler\nHackathons\nWon one\n"
    assert [s.name for s in detect_sections(text, (), "resume", headings=headings)] == [
        "contact",
        "projects",
        "hackathons",
    ]



def test_headings_a_users_inline_heading_is_found_by_its_first_word(tmp_path: Path) -> None:
    # inline headings are looked for only from words that begin some heading: a user's own heading's first word
    # counts as soon as it is loaded
    (tmp_path / "sections.yml").write_text("resume:\n  projects: {headings: [Things I Built]}\n", encoding="utf-8")
    headings = load_headings(tmp_path)
    assert "things" in headings.first_words["resume"]
    assert "things" not in bundled_headings().first_words["resume"]
    text = "Jo Bloggs\nSkills\nPython\nThings I Built: a compiler in Rust"
    sections = detect_sections(text, (), "resume", headings=headings)
    assert [s.name for s in sections] == ["contact", "skills", "projects"]


# --------------------------------------------------------------------------- one line


@pytest.mark.parametrize(
    ("line", "kind", "section"),
    [
        ("Technical Skills", "resume", "skills"),
        ("TECHNICAL SKILLS:", "resume", "skills"),
        ("Work History", "resume", "experience"),
        ("Professional Experience", "resume", "experience"),
        ("WORK EXPERIENCE", "resume", "experience"),
        ("Employment History", "resume", "experience"),
        ("Research Experience", "resume", "experience"),
        ("## Education", "resume", "education"),
        ("E X P E R I E N C E", "resume", "experience"),
        ("S K I L L S  &  T O O L S", "resume", "skills"),
        ("1. Projects", "resume", "projects"),
        ("— Publications —", "resume", "publications"),
        ("Licenses & Certifications", "resume", "certifications"),
        ("Honors and Awards", "resume", "awards"),
        ("Skills & Awards", "resume", "skills"),
        ("Profile", "resume", "summary"),
        ("Career Objective", "resume", "summary"),
        ("Contact Information", "resume", "contact"),
        ("Languages", "resume", "languages"),
        ("Programming Languages", "resume", "skills"),
        ("Volunteer Experience", "resume", "volunteering"),
        ("Relevant Coursework", "resume", "coursework"),
        ("Hobbies & Interests", "resume", "interests"),
        ("References", "resume", "references"),
        ("About Us", "job", "about"),
        ("About the role", "job", "about"),
        ("What you’ll do", "job", "responsibilities"),
        ("WHAT YOU'LL DO:", "job", "responsibilities"),
        ("Responsibilities –", "job", "responsibilities"),
        ("Key Responsibilities:", "job", "responsibilities"),
        ("What you'll bring", "job", "requirements"),
        ("Who you are", "job", "requirements"),
        ("Must have", "job", "requirements"),
        ("Minimum qualifications:", "job", "requirements"),
        ("Skills required -", "job", "requirements"),
        ("Requirements & Qualifications", "job", "requirements"),
        ("Nice to have", "job", "preferred"),
        ("Nice-to-haves:", "job", "preferred"),
        ("Bonus points", "job", "preferred"),
        ("Preferred Qualifications", "job", "preferred"),
        ("Good to have (Additional Skills):", "job", "preferred"),
        ("It's a plus if you have", "job", "preferred"),
        ("Perks & Benefits", "job", "benefits"),
        ("What we offer", "job", "benefits"),
        ("How to apply", "job", "how_to_apply"),
        ("Equal Opportunity Employer", "job", "equal_opportunity"),
    ],
)
def test_headings_heading_variants(line: str, kind: DocumentKind, section: str) -> None:
    assert match_heading(line, kind) == section


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Python", "resume"),
        ("Experience with PyTorch is a plus.", "job"),
        ("Skills: Python, SQL", "resume"),  # a label with content, not a heading
        ("Experience)", "job"),  # the end of "(3+ Years of\nExperience)"
        ("Education 2019", "resume"),
        ("Relevant Skills and Hobbies and Other Things I Like Doing", "resume"),
        ("Selected Work Experience", "resume"),  # a qualified heading needs layout cues: see below
        ("", "resume"),
    ],
)
def test_headings_not_headings(line: str, kind: DocumentKind) -> None:
    assert match_heading(line, kind) is None


def test_headings_heading_key_drops_case_decoration_and_apostrophes() -> None:
    assert heading_key("## WHAT YOU’LL DO:") == "what youll do"
    assert heading_key("•  Skills/Tools  •") == "skills and tools"
    assert heading_key("II. Work-Experience") == "work experience"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=string.ascii_letters + "'’", min_size=1, max_size=40))
def test_headings_key_of_a_word_is_its_letters_in_lower_case(word: str) -> None:
    # matcher.analysis.sections._may_begin_heading writes this out for the first word of every candidate
    assert heading_key(word) == word.lower().replace("'", "").replace("’", "")
