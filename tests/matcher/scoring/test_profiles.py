from __future__ import annotations

import pytest

from matcher.engine import Engine
from matcher.scoring.profiles import (
    job_profile_from_dict,
    person_seniority,
    profile_to_dict,
    resume_profile_from_dict,
    seniority_from_title,
    seniority_from_years,
    title_profile,
)
from matcher.tagging.tagger import Tagger
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
    assert resume.seniority == "senior"  # "Senior Machine Learning Engineer" since 2021: senior after nine years too
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
    [
        ("Senior ML Engineer", "senior"),
        ("Staff Data Scientist", "lead"),
        ("Junior Data Analyst", "junior"),
        ("Head of AI", "executive"),
        ("Machine Learning Engineer", None),
        ("ML Intern", "intern"),
    ],
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


@pytest.mark.parametrize(
    ("line", "first", "others"),
    [
        ("- Languages such as Python, Ruby, Java, PHP, and .Net", "python", ("ruby", "java", "php", "dotnet")),
        ("- Experience with at least one of: Docker, Kubernetes, Rancher", "docker", ("kubernetes", "rancher")),
        ("- Detection architectures (e.g. YOLO, Mask R-CNN)", "yolo", ("image_segmentation",)),
    ],
)
def test_profiles_job_examples_become_one_requirement(
    engine: Engine, line: str, first: str, others: tuple[str, ...]
) -> None:
    job = engine.load_text(f"Requirements\n{line}\n- SQL and Spark\n", kind="job").job
    assert job is not None
    by_id = {r.skill_id: r for r in job.requirements}
    assert by_id[first].alternatives == others
    assert not set(others) & set(by_id)
    assert by_id["sql"].alternatives == by_id["apache_spark"].alternatives == ()  # "and" without examples: both


def test_profiles_a_slash_offers_a_choice_only_between_kindred_skills(engine: Engine) -> None:
    """"PyTorch/TensorFlow" (two frameworks) is either; "Python/Django" (a language and its framework) is both."""
    job = engine.load_text("Requirements\n- PyTorch/TensorFlow\n- Python/Django\n", kind="job").job
    assert job is not None
    assert [(r.skill_id, r.alternatives) for r in job.requirements] == [
        ("pytorch", ("tensorflow",)), ("python", ()), ("django", ()),
    ]


def test_profiles_years_wished_for_make_no_must_have(engine: Engine) -> None:
    """"Python: 2 years (Preferred)" under a post that requires Python: Python is required, its years a wish; a
    resume without Python is not capped as if it missed a must-have. Years required make one."""
    wished = "Requirements:\n- SQL, Docker\n- Python\nExperience:\n- Python: 2 years (Preferred)\n"
    job = engine.load_text(wished, kind="job").job
    assert job is not None
    python = {r.skill_id: r for r in job.requirements}["python"]
    assert (python.level, python.years_asked, python.must_have) == ("required", None, False)
    required = engine.load_text("Requirements:\n- SQL, Docker\n- Python: 2 years\n", kind="job").job
    assert required is not None
    python = {r.skill_id: r for r in required.requirements}["python"]
    assert (python.level, python.years_asked, python.must_have) == ("required", 2.0, True)


@pytest.mark.parametrize(
    ("field", "level"),
    [
        ("Experience level: Senior Role: DevOps Engineer", "senior"),  # a job board's fields on one line
        ("Experience level:\nSenior\nRole:\nBackend Developer", "senior"),
        ("Seniority level: Entry level", "junior"),
        ("Experience level: Mid-Level Role: QA", "mid"),
        ("Experience level: Mid-Level Senior Role: Full Stack", None),  # a range: no one level
    ],
)
def test_profiles_job_seniority_from_a_level_field(engine: Engine, field: str, level: str | None) -> None:
    job = engine.load_text(f"DevOps Engineer\n\n{field}\n\nRequirements\n- Docker, Kubernetes\n", kind="job").job
    assert job is not None
    assert job.seniority == level


def test_profiles_years_of_experience_as_a_role_count_as_overall_years(engine: Engine) -> None:
    text = "Data Engineer\n\nRequirements\n- 4+ years of experience as a data engineer.\n- 2+ years of Python.\n"
    job = engine.load_text(text, kind="job").job
    assert job is not None
    assert job.years_overall == 4.0


@pytest.mark.parametrize(
    ("years", "title", "level"),
    [(9.0, "Senior Data Scientist", "senior"), (9.0, "Machine Learning Engineer", "senior"),
     (12.0, None, "senior"), (3.0, "Machine Learning Engineer", "mid"), (1.0, None, "junior"),
     (2.0, "Machine Learning Intern", "intern"), (1.5, "Teaching Assistant", "junior"),
     (11.0, "Engineering Manager", "lead"), (4.9, None, "mid"), (5.0, None, "senior")],
)  # fmt: skip
def test_profiles_person_seniority_title_first_years_never_above_senior(
    years: float, title: str | None, level: str
) -> None:
    """Issue 17: the level a recruiter reads: the latest title's, else the years', and lead only from a title."""
    assert person_seniority(years, title) == level


def test_profiles_qualifications_travel_with_the_profile(engine: Engine) -> None:
    resume = engine.load(SAMPLES / "resumes" / "ml_engineer_positions.txt", kind="resume").resume
    job = engine.load(SAMPLES / "eval" / "jobs" / "computer_vision_engineer.txt", kind="job").job
    assert resume is not None
    assert job is not None
    assert [(d.level, d.fields) for d in resume.degrees] == [
        ("master", ("artificial_intelligence",)), ("bachelor", ("computer_science",)),
    ]  # fmt: skip
    assert [c.cert_id for c in resume.certifications] == ["aws_ml_specialty"]
    assert resume.titles[0].title == "Senior Machine Learning Engineer"
    assert [(a.level, a.equivalent) for a in job.degrees] == [("master", True)]
    assert job.title_evidence is not None
    assert resume_profile_from_dict(profile_to_dict(resume)) == resume
    assert job_profile_from_dict(profile_to_dict(job)) == job


def test_profiles_stored_before_issue_17_still_load(engine: Engine) -> None:
    """Profiles stored without qualifications read as having none (the service keeps old rows)."""
    resume = engine.load(SAMPLES / "resumes" / "ml_engineer_positions.txt", kind="resume").resume
    job = engine.load(SAMPLES / "jobs" / "ml_engineer_job.md", kind="job").job
    assert resume is not None
    assert job is not None
    old_resume = {k: v for k, v in profile_to_dict(resume).items() if k not in ("degrees", "certifications", "titles",
                                                                                "management")}  # fmt: skip
    old_job = {
        k: v for k, v in profile_to_dict(job).items() if k not in ("degrees", "certifications", "title_evidence")
    }
    assert resume_profile_from_dict(old_resume).degrees == ()
    assert resume_profile_from_dict(old_resume).titles == ()
    assert job_profile_from_dict(old_job).degrees == ()
