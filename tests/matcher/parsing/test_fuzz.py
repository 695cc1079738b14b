"""Fuzzing ``parse_document`` with mutated real files: whatever the bytes, only our typed errors come out.

Mutations: byte flips, truncation, a spliced-in chunk, a deleted slice; for DOCX also flips inside the
inflated ``word/document.xml`` (so lxml and python-docx see broken XML, not just a broken zip). Bounded to
50 examples each so the suite stays fast.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.errors import DocumentError
from matcher.parsing import ParsedDocument, ParseLimits, parse_document

from .conftest import DOCUMENTS, SAMPLES

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: a generous limit: a slow parse is not what these tests look for, an untyped exception is
LIMITS = ParseLimits(timeout_s=30)


def _bases(*candidates: Path) -> list[bytes]:
    return [path.read_bytes() for path in candidates if path.is_file()]


PDFS = _bases(SAMPLES / "resumes/ml_engineer_one_column.pdf", DOCUMENTS / "deedy/MacFonts_deedy_resume.pdf",
              DOCUMENTS / "resume-matcher/Resume_archive/harvey_dent_mle.pdf")
DOCXS = _bases(SAMPLES / "resumes/applied_scientist_table_header.docx",
               DOCUMENTS / "resume-matcher/JobDesc_docx_2020/Data Scientist.docx")
HTMLS = _bases(SAMPLES / "jobs/senior_nlp_engineer_post.html")


@st.composite
def mutated(draw: st.DrawFn, bases: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(bases)))
    how = draw(st.sampled_from(["flip", "truncate", "splice", "delete"]))
    if how == "truncate":
        return bytes(data[: draw(st.integers(0, len(data)))])
    if how == "flip":
        for _ in range(draw(st.integers(1, 24))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
        return bytes(data)
    start = draw(st.integers(0, len(data)))
    if how == "splice":
        data[start:start] = draw(st.binary(min_size=1, max_size=256))
    else:
        del data[start : start + draw(st.integers(1, 4096))]
    return bytes(data)


@st.composite
def mutated_docx_xml(draw: st.DrawFn) -> bytes:
    """A DOCX whose document.xml has flipped bytes, re-zipped so the archive itself is sound."""
    source = zipfile.ZipFile(io.BytesIO(draw(st.sampled_from(DOCXS))))
    xml = bytearray(source.read("word/document.xml"))
    for _ in range(draw(st.integers(1, 12))):
        xml[draw(st.integers(0, len(xml) - 1))] = draw(st.sampled_from(b"<>/\"'=&;: x\x00\xff"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = bytes(xml) if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    return buffer.getvalue()


def _only_typed_errors(data: bytes) -> None:
    """Parse, letting anything but a DocumentError fail the test; a typed error must be one coded line."""
    error: DocumentError | None = None
    try:
        doc = parse_document(data, limits=LIMITS)
    except DocumentError as exc:
        error = exc
    if error is None:
        assert isinstance(doc, ParsedDocument)
        assert doc.text.strip()
    else:
        assert error.code
        assert error.message
        assert "\n" not in error.message


@pytest.mark.skipif(not PDFS, reason="no PDF to mutate")
@FUZZ
@given(mutated(PDFS))
def test_fuzz_mutated_pdfs_raise_only_typed_errors(data: bytes) -> None:
    _only_typed_errors(data)


@pytest.mark.skipif(not DOCXS, reason="no DOCX to mutate")
@FUZZ
@given(mutated(DOCXS))
def test_fuzz_mutated_docx_archives_raise_only_typed_errors(data: bytes) -> None:
    _only_typed_errors(data)


@pytest.mark.skipif(not DOCXS, reason="no DOCX to mutate")
@FUZZ
@given(mutated_docx_xml())
def test_fuzz_mutated_docx_xml_raises_only_typed_errors(data: bytes) -> None:
    _only_typed_errors(data)


@pytest.mark.skipif(not HTMLS, reason="no HTML to mutate")
@FUZZ
@given(mutated(HTMLS))
def test_fuzz_mutated_html_raises_only_typed_errors(data: bytes) -> None:
    _only_typed_errors(data)
