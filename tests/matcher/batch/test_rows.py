"""Rows: the same numbers as the gap report, the top K jobs, and the one way to build a JobSet."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.batch import JobSet, RowBuilder, load_jobs, read_inputs
from matcher.batch.engines import _engine_for
from matcher.cli import main
from matcher.scoring.match import CreditIndex, score_match
from matcher.scoring.profiles import JobProfile, ResumeProfile
from matcher.settings import Settings
from matcher.taxonomy import Taxonomy
from tests.matcher.batch.conftest import (
    JOBS,
    N_RESUMES,
    RESUMES,
    assert_row_is_the_report,
    best_of,
    pairs,
    read_rows,
)
from tests.matcher.scoring.test_match import AS_OF, jobs, resumes


def test_batch_rows_agree_with_the_gap_report(clean_rows: list[dict[str, Any]]) -> None:
    engine = _engine_for(Settings())
    loaded = {str(p): engine.load(p, kind="resume") for p in RESUMES.iterdir()}
    loaded |= {str(p): engine.load(p, kind="job") for p in JOBS.iterdir()}
    for row in clean_rows:
        assert_row_is_the_report(row, engine.match(loaded[row["resume"]], loaded[row["job"]]))


@pytest.fixture(scope="module")
def index(taxonomy: Taxonomy) -> CreditIndex:
    return CreditIndex(taxonomy)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(resumes(), min_size=1, max_size=5), st.lists(jobs(), min_size=1, max_size=4))
def test_batch_row_builder_equals_score_match(
    index: CreditIndex, resume_list: list[ResumeProfile], job_list: list[JobProfile]
) -> None:
    taxonomy = index.taxonomy
    engine = SimpleNamespace(index=index, taxonomy=taxonomy, as_of=AS_OF)
    ids = tuple(f"j{i}" for i in range(len(job_list)))
    jobset = JobSet.from_profiles(ids, job_list, engine, Settings(), top=None)  # type: ignore[arg-type]
    rows = RowBuilder(engine, jobset).rows([f"r{i}" for i in range(len(resume_list))], resume_list)  # type: ignore[arg-type]
    assert len(rows) == len(resume_list) * len(job_list)
    for row in rows:
        resume, job = resume_list[int(row["resume"][1:])], job_list[int(row["job"][1:])]
        assert_row_is_the_report(row, score_match(resume, job, index, as_of=AS_OF))


def test_batch_top_k_keeps_the_best_jobs_per_resume(tmp_path: Path, clean_rows: list[dict[str, Any]]) -> None:
    out = tmp_path / "top.jsonl"
    result = CliRunner().invoke(main, ["batch", "--resumes", str(RESUMES), "--jobs", str(JOBS), "--out", str(out),
                                       "--top", "3", "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = read_rows(out)
    assert len(rows) == N_RESUMES * 3
    assert max(pairs(rows).values()) == 1
    assert rows == best_of(clean_rows, 3)
    for resume in {r["resume"] for r in rows}:
        mine = [r for r in rows if r["resume"] == resume]
        assert [r["rank"] for r in mine] == [1, 2, 3]
        assert [r["score"] for r in mine] == sorted((r["score"] for r in mine), reverse=True)


def test_batch_jobset_from_profiles_is_what_load_jobs_builds() -> None:
    """One way to build a JobSet: from documents (load_jobs, the CLI) and from profiles (the service) alike."""
    settings = Settings()
    engine = _engine_for(settings)
    loaded, errors = load_jobs(read_inputs(str(JOBS), role="jobs"), engine, settings, top=3)
    assert errors == []
    assert JobSet.from_profiles(list(loaded.ids), list(loaded.profiles), engine, settings, top=3) == loaded
    assert (loaded.as_of, loaded.taxonomy_version, loaded.top) == (engine.as_of, engine.taxonomy.version, 3)
    # the digest --resume compares: the same as before JobSet.from_profiles, so unfinished runs still resume
    ids, profiles = list(loaded.ids), list(loaded.profiles)
    before = repr((ids, profiles, engine.taxonomy.version, engine.as_of))
    assert loaded.digest == hashlib.sha256(before.encode()).hexdigest()[:16]
    with pytest.raises(ValueError, match="2 job ids for 1 profiles"):
        JobSet.from_profiles(["a", "b"], profiles[:1], engine, settings, top=None)
    # the digest is worked out where it is first needed and travels with the job set to workers (pickled)
    fresh = JobSet.from_profiles(ids, profiles, engine, settings, top=3)
    assert "digest" not in vars(fresh)
    assert pickle.loads(pickle.dumps(loaded)).digest == loaded.digest == fresh.digest
    assert "digest" in vars(pickle.loads(pickle.dumps(loaded)))
