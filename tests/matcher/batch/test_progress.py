"""Progress: plain lines in a log, a bar on a terminal."""

from __future__ import annotations

import io

import pytest

from matcher.batch import Progress
from matcher.batch import progress as progress_module


def test_batch_progress_plain_lines_and_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "PLAIN_PROGRESS_EVERY_S", 0.0)  # read there
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
