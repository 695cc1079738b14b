from __future__ import annotations

import json

from matcher.parsing import ParsedDocument, parse_document

from .conftest import sample


def _lines(doc: ParsedDocument) -> list[str]:
    return [doc.line_text(line) for line in doc.lines]


def test_jsonresume_sample_becomes_a_sectioned_resume() -> None:
    doc = parse_document(sample("resumes/ml_research_engineer.json"))
    assert doc.format == "jsonresume"
    assert _lines(doc) == [
        "Amara Nwosu",
        "Machine Learning Research Engineer",
        "amara.nwosu@example.org | +234 1 555 0147 | https://amaranwosu.example.org",
        "Lagos, NG",
        "GitHub: https://github.com/anwosu",
        "Summary",
        "Research engineer turning reinforcement learning and speech research into reliable training code.",
        "Experience",
        "Research Engineer — Kestrel AI Lab",
        "2021-09 – Present",
        "Speech recognition for low-resource West African languages.",
        "• Scaled wav2vec 2.0 pretraining to 64 GPUs with PyTorch FSDP.",
        "• Cut word error rate on Yoruba by 21% relative with language-model fusion in KenLM.",
        "Machine Learning Engineer — Sahel Logistics",
        "2019-03 – 2021-08",
        "• Built route-time prediction with LightGBM and served it with FastAPI.",
        "Education",
        "BSc in Computer Science — University of Lagos",
        "2014 – 2018",
        "Skills",
        "Machine learning: PyTorch, JAX, reinforcement learning, LightGBM",
        "Speech: wav2vec 2.0, KenLM, Kaldi",
        "Infrastructure: Slurm, Docker, Weights & Biases",
        "Publications",
        "Pretraining speech models for Yoruba and Igbo — Interspeech",
        "2023-08",
        "Languages",
        "English — Native",
        "Yoruba — Native",
    ]
    headings = [doc.line_text(line) for line in doc.lines if line.bold]
    assert headings == ["Amara Nwosu", "Summary", "Experience", "Education", "Skills", "Publications", "Languages"]


def test_jsonresume_tolerates_missing_and_mistyped_fields() -> None:
    resume = {"basics": {"name": "Jo Lee", "profiles": "not a list", "location": ["x"]},
              "work": [{"position": "ML Engineer", "name": 42, "highlights": [None, "Shipped models"]}, "junk"],
              "skills": [{"keywords": ["PyTorch", {"x": 1}]}], "awards": {"not": "a list"}}
    doc = parse_document(json.dumps(resume).encode())
    assert _lines(doc) == ["Jo Lee", "Experience", "ML Engineer — 42", "• Shipped models", "Skills", "PyTorch"]
