from __future__ import annotations

import ast
from collections.abc import Iterator

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
from tests.conftest import REPO


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


def _code_literals() -> Iterator[tuple[str, str]]:
    """``(where, code)`` for every error code written as a string in matcher/ and api/: ``code="..."`` arguments,
    ``code = "..."``/``error_code = "..."`` assignments, and the code argument of ``problem(request, status, code)``."""
    for path in sorted([*(REPO / "matcher").rglob("*.py"), *(REPO / "api").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            found: list[ast.expr] = []
            if isinstance(node, ast.Call):
                found += [k.value for k in node.keywords if k.arg == "code"]
                if isinstance(node.func, ast.Name) and node.func.id == "problem" and len(node.args) >= 3:
                    found.append(node.args[2])
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {t.attr if isinstance(t, ast.Attribute) else getattr(t, "id", "") for t in targets}
                if names & {"code", "error_code"} and node.value is not None:
                    found.append(node.value)
            for value in found:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield f"{path.relative_to(REPO)}:{node.lineno}", value.value


def test_errors_every_code_written_in_the_source_is_an_error_code() -> None:
    literals = list(_code_literals())
    assert len(literals) > 20  # the scan sees the codes
    assert [(where, code) for where, code in literals if code not in set(errors.ErrorCode)] == []


def test_errors_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="not a valid ErrorCode"):
        SkillmatchError("x", code="made_up")
    assert SkillmatchError("x", code="usage").code is errors.ErrorCode.USAGE
