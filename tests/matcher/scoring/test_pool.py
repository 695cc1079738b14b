"""The pool ranks with exactly the scores of ``score_match``, both ways, on real documents and random profiles,
through additions, removals and compaction; its pages, ties and filters are those of the full ranking."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.engine import Engine
from matcher.scoring.match import CreditIndex, score_match
from matcher.scoring.pool import JobPool, ResumePool, features, profile_from_features, py_round
from matcher.scoring.profiles import JobProfile, ResumeProfile
from matcher.tagging.tagger import Tagger
from matcher.taxonomy import Taxonomy
from tests.matcher.scoring.test_match import AS_OF, jobs, resumes

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data" / "dev"
#: documents of the shared data set read per file (tagging them is the slow part of this module)
SHARED_DOCS = 30


@pytest.fixture(scope="module")
def engine(tagger: Tagger) -> Engine:
    return Engine(taxonomy=tagger.taxonomy, tagger=tagger)


@pytest.fixture(scope="module")
def real(engine: Engine) -> tuple[list[ResumeProfile], list[JobProfile]]:
    """Profiles of the project's samples and, where present, of the shared data set's resumes and job posts."""
    resume_list = [engine.load(p, kind="resume").resume for p in sorted((ROOT / "samples" / "resumes").iterdir())]
    job_list = [engine.load(p, kind="job").job for p in sorted((ROOT / "samples" / "jobs").iterdir())]
    for name, kind, into in (
        ("spans-dotin-train.jsonl", "resume", resume_list),
        ("spans-skillspan-dev.jsonl", "job", job_list),
    ):
        path = SHARED / name
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                for i, line in enumerate(lines):
                    if i >= SHARED_DOCS:
                        break
                    analysed = engine.load_text(json.loads(line)["text"], kind=kind)  # type: ignore[arg-type]
                    into.append(analysed.resume if kind == "resume" else analysed.job)
    return [r for r in resume_list if r is not None], [j for j in job_list if j is not None]


def _pools(engine: Engine, resume_list: list[ResumeProfile], job_list: list[JobProfile]) -> tuple[JobPool, ResumePool]:
    job_pool = JobPool(engine.index, as_of=engine.as_of)
    job_pool.add((f"j{i}", i, features(job)) for i, job in enumerate(job_list))
    resume_pool = ResumePool(engine.index, as_of=engine.as_of)
    resume_pool.add((f"r{i}", i, features(resume)) for i, resume in enumerate(resume_list))
    return job_pool, resume_pool


def test_pool_scores_equal_score_match_on_real_documents_both_ways(
    engine: Engine, real: tuple[list[ResumeProfile], list[JobProfile]]
) -> None:
    resume_list, job_list = real
    assert len(resume_list) >= 5
    assert len(job_list) >= 5
    job_pool, resume_pool = _pools(engine, resume_list, job_list)
    index, as_of = engine.index, engine.as_of
    expected = {(r, j): score_match(resume, job, index, as_of=as_of).score
                for r, resume in enumerate(resume_list) for j, job in enumerate(job_list)}  # fmt: skip
    for r, resume in enumerate(resume_list):
        assert job_pool.scores(resume) == {f"j{j}": expected[r, j] for j in range(len(job_list))}
    for j, job in enumerate(job_list):
        assert resume_pool.scores(job) == {f"r{r}": expected[r, j] for r in range(len(resume_list))}


def test_features_score_as_the_whole_profile(
    engine: Engine, real: tuple[list[ResumeProfile], list[JobProfile]]
) -> None:
    resume_list, job_list = real
    for resume in resume_list[:8]:
        slim = profile_from_features(json.loads(json.dumps(features(resume))), "resume")
        for job in job_list[:8]:
            slim_job = profile_from_features(json.loads(json.dumps(features(job))), "job")
            assert isinstance(slim, ResumeProfile)
            assert isinstance(slim_job, JobProfile)
            full = score_match(resume, job, engine.index, as_of=engine.as_of)
            assert score_match(slim, slim_job, engine.index, as_of=engine.as_of).score == full.score


def test_pool_pages_are_the_full_ranking_cut(
    engine: Engine, real: tuple[list[ResumeProfile], list[JobProfile]]
) -> None:
    resume_list, job_list = real
    _, resume_pool = _pools(engine, resume_list, job_list)
    job = job_list[0]
    scores = resume_pool.scores(job)
    ranked = sorted(scores, key=lambda key: (-scores[key], int(key[1:])))  # ties: lower order first
    for offset, limit in ((0, 5), (3, 4), (0, len(ranked) + 10), (len(ranked) - 1, 3), (len(ranked) + 5, 2)):
        page = resume_pool.search(job, offset=offset, limit=limit)
        assert page.count == len(ranked)
        assert [hit.key for hit in page.hits] == ranked[offset : offset + limit]
        assert all(hit.score == scores[hit.key] for hit in page.hits)


def test_pool_filters(engine: Engine, real: tuple[list[ResumeProfile], list[JobProfile]]) -> None:
    resume_list, job_list = real
    job_pool, _ = _pools(engine, resume_list, job_list)
    resume = resume_list[0]
    reports = {f"j{j}": score_match(resume, job, engine.index, as_of=engine.as_of) for j, job in enumerate(job_list)}
    floor = sorted(r.score for r in reports.values())[len(reports) // 2]
    page = job_pool.search(resume, limit=1000, min_score=floor)
    assert {hit.key for hit in page.hits} == {key for key, r in reports.items() if r.score >= floor}
    met = job_pool.search(resume, limit=1000, must_haves_met=True)
    expected_met = {
        key for key, r in reports.items() if not any(line.must_have and line.credit == 0 for line in r.missing)
    }
    assert {hit.key for hit in met.hits} == expected_met
    assert met.count == len(expected_met)
    for level in ("senior", "mid"):
        by_level = job_pool.search(resume, limit=1000, seniority={level})
        assert {hit.key for hit in by_level.hits} == {
            f"j{j}" for j, job in enumerate(job_list) if job.seniority == level
        }


def test_pool_stays_exact_through_additions_and_removals(
    engine: Engine, real: tuple[list[ResumeProfile], list[JobProfile]]
) -> None:
    resume_list, job_list = real
    pool = ResumePool(engine.index, as_of=engine.as_of)
    pool.add((f"r{i}", i, features(r)) for i, r in enumerate(resume_list[: len(resume_list) // 2]))
    for i, r in enumerate(resume_list[len(resume_list) // 2 :], start=len(resume_list) // 2):
        assert pool.add([(f"r{i}", i, features(r))]) == 1  # one at a time: the tail block
    assert pool.add([("r0", 0, features(resume_list[0]))]) == 0  # a key held is left as it is
    gone = {f"r{i}" for i in range(0, len(resume_list), 3)}
    assert pool.remove([*gone, "unknown"]) == len(gone)
    job = job_list[0]
    expected = {f"r{i}": score_match(r, job, engine.index, as_of=engine.as_of).score
                for i, r in enumerate(resume_list) if f"r{i}" not in gone}  # fmt: skip
    assert pool.scores(job) == expected
    assert len(pool) == len(expected)


@pytest.fixture(scope="module")
def index(taxonomy: Taxonomy) -> CreditIndex:
    return CreditIndex(taxonomy)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(resumes(), min_size=1, max_size=6), st.lists(jobs(), min_size=1, max_size=5))
def test_pool_scores_equal_score_match_on_random_profiles(
    index: CreditIndex, resume_list: list, job_list: list
) -> None:
    job_pool = JobPool(index, as_of=AS_OF)
    job_pool.add((f"j{i}", i, features(job)) for i, job in enumerate(job_list))
    resume_pool = ResumePool(index, as_of=AS_OF)
    resume_pool.add((f"r{i}", i, features(resume)) for i, resume in enumerate(resume_list))
    for r, resume in enumerate(resume_list):
        for j, job in enumerate(job_list):
            score = score_match(resume, job, index, as_of=AS_OF).score
            assert job_pool.scores(resume)[f"j{j}"] == score
            assert resume_pool.scores(job)[f"r{r}"] == score


@pytest.mark.parametrize("digits", [1, 4])
def test_py_round_is_pythons_round_at_and_near_halves(digits: int) -> None:
    rng = np.random.default_rng(digits)
    halves = (rng.integers(0, 10**6, 20_000) + 0.5) / 10**digits
    values = np.concatenate([halves, np.nextafter(halves, 0), np.nextafter(halves, 1e9), rng.random(20_000) * 100])
    assert py_round(values, digits).tolist() == [round(float(v), digits) for v in values]
