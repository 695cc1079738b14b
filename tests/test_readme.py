"""The README's Python API example runs as written: a reader copies it first."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_readme_python_api_example_runs_as_written() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API") :]
    start = section.index("```python\n") + len("```python\n")
    code = section[start : section.index("```", start)]
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pytorch [(16, 23, 'PyTorch')]" in done.stdout
    assert "# Match score" in done.stdout  # the Markdown report it renders
