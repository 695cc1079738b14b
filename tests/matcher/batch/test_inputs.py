"""Inputs: JSONL records and their ids, and a bad JSONL file as a one-line error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.batch import run_batch
from matcher.cli import main
from tests.matcher.batch.conftest import JOBS, RESUMES, read_rows


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
