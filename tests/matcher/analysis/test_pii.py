from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.analysis.pii import PersonalData, PiiFinding, find_personal_data, link_labels, redact
from matcher.analysis.sections import detect_sections, lines_of
from matcher.types import Section
from tests.conftest import SAMPLES

EMAIL_SHAPE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def kinds(text: str, kind: str) -> list[str]:
    return [f.text for f in find_personal_data(text).findings if f.kind == kind]


# --------------------------------------------------------------------------- emails


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email: jane.doe@example.com", ["jane.doe@example.com"]),
        ("<j_doe+jobs@mail.example.co.uk>", ["j_doe+jobs@mail.example.co.uk"]),
        ("mail me at JANE@EXAMPLE.ORG.", ["JANE@EXAMPLE.ORG"]),
        ("jane [at] example [dot] com", ["jane [at] example [dot] com"]),
        ("jane(at)example.com", ["jane(at)example.com"]),
        ("a@b, c@d.e, @handle, user@localhost", []),
    ],
)
def test_pii_emails(text: str, expected: list[str]) -> None:
    assert kinds(text, "email") == expected


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+1 (415) 555-0142", ["+1 (415) 555-0142"]),
        ("(123) 456-7890", ["(123) 456-7890"]),
        ("Mobile: +1-123-456-7890", ["+1-123-456-7890"]),
        ("415.555.0142", ["415.555.0142"]),
        ("+44 20 7946 0958", ["+44 20 7946 0958"]),
        ("+49 (0)30 1234 5678", ["+49 (0)30 1234 5678"]),
        ("+33 1 23 45 67 89", ["+33 1 23 45 67 89"]),
        ("+91 98765 43210", ["+91 98765 43210"]),
        ("0049 30 12345678", ["0049 30 12345678"]),
        ("+81-3-1234-5678", ["+81-3-1234-5678"]),
        ("tel. 555-010-4477 ext. 12", ["555-010-4477 ext. 12"]),
    ],
)
def test_pii_phone_formats(text: str, expected: list[str]) -> None:
    assert kinds(text, "phone") == expected


@pytest.mark.parametrize(
    "text",
    [
        "2019-2021",
        "03/2018 - 11/2020",
        "2018 – 2021",
        "2019-03-15",
        "Served 10,000,000 requests",
        "version 1.2.3, CUDA 12.1",
        "GPA 3.83 / 4.0",
        "Reduced cost by 40% across 120 services",
        "arXiv:1706.03762",
        "doi.org/10.1000/182",
        "555-0142",
    ],
)
def test_pii_numbers_that_are_not_phones(text: str) -> None:
    assert kinds(text, "phone") == []


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("linkedin.com/in/jane-doe", [("linkedin.com/in/jane-doe", "linkedin")]),
        ("https://www.linkedin.com/in/jane-doe/", [("https://www.linkedin.com/in/jane-doe/", "linkedin")]),
        ("github.com/janedoe.", [("github.com/janedoe", "github")]),
        ("(https://janedoe.github.io/blog)", [("https://janedoe.github.io/blog", "github")]),
        ("www.janedoe.dev, portfolio", [("www.janedoe.dev", "website")]),
        ("janedoe.com | fb.co/jd", [("janedoe.com", "website"), ("fb.co/jd", "website")]),
        ("http://example.org/path?q=1#frag", [("http://example.org/path?q=1#frag", "website")]),
        ("scholar.google.com/citations?user=abc", [("scholar.google.com/citations?user=abc", "scholar")]),
    ],
)
def test_pii_urls(text: str, expected: list[tuple[str, str]]) -> None:
    found = [(f.text, f.detail) for f in find_personal_data(text).findings if f.kind == "url"]
    assert found == expected


def test_pii_skill_names_are_not_urls() -> None:
    text = "Node.js, Vue.js, ASP.NET, Socket.io, D3.js, sklearn.metrics, e.g. torch.nn, i.e. Next.js"
    assert kinds(text, "url") == []


def test_pii_email_domain_is_not_a_separate_url() -> None:
    data = find_personal_data("jane@example.com")
    assert [(f.kind, f.text) for f in data.findings] == [("email", "jane@example.com")]


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jane Doe\njane@example.com", "Jane Doe"),
        ("JOHN DOE\nSENIOR SOFTWARE ENGINEER", "JOHN DOE"),
        ("Jane Doe | jane@example.com | +1 415 555 0142", "Jane Doe"),
        ("Sourabh Bajaj Email: sourabh@example.com", "Sourabh Bajaj"),
        ("# Ana Example\n\nana@example.org", "Ana Example"),
        ("Dr. Grace Brewster Hopper\nRear Admiral", "Grace Brewster Hopper"),
        ("Ludwig van Beethoven\nComposer", "Ludwig van Beethoven"),
        ("Anne-Marie O'Neil\nData Scientist", "Anne-Marie O'Neil"),
        ("J. R. Smith\nAnalyst", "J. R. Smith"),
        ("Last Updated on 21st January 2015\nDebarghya Das\ndebarghyadas.com", "Debarghya Das"),
        ("Machine Learning Engineer\nPriya Raman", "Priya Raman"),
        ("Jane Doe, jane@example.com, +1 415 555 0142", "Jane Doe"),
    ],
)
def test_pii_name_in_contact_block(text: str, name: str) -> None:
    data = find_personal_data(text)
    assert data.name == name
    (finding,) = [f for f in data.findings if f.kind == "name"][:1]
    assert text[finding.start : finding.end] == name


@pytest.mark.parametrize(
    "text",
    [
        "Machine Learning Engineer\nSan Francisco, CA",
        "Berlin, Germany | jane@example.com",
        "Doe, Jane",
        "Work Experience\nAcme",
        "Professional Summary\nBuilt things.",
        "R2 D2\nDroid",
        "jane doe\nlowercase is not a name here",
        "Curriculum Vitae",
        "One Two Three Four Five\nToo many words",
    ],
)
def test_pii_no_name(text: str) -> None:
    assert find_personal_data(text).name is None


def test_pii_name_only_searched_in_contact_sections() -> None:
    text = "Summary\nGreat engineer.\nReferences\nAlan Turing\n"
    sections = detect_sections(text, lines_of(text), "resume")
    assert [s.name for s in sections] == ["summary", "references"]
    assert find_personal_data(text, sections).name is None


def test_pii_name_in_a_later_contact_section() -> None:
    # two-column templates can put the name and links last
    text = "Summary\nBuilds systems.\nLinks\nlinkedin.com/in/jdoe\nJohn Doe\n"
    sections = detect_sections(text, lines_of(text), "resume")
    assert find_personal_data(text, sections).name == "John Doe"


def test_pii_every_occurrence_of_the_name_is_found() -> None:
    text = "Jane Doe\njane@example.com\nSkills\nPython\n\nJane  Doe, page 1\n"
    names = [(f.start, f.text) for f in find_personal_data(text).findings if f.kind == "name"]
    assert names == [(0, "Jane Doe"), (text.index("Jane  Doe"), "Jane  Doe")]


def test_pii_job_posts_have_no_name() -> None:
    text = "Ada Lovelace Institute\nWe are hiring. Write to jobs@example.com"
    data = find_personal_data(text, (), "job")
    assert data.name is None
    assert data.emails == ("jobs@example.com",)


# --------------------------------------------------------------------------- redacting


def test_pii_redact_keeps_length_and_offsets() -> None:
    text = "Jane Doe\njane.doe@example.com | +44 20 7946 0958 | github.com/janedoe\nSkills: Python"
    data = find_personal_data(text)
    redacted = redact(text, data)
    assert redacted == (
        "[NAME]  \n[EMAIL]              | [PHONE]          | [URL]             \nSkills: Python"
    )
    assert len(redacted) == len(text)
    assert redacted.index("Python") == text.index("Python")


def test_pii_redact_tags_without_offsets() -> None:
    text = "Jane Doe\njane.doe@example.com | +44 20 7946 0958 | github.com/janedoe\nSkills: Python"
    assert redact(text, find_personal_data(text), keep_offsets=False) == (
        "[NAME]\n[EMAIL] | [PHONE] | [URL]\nSkills: Python"
    )


def test_pii_redact_short_findings_get_short_tags() -> None:
    text = "Al Li"
    finding = PiiFinding("name", 0, 5, text)
    assert redact(text, [finding]) == "[NAM]"
    assert redact("ab", [PiiFinding("name", 0, 2, "ab")]) == "[]"
    assert redact("a", [PiiFinding("name", 0, 1, "a")]) == "*"


def test_pii_redact_nothing_found_is_identity() -> None:
    assert redact("no personal data here", PersonalData()) == "no personal data here"


def test_pii_sample_resume() -> None:
    text = (SAMPLES / "resumes" / "ml_engineer_positions.txt").read_text(encoding="utf-8")
    sections = detect_sections(text, lines_of(text), "resume")
    data = find_personal_data(text, sections)
    assert [(f.kind, f.text, f.detail) for f in data.findings] == [
        ("name", "Priya Natarajan", ""),
        ("email", "priya.natarajan@example.com", ""),
        ("phone", "+44 20 7946 0958", ""),
        ("url", "linkedin.com/in/priya-natarajan-ml", "linkedin"),
        ("url", "github.com/priyan-ml", "github"),
    ]
    redacted = redact(text, data)
    assert redacted.splitlines()[:3] == [
        "[NAME]         ",
        "Machine Learning Engineer",
        "[EMAIL]                     | [PHONE]          | "
        "[URL]                              | [URL]               ",
    ]
    # sections found on the redacted text are the same: offsets were kept
    assert detect_sections(redacted, lines_of(redacted), "resume")[1:] == sections[1:]


def test_pii_sample_job_post() -> None:
    text = (SAMPLES / "jobs" / "nlp_engineer_years.txt").read_text(encoding="utf-8")
    data = find_personal_data(text, [Section("about", 0, len(text))], "job")
    assert [(f.kind, f.text) for f in data.findings] == [("email", "jobs@lakeshore-lt.example.com")]


# --------------------------------------------------------------------------- properties

_local = st.from_regex(r"[a-z][a-z0-9._+-]{0,15}", fullmatch=True)
_domain = st.from_regex(r"[a-z][a-z0-9-]{0,10}\.(com|org|io|co\.uk|example)", fullmatch=True)
_filler = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(st.lists(st.tuples(_filler, _local, _domain), min_size=1, max_size=5), _filler)
def test_pii_property_redact_leaves_no_email(parts: list[tuple[str, str, str]], tail: str) -> None:
    text = "".join(f"{filler} {local}@{domain} " for filler, local, domain in parts) + tail
    redacted = redact(text, find_personal_data(text))
    assert len(redacted) == len(text)
    assert EMAIL_SHAPE.search(redacted) is None, redacted


@given(_filler, st.sampled_from(["+1 (415) 555-0142", "+44 20 7946 0958", "(123) 456-7890"]), _filler)
def test_pii_property_redact_leaves_no_phone(before: str, phone: str, after: str) -> None:
    text = f"{before} {phone} {after}"
    redacted = redact(text, find_personal_data(text))
    assert phone not in redacted
    assert len(redacted) == len(text)


@given(st.text(max_size=200))
def test_pii_property_findings_ordered_and_disjoint(text: str) -> None:
    findings = find_personal_data(text).findings
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert "\n" not in f.text
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start


def test_pii_link_labels_of_a_template_link_list_anywhere_in_a_line() -> None:
    """"Github:// deedydas" (a CV template's link list) names a profile, on its own line or pasted into a
    paragraph; a URL's own scheme and a skill written beside a link are not labels."""
    text = "Kolkata, India LINKS Facebook:// dd Github:// deedydas see https://github.com/x, GitHub Actions"
    assert [text[a:b] for a, b in link_labels(text)] == ["Facebook", "Github"]
