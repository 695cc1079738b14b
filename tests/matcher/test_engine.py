"""The engine end to end on our samples, and fairness: identity never moves a score."""

from __future__ import annotations

import pytest

from matcher.engine import Engine
from matcher.errors import SkillmatchError
from matcher.tagging.tagger import Tagger
from tests.conftest import SAMPLES

RESUME_BODY = """
Summary
Machine learning engineer, six years building NLP and ranking systems in Python and PyTorch.

Experience
Senior ML Engineer, Northwind — Jan 2022 – Present
• Served transformer models with FastAPI and Docker on Kubernetes; MLflow for experiments.
ML Engineer, Contoso — 2019-03 to 2021
• Built feature pipelines in Apache Airflow and Spark; XGBoost models; SQL on Snowflake.

Education
MSc Computer Science, 2018

Skills
Python, SQL, PyTorch, scikit-learn, Docker, Kubernetes, AWS
"""
IDENTITIES = [
    "Ana Example\nana.example@example.org · +44 20 7946 0000 · github.com/ana-example",
    "Oluwaseun Adeyemi-Okafor\nseun@mail.example.net | (555) 010-9999 | linkedin.com/in/seun | Lagos",
    "Zhang Wei\nzhang.wei@example.cn\nShanghai, 200000",
]


@pytest.fixture(scope="module")
def engine(tagger: Tagger) -> Engine:
    return Engine(tagger=tagger, as_of=2026)


def test_engine_fairness_name_and_contact_do_not_change_any_score(engine: Engine) -> None:
    jobs = [engine.load(p, kind="job") for p in sorted((SAMPLES / "jobs").iterdir())]
    results = []
    for identity in IDENTITIES:
        resume = engine.load_text(identity + "\n" + RESUME_BODY, kind="resume")
        match_scores = [engine.match(resume, job).score for job in jobs]
        title_scores = [(t.title_id, t.score) for t in engine.rank_titles(resume)]
        results.append((match_scores, title_scores))
    assert all(result == results[0] for result in results[1:])


SCHOOLS = ["Stanford University", "University of Lagos", "Tsinghua University"]


def test_engine_fairness_the_school_does_not_change_any_score(engine: Engine) -> None:
    """Issue 17: degrees count by level and field; the school never moves a score, nor shows in blind mode."""
    from matcher.report.model import report_to_dict

    jobs = [engine.load(p, kind="job") for p in sorted((SAMPLES / "eval" / "jobs").iterdir())]
    results = []
    for school in SCHOOLS:
        resume = engine.load_text(RESUME_BODY.replace("MSc Computer Science, 2018", f"MSc Computer Science, {school}, "
                                                      "2018"), kind="resume")  # fmt: skip
        assert [(d.level, d.fields) for d in resume.resume.degrees] == [("master", ("computer_science",))]  # type: ignore[union-attr]
        reports = [engine.match(resume, job) for job in jobs]
        for report in reports:
            assert school not in str(report_to_dict(report, blind=True))
        results.append(([r.score for r in reports], [(t.title_id, t.score) for t in engine.rank_titles(resume)]))
    assert all(result == results[0] for result in results[1:])


def test_engine_match_report_has_evidence_from_both_documents(engine: Engine) -> None:
    resume = engine.load(SAMPLES / "resumes" / "ml_engineer_resume.md", kind="resume")
    job = engine.load(SAMPLES / "jobs" / "ml_engineer_job.md", kind="job")
    report = engine.match(resume, job)
    python = next(line for line in report.matched if line.skill_id == "python")
    assert {e.section for e in python.job_evidence} == {"requirements"}
    assert "skills" in {e.section for e in python.resume_evidence}
    for evidence in python.resume_evidence:
        assert resume.document.text[evidence.start : evidence.end] == evidence.text
    assert report.taxonomy_version == engine.taxonomy.version
    assert set(report.diagnostics) == {"resume", "job"}


def test_engine_ranks_ml_titles_for_an_ml_resume(engine: Engine) -> None:
    resume = engine.load(SAMPLES / "resumes" / "ml_engineer_resume.md", kind="resume")
    ranked = engine.rank_titles(resume)
    assert [t.score for t in ranked] == sorted((t.score for t in ranked), reverse=True)
    assert len(ranked) == len(engine.taxonomy.titles)
    top3 = {t.title_id for t in ranked[:3]}
    assert top3 & {"ml_engineer", "senior_ml_engineer", "mlops_engineer"}
    assert ranked[-1].title_id in {"chief_data_officer", "data_analyst", "ml_engineering_manager", "data_architect"}


def test_engine_ranks_resumes_for_a_job(engine: Engine) -> None:
    job = engine.load(SAMPLES / "jobs" / "ml_engineer_job.md", kind="job")
    resumes = [engine.load(p, kind="resume") for p in sorted((SAMPLES / "resumes").glob("*.md"))]
    ranked = engine.rank_resumes(resumes, job)
    assert [r.score for _, r in ranked] == sorted((r.score for _, r in ranked), reverse=True)
    assert ranked[0][0].source.endswith("ml_engineer_resume.md")


def test_engine_wrong_kind_is_a_typed_error(engine: Engine) -> None:
    resume = engine.load(SAMPLES / "resumes" / "ml_engineer_resume.md", kind="resume")
    with pytest.raises(SkillmatchError, match="not a job post"):
        engine.match(resume, resume)


@pytest.mark.parametrize("kind", [None, "resume", "job"])
def test_engine_tag_finds_what_load_tags(engine: Engine, kind: str | None) -> None:
    """`skillmatch tag` reads documents with Engine.tag (no qualifications, no profile): the same skills, mentions
    and facts as the full load, on every sample that parses."""
    paths = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and "broken" not in p.parts)
    compared = 0
    for path in paths:
        try:
            loaded = engine.load(path, kind=kind, personal_data=False)  # type: ignore[arg-type]
        except SkillmatchError:
            continue
        assert engine.tag(path, kind=kind).to_dict() == loaded.tagged.to_dict(), path  # type: ignore[arg-type]
        compared += 1
    assert compared >= 10
