from __future__ import annotations

import pytest

from matcher.engine import Engine
from matcher.profiles import seniority_from_title, seniority_from_years, title_profile
from matcher.tagging import Tagger
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def engine(tagger: Tagger) -> Engine:
    return Engine(tagger=tagger, as_of=2026)


def test_profiles_job_weights_come_from_the_text(engine: Engine) -> None:
    job = engine.load(SAMPLES / "jobs" / "nlp_engineer_years.txt", kind="job").job
    assert job is not None
    by_id = {req.skill_id: req for req in job.requirements}
    python = by_id["python"]  # "5+ years of Python" in the requirements
    assert (python.level, python.years_asked, python.must_have) == ("required", 5.0, True)
    assert python.weight == pytest.approx(3.0 * (1 + 0.25 * min(len(python.evidence) - 1, 2)) * 1.25)
    hugging_face = by_id["hugging_face_transformers"]  # under "Nice to have"
    assert (hugging_face.level, hugging_face.must_have) == ("preferred", False)
    assert hugging_face.weight < python.weight


def test_profiles_resume_leaves_out_the_contact_block(engine: Engine) -> None:
    text = "Ana Example\nana@example.org | github.com/ana | linkedin.com/in/ana\n\nSkills\nPython, SQL\n"
    resume = engine.load_text(text, kind="resume").resume
    assert resume is not None
    assert set(resume.skills) == {"python", "sql"}


def test_profiles_resume_years_and_seniority(engine: Engine) -> None:
    resume = engine.load(SAMPLES / "resumes" / "ml_engineer_positions.txt", kind="resume").resume
    assert resume is not None
    assert resume.total_years is not None
    assert resume.total_years > 8
    assert resume.seniority in {"lead", "principal"}
    assert resume.skills["python"].years == 2.8
    assert resume.skills["python"].last_used is None  # also in the skills list: claimed as current


def test_profiles_recency_only_from_skills_named_in_positions_alone(engine: Engine) -> None:
    text = (
        "Summary\nEngineer.\n\nExperience\nData Engineer, Acme — 2012 - 2015\n• Built ETL jobs in Perl.\n"
        "Engineer, Initech — 2016 - Present\n• Python services.\n"
    )
    resume = engine.load_text(text, kind="resume").resume
    assert resume is not None
    assert resume.skills["perl"].last_used == 2015


@pytest.mark.parametrize(
    ("title", "level"),
    [("Senior ML Engineer", "senior"), ("Staff Data Scientist", "lead"), ("Junior Data Analyst", "junior"),
     ("Head of AI", "executive"), ("Machine Learning Engineer", None), ("ML Intern", "intern")],
)
def test_profiles_seniority_from_title(title: str, level: str | None) -> None:
    assert seniority_from_title(title) == level


@pytest.mark.parametrize(("years", "level"), [(0.5, "junior"), (3, "mid"), (6, "senior"), (12, "lead")])
def test_profiles_seniority_from_years(years: float, level: str) -> None:
    assert seniority_from_years(years) == level


def test_profiles_title_profile_uses_the_taxonomy_weights(engine: Engine) -> None:
    title = engine.taxonomy.titles["nlp_engineer"]
    job = title_profile(title)
    assert job.seniority == title.seniority
    assert [(r.skill_id, r.weight) for r in job.requirements if r.level == "required"] == [
        (r.skill_id, r.weight) for r in title.required
    ]


def test_profiles_job_alternatives_become_one_requirement(engine: Engine) -> None:
    text = "ML Engineer\n\nRequirements\n- Experience with PyTorch or TensorFlow.\n- Airflow (or Dagster, Prefect).\n"
    job = engine.load_text(text, kind="job").job
    assert job is not None
    assert [(r.skill_id, r.alternatives) for r in job.requirements if r.alternatives] == [
        ("pytorch", ("tensorflow",)),
        ("airflow", ("dagster", "prefect")),
    ]


def test_profiles_years_of_experience_as_a_role_count_as_overall_years(engine: Engine) -> None:
    text = "Data Engineer\n\nRequirements\n- 4+ years of experience as a data engineer.\n- 2+ years of Python.\n"
    job = engine.load_text(text, kind="job").job
    assert job is not None
    assert job.years_overall == 4.0
