"""The entry points: `skillmatch batch` end to end, batch_rows / batch_dataframe, the errors file, --help."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from matcher.batch import ROW_KEYS, batch_dataframe, batch_rows
from matcher.cli import main
from tests.conftest import SAMPLES
from tests.matcher.batch.conftest import COMPONENTS, JOBS, N_JOBS, N_RESUMES, RESUMES, pairs, read_rows


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
