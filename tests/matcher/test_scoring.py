"""The scoring engine: the README's worked example, each rule, and properties over random profiles."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.profiles import JobProfile, ProfileSkill, Requirement, ResumeProfile
from matcher.scoring import CreditIndex, MatchReport, score_match
from matcher.taxonomy import Taxonomy

AS_OF = 2026


@pytest.fixture(scope="module")
def index(taxonomy: Taxonomy) -> CreditIndex:
    return CreditIndex(taxonomy)


def worked_example() -> tuple[ResumeProfile, JobProfile]:
    """The README's worked example."""
    job = JobProfile(
        requirements=(
            Requirement("python", "required", 3.75, years_asked=3, must_have=True),
            Requirement("pytorch", "required", 3.0),
            Requirement("docker", "required", 3.0),
            Requirement("kubernetes", "preferred", 1.0),
            Requirement("mlflow", "preferred", 1.0),
        ),
        seniority="mid",
        years_overall=3,
    )
    resume = ResumeProfile(
        skills={
            "python": ProfileSkill("python", years=4, last_used=2026),
            "tensorflow": ProfileSkill("tensorflow", years=2, last_used=2022),
            "helm": ProfileSkill("helm"),
        },
        total_years=5,
        seniority="senior",
    )
    return resume, job


def lines_by_id(report: MatchReport) -> dict[str, object]:
    return {line.skill_id: line for line in (*report.matched, *report.partial, *report.missing)}


def test_scoring_worked_example_recomputes_by_hand(index: CreditIndex) -> None:
    resume, job = worked_example()
    report = score_match(resume, job, index, as_of=AS_OF)
    lines = lines_by_id(report)
    assert [ln.skill_id for ln in report.matched] == ["python"]
    assert [(ln.skill_id, ln.relation, ln.via, ln.credit) for ln in report.partial] == [
        ("pytorch", "related", "python", 0.3),  # TensorFlow is related too, but last used 4 years ago: 0.3 x 0.85
        ("kubernetes", "narrower", "helm", 0.8),
    ]
    assert [ln.skill_id for ln in report.missing] == ["docker", "mlflow"]  # by weight
    assert lines["python"].experience_factor == 1.0  # min(1, 0.5 + 0.5 x 4 / 3)
    assert report.components.required_coverage == pytest.approx((3.75 + 3 * 0.3) / 9.75, abs=1e-4)
    assert report.components.preferred_coverage == 0.4
    assert report.components.experience == 1.0
    assert report.components.title_fit == 0.7  # senior vs mid
    assert report.score == 57.3  # 100 x (0.5 x 0.4769 + 0.2 x 0.4 + 0.15 x 1 + 0.15 x 0.7)
    assert report.cap_reason is None


def test_scoring_missing_must_have_caps_the_score(index: CreditIndex) -> None:
    resume = ResumeProfile(
        skills={"docker": ProfileSkill("docker"), "kubernetes": ProfileSkill("kubernetes")},
        total_years=5,
        seniority="mid",
    )
    job = JobProfile(
        requirements=(
            Requirement("python", "required", 3.75, years_asked=3, must_have=True),
            Requirement("docker", "required", 3.0),
            Requirement("kubernetes", "preferred", 1.0),
        ),
        seniority="mid",
        years_overall=3,
    )
    report = score_match(resume, job, index, as_of=AS_OF)
    assert report.uncapped_score == 72.2  # 100 x (0.5 x 3 / 6.75 + 0.2 + 0.15 + 0.15)
    assert report.score == 65.0
    assert report.cap_reason == "missing must-have: Python (score capped at 65)"


@pytest.mark.parametrize(
    ("asked", "has", "relation", "credit"),
    [
        ("tensorflow", "keras", "narrower", 0.8),  # the job asks TensorFlow, the resume has Keras
        ("deep_learning_framework", "pytorch", "narrower", 0.8),  # asks the family, has a member
        ("keras", "tensorflow", "broader", 0.5),
        ("kubernetes", "helm", "narrower", 0.8),
    ],
)
def test_scoring_partial_credit_names_the_relation(
    index: CreditIndex, asked: str, has: str, relation: str, credit: float
) -> None:
    resume = ResumeProfile(skills={has: ProfileSkill(has)})
    job = JobProfile(requirements=(Requirement(asked, "required", 3.0),))
    report = score_match(resume, job, index, as_of=AS_OF)
    assert [(ln.relation, ln.via, ln.credit) for ln in report.partial] == [(relation, has, credit)]


@pytest.mark.parametrize(("years", "factor"), [(1.0, 0.625), (2.0, 0.75), (4.0, 1.0), (None, 1.0)])
def test_scoring_years_against_years_asked(index: CreditIndex, years: float | None, factor: float) -> None:
    resume = ResumeProfile(skills={"python": ProfileSkill("python", years=years)})
    job = JobProfile(requirements=(Requirement("python", "required", 3.0, years_asked=4),))
    [line] = score_match(resume, job, index, as_of=AS_OF).matched
    assert line.experience_factor == factor
    assert line.credit == factor


@pytest.mark.parametrize(("last_used", "factor"), [(2026, 1.0), (2024, 1.0), (2022, 0.85), (2015, 0.7)])
def test_scoring_recency(index: CreditIndex, last_used: int, factor: float) -> None:
    resume = ResumeProfile(skills={"sql": ProfileSkill("sql", last_used=last_used)})
    job = JobProfile(requirements=(Requirement("sql", "required", 3.0),))
    assert score_match(resume, job, index, as_of=AS_OF).matched[0].credit == factor


def test_scoring_missing_skill_names_transferable_and_prerequisites(index: CreditIndex) -> None:
    resume = ResumeProfile(skills={"podman": ProfileSkill("podman")})
    job = JobProfile(requirements=(Requirement("kubernetes", "required", 3.0), Requirement("keras", "required", 1.0)))
    report = score_match(resume, job, index, as_of=AS_OF)
    lines = lines_by_id(report)
    assert lines["kubernetes"].transferable == "podman"  # both containers: kubernetes > orchestration > containers
    assert lines["keras"].prerequisites == ("tensorflow", "deep_learning_framework")
    assert report.learning_order == ("kubernetes", "tensorflow", "deep_learning_framework", "keras")


def test_scoring_component_weights_move_when_a_job_has_no_preferred_skills(index: CreditIndex) -> None:
    resume = ResumeProfile(skills={"python": ProfileSkill("python")})
    job = JobProfile(requirements=(Requirement("python", "required", 3.0),))
    report = score_match(resume, job, index, as_of=AS_OF)
    assert report.weights["required_coverage"] == pytest.approx(0.7)
    assert report.weights["preferred_coverage"] == 0.0
    assert report.score == pytest.approx(100 * (0.7 + 0.15 + 0.15 * 0.8), abs=0.05)


SKILL_POOL = [
    "python", "sql", "pytorch", "tensorflow", "keras", "docker", "kubernetes", "helm", "mlflow", "airflow",
    "kafka", "aws", "gcp", "scikit_learn", "pandas", "statistics", "deep_learning", "machine_learning",
]  # fmt: skip
skill_sets = st.sets(st.sampled_from(SKILL_POOL), max_size=10)
years = st.one_of(st.none(), st.floats(min_value=0, max_value=20))
last_used = st.one_of(st.none(), st.integers(min_value=2000, max_value=AS_OF))


@st.composite
def resumes(draw: st.DrawFn) -> ResumeProfile:
    skills = {s: ProfileSkill(s, years=draw(years), last_used=draw(last_used)) for s in draw(skill_sets)}
    return ResumeProfile(
        skills=skills,
        total_years=draw(years),
        seniority=draw(st.sampled_from([None, "junior", "mid", "senior", "lead"])),
    )


@st.composite
def jobs(draw: st.DrawFn) -> JobProfile:
    asked = draw(st.lists(st.sampled_from(SKILL_POOL), min_size=1, max_size=8, unique=True))
    requirements = tuple(
        Requirement(
            s,
            draw(st.sampled_from(["required", "preferred"])),
            draw(st.sampled_from([0.5, 1.0, 3.0, 3.75])),
            years_asked=(ya := draw(st.one_of(st.none(), st.integers(min_value=1, max_value=8)))),
            must_have=ya is not None,
            alternatives=tuple(
                draw(st.lists(st.sampled_from([x for x in SKILL_POOL if x != s]), max_size=2, unique=True))
            ),
        )
        for s in asked
    )
    return JobProfile(
        requirements=requirements,
        seniority=draw(st.sampled_from([None, "mid", "senior"])),
        seniority_is_minimum=draw(st.booleans()),
        years_overall=draw(st.one_of(st.none(), st.integers(min_value=1, max_value=10))),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resumes(), jobs())
def test_scoring_score_is_in_range_and_deterministic(
    index: CreditIndex, resume: ResumeProfile, job: JobProfile
) -> None:
    report = score_match(resume, job, index, as_of=AS_OF)
    assert 0 <= report.score <= 100
    assert report == score_match(resume, job, index, as_of=AS_OF)
    assert len(report.matched) + len(report.partial) + len(report.missing) == len(job.requirements)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resumes(), jobs(), st.data())
def test_scoring_adding_a_matching_skill_never_lowers_the_score(
    index: CreditIndex, resume: ResumeProfile, job: JobProfile, data: st.DataObject
) -> None:
    added = data.draw(st.sampled_from([req.skill_id for req in job.requirements]))
    before = score_match(resume, job, index, as_of=AS_OF).score
    richer = replace(resume, skills={**resume.skills, added: ProfileSkill(added)}) if added not in resume.skills \
        else resume
    assert score_match(richer, job, index, as_of=AS_OF).score >= before


def test_scoring_alternatives_make_one_requirement_met_by_the_best(index: CreditIndex) -> None:
    job = JobProfile(requirements=(Requirement("pytorch", "required", 3.0, alternatives=("tensorflow",)),))
    resume = ResumeProfile(skills={"tensorflow": ProfileSkill("tensorflow")})
    report = score_match(resume, job, index, as_of=AS_OF)
    [line] = report.matched
    assert (line.name, line.via, line.credit) == ("PyTorch or TensorFlow", "tensorflow", 1.0)
    assert report.components.required_coverage == 1.0


@pytest.mark.parametrize(
    ("resume", "job", "minimum", "fit"),
    [("senior", "mid", False, 0.7), ("senior", "mid", True, 1.0), ("junior", "mid", True, 0.7),
     (None, "mid", True, 0.8)],
)
def test_scoring_seniority_fit(resume: str | None, job: str, minimum: bool, fit: float) -> None:
    from matcher.scoring import seniority_fit

    assert seniority_fit(resume, job, minimum=minimum) == fit  # type: ignore[arg-type]
