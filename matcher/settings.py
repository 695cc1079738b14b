"""The one place skillmatch reads configuration from: ``SKILLMATCH_*`` environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/skillmatch``, else ``~/.cache/skillmatch``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "skillmatch"


class Settings(BaseSettings):
    """Library settings; entry points read them once and pass plain values down."""

    model_config = SettingsConfigDict(env_prefix="SKILLMATCH_", extra="ignore")

    #: A directory of the user's own taxonomy files that extend or override the bundled ones.
    taxonomy_dir: Path | None = None
    #: An installed spaCy model to use instead of ``spacy.blank("en")`` (never downloaded).
    spacy_model: str | None = None
    #: Drop the tokenizer's special-case rules on blank pipelines: ~25x faster tokenising (spaCy#13950);
    #: our matcher does not depend on spaCy's token boundaries, so mentions are unchanged.
    fast_tokenizer: bool = True
    #: Accept misspelled skill names (RapidFuzz, length-aware cut-offs).
    fuzzy: bool = True
    #: The trained skill recogniser beside the taxonomy (``on``/``off``): finds skill phrases no list names,
    #: links what it can, reports the rest as ``unlinked`` (docs/recogniser.md). Off by default: ~30 resumes/s
    #: per core with it against ~500 without, under the 300/s it would need to be on by default.
    recogniser: bool = False
    #: Where parsed taxonomy files are cached (JSON keyed by content hash); empty to switch caching off.
    cache_dir: Path | None = Field(default_factory=_default_cache_dir)

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _empty_means_off(cls, value: object) -> object:
        return None if value == "" else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read from the environment once per process."""
    return Settings()


def settings_error(exc: ValidationError) -> str:
    """One line naming every invalid ``SKILLMATCH_*`` variable and why: what ``skillmatch`` prints at start.

    >>> try:
    ...     Settings(fuzzy="nonsense")
    ... except ValidationError as exc:
    ...     print(settings_error(exc))
    invalid setting SKILLMATCH_FUZZY: Input should be a valid boolean, unable to interpret input
    """
    problems = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(f"SKILLMATCH_{field.upper()}: {error.get('msg', 'invalid')}")
    return "invalid setting " + "; ".join(problems)
