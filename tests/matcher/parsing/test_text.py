from __future__ import annotations

import pytest

from matcher.parsing import ParsedDocument, parse_document
from matcher.parsing.text import strip_inline

from .conftest import sample


def _lines(doc: ParsedDocument) -> list[str]:
    return [doc.line_text(line) for line in doc.lines]


def test_text_plain_job_post_keeps_its_lines_and_bullets() -> None:
    doc = parse_document(sample("jobs/mlops_engineer.txt"))
    assert doc.format == "text"
    lines = _lines(doc)
    assert lines[:3] == ["MLOps Engineer", "Tallybird Payments · Remote (EU) · Full time", "ABOUT THE ROLE"]
    assert "• Run and improve our Kubeflow training pipelines and the MLflow model registry." in lines
    assert all(line.size is None and not line.bold for line in doc.lines)
    assert "\n\nREQUIREMENTS\n" in doc.text


def test_text_markdown_resume_loses_markup_keeps_structure() -> None:
    doc = parse_document(sample("resumes/computer_vision_engineer.md"))
    assert doc.format == "markdown"
    cues = [(doc.line_text(line), line.bold, line.size) for line in doc.lines]
    assert cues[:6] == [
        ("Tomás Rivera", True, 20.0),
        ("Computer Vision Engineer · Madrid, Spain · tomas.rivera@example.es ·", False, None),
        ("GitHub (https://github.com/trivera-cv)", False, None),
        ("Summary", True, 16.0),
        ("Computer vision engineer focused on detection and segmentation models that run on edge devices.",
         False, None),
        ("Experience", True, 16.0),
    ]
    lines = _lines(doc)
    assert "• Trained YOLO and Mask R-CNN models in PyTorch for warehouse robots; mAP up 11 points." in lines
    assert "Deep learning\tPyTorch, TensorRT, ONNX" in lines
    assert "|" not in doc.text
    assert "**" not in doc.text
    assert "---" not in doc.text


def test_text_markdown_setext_headings_and_fences() -> None:
    doc = parse_document(b"Jane Roe\n========\n\nSkills\n------\n```\npip install torch\n```\n1. first\n",
                         filename="cv.md")
    assert [(doc.line_text(line), line.bold) for line in doc.lines] == [
        ("Jane Roe", True), ("Skills", True), ("pip install torch", False), ("1. first", False)]


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**PyTorch** and __JAX__", "PyTorch and JAX"),
        ("*fast* inference, snake_case_name", "fast inference, snake_case_name"),
        ("[GitHub](https://github.com/jroe)", "GitHub (https://github.com/jroe)"),
        ("[github.com/jroe](https://github.com/jroe)", "github.com/jroe"),
        ("`torch.compile` and ![logo](x.png)", "torch.compile and logo"),
        ("C++ and C# \\*escaped\\*", "C++ and C# *escaped*"),
        ("<https://example.org>", "https://example.org"),
    ],
)
def test_text_strip_inline(markdown: str, plain: str) -> None:
    assert strip_inline(markdown) == plain
