"""Parts and output: CSV, JSONL and Parquet alike; resume after kill -9 or Ctrl-C; --resume refuses changed inputs."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from matcher.batch import run_batch
from matcher.cli import main
from matcher.errors import SkillmatchError
from tests.matcher.batch.conftest import (
    JOBS,
    N_JOBS,
    N_RESUMES,
    RESUMES,
    pairs,
    read_rows,
    replicated_jsonl,
    run_cli,
    start_batch,
    stop_after_the_first_part,
    wait_for_a_part,
)


def test_batch_csv_jsonl_and_parquet_hold_the_same_rows(tmp_path: Path, clean_rows: list[dict[str, Any]]) -> None:
    for suffix in (".csv", ".parquet"):
        out = tmp_path / f"results{suffix}"
        run_batch(str(RESUMES), str(JOBS), out, progress=False)
        assert read_rows(out) == clean_rows
    with pytest.raises(SkillmatchError, match="must end in"):
        run_batch(str(RESUMES), str(JOBS), tmp_path / "results.xlsx", progress=False)


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
