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

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Every stable error code, the library's and the service's: scripts, the CLI's exit line and the API's
    problem responses key on these strings, so a code is added here or nowhere (an unknown one raises)."""

    # the library: documents
    FILE_NOT_FOUND = "file_not_found"
    UNREADABLE_FILE = "unreadable_file"
    INVALID_DOCUMENT = "invalid_document"
    UNSUPPORTED_FORMAT = "unsupported_format"
    CORRUPT_FILE = "corrupt_file"
    ENCRYPTED_PDF = "encrypted_pdf"
    NO_TEXT_LAYER = "no_text_layer"
    EMPTY_DOCUMENT = "empty_document"
    TOO_LARGE = "too_large"
    TOO_MANY_PAGES = "too_many_pages"
    PARSE_TIMEOUT = "parse_timeout"
    # the library: taxonomy, models, settings
    INVALID_TAXONOMY = "invalid_taxonomy"
    UNKNOWN_CATEGORY = "unknown_category"
    TAXONOMY_MISMATCH = "taxonomy_mismatch"
    MODEL_NOT_FOUND = "model_not_found"
    NOT_INITIALIZED = "not_initialized"
    INVALID_SETTING = "invalid_setting"
    # the library: commands and batch runs
    USAGE = "usage"
    WRONG_KIND = "wrong_kind"
    NO_INPUT = "no_input"
    INVALID_INPUT = "invalid_input"
    UNFINISHED_RUN = "unfinished_run"
    BATCH_FAILED = "batch_failed"
    SCHEDULER_UNREACHABLE = "scheduler_unreachable"
    SKILLMATCH_ERROR = "skillmatch_error"
    # the service
    BAD_REQUEST = "bad_request"
    INVALID_REQUEST = "invalid_request"
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    REQUEST_TIMEOUT = "request_timeout"
    CONFLICT = "conflict"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    TOO_MANY_PAIRS = "too_many_pairs"
    INVALID_HOST = "invalid_host"
    CROSS_ORIGIN = "cross_origin"
    CLIENT_CLOSED_REQUEST = "client_closed_request"
    DATABASE_UNAVAILABLE = "database_unavailable"
    DATABASE_NOT_MIGRATED = "database_not_migrated"
    NOT_READY = "not_ready"
    OPEN_BIND_REFUSED = "open_bind_refused"
    ADDRESS_IN_USE = "address_in_use"
    INVALID_OWNER = "invalid_owner"
    HTTP_ERROR = "http_error"
    INTERNAL_ERROR = "internal_error"


class SkillmatchError(Exception):
    """Base class: a typed error with a stable code and a one-line message."""

    code: ErrorCode = ErrorCode.SKILLMATCH_ERROR

    def __init__(self, message: str, *, code: ErrorCode | str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = ErrorCode(code)  # a code not in ErrorCode is a bug: ValueError here, not a new contract

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class InputFileError(SkillmatchError):
    """A file named by the user is missing or cannot be read."""

    code = ErrorCode.UNREADABLE_FILE


class DocumentError(SkillmatchError):
    """A document's bytes cannot be turned into text."""

    code = ErrorCode.INVALID_DOCUMENT


@contextmanager
def naming(what: str) -> Iterator[None]:
    """A document error raised inside names the document it is about (a file's path, a request's field): a
    command or a request may read several, and "empty file" alone does not say which."""
    try:
        yield
    except DocumentError as exc:
        exc.args = (f"{what}: {exc.message}",)
        raise


class UnsupportedFormat(DocumentError):
    """The bytes are none of the formats we parse (an image, a spreadsheet, a legacy .doc, ...)."""

    code = ErrorCode.UNSUPPORTED_FORMAT


class CorruptDocument(DocumentError):
    """The bytes claim a format we parse but the file is damaged or truncated."""

    code = ErrorCode.CORRUPT_FILE


class EncryptedDocument(DocumentError):
    """A PDF that cannot be opened without a password."""

    code = ErrorCode.ENCRYPTED_PDF


class NoTextLayer(DocumentError):
    """A PDF whose pages are images without text (a scan): it would need OCR."""

    code = ErrorCode.NO_TEXT_LAYER


class EmptyDocument(DocumentError):
    """The document parsed but holds no visible text."""

    code = ErrorCode.EMPTY_DOCUMENT


class DocumentTooLarge(DocumentError):
    """Over a size limit: ``too_large`` (bytes) or ``too_many_pages``."""

    code = ErrorCode.TOO_LARGE


class ZipBomb(DocumentTooLarge):
    """A DOCX whose members would inflate past the limit; refused before anything is decompressed."""

    code = ErrorCode.TOO_LARGE


class ParseTimeout(DocumentError):
    """Parsing ran past its time limit (checked between pages and paragraphs)."""

    code = ErrorCode.PARSE_TIMEOUT


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

    code = ErrorCode.INVALID_TAXONOMY

    def __init__(self, problems: list[TaxonomyProblem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"invalid taxonomy: {first}{more}")
