"""What the batch tests share: the sample documents, reading rows back from any output, the rows of a clean run."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from matcher.batch import run_batch
from matcher.batch.parts import PartStore
from matcher.batch.rows import ChunkResult
from matcher.scoring.match import MatchReport
from tests.conftest import REPO, SAMPLES

RESUMES = SAMPLES / "eval" / "resumes"
JOBS = SAMPLES / "eval" / "jobs"
N_RESUMES, N_JOBS = 14, 8
COMPONENTS = {"required_coverage", "preferred_coverage", "experience", "title_fit", "qualifications"}


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows back from any output format, as the JSONL output has them."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            rows.append(
                {
                    **record,
                    "rank": int(record["rank"]),
                    "score": float(record["score"]),
                    "components": json.loads(record["components"]),
                    "top_missing": json.loads(record["top_missing"]),
                    **{k: int(record[k]) for k in ("matched", "partial", "missing")},
                }
            )
    return rows


def pairs(rows: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((row["resume"], row["job"]) for row in rows)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matcher", "batch", *args], capture_output=True, text=True, cwd=REPO, timeout=180
    )


def replicated_jsonl(path: Path, copies: int) -> Path:
    """The sample resumes' text, ``copies`` times each, as a JSONL file of {id, text}."""
    texts = sorted(RESUMES.iterdir())
    with path.open("w", encoding="utf-8") as handle:
        for i in range(copies):
            for file in texts:
                record = {"id": f"{file.stem}-{i:03d}", "text": file.read_text(encoding="utf-8")}
                handle.write(json.dumps(record) + "\n")
    return path


@pytest.fixture(scope="package")
def clean_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("clean") / "all.jsonl"
    run_batch(str(RESUMES), str(JOBS), out, progress=False)
    return read_rows(out)


def best_of(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """The rows of ``--top k`` from all the rows: resumes in input order, each one's jobs best first."""
    order = {resume: i for i, resume in enumerate(dict.fromkeys(r["resume"] for r in rows))}
    return sorted((r for r in rows if r["rank"] <= k), key=lambda r: (order[r["resume"]], r["rank"]))


def assert_row_is_the_report(row: dict[str, Any], report: MatchReport) -> None:
    # Both round to one decimal from values that agree within 0.05 (the report rounds each credit to four places
    # first, tests/matcher/scoring/test_vectorized.py); on an exact half (81.25) float noise can round them 0.1 apart.
    assert row["score"] == pytest.approx(report.score, abs=0.1 + 1e-9)
    for name, value in row["components"].items():
        assert value == pytest.approx(getattr(report.components, name), abs=2e-4)
    assert (row["matched"], row["partial"], row["missing"]) == (
        len(report.matched), len(report.partial), len(report.missing),
    )  # fmt: skip
    assert row["top_missing"] == [line.name for line in report.missing[:5]]


def start_batch(out: Path, resumes_file: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "matcher", "batch", "--resumes", str(resumes_file), "--jobs", str(JOBS),
         "--out", str(out), "--chunk-size", "3", *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def wait_for_a_part(process: subprocess.Popen[str], parts: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not any(parts.glob("part-*.jsonl")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no part written"
        time.sleep(0.01)


def stop_after_the_first_part(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C right after the first part is written: an unfinished run to resume, without a subprocess."""
    write = PartStore.write

    def write_then_stop(self: PartStore, result: ChunkResult) -> None:
        write(self, result)
        raise KeyboardInterrupt

    monkeypatch.setattr(PartStore, "write", write_then_stop)
