"""The reliability table's recorder: one JSON row per robustness test, only when asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reliability_record import ENV, record


def test_record_writes_one_row_per_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "rows"))
    path = record("test_fuzz_pdf", cases=100, failed=0, notes="outcomes: ok 60")
    assert path == tmp_path / "rows" / "test_fuzz_pdf.json"
    assert json.loads(path.read_text()) == {
        "test": "test_fuzz_pdf", "cases": 100, "failed": 0, "lost": 0, "notes": "outcomes: ok 60",
    }
    record("test_fuzz_pdf", cases=3, failed=1, lost=2)  # a rerun replaces the row
    assert json.loads(path.read_text()) == {"test": "test_fuzz_pdf", "cases": 3, "failed": 1, "lost": 2}
    assert sorted(p.name for p in path.parent.iterdir()) == ["test_fuzz_pdf.json"]


def test_record_does_nothing_without_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert record("test_fuzz_pdf", cases=1, failed=0) is None
    assert list(tmp_path.iterdir()) == []

