"""Plain, frozen records handed from one stage to the next."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

SkillKind = Literal["hard", "soft"]
SkillTier = Literal["curated", "long_tail"]
Seniority = Literal["intern", "junior", "mid", "senior", "lead", "principal", "executive"]


@dataclass(frozen=True, slots=True)
class Skill:
    """One taxonomy skill."""

    id: str
    name: str
    category: str
    kind: SkillKind
    aliases: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    external: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    #: "curated" (written for ML hiring, decides every conflict) or "long_tail" (generated from ESCO and O*NET,
    #: matched under stricter rules: see :mod:`matcher.taxonomy_build`)
    tier: SkillTier = "curated"


@dataclass(frozen=True, slots=True)
class SkillRequirement:
    """A skill a job title asks for, with its weight."""

    skill_id: str
    weight: float


@dataclass(frozen=True, slots=True)
class JobTitle:
    """One ML job title with the skills it asks for."""

    id: str
    name: str
    seniority: Seniority
    alternate_titles: tuple[str, ...]
    required: tuple[SkillRequirement, ...]
    preferred: tuple[SkillRequirement, ...]
    external: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    #: the role whatever the level (ML engineers junior, mid and senior share one): the title's id by default
    family: str = ""
    #: families of similar roles, whose past titles are partial evidence for this one
    related: tuple[str, ...] = ()
    #: a people-management title: fits only a person with evidence of managing people
    management: bool = False
    #: a neighbour outside the ML and data field: ranked and shown, never an ML fit
    adjacent: bool = False


@dataclass(frozen=True, slots=True)
class SkillMention:
    """A skill found in a text: taxonomy id and exact character offsets (``text[start:end]``)."""

    skill_id: str
    start: int
    end: int
    text: str
    fuzzy: bool = False
    #: the document section the mention stands in ("skills", "experience", "requirements"), when known
    section: str | None = None


DocumentKind = Literal["resume", "job"]


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of a parsed document's text with the layout cues that help find headings."""

    start: int
    end: int
    page: int | None = None
    bold: bool = False
    #: font size in points; None when the format has no sizes (plain text)
    size: float | None = None
    #: the parser saw this line wrap into the next one (same paragraph, not a new list item): the newline
    #: after it is a soft break that a multi-word skill may cross
    wraps: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a document: ``text[start:end]``; ``heading`` is the text as written."""

    name: str
    start: int
    end: int
    heading: str = ""


def to_jsonable(value: Any) -> Any:
    """Plain JSON values from our frozen dataclasses (dates as ISO strings, tuples as lists)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
