"""The one place skillmatch reads configuration from: ``SKILLMATCH_*`` environment variables.

Read by a pydantic model and a few lines here rather than by pydantic-settings, whose import (asyncio, dotenv,
cloud secret stores) was a third of ``skillmatch tag``'s start-up. The rules are the ones it applied: one variable
per field, ``SKILLMATCH_`` + the field's name in any case, lists as JSON, arguments over the environment.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_PREFIX = "SKILLMATCH_"


def _default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/skillmatch``, else ``~/.cache/skillmatch``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "skillmatch"


#: field types whose variable holds JSON (``SKILLMATCH_CORS_ORIGINS='["https://a.example"]'``)
_JSON_TYPES = (list, dict, set, frozenset, tuple)


def _holds_json(annotation: Any) -> bool:
    """Whether a field of this type is given as JSON: a collection, or an optional one."""
    if annotation in _JSON_TYPES or get_origin(annotation) in _JSON_TYPES:
        return True
    return any(_holds_json(member) for member in get_args(annotation)) if get_origin(annotation) else False


def environment_values(model: type[BaseModel]) -> dict[str, Any]:
    """The ``SKILLMATCH_*`` variables that name a field of ``model``, by field name; a collection field's value is
    read as JSON (left as text when it is not JSON, for validation to reject in one line)."""
    environment = {name.upper(): value for name, value in os.environ.items() if name.upper().startswith(ENV_PREFIX)}
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        raw = environment.get(ENV_PREFIX + name.upper())
        if raw is None:
            continue
        if _holds_json(field.annotation):
            try:
                values[name] = json.loads(raw)
                continue
            except ValueError:
                pass
        values[name] = raw
    return values


class Settings(BaseModel):
    """Library settings; entry points read them once and pass plain values down. ``Settings(**values)`` reads the
    environment for every field not given; a keyword that names no field is an error (a typo, or a service
    setting given to the library)."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**environment_values(type(self)), **values})

    #: A directory of the user's own taxonomy files that extend or override the bundled ones.
    taxonomy_dir: Path | None = None
    #: An installed spaCy model to use instead of ``spacy.blank("en")`` (never downloaded).
    spacy_model: str | None = None
    #: Drop the tokenizer's special-case rules on blank pipelines: ~25x faster tokenising (spaCy#13950);
    #: our matcher does not depend on spaCy's token boundaries, so mentions are unchanged.
    fast_tokenizer: bool = True
    #: Accept misspelled skill names (RapidFuzz, length-aware cut-offs).
    fuzzy: bool = True
    #: Read multi-word skill names written with other word forms and words between ("solving business problems"
    #: is *solve problems*): :mod:`matcher.tagging.phrases`.
    phrases: bool = False
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
        message = error.get("msg", "invalid")
        if error.get("type") in ("list_type", "dict_type", "set_type", "tuple_type") and isinstance(
            error.get("input"), str
        ):
            message += ', written as JSON (["a", "b"])'
        problems.append(f"SKILLMATCH_{field.upper()}: {message}")
    return "invalid setting " + "; ".join(problems)
