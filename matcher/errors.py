"""Errors raised by the skillmatch library.

Every error has a stable ``code`` (scripts and the API key on it) and a one-line message::

    SkillmatchError
    ├── InputFileError          code "file_not_found" / "unreadable_file"
    ├── DocumentError           problems with a document's content (the parsing stage adds subclasses)
    └── TaxonomyError           code "invalid_taxonomy": every problem of every file, reported at once
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
