"""Execution: worker processes and a Dask cluster give the rows one process gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matcher.batch import batch_rows, run_batch
from tests.matcher.batch.conftest import JOBS, N_RESUMES, RESUMES, best_of, read_rows, run_cli


def test_batch_two_workers_give_the_same_rows(tmp_path: Path, clean_rows: list[dict[str, Any]]) -> None:
    out = tmp_path / "results.jsonl"
    result = run_cli("--resumes", str(RESUMES), "--jobs", str(JOBS), "--out", str(out), "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert read_rows(out) == clean_rows
    assert "batch: 14 resumes x 8 jobs: 14 done" in result.stderr


def test_batch_on_a_dask_cluster_gives_the_same_rows(tmp_path: Path, clean_rows: list[dict[str, Any]]) -> None:
    from distributed import LocalCluster

    out = tmp_path / "results.jsonl"
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        summary = run_batch(str(RESUMES), str(JOBS), out, scheduler=cluster.scheduler_address, progress=False)
        assert summary.done == N_RESUMES
        rows = list(batch_rows(str(RESUMES), str(JOBS), top=2, scheduler=cluster.scheduler_address))
    assert read_rows(out) == clean_rows
    assert rows == best_of(clean_rows, 2)
