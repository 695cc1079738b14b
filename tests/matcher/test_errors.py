from __future__ import annotations

import pytest

import matcher.errors as errors
from matcher.errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
    ParseTimeout,
    SkillmatchError,
    UnsupportedFormat,
    ZipBomb,
)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UnsupportedFormat, "unsupported_format"),
        (CorruptDocument, "corrupt_file"),
        (EncryptedDocument, "encrypted_pdf"),
        (NoTextLayer, "no_text_layer"),
        (EmptyDocument, "empty_document"),
        (DocumentTooLarge, "too_large"),
        (ZipBomb, "too_large"),
        (ParseTimeout, "parse_timeout"),
    ],
)
def test_errors_document_errors_have_stable_codes(error: type[DocumentError], code: str) -> None:
    assert issubclass(error, DocumentError)
    assert issubclass(error, SkillmatchError)
    assert error("one line").code == code
    assert error.__name__ in (errors.__doc__ or "")


def test_errors_too_many_pages_is_a_too_large_error_with_its_own_code() -> None:
    error = DocumentTooLarge("PDF has 60 pages, over the limit of 50", code="too_many_pages")
    assert error.code == "too_many_pages"
    assert error.message == "PDF has 60 pages, over the limit of 50"
    assert issubclass(ZipBomb, DocumentTooLarge)
