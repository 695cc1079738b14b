"""matcher/scoring/titles.py: titles ranked by match score x level factor x role factor, and "no ML title fits"."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml

from matcher.analysis.qualifications import PastTitle, Span
from matcher.engine import Engine
from matcher.scoring.match import CreditIndex
from matcher.scoring.profiles import ProfileSkill, ResumeProfile
from matcher.scoring.titles import LEVEL_FACTORS, NO_FIT_BELOW, level_factor, no_fit, rank_titles
from matcher.tagging.tagger import Tagger
from matcher.taxonomy import Taxonomy
from tests.conftest import SAMPLES

AS_OF = 2026
PROBES = SAMPLES / "eval" / "seniority"


@pytest.fixture(scope="module")
def engine(tagger: Tagger) -> Engine:
    return Engine(tagger=tagger, as_of=AS_OF)


@pytest.fixture(scope="module")
def index(taxonomy: Taxonomy) -> CreditIndex:
    return CreditIndex(taxonomy)


@pytest.mark.parametrize(
    ("person", "title", "factor"),
    [("senior", "senior", 1.0), ("senior", "mid", 0.9), ("senior", "junior", 0.7), ("intern", "senior", 0.5),
     (None, "mid", 0.9)],
)  # fmt: skip
def test_titles_level_factor(person: str | None, title: str, factor: float) -> None:
    assert level_factor(person, title) == factor  # type: ignore[arg-type]
    assert LEVEL_FACTORS[0] == 1.0


def _titled(title: str, skills: list[str], seniority: str) -> ResumeProfile:
    return ResumeProfile(
        skills={s: ProfileSkill(s) for s in skills},
        total_years=6.0,
        seniority=seniority,  # type: ignore[arg-type]
        titles=(PastTitle(title, None, Span("experience", 0, len(title), title)),),
    )


ML_SKILLS = ["python", "machine_learning", "scikit_learn", "pytorch", "pandas", "sql", "statistics", "docker"]


def test_titles_score_is_match_x_level_x_role(index: CreditIndex) -> None:
    ranked = rank_titles(_titled("Senior Machine Learning Engineer", ML_SKILLS, "senior"), index, as_of=AS_OF)
    for match in ranked:
        assert match.score == round(match.match_score * match.level_factor * match.role_factor, 1)
    by_id = {m.title_id: m for m in ranked}
    assert by_id["senior_ml_engineer"].role_factor == 1.0  # the same role, held now
    assert by_id["software_engineer"].role_factor == pytest.approx(0.7)  # an adjacent title: no evidence
    assert by_id["data_engineer"].role_factor == pytest.approx(0.7 + 0.3 * 0.3)  # another role of the field
    assert by_id["senior_ml_engineer"].score > by_id["junior_ml_engineer"].score


def test_titles_past_titles_are_strong_evidence(index: CreditIndex) -> None:
    """The same skills, different careers: the title each has held comes first."""
    skills = [*ML_SKILLS, "statistics", "data_analysis", "data_visualization", "hypothesis_testing"]
    as_ds = rank_titles(_titled("Data Scientist", skills, "mid"), index, as_of=AS_OF)
    as_mle = rank_titles(_titled("Machine Learning Engineer", skills, "mid"), index, as_of=AS_OF)
    family = {t.id: t.family for t in index.taxonomy.titles.values()}
    assert family[as_ds[0].title_id] == "data_scientist"
    assert family[as_mle[0].title_id] == "ml_engineer"


def test_titles_management_needs_management_evidence(index: CreditIndex) -> None:
    skills = ["machine_learning", "software_engineering", "people_management", "stakeholder_management",
              "project_management", "python"]  # fmt: skip
    lead = _titled("Engineering Manager", skills, "lead")
    without = replace(lead, management=())
    with_evidence = replace(lead, management=(Span("experience", 0, 20, "Manage a team of 9"),))
    manager = {m.title_id: m for m in rank_titles(with_evidence, index, as_of=AS_OF)}["ml_engineering_manager"]
    other = {m.title_id: m for m in rank_titles(without, index, as_of=AS_OF)}["ml_engineering_manager"]
    assert manager.score > other.score
    [line] = [q for q in other.report.qualifications if q.kind == "management"]
    assert (line.credit, line.reason) == (0.0, "no sign of managing people")


def test_titles_no_fit_for_people_outside_ml(engine: Engine) -> None:
    for name in ("chef.md", "primary_teacher.md", "java_developer.md", "accountant.md"):
        ranked = engine.rank_titles(engine.load(SAMPLES / "eval" / "fit_resumes" / name, kind="resume"))
        assert no_fit(ranked), name
        assert len(ranked) == len(engine.taxonomy.titles)  # the near-fits are still there
        assert all(not m.fits for m in ranked)
    ranked = engine.rank_titles(engine.load(SAMPLES / "eval" / "resumes" / "nlp_engineer.md", kind="resume"))
    assert not no_fit(ranked)
    assert ranked[0].title_id == "nlp_engineer"
    assert ranked[0].fits
    assert ranked[0].score >= NO_FIT_BELOW


def test_titles_an_adjacent_title_never_fits(engine: Engine) -> None:
    """A backend developer's best title is Software Engineer, which is no ML title: "no ML title fits"."""
    ranked = engine.rank_titles(engine.load(SAMPLES / "eval" / "fit_resumes" / "backend_developer.md", kind="resume"))
    assert ranked[0].title_id == "software_engineer"
    assert ranked[0].score >= NO_FIT_BELOW
    assert not ranked[0].fits
    assert no_fit(ranked)


def _probes() -> list[tuple[str, dict[str, str]]]:
    data = yaml.safe_load((PROBES / "probes.yaml").read_text(encoding="utf-8"))
    return sorted(data["pairs"].items())


@pytest.mark.parametrize(("name", "probe"), _probes(), ids=[name for name, _ in _probes()])
def test_titles_seniority_probe_same_skills_senior_and_graduate(
    engine: Engine, name: str, probe: dict[str, str]
) -> None:
    """Issue 17: a nine-year senior ranks the senior title above the junior one; a new graduate the reverse."""
    senior = engine.rank_titles(engine.load(PROBES / probe["senior"], kind="resume"))
    graduate = engine.rank_titles(engine.load(PROBES / probe["graduate"], kind="resume"))
    order_senior = [m.title_id for m in senior]
    order_graduate = [m.title_id for m in graduate]
    high, low = probe["senior_title"], probe["junior_title"]
    assert order_senior.index(high) < order_senior.index(low), order_senior
    assert order_graduate.index(low) < order_graduate.index(high), order_graduate
    assert senior[0].seniority == "senior"
    assert graduate[0].seniority in ("intern", "junior")
