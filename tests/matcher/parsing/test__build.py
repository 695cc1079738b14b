from __future__ import annotations

import pytest

from matcher.errors import ParseTimeout
from matcher.parsing._build import Deadline, RawLine, assemble, clean_line, clean_text


def test_build_clean_text_splits_ligatures_and_drops_controls() -> None:
    assert clean_text("ﬁne-tuned ﬂow eﬀort oﬃce") == "fine-tuned flow effort office"
    assert clean_text("Py\u200bTorch\x07 \ufffd") == "PyTorch "


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("● Trained models", "• Trained models"),
        ("▪ Trained models", "• Trained models"),
        ("\uf0b7\tTrained models", "• Trained models"),  # Word's Symbol-font bullet
        ("- Trained models", "• Trained models"),
        ("* Trained models", "• Trained models"),
        ("–  Trained models", "• Trained models"),
        ("•Trained models", "• Trained models"),
        ("-5% churn", "-5% churn"),
        ("*args and **kwargs", "*args and **kwargs"),
        ("Java • Shell ● Python", "Java • Shell • Python"),
    ],
)
def test_build_clean_line_normalises_bullets(raw: str, expected: str) -> None:
    assert clean_line(raw) == expected


def test_build_clean_line_collapses_spaces_but_keeps_tabs() -> None:
    assert clean_line("  Senior   ML Engineer\tJan 2020 – Present  ") == "Senior ML Engineer\tJan 2020 – Present"


def test_build_assemble_offsets_index_the_text_and_blocks_get_a_blank_line() -> None:
    lines = [RawLine("Skills", bold=True, size=14.0, block=0), RawLine("Python, PyTorch", block=0),
             RawLine("   ", block=0), RawLine("Education", bold=True, block=1)]
    text, records = assemble(lines)
    assert text == "Skills\nPython, PyTorch\n\nEducation"
    assert [text[r.start : r.end] for r in records] == ["Skills", "Python, PyTorch", "Education"]
    assert [(r.bold, r.size) for r in records] == [(True, 14.0), (False, None), (True, None)]


def test_build_deadline_raises_parse_timeout_once_spent() -> None:
    deadline = Deadline(1e-9)
    with pytest.raises(ParseTimeout) as caught:
        deadline.check()
    assert caught.value.code == "parse_timeout"
    assert caught.value.message == "parsing took longer than 1e-09 s"  # the caller names the file, if it may
