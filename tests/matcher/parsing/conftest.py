"""Paths to our samples and to the shared real documents (tests that need the latter skip without them)."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from tests.conftest import SAMPLES, SHARED_DATA

DOCUMENTS = SHARED_DATA / "documents"


def real_document(relative: str) -> Path:
    """A file under ../shared/data/documents, or a skip saying where it was looked for."""
    path = DOCUMENTS / relative
    if not path.is_file():
        pytest.skip(f"real document {relative} not found under {DOCUMENTS} (shared data absent)")
    return path


def sample(relative: str) -> Path:
    path = SAMPLES / relative
    assert path.is_file(), f"{relative} missing: run python samples/make_samples.py"
    return path


def drawn_pdf(*runs: tuple[float, float, str, tuple[int, int, int]]) -> bytes:
    """A one-page PDF of Helvetica 10 pt text runs (x, baseline from the bottom, text, fill colour)."""
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(612, 792)
    for x, y, text, color in runs:
        obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 10)
        wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(ctypes.c_ushort)))
        pdfium_c.FPDFPageObj_SetFillColor(obj, *color, 255)
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    page.gen_content()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def white_text_only_pdf() -> bytes:
    """A page whose only text is white on white."""
    return drawn_pdf((72, 700, "PyTorch Kubernetes", (255, 255, 255)))
