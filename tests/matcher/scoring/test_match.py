"""The scoring engine: the README's worked example, each rule, and properties over random profiles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher.scoring.match as match_module
from matcher.analysis.qualifications import CertificationMention, Degree, DegreeAsk, PastTitle, Span
from matcher.scoring.match import (
    COMPONENT_NAMES,
    QUALIFICATIONS_WEIGHT,
    VERDICT_BANDS,
    CreditIndex,
    MatchReport,
    component_weights,
    score_match,
    verdict,
)
from matcher.scoring.profiles import JobProfile, ProfileSkill, Requirement, ResumeProfile
from matcher.taxonomy import Taxonomy

AS_OF = 2026


@pytest.fixture(scope="module")
def index(taxonomy: Taxonomy) -> CreditIndex:
    return CreditIndex(taxonomy)


def test_credit_index_kept_with_the_taxonomy_cache_equals_the_one_built(
    taxonomy: Taxonomy, index: CreditIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached_taxonomy = replace(taxonomy, compiled=str(tmp_path / "compiled-test"))
    CreditIndex(cached_taxonomy)  # built, then kept
    (kept,) = tmp_path.glob("*.credits.pickle")

    def no_building(_: Taxonomy) -> None:
        raise AssertionError("the kept relations were not read")

    with monkeypatch.context() as patch:
        patch.setattr(match_module, "_credit_relations", no_building)
        read_back = CreditIndex(cached_taxonomy)
    assert read_back._offers == index._offers
    assert read_back.receives == index.receives
    assert read_back.gives == index.gives
    kept.write_bytes(b"not a pickle")  # a cache that cannot be read is built again
    assert CreditIndex(cached_taxonomy).receives == index.receives


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
        ("databases", "mongodb", "narrower", 0.8),  # a NoSQL product is a database, as PostgreSQL is
        ("databases", "cassandra", "narrower", 0.8),
        # three levels down: a framework of deep learning, of machine learning
        ("machine_learning", "pytorch", "narrower", 0.8),
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


TITLE_POOL = ["Machine Learning Engineer", "Senior Data Scientist", "Data Engineer", "Java Developer",
              "Engineering Manager", "Head Chef", "Research Scientist"]  # fmt: skip
LEVELS = ["associate", "bachelor", "master", "doctorate"]
FIELDS = ["computer_science", "statistics", "mathematics", "business", "humanities"]
CERTS = [("aws_ml_specialty", "aws"), ("aws_solutions_architect", "aws"), ("gcp_ml_engineer", "gcp"), ("cka", None)]


def _span(text: str) -> Span:
    return Span("experience", 0, len(text), text)


past_titles = st.builds(
    lambda t, y: PastTitle(t, y, _span(t)),
    st.sampled_from(TITLE_POOL), st.one_of(st.none(), st.integers(min_value=2010, max_value=AS_OF)),
)  # fmt: skip
degrees = st.builds(
    lambda lv, f: Degree(lv, tuple(f), _span(lv)),
    st.sampled_from(LEVELS),
    st.lists(st.sampled_from(FIELDS), max_size=2),
)
held_certs = st.builds(lambda c: CertificationMention(c[0], c[1], c[0], _span(c[0])), st.sampled_from(CERTS))
management = st.lists(st.just(_span("Managed a team of 6")), max_size=1)


@st.composite
def resumes(draw: st.DrawFn) -> ResumeProfile:
    skills = {s: ProfileSkill(s, years=draw(years), last_used=draw(last_used)) for s in draw(skill_sets)}
    return ResumeProfile(
        skills=skills,
        total_years=draw(years),
        seniority=draw(st.sampled_from([None, "junior", "mid", "senior", "lead"])),
        titles=tuple(draw(st.lists(past_titles, max_size=3))),
        degrees=tuple(draw(st.lists(degrees, max_size=2))),
        certifications=tuple(draw(st.lists(held_certs, max_size=2))),
        management=tuple(draw(management)),
    )


degree_asks = st.builds(
    lambda lv, f, rel, eq, imp: DegreeAsk(lv, tuple(f), rel, eq, imp, _span(lv)),
    st.sampled_from(LEVELS), st.lists(st.sampled_from(FIELDS), max_size=2, unique=True), st.booleans(),
    st.booleans(), st.sampled_from(["required", "preferred"]),
)  # fmt: skip
cert_asks = st.builds(
    lambda c, generic, imp: CertificationMention(None if generic else c[0], c[1], c[0], _span(c[0]), imp),
    st.sampled_from(CERTS[:3]), st.booleans(), st.sampled_from(["required", "preferred"]),
)  # fmt: skip


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
        title=draw(st.one_of(st.none(), st.sampled_from([*TITLE_POOL, "Engineering Manager, Machine Learning"]))),
        degrees=tuple(draw(st.lists(degree_asks, max_size=2))),
        certifications=tuple(draw(st.lists(cert_asks, max_size=2))),
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
    richer = (
        replace(resume, skills={**resume.skills, added: ProfileSkill(added)}) if added not in resume.skills else resume
    )
    assert score_match(richer, job, index, as_of=AS_OF).score >= before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resumes(), jobs(), st.data())
def test_scoring_adding_an_asked_qualification_never_lowers_the_score(
    index: CreditIndex, resume: ResumeProfile, job: JobProfile, data: st.DataObject
) -> None:
    """Issue 17: more of what is asked (the job's title held now, a degree at the level and in the field asked,
    an asked certification, managing people) never lowers a score."""
    before = score_match(resume, job, index, as_of=AS_OF).score
    richer = resume
    if job.title:
        richer = replace(richer, titles=(*richer.titles, PastTitle(job.title, None, _span(job.title))))
    for ask in job.degrees:
        richer = replace(richer, degrees=(*richer.degrees, Degree(ask.level, ask.fields, _span(ask.level))))
    for ask in job.certifications:
        held = CertificationMention(ask.cert_id or f"{ask.provider}_any", ask.provider, ask.name, _span(ask.name))
        richer = replace(richer, certifications=(*richer.certifications, held))
    richer = replace(richer, management=(_span("Led a team of 4 engineers"),))
    after = score_match(richer, job, index, as_of=AS_OF)
    assert after.score >= before
    assert all(line.credit == 1.0 for line in after.qualifications), after.qualifications


def test_scoring_weights_sum_to_one_and_qualifications_take_their_share() -> None:
    for required in (True, False):
        for preferred in (True, False):
            for asked in (True, False):
                weights = component_weights(has_required=required, has_preferred=preferred, has_qualifications=asked)
                assert list(weights) == list(COMPONENT_NAMES)
                assert sum(weights.values()) == pytest.approx(1.0)
                assert weights["qualifications"] == (QUALIFICATIONS_WEIGHT if asked else 0.0)


def _job(**asked: object) -> JobProfile:
    return JobProfile(requirements=(Requirement("python", "required", 3.0),), **asked)  # type: ignore[arg-type]


def _resume(**held: object) -> ResumeProfile:
    return ResumeProfile(skills={"python": ProfileSkill("python")}, **held)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("held", "ask", "credit"),
    [
        (Degree("master", ("statistics",), _span("M.Sc. Statistics")), ("bachelor", ("computer_science",), True), 1.0),
        (Degree("master", ("statistics",), _span("M.Sc. Statistics")), ("bachelor", ("computer_science",), False), 0.7),
        (Degree("bachelor", ("humanities",), _span("BA English")), ("bachelor", ("computer_science",), True), 0.5),
        (Degree("bachelor", (), _span("B.Sc.")), ("bachelor", ("computer_science",), False), 0.8),
        (Degree("bachelor", ("computer_science",), _span("BSc CS")), ("master", ("computer_science",), False), 0.5),
        (Degree("bachelor", ("computer_science",), _span("BSc CS")), ("doctorate", (), False), 0.0),
        (Degree("associate", (), _span("AAS")), ("bachelor", (), False), 0.5),
    ],
)  # fmt: skip
def test_scoring_degree_credit(
    index: CreditIndex, held: Degree, ask: tuple[str, tuple[str, ...], bool], credit: float
) -> None:
    level, fields, related = ask
    job = _job(degrees=(DegreeAsk(level, fields, related, False, "required", _span(level)),))  # type: ignore[arg-type]
    [line] = score_match(_resume(degrees=(held,)), job, index, as_of=AS_OF).qualifications
    assert (line.kind, line.credit) == ("degree", credit)


def test_scoring_degree_or_equivalent_experience(index: CreditIndex) -> None:
    ask = DegreeAsk("bachelor", ("computer_science",), True, True, "required", _span("BS"))
    [line] = score_match(_resume(total_years=4.0), _job(degrees=(ask,)), index, as_of=AS_OF).qualifications
    assert (line.credit, line.reason) == (1.0, "equivalent experience: 4 years of work (at least 4)")
    [line] = score_match(_resume(total_years=3.0), _job(degrees=(ask,)), index, as_of=AS_OF).qualifications
    assert (line.credit, line.reason) == (0.0, "no degree found in the resume")


def test_scoring_certification_credit(index: CreditIndex) -> None:
    specialty = CertificationMention("aws_ml_specialty", "aws", "AWS ML Specialty", _span("AWS ML"), "required")
    any_gcp = CertificationMention(None, "gcp", "a GCP certification", _span("GCP certification"), "preferred")
    architect = CertificationMention("aws_solutions_architect", "aws", "AWS SA", _span("AWS SA"))
    gcp_ml = CertificationMention("gcp_ml_engineer", "gcp", "GCP MLE", _span("GCP MLE"))
    report = score_match(_resume(certifications=(architect, gcp_ml)), _job(certifications=(specialty, any_gcp)),
                         index, as_of=AS_OF)  # fmt: skip
    assert [(q.name, q.weight, q.credit) for q in report.qualifications] == [
        ("AWS ML Specialty", 2.0, 0.5),  # another AWS certification
        ("a GCP certification", 1.0, 1.0),  # any of the provider's, asked as a plus
    ]


def test_scoring_title_line_recency_and_the_worked_qualifications(index: CreditIndex) -> None:
    """The README's qualifications example (docs/fit.md): recompute it by hand."""
    job = JobProfile(
        requirements=(Requirement("python", "required", 3.0), Requirement("docker", "preferred", 1.0)),
        title="Machine Learning Engineer",
        degrees=(DegreeAsk("bachelor", ("computer_science",), True, True, "required", _span("BS in CS")),),
    )
    resume = ResumeProfile(
        skills={"python": ProfileSkill("python")},
        total_years=6.0,
        titles=(PastTitle("Data Scientist", 2023, _span("Data Scientist")),),
        degrees=(Degree("master", ("statistics",), _span("M.Sc. Statistics")),),
    )
    report = score_match(resume, job, index, as_of=AS_OF)
    title, degree = report.qualifications
    assert (title.credit, title.reason) == (0.42, "'Data Scientist' (until 2023) is a related role x recency 0.7")
    assert (degree.credit, degree.reason) == (1.0, "'M.Sc. Statistics': meets it")
    assert report.components.qualifications == pytest.approx((3 * 0.42 + 2 * 1.0) / 5)  # 0.652
    assert report.weights == {"required_coverage": 0.425, "preferred_coverage": 0.17, "experience": 0.1275,
                              "title_fit": 0.1275, "qualifications": 0.15}  # fmt: skip
    # 100 x (0.425 x 1 + 0.17 x 0 + 0.1275 x 1 + 0.1275 x 0.8 + 0.15 x 0.652) = 42.5 + 12.75 + 10.2 + 9.78 = 75.2
    assert report.score == 75.2
    assert report.verdict == "partial fit"  # 52.5 <= 75.2 < 77.5


@pytest.mark.parametrize(
    ("score", "band"),
    [(100.0, "strong fit"), (77.5, "strong fit"), (77.4, "partial fit"), (52.5, "partial fit"), (52.4, "not a fit"),
     (0.0, "not a fit")],
)  # fmt: skip
def test_scoring_verdict_bands(score: float, band: str) -> None:
    assert [lowest for lowest, _ in VERDICT_BANDS] == sorted((lowest for lowest, _ in VERDICT_BANDS), reverse=True)
    assert verdict(score) == band


def test_scoring_alternatives_make_one_requirement_met_by_the_best(index: CreditIndex) -> None:
    job = JobProfile(requirements=(Requirement("pytorch", "required", 3.0, alternatives=("tensorflow",)),))
    resume = ResumeProfile(skills={"tensorflow": ProfileSkill("tensorflow")})
    report = score_match(resume, job, index, as_of=AS_OF)
    [line] = report.matched
    assert (line.name, line.via, line.credit) == ("PyTorch or TensorFlow", "tensorflow", 1.0)
    assert report.components.required_coverage == 1.0


@pytest.mark.parametrize(
    ("resume", "job", "minimum", "fit"),
    [
        ("senior", "mid", False, 0.7),
        ("senior", "mid", True, 1.0),
        ("junior", "mid", True, 0.7),
        (None, "mid", True, 0.8),
    ],
)
def test_scoring_seniority_fit(resume: str | None, job: str, minimum: bool, fit: float) -> None:
    from matcher.scoring.match import seniority_fit

    assert seniority_fit(resume, job, minimum=minimum) == fit  # type: ignore[arg-type]
