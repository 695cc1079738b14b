from __future__ import annotations

import io
import json
import zipfile

import pytest

from matcher.errors import CorruptDocument, UnsupportedFormat
from matcher.parsing.detect import declared_charset, decode_text, is_markdown, sniff_format

from .conftest import sample


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("resumes/ml_engineer_one_column.pdf", "pdf"),
        ("resumes/applied_scientist_table_header.docx", "docx"),
        ("jobs/senior_nlp_engineer_post.html", "html"),
        ("resumes/computer_vision_engineer.md", "markdown"),
        ("jobs/mlops_engineer.txt", "text"),
        ("resumes/ml_research_engineer.json", "jsonresume"),
    ],
)
def test_detect_sniffs_every_sample_from_its_bytes_alone(relative: str, expected: str) -> None:
    assert sniff_format(sample(relative).read_bytes()) == expected


def test_detect_ignores_a_misleading_file_name() -> None:
    pdf = sample("resumes/ml_engineer_one_column.pdf").read_bytes()
    docx = sample("resumes/applied_scientist_table_header.docx").read_bytes()
    assert sniff_format(pdf, "resume.docx") == "pdf"
    assert sniff_format(docx, "resume.pdf") == "docx"


def test_detect_file_name_only_breaks_the_markdown_text_tie() -> None:
    markdown = b"# Jane Roe\n\n- PyTorch\n"
    assert sniff_format(markdown) == "markdown"
    assert sniff_format(markdown, "notes.txt") == "text"
    assert sniff_format(b"Jane Roe\nPython and SQL\n", "cv.md") == "markdown"


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (sample("broken/resume_screenshot.png").read_bytes(), "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "legacy Office"),
        (b"{\\rtf1\\ansi Jane Roe}", "RTF"),
        (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "Excel"),
        (_zip(["notes.txt"]), "zip archive"),
        (json.dumps({"name": "x", "skills": []}).encode(), "JSON that is not a JSON Resume"),
        (b"\x00\x01\x02\x03binary" * 20, "binary data"),
    ],
)
def test_detect_refuses_unsupported_types_and_says_what_they_are(data: bytes, what: str) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        sniff_format(data)
    assert caught.value.code == "unsupported_format"
    assert what in caught.value.message
    assert "\n" not in caught.value.message


def test_detect_damaged_zip_is_corrupt_not_unsupported() -> None:
    with pytest.raises(CorruptDocument) as caught:
        sniff_format(b"PK\x03\x04" + b"\x00" * 40)
    assert caught.value.code == "corrupt_file"


def test_detect_json_resume_needs_basics_or_work() -> None:
    assert sniff_format(b'{"work": [{"name": "Acme"}]}') == "jsonresume"
    assert sniff_format(b'  {"basics": {"name": "Jane Roe"}}') == "jsonresume"


def test_detect_html_needs_markup_at_the_start() -> None:
    assert sniff_format(b"<!doctype html><title>x</title><p>NLP Engineer</p>") == "html"
    assert sniff_format(b"<div><h1>NLP Engineer</h1></div>") == "html"
    assert sniff_format(b"We use <div> tags in our React code.\n") == "text"


def test_detect_decode_text_handles_boms_and_windows_1252() -> None:
    assert decode_text(b"\xef\xbb\xbfCaf\xc3\xa9") == "Café"
    assert decode_text("Café".encode("utf-16")) == "Café"
    assert decode_text(b"Caf\xe9 \x96 ML") == "Café – ML"


WESTERN = "Résumé — Zoë Müller, naïve café. Skills: Python, “PyTorch”, SQL – 5 years.\n"
CYRILLIC = "Резюме: Иван Петров. Навыки: Python, PyTorch, SQL, машинное обучение, 5 лет опыта.\n"
JAPANESE = "履歴書 山田太郎 スキル: Python, PyTorch, SQL 機械学習エンジニア 5年の経験\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(WESTERN * 5, "cp1252"), (WESTERN, "latin-1"), ("Skills: Python – SQL", "cp1252"), (CYRILLIC * 3, "cp1251"),
     (CYRILLIC * 3, "koi8-r"), (JAPANESE * 3, "shift_jis")],
)
def test_detect_decode_text_reads_legacy_encodings(text: str, encoding: str) -> None:
    # charset-normalizer's guess alone reads Western text as cp1250 ("naďve"): only other scripts take it
    assert decode_text(text.encode(encoding, errors="replace")) == text.encode(encoding, errors="replace").decode(
        "cp1252" if encoding == "latin-1" else encoding
    )


def test_detect_declared_charset_is_read_as_browsers_do() -> None:
    assert declared_charset(b'<html><head><meta charset="windows-1251"><title>') == "cp1251"
    assert declared_charset(b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>") == "cp1252"
    assert declared_charset(b"<meta charset=no-such-codec>") is None
    assert declared_charset(b"<p>" * 400 + b'<meta charset="koi8-r">') is None  # only the first KB counts
    assert decode_text("Навыки".encode("cp1251"), declared="cp1251") == "Навыки"


def test_detect_is_markdown_wants_real_markup() -> None:
    assert is_markdown("## Skills\nPython")
    assert is_markdown("**Skills**: [repo](https://example.org)")
    assert not is_markdown("Skills: Python, C++ and C#\n- 5 years")
