"""Documents in, faithful text out: ``parse_document(path_or_bytes)``.

The format comes from the bytes (``detect.sniff_format``); each format's parser (``pdf``, ``docx``, ``html``,
``text``, ``jsonresume``) returns lines in reading order with layout cues; this module joins them into one text
with line offsets. That is the whole document: what it says (sections, experience, personal data) is the
analysis stage's work (:func:`matcher.analysis.analyse_document`). Only ``matcher.errors`` types leave
``parse_document``: library exceptions on bad bytes become ``CorruptDocument``.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from matcher.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    InputFileError,
    SkillmatchError,
)
from matcher.parsing._build import Deadline, RawDocument, RawLine, assemble, failure, out_of_memory
from matcher.parsing.detect import sniff_format
from matcher.parsing.document import (
    Diagnostics,
    DocumentFormat,
    HiddenReason,
    HiddenSpan,
    ParsedDocument,
    ParseLimits,
)

__all__ = [
    "Diagnostics",
    "DocumentFormat",
    "HiddenReason",
    "HiddenSpan",
    "ParseLimits",
    "ParsedDocument",
    "parse_document",
    "sniff_format",
]

_Parser = Callable[[bytes, ParseLimits, Deadline], RawDocument]

def _parser(fmt: DocumentFormat) -> _Parser:
    """The parser of one format, imported on first use (python-docx and pypdfium2 are not free to import)."""
    if fmt == "pdf":
        from matcher.parsing.pdf import parse_pdf

        return parse_pdf
    if fmt == "docx":
        from matcher.parsing.docx import parse_docx

        return parse_docx
    if fmt == "html":
        from matcher.parsing.html import parse_html

        return parse_html
    if fmt == "jsonresume":
        from matcher.parsing.jsonresume import parse_json_resume

        return parse_json_resume
    from matcher.parsing.text import parse_markdown, parse_text

    return parse_markdown if fmt == "markdown" else parse_text


def _read(source: bytes | bytearray | memoryview | str | os.PathLike[str], limits: ParseLimits) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "document"
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise DocumentTooLarge(f"file is {size:,} bytes, over the limit of {limits.max_bytes:,}")
        with path.open("rb") as handle:
            return handle.read(limits.max_bytes + 1), path.name
    except FileNotFoundError:
        raise InputFileError(f"no such file: {path}", code="file_not_found") from None
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror or exc}", code="unreadable_file") from None


def _hidden_summary(hidden: Sequence[HiddenSpan]) -> str:
    counts = Counter(span.reason for span in hidden)
    reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(counts.items()))
    return f"{len(hidden)} hidden text spans ({reasons})"


def parse_document(
    source: bytes | str | os.PathLike[str],
    *,
    filename: str | None = None,
    limits: ParseLimits | None = None,
    include_hidden: bool = False,
) -> ParsedDocument:
    """Parse a resume or job post into its visible text in reading order, with lines, pages and diagnostics.

    Parameters
    ----------
    source
        The document's bytes, or a path to it (a ``str`` is a path, never the text itself).
    filename
        The uploaded file's name, only to tell Markdown from plain text: the format comes from the bytes.
    limits
        Size, page and time limits (``ParseLimits()`` by default).
    include_hidden
        Append text a reader cannot see (white on white, tiny, off the page) to ``text``; it is always listed
        in ``hidden_text`` either way.

    Raises
    ------
    matcher.errors.DocumentError
        A subclass with a stable ``code``: ``unsupported_format``, ``corrupt_file``, ``encrypted_pdf``,
        ``no_text_layer``, ``empty_document``, ``too_large``, ``too_many_pages`` or ``parse_timeout``.
    matcher.errors.InputFileError
        The path does not exist or cannot be read.

    Example
    -------
    >>> doc = parse_document(b"Jane Roe\\n\\nSkills\\nPython, PyTorch\\n")
    >>> doc.format, doc.text.splitlines()[0]
    ('text', 'Jane Roe')
    """
    limits = limits or ParseLimits()
    started = time.perf_counter()
    data, name = _read(source, limits)
    name = filename or name
    if len(data) > limits.max_bytes:
        raise DocumentTooLarge(f"file is over the limit of {limits.max_bytes:,} bytes")
    if not data.strip(b" \t\r\n\x00\x0c"):
        raise EmptyDocument("empty file")
    deadline = Deadline(limits.timeout_s)
    fmt = sniff_format(data, filename or (name if name != "document" else None))
    try:
        raw = _parser(fmt)(data, limits, deadline)
    except SkillmatchError:
        raise
    except MemoryError:
        raise out_of_memory() from None
    except Exception as exc:
        # a library failing on bad bytes must leak neither its exception type nor its message (which may quote
        # the document): our own words, by the exception's class
        raise CorruptDocument(f"damaged {fmt} file: {failure(exc)}") from None
    hidden = tuple(raw.hidden)
    lines = list(raw.lines)
    if include_hidden and hidden:
        block = max((line.block for line in lines), default=0) + 1
        lines.extend(RawLine(text=span.text, page=span.page, block=block) for span in hidden)
    text, text_lines = assemble(lines)
    if not text.strip():
        if hidden:
            raise EmptyDocument(f"no visible text, only {_hidden_summary(hidden)}")
        raise EmptyDocument("no text in the document")
    if len(text) > limits.max_chars:
        raise DocumentTooLarge(f"the text has {len(text):,} characters, over the limit of {limits.max_chars:,}")
    deadline.check()
    warnings = list(raw.warnings)
    if hidden:
        verb = "included in" if include_hidden else "excluded from"
        warnings.append(f"{_hidden_summary(hidden)} {verb} the text")
    diagnostics = Diagnostics(
        parser=raw.parser,
        columns=raw.columns,
        text_area_share=raw.text_area_share,
        scanned_pages=raw.scanned_pages,
        empty_pages=raw.empty_pages,
        hidden_text_count=len(hidden),
        chars=len(text),
        line_count=len(text_lines),
        elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
    )
    return ParsedDocument(
        format=fmt,
        text=text,
        lines=text_lines,
        pages=raw.pages,
        diagnostics=diagnostics,
        warnings=tuple(warnings),
        hidden_text=hidden,
    )
