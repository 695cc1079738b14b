from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.scoring.match import CreditIndex, score_match
from matcher.scoring.profiles import ResumeProfile, title_profile
from matcher.scoring.vectorized import Scorer
from matcher.taxonomy import Taxonomy
from tests.matcher.scoring.test_match import AS_OF, jobs, resumes


@pytest.fixture(scope="module")
def index(taxonomy: Taxonomy) -> CreditIndex:
    return CreditIndex(taxonomy)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(resumes(), min_size=1, max_size=6), st.lists(jobs(), min_size=1, max_size=5))
def test_vectorized_scores_equal_the_one_pair_path(index: CreditIndex, resume_list: list, job_list: list) -> None:
    matrix = Scorer(index, job_list, as_of=AS_OF).scores(resume_list)
    expected = np.array([[score_match(r, j, index, as_of=AS_OF).score for j in job_list] for r in resume_list])
    assert matrix.shape == expected.shape
    # the report rounds the score to one decimal (0.05) after rounding each credit to four decimals, which
    # can move the unrounded score by up to 100 x 0.00005 = 0.005 (seed 78 found 0.0514)
    assert np.abs(matrix - expected).max() <= 0.0551


def test_vectorized_stream_yields_bounded_blocks_in_order(index: CreditIndex, taxonomy: Taxonomy) -> None:
    job_list = [title_profile(t) for t in taxonomy.titles.values()]
    resume_list = [ResumeProfile(skills={})] * 5
    scorer = Scorer(index, job_list, as_of=AS_OF)
    blocks = list(scorer.stream(resume_list, chunk=2))
    assert [b.shape for b in blocks] == [(2, len(job_list)), (2, len(job_list)), (1, len(job_list))]
    assert np.array_equal(np.vstack(blocks), scorer.scores(resume_list))
