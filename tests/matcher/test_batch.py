"""Batch scoring: the `skillmatch batch` command, its outputs, resume after a kill, workers, Dask, the Python API."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import batch
from matcher.batch import ROW_KEYS, JobSet, Progress, RowBuilder, batch_dataframe, batch_rows, run_batch
from matcher.cli import main
from matcher.errors import SkillmatchError
from matcher.scoring.match import CreditIndex, MatchReport, score_match
from matcher.scoring.profiles import JobProfile, ResumeProfile
from matcher.settings import Settings
from matcher.taxonomy import Taxonomy
from tests.conftest import REPO, SAMPLES
from tests.matcher.scoring.test_match import AS_OF, jobs, resumes

RESUMES = SAMPLES / "eval" / "resumes"
JOBS = SAMPLES / "eval" / "jobs"
N_RESUMES, N_JOBS = 14, 8
COMPONENTS = {"required_coverage", "preferred_coverage", "experience", "title_fit"}


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


@pytest.fixture(scope="module")
def clean_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("clean") / "all.jsonl"
    run_batch(str(RESUMES), str(JOBS), out, progress=False)
    return read_rows(out)


def test_batch_cli_scores_every_pair_once_with_the_row_keys(tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    result = CliRunner().invoke(main, ["batch", "--resumes", str(RESUMES), "--jobs", str(JOBS), "--out", str(out),
                                       "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"{N_RESUMES} done, 0 failed, 0 skipped" in result.stderr
    rows = read_rows(out)
    assert list(rows[0]) == list(ROW_KEYS)
    expected = {(str(r), str(j)) for r in RESUMES.iterdir() for j in JOBS.iterdir()}
    assert pairs(rows) == Counter(expected)  # every pair, exactly once
    for row in rows:
        assert set(row["components"]) == COMPONENTS
        assert 0 <= row["score"] <= 100
        assert 1 <= row["rank"] <= N_JOBS
        assert row["matched"] >= 0
        assert row["partial"] >= 0
        assert row["missing"] >= 0
        assert len(row["top_missing"]) == min(5, row["missing"])
    assert not (tmp_path / ".results.csv.parts").exists()  # removed once the output is assembled
    assert not (tmp_path / "results.csv.errors.jsonl").exists()


def test_batch_csv_jsonl_and_parquet_hold_the_same_rows(tmp_path: Path, clean_rows: list[dict[str, Any]]) -> None:
    for suffix in (".csv", ".parquet"):
        out = tmp_path / f"results{suffix}"
        run_batch(str(RESUMES), str(JOBS), out, progress=False)
        assert read_rows(out) == clean_rows
    with pytest.raises(SkillmatchError, match="must end in"):
        run_batch(str(RESUMES), str(JOBS), tmp_path / "results.xlsx", progress=False)


def test_batch_rows_agree_with_the_gap_report(clean_rows: list[dict[str, Any]]) -> None:
    engine = batch._engine_for(Settings())
    loaded = {str(p): engine.load(p, kind="resume") for p in RESUMES.iterdir()}
    loaded |= {str(p): engine.load(p, kind="job") for p in JOBS.iterdir()}
    for row in clean_rows:
        assert_row_is_the_report(row, engine.match(loaded[row["resume"]], loaded[row["job"]]))


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


@pytest.fixture(scope="module")
def index(taxonomy: Taxonomy) -> CreditIndex:
    return CreditIndex(taxonomy)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(resumes(), min_size=1, max_size=5), st.lists(jobs(), min_size=1, max_size=4))
def test_batch_row_builder_equals_score_match(
    index: CreditIndex, resume_list: list[ResumeProfile], job_list: list[JobProfile]
) -> None:
    taxonomy = index.taxonomy
    engine = SimpleNamespace(index=index, taxonomy=taxonomy)
    ids = tuple(f"j{i}" for i in range(len(job_list)))
    jobset = JobSet("digest", ids, tuple(job_list), Settings(), AS_OF, taxonomy.version, None)
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


def test_batch_jsonl_input_uses_the_record_ids(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    shutil.copy(RESUMES / "nlp_engineer.md", tmp_path / "docs" / "nlp.md")
    resumes_file = tmp_path / "resumes.jsonl"
    resumes_file.write_text(
        json.dumps({"id": "cand-1", "text": (RESUMES / "data_scientist.md").read_text(encoding="utf-8")}) + "\n\n"
        + json.dumps({"id": 2, "path": "docs/nlp.md"}) + "\n",  # a relative path: from the JSONL file's folder
        encoding="utf-8",
    )  # fmt: skip
    jobs_file = tmp_path / "jobs.jsonl"
    jobs_file.write_text(
        "".join(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) + "\n" for p in JOBS.iterdir()),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    summary = run_batch(str(resumes_file), str(jobs_file), out, progress=False)
    assert (summary.done, summary.failed) == (2, 0)
    rows = read_rows(out)
    assert {r["resume"] for r in rows} == {"cand-1", "2"}
    assert {r["job"] for r in rows} == {p.stem for p in JOBS.iterdir()}
    nlp = {r["job"]: r["score"] for r in rows if r["resume"] == "2"}
    assert max(nlp, key=nlp.__getitem__) == "nlp_engineer"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "resumes.jsonl:2: id 'a' appears twice"),
        ('{"id": "a"}\n', 'resumes.jsonl:1: give either "text" or "path"'),
        ("not json\n", "resumes.jsonl:1: not JSON"),
        (b'{"id": "a", "text": "caf\xe9"}\n', "resumes.jsonl:1: not UTF-8 text"),  # Latin-1 bytes
    ],
)
def test_batch_bad_jsonl_input_is_a_one_line_error(tmp_path: Path, content: str | bytes, message: str) -> None:
    resumes_file = tmp_path / "resumes.jsonl"
    resumes_file.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = CliRunner().invoke(main, ["batch", "--resumes", str(resumes_file), "--jobs", str(JOBS),
                                       "--out", str(tmp_path / "o.csv")])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("skillmatch: error: ")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_batch_unreadable_documents_go_to_the_errors_file(tmp_path: Path) -> None:
    folder = tmp_path / "resumes"
    folder.mkdir()
    for name in ("corrupt.pdf", "encrypted.pdf", "empty.pdf"):
        shutil.copy(SAMPLES / "broken" / name, folder / name)
    shutil.copy(RESUMES / "mlops_engineer.md", folder / "mlops_engineer.md")
    jobs_folder = tmp_path / "jobs"
    shutil.copytree(JOBS, jobs_folder)
    shutil.copy(SAMPLES / "broken" / "scanned.pdf", jobs_folder / "scanned.pdf")
    out = tmp_path / "results.jsonl"
    result = CliRunner().invoke(main, ["batch", "--resumes", str(folder), "--jobs", str(jobs_folder),
                                       "--out", str(out), "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 done, 3 failed, 0 skipped; 1 jobs failed" in result.stderr
    errors = [json.loads(line) for line in (tmp_path / "results.jsonl.errors.jsonl").read_text().splitlines()]
    assert {(e.get("resume") or e.get("job"), e["code"]) for e in errors} == {
        (str(jobs_folder / "scanned.pdf"), "no_text_layer"),
        (str(folder / "corrupt.pdf"), "corrupt_file"),
        (str(folder / "encrypted.pdf"), "encrypted_pdf"),
        (str(folder / "empty.pdf"), "empty_document"),
    }
    assert all(set(e) in ({"resume", "code", "message"}, {"job", "code", "message"}) for e in errors)
    assert pairs(read_rows(out)) == Counter({(str(folder / "mlops_engineer.md"), str(jobs_folder / p.name)): 1
                                             for p in JOBS.iterdir()})  # fmt: skip


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


def test_batch_resume_after_kill_has_every_pair_exactly_once(tmp_path: Path) -> None:
    resumes_file = replicated_jsonl(tmp_path / "resumes.jsonl", copies=12)  # 168 resumes, 56 chunks
    out = tmp_path / "results.jsonl"
    parts = tmp_path / ".results.jsonl.parts"
    process = start_batch(out, resumes_file, "--workers", "2")
    wait_for_a_part(process, parts)
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers: a crash, no clean-up at all
    process.communicate(timeout=30)
    assert not out.exists()
    kept = len(list(parts.glob("part-*.jsonl")))
    assert kept >= 1

    summary = run_batch(str(resumes_file), str(JOBS), out, resume_run=True, progress=False, chunk=3)
    assert summary.skipped == 3 * kept
    assert summary.done == 168 - 3 * kept
    assert not summary.interrupted
    rows = read_rows(out)
    assert set(pairs(rows).values()) == {1}
    assert len(rows) == 168 * N_JOBS
    clean = tmp_path / "clean.jsonl"
    run_batch(str(resumes_file), str(JOBS), clean, progress=False)
    assert out.read_bytes() == clean.read_bytes()  # the same rows, in the same order
    assert not parts.exists()


def test_batch_ctrl_c_keeps_the_finished_parts(tmp_path: Path) -> None:
    resumes_file = replicated_jsonl(tmp_path / "resumes.jsonl", copies=8)
    out = tmp_path / "results.csv"
    parts = tmp_path / ".results.csv.parts"
    process = start_batch(out, resumes_file, "--workers", "1")
    wait_for_a_part(process, parts)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted:" in stderr
    assert "--resume" in stderr
    assert not out.exists()
    assert any(parts.glob("part-*.jsonl"))

    again = run_cli("--resumes", str(resumes_file), "--jobs", str(JOBS), "--out", str(out), "--workers", "1")
    assert again.returncode == 1
    assert "add --resume to continue it" in again.stderr
    other = CliRunner().invoke(main, ["batch", "--resumes", str(resumes_file), "--jobs", str(JOBS), "--out", str(out),
                                      "--top", "2", "--resume"])  # fmt: skip
    assert other.exit_code == 1
    assert "had other top" in other.stderr

    run_batch(str(resumes_file), str(JOBS), out, resume_run=True, progress=False)
    rows = read_rows(out)
    assert set(pairs(rows).values()) == {1}
    assert len(rows) == 8 * N_RESUMES * N_JOBS


def stop_after_the_first_part(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C right after the first part is written: an unfinished run to resume, without a subprocess."""
    write = batch.PartStore.write

    def write_then_stop(self: batch.PartStore, result: batch.ChunkResult) -> None:
        write(self, result)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch.PartStore, "write", write_then_stop)


@pytest.mark.parametrize("same_size", [False, True])
def test_batch_resume_refuses_a_resume_file_changed_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, same_size: bool
) -> None:
    folder = tmp_path / "resumes"
    shutil.copytree(RESUMES, folder)
    out = tmp_path / "results.jsonl"
    with monkeypatch.context() as patch:
        stop_after_the_first_part(patch)
        assert run_batch(str(folder), str(JOBS), out, progress=False, chunk=2).interrupted
    changed = folder / "web_developer.md"
    text = changed.read_text(encoding="utf-8")
    if same_size:  # only the modification time tells
        before = changed.stat()
        changed.write_text(text.replace("a", "e", 1), encoding="utf-8")
        os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    else:
        changed.write_text(text + "\nAlso: Rust, Kubernetes\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", "--resumes", str(folder), "--jobs", str(JOBS), "--out", str(out),
                                       "--resume", "--workers", "1"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("skillmatch: error: cannot resume: ")
    assert "had other resume contents" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert (tmp_path / ".results.jsonl.parts").is_dir()  # the finished parts are kept


def test_batch_resume_of_unchanged_texts_given_in_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(RESUMES.iterdir())]
    out = tmp_path / "results.jsonl"
    with monkeypatch.context() as patch:
        stop_after_the_first_part(patch)
        assert run_batch(records, str(JOBS), out, progress=False, chunk=2).interrupted
    summary = run_batch(records, str(JOBS), out, progress=False, resume_run=True)
    assert (summary.skipped, summary.done) == (2, N_RESUMES - 2)
    assert set(pairs(read_rows(out)).values()) == {1}
    assert len(read_rows(out)) == N_RESUMES * N_JOBS
    with monkeypatch.context() as patch:
        stop_after_the_first_part(patch)
        assert run_batch(records, str(JOBS), out, progress=False, chunk=2).interrupted
    records[0] = (records[0][0], records[0][1] + "\nRust")
    with pytest.raises(SkillmatchError, match="had other resume contents"):
        run_batch(records, str(JOBS), out, progress=False, resume_run=True)


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


def best_of(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """The rows of ``--top k`` from all the rows: resumes in input order, each one's jobs best first."""
    order = {resume: i for i, resume in enumerate(dict.fromkeys(r["resume"] for r in rows))}
    return sorted((r for r in rows if r["rank"] <= k), key=lambda r: (order[r["resume"]], r["rank"]))


def test_batch_python_api_rows_and_dataframe(clean_rows: list[dict[str, Any]]) -> None:
    rows = list(batch_rows(str(RESUMES), str(JOBS)))
    assert rows == clean_rows
    errors: list[dict[str, str]] = []
    text = (RESUMES / "nlp_engineer.md").read_text(encoding="utf-8")
    few = list(batch_rows([("ana", text), {"id": "bad", "text": ""}], str(JOBS), top=1, errors=errors))
    assert [(r["resume"], r["job"]) for r in few] == [("ana", str(JOBS / "nlp_engineer.md"))]
    assert errors == [{"resume": "bad", "code": "empty_document", "message": "empty file"}]
    frame = batch_dataframe(str(RESUMES), str(JOBS), top=2)
    assert list(frame.columns) == list(ROW_KEYS)
    assert len(frame) == N_RESUMES * 2
    assert frame["score"].between(0, 100).all()


def test_batch_progress_plain_lines_and_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "PLAIN_PROGRESS_EVERY_S", 0.0)
    stream = io.StringIO()
    progress = Progress(10, 2, stream=stream, bar=False)
    progress.update(3)
    progress.close()
    assert stream.getvalue().startswith("batch: 5/10 resumes (50%), ")
    assert "docs/s, ETA " in stream.getvalue()
    stream = io.StringIO()
    progress = Progress(10, 0, stream=stream, bar=True)
    progress.update(10)
    progress.close()
    assert "10/10" in stream.getvalue()
    assert "doc/s" in stream.getvalue()


def test_batch_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["batch", "--help"])
    assert result.exit_code == 0
    assert "Example: skillmatch batch" in result.output
    for flag in ("--resumes", "--jobs", "--out", "--top", "--workers", "--scheduler", "--resume"):
        assert flag in result.output


def test_batch_a_decompression_bomb_is_one_error_record_not_a_dead_run(tmp_path: Path) -> None:
    """Issue 16: documents are parsed in the sandbox; a PDF inflating to 4 GiB costs its own record."""
    from tests.adversarial import pdf_bomb

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_bomb(4096))
    good = RESUMES / "nlp_engineer.md"
    errors: list[dict[str, str]] = []
    rows = list(batch_rows([str(good), str(bomb)], str(JOBS), top=1, errors=errors))
    assert [r["resume"] for r in rows] == [str(good)]
    message = "the document needs more memory to parse than allowed"
    assert errors == [{"resume": str(bomb), "code": "too_large", "message": message}]
