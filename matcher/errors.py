"""Errors raised by the skillmatch library.

Every error has a stable ``code`` (scripts and the API key on it) and a one-line message::

    SkillmatchError
    ├── InputFileError          code "file_not_found" / "unreadable_file"
    ├── DocumentError           problems with a document's content, raised by matcher.parsing
    │   ├── UnsupportedFormat   code "unsupported_format": not PDF, DOCX, HTML, Markdown, text or JSON Resume
    │   ├── CorruptDocument     code "corrupt_file": the bytes do not parse as the format they claim
    │   ├── EncryptedDocument   code "encrypted_pdf": a PDF that needs a password to open
    │   ├── NoTextLayer         code "no_text_layer": a scanned PDF, pages of images and no text
    │   ├── EmptyDocument       code "empty_document": parsed fine, but there is no visible text
    │   ├── DocumentTooLarge    code "too_large" (bytes) / "too_many_pages" (over ParseLimits)
    │   │   └── ZipBomb         code "too_large": a DOCX whose members would inflate past the limit
    │   └── ParseTimeout        code "parse_timeout": parsing ran past ParseLimits.timeout_s
    └── TaxonomyError           code "invalid_taxonomy": every problem of every file, reported at once

A zip bomb is "too_large", not "corrupt_file": the archive is well formed, it is its inflated size that we refuse,
and callers already treat "too_large" as "send a smaller file".
"""

from __future__ import annotations

from dataclasses import dataclass


class SkillmatchError(Exception):
    """Base class: a typed error with a stable code and a one-line message."""

    code: str = "skillmatch_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class InputFileError(SkillmatchError):
    """A file named by the user is missing or cannot be read."""

    code = "unreadable_file"


class DocumentError(SkillmatchError):
    """A document's bytes cannot be turned into text."""

    code = "invalid_document"


class UnsupportedFormat(DocumentError):
    """The bytes are none of the formats we parse (an image, a spreadsheet, a legacy .doc, ...)."""

    code = "unsupported_format"


class CorruptDocument(DocumentError):
    """The bytes claim a format we parse but the file is damaged or truncated."""

    code = "corrupt_file"


class EncryptedDocument(DocumentError):
    """A PDF that cannot be opened without a password."""

    code = "encrypted_pdf"


class NoTextLayer(DocumentError):
    """A PDF whose pages are images without text (a scan): it would need OCR."""

    code = "no_text_layer"


class EmptyDocument(DocumentError):
    """The document parsed but holds no visible text."""

    code = "empty_document"


class DocumentTooLarge(DocumentError):
    """Over a size limit: ``too_large`` (bytes) or ``too_many_pages``."""

    code = "too_large"


class ZipBomb(DocumentTooLarge):
    """A DOCX whose members would inflate past the limit; refused before anything is decompressed."""

    code = "too_large"


class ParseTimeout(DocumentError):
    """Parsing ran past its time limit (checked between pages and paragraphs)."""

    code = "parse_timeout"


@dataclass(frozen=True)
class TaxonomyProblem:
    """One problem in one taxonomy file, located by file, entry and field."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}"
        if self.field:
            where += f".{self.field}"
        return f"{where}: {self.message}"


class TaxonomyError(SkillmatchError):
    """The taxonomy files are invalid; ``problems`` lists every problem found."""

    code = "invalid_taxonomy"

    def __init__(self, problems: list[TaxonomyProblem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"invalid taxonomy: {first}{more}")
