from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from matcher.analysis.experience import (
    _DATES,
    _YEARS,
    _YEARS_START,
    Experience,
    Position,
    SkillYears,
    _date_matches,
    extract_experience,
    extract_positions,
    find_dates,
    find_years_requirements,
    required_years_by_skill,
    requirement_level,
    skill_experience,
    total_months,
)
from matcher.analysis.scan import matches_from
from matcher.analysis.sections import detect_sections, lines_of
from matcher.types import DocumentKind, Section, SkillMention
from tests.conftest import SAMPLES, SHARED_DATA

TODAY = date(2025, 6, 30)


def d(text: str) -> date:
    """'2019-03' -> date(2019, 3, 1)."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def periods(text: str) -> list[list[tuple[str, str | None]]]:
    return [
        [(a.strftime("%Y-%m"), b.strftime("%Y-%m") if b else None) for a, b in span.periods]
        for span in find_dates(text, today=TODAY)
    ]


def experience_of(text: str, kind: DocumentKind = "resume") -> Experience:
    return extract_experience(text, detect_sections(text, lines_of(text), kind), kind, today=TODAY)


def mentions_of(text: str, skill_id: str, surface: str) -> list[SkillMention]:
    result, start = [], text.find(surface)
    while start != -1:
        result.append(SkillMention(skill_id, start, start + len(surface), surface))
        start = text.find(surface, start + 1)
    return result


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 2019 – Present", [[("2019-01", None)]]),
        ("2019-03 to 2021", [[("2019-03", "2021-06")]]),
        ("03/2018 - 11/2020", [[("2018-03", "2020-11")]]),
        ("Summer 2020", [[("2020-06", "2020-08")]]),
        ("2017 - 2019", [[("2017-07", "2019-06")]]),
        ("Sept. 2021 – Now", [[("2021-09", None)]]),
        ("January 2015 to December 2016", [[("2015-01", "2016-12")]]),
        ("Mar '18 – Jun '20", [[("2018-03", "2020-06")]]),
        ("06/19 - 02/21", [[("2019-06", "2021-02")]]),
        ("3.2016 – 12.2017", [[("2016-03", "2017-12")]]),
        ("2020.01 – 2020.06", [[("2020-01", "2020-06")]]),
        ("2016–18", [[("2016-07", "2018-06")]]),
        ("Jun – Aug 2020", [[("2020-06", "2020-08")]]),
        ("Dec – Feb 2021", [[("2020-12", "2021-02")]]),
        ("Since 2022", [[("2022-07", None)]]),
        ("from March 2023", [[("2023-03", None)]]),
        ("2021 –\nPresent", [[("2021-07", None)]]),
        ("Fall 2019 – Spring 2021", [[("2019-09", "2021-05")]]),
        ("Summer 2012 and 2013", [[("2012-06", "2012-08"), ("2013-06", "2013-08")]]),
        ("Oct 2016 – Current", [[("2016-10", None)]]),
        ("May 2013 - Aug 2013", [[("2013-05", "2013-08")]]),
        ("Jan 2019 until today", [[("2019-01", None)]]),
        ("2018 to date", [[("2018-07", None)]]),
        ("2019 - 2019", [[("2019-01", "2019-12")]]),
        ("May 2013", [[("2013-05", "2013-05")]]),
        ("2019", [[("2019-01", "2019-12")]]),
        ("winter 2020", [[("2020-01", "2020-02")]]),
        # a date column read beside its text: the range's end opens the next line
        ("2021 – ML Engineer, OpenAI\nPresent Leading a team", [[("2021-07", None)]]),
        ("July 2015 – Developer, Uber\nMay 2020 Developed apps", [[("2015-07", "2020-05")]]),
    ],
)
def test_experience_date_formats(text: str, expected: list[list[tuple[str, str | None]]]) -> None:
    assert periods(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Cut latency by 40% and served 3/4 of traffic",
        "Python 3.10, CUDA 12.1, v2.1",
        "2.5K GitHub stars, 10M+ users",
        "Mayo Clinic; Marching band; Decentralised",
        "FY2019 budget",
        "$2019 raised",
    ],
)
def test_experience_no_dates_in_plain_numbers(text: str) -> None:
    assert find_dates(text, today=TODAY) == []


def test_experience_split_range_keeps_its_span_on_the_first_line() -> None:
    text = "2021 – ML Engineer, OpenAI\nPresent Leading a team"
    (span,) = find_dates(text, today=TODAY)
    assert text[span.start : span.end] == "2021 –"
    assert span.continued == "Present"
    assert span.written == "2021 – Present"


def test_experience_date_spans_are_exact() -> None:
    text = "Engineer, Acme — Jan 2019 – Present | Berlin"
    (span,) = find_dates(text, today=TODAY)
    assert text[span.start : span.end] == "Jan 2019 – Present"
    assert span.is_range
    assert span.current


def test_experience_two_digit_years_pivot_at_50() -> None:
    assert periods("Jan '98 – Feb '04") == [[("1998-01", "2004-02")]]
    assert periods("Mar '49") == [[("2049-03", "2049-03")]]
    assert periods("Mar '50") == [[("1950-03", "1950-03")]]


def test_experience_present_start_after_today_falls_back_to_january() -> None:
    assert periods("2025 – Present") == [[("2025-01", None)]]


# --------------------------------------------------------------------------- positions


def test_experience_sample_resume_positions() -> None:
    text = (SAMPLES / "resumes" / "ml_engineer_positions.txt").read_text(encoding="utf-8")
    experience = experience_of(text)
    assert [(p.title, p.employer, p.start, p.end, p.current, p.date_text) for p in experience.positions] == [
        (
            "Senior Machine Learning Engineer",
            "Harbourline Analytics",
            d("2021-01"),
            None,
            True,
            "Jan 2021 – Present",
        ),
        (
            "Machine Learning Engineer",
            "Brightwater Retail",
            d("2019-03"),
            d("2021-06"),
            False,
            "2019-03 to 2021",
        ),
        ("Data Scientist", "Kestrel Health", d("2018-03"), d("2020-11"), False, "03/2018 - 11/2020"),
        ("Research Intern", "Tailspin Speech Lab", d("2017-06"), d("2017-08"), False, "Summer 2017"),
        ("Junior Data Analyst", "Wingtip Toys", d("2015-07"), d("2017-06"), False, "2015 - 2017"),
    ]
    assert [p.months(TODAY) for p in experience.positions] == [54, 28, 33, 3, 24]
    # 2015-07..2017-08 and 2018-03..2025-06, overlaps counted once
    assert experience.total_months == 26 + 88
    assert experience.total_years == 9.5
    # each position covers its header and bullets, up to the next one
    spans = [text[p.text_start : p.text_end] for p in experience.positions]
    assert spans[0].startswith("Senior Machine Learning Engineer | Harbourline")
    assert spans[0].rstrip().endswith("cut retraining time by half.")
    assert spans[1].startswith("Machine Learning Engineer, Brightwater Retail\n2019-03 to 2021\n")
    assert spans[4].rstrip().endswith("dashboards for the sales team.")
    # education and project dates are not positions
    assert all(p.start.year >= 2015 for p in experience.positions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # company | title above the dates (Deedy)
        (
            "EXPERIENCE\nFACEBOOK | Software Engineer\nJan 2015 - Present | New York, NY\n• Built things.\n"
            "GOOGLE | Software Engineering Intern\nMay 2013 – Aug 2013 | Mountain View, CA\n• Built more.\n",
            [
                ("Software Engineer", "FACEBOOK", "2015-01", None),
                ("Software Engineering Intern", "GOOGLE", "2013-05", "2013-08"),
            ],
        ),
        # dates on their own wrapped lines, title and employer below (Resume-Matcher archive)
        (
            "Experience\n2021 –\nPresent\nMachine Learning Engineer, OpenAI, San Francisco, USA\n"
            "Leading a team of AI engineers. Designed and implemented deep learning models.\n"
            "2018 – 2021 Data Scientist, Uber, San Francisco, USA\nDeveloped and deployed models.\n",
            [
                ("Machine Learning Engineer", "OpenAI", "2021-07", None),
                ("Data Scientist", "Uber", "2018-07", "2021-06"),
            ],
        ),
        # the same, as a layout reader puts the date column beside the text
        (
            "Experience\n\n2021 – Machine Learning Engineer, OpenAI, San Francisco, USA\n"
            "Present Leading a team of AI engineers. Designed and implemented deep learning models.\n"
            "July 2015 – Full Stack Developer, Uber, San Francisco, USA\n"
            "May 2020 Developed and maintained scalable web applications using the MERN stack.\n",
            [
                ("Machine Learning Engineer", "OpenAI", "2021-07", None),
                ("Full Stack Developer", "Uber", "2015-07", "2020-05"),
            ],
        ),
        # title and dates on one line, employer and city below (Resume-Matcher templates)
        (
            "EXPERIENCE\nSenior Software Engineer Jan 2023 - Present\nStripe San Francisco, CA\n"
            "• Designed a fraud detection pipeline using Kafka and Go,\n"
            "ensuring clean, testable code practices\n"
            "Software Engineer Jun 2021 - Dec 2022\n"
            "Figma • San Francisco, CA\n• Built editing infrastructure.\n",
            [
                ("Senior Software Engineer", "Stripe", "2023-01", None),
                ("Software Engineer", "Figma", "2021-06", "2022-12"),
            ],
        ),
        # a bulleted employer line above the title line (sb2nov LaTeX resume)
        (
            "Experience\n• Google Mountain View, CA\nSoftware Engineer Oct 2016 – Present\n"
            "◦ TensorFlow: worked on APIs and performance for training models on TPUs.\n"
            "• Lucena Research Atlanta, GA\nData Scientist Summer 2012 and 2013\n◦ Portfolio models.\n",
            [
                ("Software Engineer", "Google", "2016-10", None),
                ("Data Scientist", "Lucena Research", "2012-06", "2013-08"),
            ],
        ),
        # Markdown sub-headings with the dates at the end
        (
            "## Experience\n### Senior ML Engineer, Northwind — Jan 2022 – Present\n- Built forecasting.\n"
            "### ML Engineer at Contoso (Remote) — 2019-03 to 2021\n- Trained models.\n",
            [
                ("Senior ML Engineer", "Northwind", "2022-01", None),
                ("ML Engineer", "Contoso (Remote)", "2019-03", "2021-06"),
            ],
        ),
    ],
)
def test_experience_position_layouts(text: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    positions = experience_of(text).positions
    assert [
        (p.title, p.employer, p.start.strftime("%Y-%m"), p.end.strftime("%Y-%m") if p.end else None) for p in positions
    ] == expected


def test_experience_only_experience_sections_give_positions() -> None:
    text = "Education\nBSc, Leeds, 2012 - 2015\nProjects\nChess engine, 2020 - 2021\n"
    assert experience_of(text).positions == ()
    assert experience_of(text).total_months == 0


def test_experience_dates_inside_descriptions_are_not_positions() -> None:
    text = (
        "Experience\nData Scientist, Acme\nJan 2020 – Dec 2021\n"
        "• Rebuilt the churn model that had been in use from 2015 to 2019, which raised retention"
        " by 4% overall.\n"
    )
    positions = experience_of(text).positions
    assert [(p.title, p.date_text) for p in positions] == [("Data Scientist", "Jan 2020 – Dec 2021")]
    assert positions[0].text_end == len(text)


def test_experience_total_months_merges_overlaps() -> None:
    a = Position("A", "X", d("2019-01"), d("2019-12"), False, "", 0, 1)
    b = Position("B", "Y", d("2019-07"), d("2020-06"), False, "", 1, 2)
    c = Position("C", "Z", d("2022-01"), None, True, "", 2, 3)
    assert total_months([a], today=TODAY) == 12
    assert total_months([a, b], today=TODAY) == 18
    assert total_months([a, b, c], today=TODAY) == 18 + 42
    assert total_months([], today=TODAY) == 0


def test_experience_skill_years_and_last_use_from_positions() -> None:
    text = (SAMPLES / "resumes" / "ml_engineer_positions.txt").read_text(encoding="utf-8")
    experience = experience_of(text)
    mentions = [
        *mentions_of(text, "tensorflow", "TensorFlow"),
        *mentions_of(text, "pytorch", "PyTorch"),
        *mentions_of(text, "python", "Python"),
        *mentions_of(text, "sql", "SQL"),
        *mentions_of(text, "rust", "Rust"),
    ]
    assert skill_experience(experience.positions, mentions, today=TODAY) == {
        # Brightwater (2019-03..2021-06, 28 months) and Tailspin (summer 2017, 3 months)
        "tensorflow": SkillYears(2.6, 2021),
        # Harbourline, current: 2021-01..2025-06
        "pytorch": SkillYears(4.5, 2025),
        # Kestrel only: the summary and skills list give no years
        "python": SkillYears(2.8, 2020),
        "sql": SkillYears(2.0, 2017),
    }


def test_experience_skill_years_count_overlapping_positions_once() -> None:
    a = Position("A", "X", d("2019-01"), d("2019-12"), False, "", 0, 50)
    b = Position("B", "Y", d("2019-07"), d("2020-06"), False, "", 50, 100)
    mentions = [SkillMention("python", 10, 16, "Python"), SkillMention("python", 60, 66, "Python")]
    assert skill_experience([a, b], mentions, today=TODAY) == {"python": SkillYears(1.5, 2020)}


def test_experience_skill_years_with_the_real_tagger(tagger) -> None:  # type: ignore[no-untyped-def]
    text = (SAMPLES / "resumes" / "ml_engineer_positions.txt").read_text(encoding="utf-8")
    experience = experience_of(text)
    years = skill_experience(experience.positions, tagger.mentions(text), today=TODAY)
    assert years["pytorch"] == SkillYears(4.5, 2025)
    assert years["kubernetes"] == SkillYears(4.5, 2025)


@given(
    st.lists(
        st.tuples(st.integers(1990, 2024), st.integers(1, 12), st.integers(0, 80), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_experience_property_total_between_longest_and_sum(raw: list[tuple[int, int, int, bool]]) -> None:
    positions = []
    for year, month, length, current in raw:
        start = date(year, month, 1)
        index = year * 12 + month - 1 + length
        end = date(index // 12, index % 12 + 1, 1)
        if end > TODAY:
            end = date(TODAY.year, TODAY.month, 1)
        positions.append(Position("t", "e", start, None if current else end, current, "", 0, 0))
    each = [p.months(TODAY) for p in positions]
    assert max(each) <= total_months(positions, today=TODAY) <= sum(each)


_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@given(
    st.integers(1970, 2024),
    st.integers(1, 12),
    st.integers(0, 120),
    st.sampled_from(["{M} {Y}", "{MM}/{Y}", "{Y}-{MM}", "{Month} {Y}"]),
    st.sampled_from([" - ", " – ", " to ", "–", " until "]),
)
def test_experience_property_month_ranges_round_trip(year: int, month: int, length: int, form: str, sep: str) -> None:
    index = year * 12 + month - 1 + length
    end_year, end_month = index // 12, index % 12 + 1
    if end_year > 2049:
        return

    def fmt(y: int, m: int) -> str:
        full = date(y, m, 1).strftime("%B")
        return form.format(M=_MONTH_NAMES[m - 1], MM=f"{m:02d}", Y=y, Month=full)

    text = f"Engineer, Acme {fmt(year, month)}{sep}{fmt(end_year, end_month)} Berlin"
    (span,) = find_dates(text, today=TODAY)
    assert span.periods == ((date(year, month, 1), date(end_year, end_month, 1)),)


_DATE_WORDS = [
    "Jan", "january", "Sept.", "ſep", "MAY", "Summer", "fall", "since", "from", "of", "and", "Present", "now",
    "till date", "2019", "1998", "2049", "'19", "’04", "03", "3", "12", "7", "0", "a", "x", "K", "%", "$",
]  # fmt: skip
_DATE_GAPS = ["", " ", "  ", " – ", "-", " to ", "/", ".", ",", ", ", " & ", "_", "\t", "\n", " -\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_DATE_WORDS), st.sampled_from(_DATE_GAPS)), max_size=24))
@example([("a,03", "/"), ("2019", ""), (",2019", "-"), ("03", " ")])  # a digit after a comma may start a date
@example([("Jun3", "/"), ("2019", " "), ("ſep", " "), ("2019", " – "), ("now", "")])
def test_experience_date_prefilter_finds_what_the_full_scan_finds(words: list[tuple[str, str]]) -> None:
    # find_dates tries the big pattern only where a date can start; a plain finditer is the reference
    text = "".join(word + gap for word, gap in words)

    def found(matches: Iterable[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
        return [(m.span(), m.groupdict()) for m in matches]

    assert found(_date_matches(text)) == found(_DATES.finditer(text))


def test_experience_date_prefilter_on_real_resumes() -> None:
    files = [p for p in (SAMPLES / "resumes").iterdir() if p.suffix in {".md", ".txt"}]
    files += [p for p in (SAMPLES / "eval" / "resumes").iterdir() if p.suffix in {".md", ".txt"}]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert [m.span() for m in _date_matches(text)] == [m.span() for m in _DATES.finditer(text)]


_YEARS_WORDS = [
    "at least", "a minimum of", "min.", "over", "more than", "no less than", "upwards of", "in excess of", "a",
    "couple", "of", "several", "five", "twelve", "3", "10", "2.5", "(3)", "+", "-", "to", "or more", "years", "yr",
    "months", "mos", "Years'", "experience", "Python", "x", "ſ", "K",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_YEARS_WORDS), st.sampled_from(_DATE_GAPS)), max_size=20))
def test_experience_years_prefilter_finds_what_the_full_scan_finds(words: list[tuple[str, str]]) -> None:
    # find_years_requirements tries the years pattern only where a qualifier or a number starts
    text = "".join(word + gap for word, gap in words)
    expected = [(m.span(), m.groupdict()) for m in _YEARS.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in matches_from(_YEARS, _YEARS_START, text)] == expected


def test_experience_years_prefilter_on_real_posts_and_resumes() -> None:
    files = [p for p in SAMPLES.rglob("*") if p.suffix in {".md", ".txt"}]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = [m.span() for m in matches_from(_YEARS, _YEARS_START, text)]
        assert found == [m.span() for m in _YEARS.finditer(text)], path.name


# --------------------------------------------------------------------------- job posts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5+ years of Python", [(5.0, None, "Python")]),
        ("3-5 years of experience", [(3.0, 5.0, "")]),
        ("at least 2 years with Kubernetes", [(2.0, None, "Kubernetes")]),
        (
            "minimum of three years of professional experience in machine learning",
            [(3.0, None, "machine learning")],
        ),
        ("A minimum of three (3) years of experience with SQL.", [(3.0, None, "SQL")]),
        ("2 to 4 years of hands-on experience using PyTorch", [(2.0, 4.0, "PyTorch")]),
        ("7+ yrs experience building data pipelines", [(7.0, None, "building data pipelines")]),
        ("five or more years of Java experience", [(5.0, None, "Java")]),
        ("10+ years' experience in product management.", [(10.0, None, "product management")]),
        ("1 -3 years of PHP development experience.", [(1.0, 3.0, "PHP development")]),
        ("PHP: 3 years (Preferred)", [(3.0, None, "PHP")]),
        ("Python (5+ years)", [(5.0, None, "Python")]),
        ("• Go – 2 years", [(2.0, None, "Go")]),
        ("total work: 2 years (Preferred)", [(2.0, None, "")]),
        ("over 10 years of experience\nto join our dynamic team.", [(10.0, None, "")]),
        ("Java Developer (3 Years of Experience)", [(3.0, None, "")]),
        ("2+ years of experience in a similar role", [(2.0, None, "")]),
        ("4 years of Python, 2 years of Go", [(4.0, None, "Python"), (2.0, None, "Go")]),
        ("more than 6 years working with Spark", [(6.0, None, "Spark")]),
        ("a couple of years of Python experience", [(2.0, None, "Python")]),
        ("at least a couple  of years with Rust", [(2.0, None, "Rust")]),
        ("3+ years Python", [(3.0, None, "Python")]),  # no "of": a name right after the years
        ("minimum 3 years Python experience", [(3.0, None, "Python")]),
        ("3 years java development experience", [(3.0, None, "java development")]),
        ("Skills: 5+ years Python, 2 years SQL", [(5.0, None, "Python"), (2.0, None, "SQL")]),
    ],
)
def test_experience_years_phrases(text: str, expected: list[tuple[float, float | None, str]]) -> None:
    found = find_years_requirements(text)
    assert [(r.min_years, r.max_years, r.subject) for r in found] == expected
    for r in found:
        assert text[r.subject_start : r.subject_end] == r.subject
        assert text[r.start : r.end] == r.text


@pytest.mark.parametrize(
    "text",
    [
        "We were founded 15 years ago.",
        "In the last 3 years we tripled revenue.",
        "Over the past 5 years, our team grew.",
        "Comes with a 2 year warranty",
        "Our mascot is 5 years old",
        "30 days of paid holiday and EUR 2,000 a year",
        "acoupleof years of Python",  # the number words' spaces once vanished from the pattern: this raised
    ],
)
def test_experience_years_not_asked(text: str) -> None:
    assert find_years_requirements(text) == ()


def test_experience_sample_job_post_requirements() -> None:
    text = (SAMPLES / "jobs" / "nlp_engineer_years.txt").read_text(encoding="utf-8")
    experience = experience_of(text, "job")
    assert experience.positions == ()
    assert [(r.text, r.min_years, r.max_years, r.subject, r.level) for r in experience.requirements] == [
        ("5+ years", 5.0, None, "Python", "required"),
        ("3-5 years", 3.0, 5.0, "natural language processing", "required"),
        ("At least 2 years", 2.0, None, "Kubernetes in production", "required"),
        (
            "A minimum of three years",
            3.0,
            None,
            "building machine learning systems, ideally with PyTorch",
            "required",
        ),
        ("2+ years", 2.0, None, "Rust", "preferred"),
    ]


def test_experience_required_years_by_skill() -> None:
    text = (SAMPLES / "jobs" / "nlp_engineer_years.txt").read_text(encoding="utf-8")
    requirements = experience_of(text, "job").requirements
    mentions = [
        *mentions_of(text, "python", "Python"),
        *mentions_of(text, "kubernetes", "Kubernetes"),
        *mentions_of(text, "pytorch", "PyTorch"),
        *mentions_of(text, "rust", "Rust"),
        *mentions_of(text, "nlp", "natural language processing"),
        *mentions_of(text, "spark", "Spark"),
    ]
    years = {k: (v.min_years, v.level) for k, v in required_years_by_skill(requirements, mentions).items()}
    assert years == {
        "python": (5.0, "required"),
        "nlp": (3.0, "required"),
        "kubernetes": (2.0, "required"),
        "pytorch": (3.0, "required"),
        "rust": (2.0, "preferred"),
    }


@pytest.mark.parametrize(
    ("text", "target", "level"),
    [
        ("Python required. Docker is a plus.", "Docker", "preferred"),
        ("Python required. Docker is a plus.", "Python", "required"),
        ("Experience with PyTorch or TensorFlow is\na plus.", "PyTorch", "preferred"),
        ("Nice to have: Rust", "Rust", "preferred"),
        ("Bonus: Go", "Go", "preferred"),
        ("Ideally you have worked with Spark.", "Spark", "preferred"),
        ("Familiarity with Airflow preferred", "Airflow", "preferred"),
        ("Knowledge of dbt is desirable", "dbt", "preferred"),
        ("Kafka experience would be great", "Kafka", "preferred"),
        ("Scala is not required", "Scala", "preferred"),
        ("Strong SQL; experience with Spark is a plus.", "SQL", "required"),
        ("Strong SQL; experience with Spark is a plus.", "Spark", "preferred"),
        ("Python, SQL required, Spark a plus", "Python", "required"),
        ("Python, SQL required, Spark a plus", "Spark", "preferred"),
        ("At least 3 years of Python, ideally with PyTorch.", "Python", "required"),
        ("At least 3 years of Python, ideally with PyTorch.", "PyTorch", "preferred"),
        ("Bachelor's degree in CS (MBA preferred).", "Bachelor", "required"),
        ("Bachelor's degree in CS (MBA preferred).", "MBA", "preferred"),
        ("Data Science: 2 years (Preferred)", "Data Science", "preferred"),
        ("Experience with DL frameworks (e.g. PyTorch) is a plus.", "PyTorch", "preferred"),
        ("Experience with Node.js and Docker.", "Docker", "required"),
        ("Must know Python.", "Python", "required"),
    ],
)
def test_experience_requirement_level_from_the_sentence(text: str, target: str, level: str) -> None:
    assert requirement_level(text, [], text.index(target)) == level


def test_experience_requirement_level_from_the_section() -> None:
    text = "Requirements\nPython\nNice to have\nRust (required for the team lead role)\n"
    sections = detect_sections(text, lines_of(text), "job")
    assert [s.name for s in sections] == ["requirements", "preferred"]
    assert requirement_level(text, sections, text.index("Python")) == "required"
    assert requirement_level(text, sections, text.index("Rust")) == "preferred"


@pytest.mark.parametrize(
    ("target", "level"),
    [("Python.", "required"), ("SQL", "required"), ("Spark", "preferred"), ("PyTorch", "preferred"),
     ("Hugging Face", "preferred"), ("Rust", "preferred"), ("Kubernetes", "required")],
)  # fmt: skip
def test_experience_requirement_level_sample_job(target: str, level: str) -> None:
    text = (SAMPLES / "jobs" / "nlp_engineer_years.txt").read_text(encoding="utf-8")
    sections = detect_sections(text, lines_of(text), "job")
    assert requirement_level(text, sections, text.index(target)) == level


def test_experience_real_resume_positions() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    source = SHARED_DATA / "documents" / "resume-matcher" / "Resume_archive" / "harvey_dent_mle.pdf"
    if not source.is_file():
        pytest.skip(f"real documents not present at {source.parent} (see ../shared/data/README.md)")
    pdf = pdfium.PdfDocument(str(source))
    try:
        text = "\n".join(page.get_textpage().get_text_range().replace("\r\n", "\n") for page in pdf)
    finally:
        pdf.close()
    experience = experience_of(text)
    assert [(p.title, p.employer, p.date_text, p.current) for p in experience.positions] == [
        ("Machine Learning Engineer", "OpenAI", "2021 – Present", True),
        ("Data Scientist", "Uber", "2018 – 2021", False),
        ("Junior Data Analyst", "Facebook", "2016 – 2018", False),
    ]
    # 2016-07 .. 2025-06
    assert experience.total_months == 108


def test_experience_extract_positions_without_sections_is_empty() -> None:
    assert extract_positions("Engineer, Acme, 2019 - 2021", [], today=TODAY) == ()
    assert extract_positions("x", [Section("experience", 0, 1)], today=TODAY) == ()


@pytest.mark.parametrize("present", ["heute", "aujourd'hui", "actualidad", "oggi"])
def test_experience_present_in_other_languages(present: str) -> None:
    [span] = find_dates(f"01.2022 – {present}", today=date(2026, 11, 28))
    assert span.periods == ((date(2022, 1, 1), None),)


def test_experience_without_headings_a_job_of_several_stretches_is_a_position() -> None:
    """Without an experience heading a job needs a date range; "Summer 2012 and 2013" is several stretches, which
    says job as much (sb2nov's resume lost its Data Scientist title once its headings were gone)."""
    text = (
        "Jane Roe\tjane@example.com\n"
        "Google\tMountain View, CA\nSoftware Engineer\tOct 2016 – Present\n• Worked on TensorFlow.\n"
        "Lucena Research\tAtlanta, GA\nData Scientist\tSummer 2012 and 2013\n• Created models for hedging.\n"
    )
    positions = experience_of(text).positions
    assert [(p.title, p.date_text) for p in positions] == [
        ("Software Engineer", "Oct 2016 – Present"),
        ("Data Scientist", "Summer 2012 and 2013"),
    ]
    assert experience_of(text.replace(" and 2013", "")).positions[-1].title == "Software Engineer"
