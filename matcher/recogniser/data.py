"""The labelled span sets the recogniser learns from and is measured on, and how they are split.

Both the training script and ``benchmarks/eval_spans.py`` read the split from here, so what the model was
chosen and measured on can never drift from what it was trained on. Plain Python: no spaCy.

- SkillSpan (job posts): ``spans-skillspan-train.jsonl`` trains, ``spans-skillspan-dev.jsonl`` chooses/measures.
- Dotin (resumes): only one file; one document in five (by a hash of its id, so stable whatever the file order)
  is held back for choosing and measuring, the rest trains.
- Documents without a single labelled span (27 of Dotin's 310 resumes, none of SkillSpan's) were not
  annotated rather than skill-free: training on them would teach the model that nothing is a skill, and
  measuring on them counts every mention of every system as wrong. Both leave them out (:func:`annotated`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: the model's labels, and which labels of the data sets each one learns from
KNOWLEDGE = "KNOWLEDGE"
COMPETENCE = "COMPETENCE"
LABEL_MAP: dict[str, str] = {
    "knowledge": KNOWLEDGE,  # SkillSpan: tools, technologies, fields ("Python", "Azure", "networking", "agile")
    "tech_tools": KNOWLEDGE,  # Dotin: tools ("Java", "MySQL")
    # Dotin: practice areas written as nouns ("project management", "testing", "networking"), which SkillSpan
    # marks `knowledge`; one label for both keeps the two sets from teaching the model opposite things
    "job_skills": KNOWLEDGE,
    "skill": COMPETENCE,  # SkillSpan: competences, mostly verb phrases ("work in a team", "debug errors")
    "soft_skills": COMPETENCE,  # Dotin ("communication", "team player"); SkillSpan marks these `skill`
}

SKILLSPAN_TRAIN = "spans-skillspan-train.jsonl"
SKILLSPAN_DEV = "spans-skillspan-dev.jsonl"
DOTIN = "spans-dotin-train.jsonl"
#: one Dotin document in this many is held back
DOTIN_HOLD_OUT_EVERY = 5


def dotin_held_out(doc_id: str) -> bool:
    """Whether a Dotin document is in the held-back part (never trained on)."""
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % DOTIN_HOLD_OUT_EVERY == 0


def annotated(doc: dict[str, Any]) -> bool:
    """Whether a document was annotated at all (has at least one labelled span)."""
    return bool(doc["spans"])


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Documents of one labelled file: ``{"doc", "source", "text", "spans": [{"start", "end", "label"}]}``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def training_docs(data_dir: Path) -> Iterator[dict[str, Any]]:
    """SkillSpan's training split and Dotin minus its held-back part."""
    yield from (d for d in read_jsonl(data_dir / SKILLSPAN_TRAIN) if annotated(d))
    yield from (d for d in read_jsonl(data_dir / DOTIN) if annotated(d) and not dotin_held_out(d["doc"]))


def choosing_docs(data_dir: Path) -> Iterator[dict[str, Any]]:
    """SkillSpan's dev split and the held-back Dotin part: what the model is chosen and measured on."""
    yield from (d for d in read_jsonl(data_dir / SKILLSPAN_DEV) if annotated(d))
    yield from (d for d in read_jsonl(data_dir / DOTIN) if annotated(d) and dotin_held_out(d["doc"]))


def file_digest(path: Path) -> str:
    """SHA-256 of a data file, recorded in the model's meta."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
