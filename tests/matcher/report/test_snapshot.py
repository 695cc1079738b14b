"""Every sample resume against every sample job post, as a stored snapshot of what the reports say.

A change that moves a score, a verdict, a component or a skill line shows here, in one diff, whatever module it
came from (a refactoring must leave the file as it is). When the change is meant (a taxonomy or scoring change),
regenerate it and review the diff: ``UPDATE_SNAPSHOTS=1 python -m pytest tests/matcher/report/test_snapshot.py``
(not a ``SKILLMATCH_`` variable: the tests clear those).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from matcher.engine import Engine
from matcher.report.model import report_to_dict
from matcher.settings import Settings
from matcher.tagging.tagger import Tagger
from tests.conftest import SAMPLES

SNAPSHOT = SAMPLES / "snapshots" / "reports.json"
AS_OF = 2026
LINE_KEYS = ("id", "level", "weight", "credit", "relation", "via", "must_have")
LINE_KINDS = ("matched", "partial", "missing")


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """What a report decides, without the text it quotes (evidence, diagnostics)."""
    return {
        **{key: report[key] for key in ("score", "uncapped_score", "cap_reason", "verdict", "components")},
        **{kind: [[line[key] for key in LINE_KEYS] for line in report[kind]] for kind in LINE_KINDS},
        "qualifications": [[q["kind"], q["name"], q["weight"], q["credit"]] for q in report["qualifications"]],
    }


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def test_report_snapshot_of_every_sample_pair(tagger: Tagger) -> None:
    engine = Engine(Settings(), tagger=tagger, as_of=AS_OF)
    resumes = [engine.load(str(p), kind="resume") for p in _documents(SAMPLES / "resumes")]
    jobs = [engine.load(str(p), kind="job") for p in _documents(SAMPLES / "jobs")]
    assert len(resumes) * len(jobs) >= 20
    current = {
        f"{Path(resume.source).name} x {Path(job.source).name}": _summary(report_to_dict(engine.match(resume, job)))
        for resume in resumes
        for job in jobs
    }
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for pair, summary in current.items():
        assert summary == stored.get(pair), f"{pair} changed (see the module docstring to regenerate)"
    assert set(stored) == set(current)
