"""What a document says about each skill it names: the one place every output reads it from.

Resumes: the years of the dated positions whose text names the skill and the last year of those positions;
where no position names it, the years the resume states ("5 years of Python").

Job posts: how much the post asks for the skill, mention by mention (:func:`mention_importance`), then per
skill: ``required`` when some mention asks for it as a must, else ``preferred``; ``background`` when every
mention is in the company's own text (about us, benefits, equal opportunity), where "we are an AI company"
names a skill without asking for it; and the years asked ("5+ years of Python"). ``skillmatch tag --kind
job``, the gap report, the service, batch scoring and the web page all read these facts, so they cannot
disagree about what a job requires.

A mention's importance comes from its section when the post has headings ("Nice to have" is preferred,
"Benefits" is background, "Requirements" is required unless the sentence says otherwise), and from its
sentence when the section says little: in the text under no heading or an "About us" heading, a sentence that
asks ("you have", "experience with", "must", "required", "looking for") asks; one that talks about the
company ("we are", "founded", "our customers", "salary", "equal opportunity") is background; with neither,
a post with no headings at all asks, and its title asks ("NLP Engineer"), but the about-us text before or under
the first heading does not.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from matcher.analysis import DocumentAnalysis
from matcher.analysis.experience import (
    Experience,
    Level,
    required_years_by_skill,
    requirement_level,
    sentence_bounds,
    skill_experience,
)
from matcher.analysis.sections import ABOUT, BODY
from matcher.types import Section, SkillMention

__all__ = ["BACKGROUND_SECTIONS", "Importance", "SkillFacts", "mention_importance", "skill_facts"]

Importance = Literal["required", "preferred", "background"]

#: Sections a job post talks about itself in: a skill named only there ("we are an AI company") is background.
BACKGROUND_SECTIONS = frozenset({"benefits", "how_to_apply", "equal_opportunity"})

_ASKS = re.compile(
    r"(?<![a-z])(?:must|required|requires?|requirements?|mandatory|essential|needs?|needed|"
    r"you(?:['’]ll|\s+will|\s+should|\s+must|\s+need|\s+have|\s+bring|\s+are|\s+know)|"
    r"experience[ds]?|expertise|proficien(?:t|cy)|knowledge|familiar(?:ity)?|skill(?:s|ed)|hands[\s-]on|"
    r"years?|degree|looking\s+for|seeking|ideal\s+candidate|candidates?|qualifications?|abilit(?:y|ies)|"
    r"understanding|background\s+in|working\s+with|comfortable\s+with|fluen(?:t|cy)|responsib(?:le|ilities)|"
    r"hiring|who\s+(?:knows?|has|have|can|is|are)|knows?)"
    r"(?![a-z])",
    re.IGNORECASE,
)
_COMPANY = re.compile(
    r"(?<![a-z])(?:we\s+are|we['’]re|our\s+(?:company|mission|vision|customers|clients|platform|products?|values|"
    r"culture|offices?|investors|story|founders?)|founded|headquartered|backed\s+by|series\s+[a-e]|funding|"
    r"leader\s+in|leading\s+(?:provider|company|platform)|customers|clients|employees|benefits?|salary|"
    r"compensation|pay\s+range|401\s?\(?k\)?|insurance|paid\s+time\s+off|pto|vacation|holidays|equity|"
    r"stock\s+options|perks|equal\s+(?:employment\s+)?opportunity|eeo|affirmative\s+action|disabilit(?:y|ies)|"
    r"veterans?|religion|gender\s+identity|sexual\s+orientation|national\s+origin|accommodations?|"
    r"visa\s+sponsorship|to\s+apply|apply\s+(?:now|today|here))(?![a-z])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SkillFacts:
    """What one document says about one skill; fields that do not apply to its kind stay None."""

    #: resumes: years in the positions that name it (or years stated), and the last year of those positions
    years: float | None = None
    last_used: int | None = None
    #: job posts: "required" or "preferred", named only in the company's own text, and the years asked
    level: Level | None = None
    background: bool = False
    years_asked: float | None = None


def mention_importance(
    text: str, sections: Sequence[Section], offset: int, *, title_span: tuple[int, int] | None = None
) -> Importance:
    """How much a job post asks for what stands at ``offset`` (see the module docstring).

    >>> about = [Section("about", 0, 47, "About us")]
    >>> mention_importance("We are a fintech using Kafka. You have Python.", about, 25)
    'background'
    >>> mention_importance("We are a fintech using Kafka. You have Python.", about, 39)
    'required'
    """
    i = bisect.bisect_right([s.start for s in sections], offset) - 1
    return _importance(text, sections, offset, sections[i] if i >= 0 else None, title_span)


def _importance(
    text: str, sections: Sequence[Section], offset: int, section: Section | None, title: tuple[int, int] | None
) -> Importance:
    name = section.name if section is not None else None
    if name == "preferred":
        return "preferred"
    if name in BACKGROUND_SECTIONS:
        return "background"
    if name in (ABOUT, BODY) and not (title is not None and title[0] <= offset < title[1]):
        start, end = sentence_bounds(text, offset, section)
        sentence = text[start:end]
        if not _ASKS.search(sentence) and (name == ABOUT or _COMPANY.search(sentence)):
            return "background"
    return requirement_level(text, sections, offset)


def skill_facts(text: str, analysis: DocumentAnalysis, mentions: Iterable[SkillMention]) -> Mapping[str, SkillFacts]:
    """Per skill id: its :class:`SkillFacts` in the analysed document ``text``."""
    found = list(mentions)
    experience, sections = analysis.experience, analysis.sections
    if analysis.kind == "resume":
        return _resume_facts(experience, found, analysis.as_of)
    starts = [s.start for s in sections]
    importance: dict[str, set[Importance]] = {}
    for mention in found:
        seen = importance.setdefault(mention.skill_id, set())
        if "required" not in seen:  # one must-have mention settles it
            i = bisect.bisect_right(starts, mention.start) - 1
            section = sections[i] if i >= 0 else None
            seen.add(_importance(text, sections, mention.start, section, analysis.title_span))
    # a required skill takes its years from what the post requires: "Python: 2 years (Preferred)" wishes for
    # years, and a skill asked with years is a must-have (scoring caps a report that misses one)
    required_years = [r for r in experience.requirements if r.level == "required"]
    asked_required = required_years_by_skill(required_years, found)
    asked = required_years_by_skill(experience.requirements, found)
    facts: dict[str, SkillFacts] = {}
    for skill_id, seen in importance.items():
        required = "required" in seen
        years = asked_required.get(skill_id) if required else asked.get(skill_id)
        facts[skill_id] = SkillFacts(
            level="required" if required else "preferred",
            background=seen == {"background"},
            years_asked=years.min_years if years is not None else None,
        )
    return facts


def _resume_facts(experience: Experience, mentions: list[SkillMention], today: date) -> dict[str, SkillFacts]:
    facts: dict[str, SkillFacts] = {}
    if experience.positions:
        for skill_id, used in skill_experience(experience.positions, mentions, today=today).items():
            facts[skill_id] = SkillFacts(years=used.years, last_used=used.last_year_used)
    for skill_id, stated in required_years_by_skill(experience.requirements, mentions).items():
        if skill_id not in facts:
            facts[skill_id] = SkillFacts(years=stated.min_years)
    return facts
