from __future__ import annotations

from pathlib import Path

import pytest

import matcher.parsing
from matcher.errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    InputFileError,
    ParseTimeout,
    UnsupportedFormat,
)
from matcher.parsing import ParsedDocument, ParseLimits, parse_document

from .conftest import SAMPLES, sample, white_text_only_pdf

GOOD = [
    "resumes/ml_engineer_one_column.pdf",
    "resumes/nlp_engineer_two_column_sidebar.pdf",
    "resumes/applied_scientist_table_header.docx",
    "resumes/computer_vision_engineer.md",
    "resumes/ml_research_engineer.json",
    "jobs/senior_nlp_engineer_post.html",
    "jobs/mlops_engineer.txt",
]


def test_init_exports_are_pinned() -> None:
    assert matcher.parsing.__all__ == [
        "Diagnostics", "DocumentFormat", "HiddenReason", "HiddenSpan", "ParseLimits", "ParsedDocument",
        "parse_document", "sniff_format",
    ]


@pytest.mark.parametrize("relative", GOOD)
def test_init_path_str_and_bytes_give_the_same_document(relative: str) -> None:
    path = sample(relative)
    from_path = parse_document(path)
    assert parse_document(str(path)) == from_path
    assert parse_document(path.read_bytes(), filename=path.name) == from_path


@pytest.mark.parametrize("relative", GOOD)
def test_init_lines_index_the_text_in_order(relative: str) -> None:
    doc = parse_document(sample(relative))
    previous_end = 0
    for line in doc.lines:
        piece = doc.text[line.start : line.end]
        assert piece
        assert piece == piece.strip()
        assert "\n" not in piece
        assert line.start >= previous_end
        previous_end = line.end
    assert doc.text.strip() == doc.text
    assert doc.diagnostics.chars == len(doc.text)
    assert doc.diagnostics.line_count == len(doc.lines)


def test_init_returns_the_document_and_nothing_it_says() -> None:
    # sections, experience and personal data are the analysis stage's (matcher.analysis), read on a date
    fields = set(ParsedDocument.__dataclass_fields__)
    assert fields == {"format", "text", "lines", "pages", "diagnostics", "warnings", "hidden_text"}


def test_init_missing_and_unreadable_paths_are_input_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        parse_document(tmp_path / "nope.pdf")
    assert caught.value.code == "file_not_found"
    with pytest.raises(InputFileError) as caught:
        parse_document(tmp_path)
    assert caught.value.code == "unreadable_file"


def test_init_size_limit_applies_to_paths_and_bytes() -> None:
    limits = ParseLimits(max_bytes=1000)
    path = sample("resumes/ml_engineer_one_column.pdf")
    for source in (path, path.read_bytes()):
        with pytest.raises(DocumentTooLarge) as caught:
            parse_document(source, limits=limits)
        assert caught.value.code == "too_large"


def test_init_time_limit_raises_parse_timeout() -> None:
    with pytest.raises(ParseTimeout) as caught:
        parse_document(sample("resumes/nlp_engineer_two_column_sidebar.pdf"), limits=ParseLimits(timeout_s=1e-9))
    assert caught.value.code == "parse_timeout"


@pytest.mark.parametrize("source", [b"", b"   \n\t  ", b"\n\n\x00"])
def test_init_blank_input_is_an_empty_document(source: bytes) -> None:
    with pytest.raises(EmptyDocument):
        parse_document(source)


def test_init_markup_without_text_is_an_empty_document() -> None:
    with pytest.raises(EmptyDocument) as caught:
        parse_document(b"<html><body><nav>Home</nav><script>x()</script></body></html>")
    assert caught.value.message == "no text in the document"


def test_init_hidden_only_text_says_so() -> None:
    with pytest.raises(EmptyDocument) as caught:
        parse_document(white_text_only_pdf())
    assert caught.value.message == "no visible text, only 1 hidden text spans (white_on_white 1)"


def test_init_every_broken_sample_raises_a_typed_error_with_a_stable_code() -> None:
    codes = {}
    for path in sorted((SAMPLES / "broken").iterdir()):
        if path.stem == "keyword_stuffing":  # parses; its hidden text is tested in test_pdf and test_docx
            continue
        if path.name.startswith("fuzz-"):  # what fuzzing found: each asserted exactly in test_fuzz
            continue
        with pytest.raises(DocumentError) as caught:
            parse_document(path)
        codes[path.name] = caught.value.code
    assert codes == {
        "blank_page.pdf": "empty_document",
        "corrupt.pdf": "corrupt_file",
        "empty.pdf": "empty_document",
        "encrypted.pdf": "encrypted_pdf",
        "resume_screenshot.png": "unsupported_format",
        "scanned.pdf": "no_text_layer",
        "too_many_pages.pdf": "too_many_pages",
        "truncated.pdf": "corrupt_file",
        "zip_bomb.docx": "too_large",
    }


def test_init_unsupported_format_error_is_one_line() -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        parse_document(sample("broken/resume_screenshot.png"))
    assert str(caught.value) == "unsupported format: a PNG image"


@pytest.mark.parametrize("field", ["max_bytes", "max_pages", "timeout_s", "max_unzipped_bytes", "max_zip_members"])
def test_init_limits_refuse_non_positive_values(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        ParseLimits(**{field: 0})


def test_init_text_over_the_character_limit_is_too_large() -> None:
    """Over ``max_chars`` (spaCy's bound) the parse stops with ``too_large``, before tagging could fail."""
    text = ("Requirements: Python, SQL. " * 40).encode()
    assert parse_document(text, limits=ParseLimits(max_chars=len(text) + 10)).text
    with pytest.raises(DocumentTooLarge, match="characters, over the limit of 100") as raised:
        parse_document(text, limits=ParseLimits(max_chars=100))
    assert raised.value.code == "too_large"
