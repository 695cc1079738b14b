"""matcher/scoring/roles.py: what a past job title says of a job's title."""

from __future__ import annotations

import pytest

from matcher.scoring.roles import RELATED_ROLE, SAME_FIELD, RoleIndex, normalise_title
from matcher.taxonomy import Taxonomy


@pytest.fixture(scope="module")
def roles(taxonomy: Taxonomy) -> RoleIndex:
    return RoleIndex(taxonomy)


@pytest.mark.parametrize(
    ("title", "normalised"),
    [
        ("Job Description: Senior Front-End Engineer (5+ Years of Experience)", "frontend engineer"),
        ("Sr. ML Engineer II", "machine learning engineer"),
        ("Software Engineer (Front-End)", "software engineer frontend"),
        ("Head of Data & Analytics", "head of data and analytics"),
    ],
)
def test_roles_normalise_title(title: str, normalised: str) -> None:
    assert normalise_title(title) == normalised


@pytest.mark.parametrize(
    ("title", "families"),
    [
        ("Senior Machine Learning Engineer", {"ml_engineer"}),
        ("Junior ML Engineer", {"ml_engineer"}),
        ("Data Scientist / ML Engineer", {"data_scientist", "ml_engineer"}),
        ("Senior AI Engineer (LLM applications)", {"llm_engineer"}),
        ("Lead Data Scientist", {"data_scientist"}),
        ("Software Development Engineer III", {"software_engineer"}),
        ("Head Chef", set()),
    ],
)
def test_roles_families_ignore_the_level(roles: RoleIndex, title: str, families: set[str]) -> None:
    assert roles.families(title) == families


@pytest.mark.parametrize(
    ("job", "past", "value"),
    [
        ("Machine Learning Engineer", "Senior ML Engineer", 1.0),  # same role, whatever the level
        ("Machine Learning Engineer", "Data Scientist", RELATED_ROLE),  # related families
        ("Data Engineer", "Data Analyst", SAME_FIELD),  # both in the ML and data field, not related
        ("Data Engineer", "Software Engineer", 0.0),  # an adjacent title is no evidence for an ML title
        ("MLOps Engineer", "DevOps Engineer", 0.0),
        ("Data Engineer", "Data Intern", 0.0),  # a taxonomy title is compared through the taxonomy only
        ("Java Developer", "Full Stack Java Developer", 1.0),  # words, when the job's title is no taxonomy title
        ("Frontend Developer (React) Pixelwise Studio", "Senior Frontend Engineer", 1.0),  # a company pasted on
        ("Primary English Teacher", "Teacher", pytest.approx(1 / 3, abs=1e-4)),
        ("Java Developer", "Head Chef", 0.0),
    ],
)
def test_roles_similarity(roles: RoleIndex, job: str, past: str, value: float) -> None:
    assert roles.similarity(job, past).value == value
