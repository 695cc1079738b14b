"""One row of the reliability table (``benchmarks/RELIABILITY.md``, issue 8): what a robustness test tried.

A test calls ``record(name, cases=..., failed=..., lost=...)`` when it is done; with ``SKILLMATCH_RELIABILITY_DIR``
set, that writes ``<dir>/<name>.json``, which the table's script collects. Unset (a plain ``pytest`` run), it
does nothing, so the tests never depend on it. ``tests/conftest.py`` keeps this one ``SKILLMATCH_`` variable
when it clears the others: it names where results go, it is not a setting of the library.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV = "SKILLMATCH_RELIABILITY_DIR"


def record(test: str, cases: int, failed: int, lost: int = 0, notes: str = "") -> Path | None:
    """Write ``{"test", "cases", "failed", "lost"}`` (and ``notes`` when given); returns the file, if any.

    ``cases``: inputs or operations tried; ``failed``: those that broke the test's property (an unexpected
    exception, a 5xx, ...); ``lost``: records or results that went missing (must be 0).
    """
    folder = os.environ.get(ENV)
    if not folder:
        return None
    row: dict[str, object] = {"test": test, "cases": cases, "failed": failed, "lost": lost}
    if notes:
        row["notes"] = notes
    path = Path(folder) / f"{test.replace('/', '_')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(json.dumps(row, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)  # a reader never sees half a file
    return path
