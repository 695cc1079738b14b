"""Plain, frozen records handed from one stage to the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SkillKind = Literal["hard", "soft"]
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


@dataclass(frozen=True, slots=True)
class SkillMention:
    """A skill found in a text: taxonomy id and exact character offsets (``text[start:end]``)."""

    skill_id: str
    start: int
    end: int
    text: str
    fuzzy: bool = False


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


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a document: ``text[start:end]``; ``heading`` is the text as written."""

    name: str
    start: int
    end: int
    heading: str = ""
