"""What scoring needs from a tagged document, and nothing else: skills, years, seniority, qualifications, evidence.

A profile is built once per document and never holds the person's name, contact data, school or any text
but skill mentions, degree names ("M.Sc. Statistics", cut before the school), certification names and job titles,
so a score computed from profiles cannot depend on them. Mentions in the contact block are left out for the same
reason ("github.com/ana" is contact data, not a GitHub skill).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from matcher.analysis.qualifications import CertificationMention, Degree, DegreeAsk, PastTitle, Span
from matcher.types import JobTitle, Seniority, to_jsonable

if TYPE_CHECKING:
    from matcher.analysis import DocumentAnalysis
    from matcher.parsing import ParsedDocument
    from matcher.tagging.tagger import TagResult

Level = Literal["required", "preferred"]

SENIORITY_RANK: Mapping[Seniority, int] = {
    "intern": 0, "junior": 1, "mid": 2, "senior": 3, "lead": 4, "principal": 5, "executive": 6,
}  # fmt: skip
#: Years of experience a title of each seniority usually asks for (taxonomy titles state no years).
TYPICAL_YEARS: Mapping[Seniority, float | None] = {
    "intern": None, "junior": None, "mid": 2, "senior": 5, "lead": 7, "principal": 9, "executive": 10,
}  # fmt: skip
#: Weights of a job skill: required / preferred / named only in the background sections.
BASE_WEIGHT: Mapping[str, float] = {"required": 3.0, "preferred": 1.0, "background": 0.5}

#: What may stand between two members of one list of alternatives: commas, a slash, "or", brackets.
_LIST_GAP = re.compile(r"[\s,/()]*(?:\b(?:and/or|or)\b)?[\s,/()]*", re.I)
_OR_WORD = re.compile(r"\bor\b", re.I)
#: what offers the list after it as examples, any of which will do: "such as A, B, and C", "one of: A, B, C"
_EXAMPLES_BEFORE = re.compile(
    r"(?:\bsuch\s+as|\be\.?g\.?|\bfor\s+(?:example|instance)|\blike|\b(?:at\s+least\s+)?one\s+(?:or\s+more\s+)?of"
    r"(?:\s+the\s+following)?|\bany\s+(?:one\s+)?of(?:\s+the\s+following)?|\beither)[\s:,(]*$",
    re.I,
)
#: ... and a gap such a list may have besides :data:`_LIST_GAP`'s: "Python, Ruby, and Java"
_EXAMPLES_GAP = re.compile(r"[\s,/()]*(?:\b(?:and|or|and/or)\b)?[\s,/()]*", re.I)
#: how far before a list its "such as" may stand, on its line
_EXAMPLES_REACH = 40
_TITLE_SENIORITY: tuple[tuple[re.Pattern[str], Seniority], ...] = (
    (re.compile(r"\b(?:chief|vp|vice president|head of|director)\b", re.I), "executive"),
    (re.compile(r"\b(?:principal|distinguished)\b", re.I), "principal"),
    (re.compile(r"\b(?:lead|staff|architect|manager)\b", re.I), "lead"),
    (re.compile(r"\b(?:senior|sr\.?)\b", re.I), "senior"),
    (re.compile(r"\b(?:junior|jr\.?|graduate|entry[- ]level|associate|apprentice|student|(?:teaching|research|"
                r"graduate)\s+assistant)\b", re.I), "junior"),
    (re.compile(r"\b(?:intern|internship|trainee)\b", re.I), "intern"),
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a skill stands in a document."""

    section: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ProfileSkill:
    """A skill a resume shows, with its evidence and, when positions mention it, years and last use."""

    skill_id: str
    evidence: tuple[Evidence, ...] = ()
    years: float | None = None
    last_used: int | None = None


@dataclass(frozen=True, slots=True)
class ResumeProfile:
    skills: Mapping[str, ProfileSkill]
    total_years: float | None = None
    seniority: Seniority | None = None
    #: reasons to trust the extraction less (scanned pages, hidden text, almost no skills found)
    trust_warnings: tuple[str, ...] = ()
    source: str | None = None
    #: degrees (level and field, never the school), certifications, the titles of the dated positions, and
    #: where the resume shows the person managing people
    degrees: tuple[Degree, ...] = ()
    certifications: tuple[CertificationMention, ...] = ()
    titles: tuple[PastTitle, ...] = ()
    management: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Requirement:
    """A skill a job asks for: its level, weight (from the text) and years asked."""

    skill_id: str
    level: Level
    weight: float
    years_asked: float | None = None
    #: required and asked with years: missing it caps the score
    must_have: bool = False
    evidence: tuple[Evidence, ...] = ()
    #: skills the job accepts instead ("PyTorch or TensorFlow"): the best of them earns the credit
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class JobProfile:
    requirements: tuple[Requirement, ...]
    title: str | None = None
    seniority: Seniority | None = None
    #: the seniority comes from the minimum years asked, not from the title: more senior candidates fit too
    seniority_is_minimum: bool = False
    years_overall: float | None = None
    trust_warnings: tuple[str, ...] = ()
    source: str | None = None
    #: degrees and certifications the post asks for, and where its title stands
    degrees: tuple[DegreeAsk, ...] = ()
    certifications: tuple[CertificationMention, ...] = ()
    title_evidence: Span | None = None


def seniority_from_title(title: str) -> Seniority | None:
    """Seniority a job title states ("Senior ML Engineer" -> senior), or None when it states none."""
    for pattern, level in _TITLE_SENIORITY:
        if pattern.search(title):
            return level
    return None


#: a job board's level field: "Experience level: Senior", "Seniority level:\nEntry level"; its value runs to the
#: line's end or the next field ("Experience level: Senior Role: DevOps")
_LEVEL_FIELD = re.compile(
    r"^[ \t]*(?:experience|seniority|career|job|position)[ \t]+level[ \t]*:\s*(?P<value>[^\n]{1,60})", re.I | re.M
)
_NEXT_FIELD = re.compile(r"\s[A-Z][a-z]+:")
_MID_LEVEL = re.compile(r"\b(?:mid|middle|intermediate)\b", re.I)


def stated_level(text: str) -> Seniority | None:
    """The seniority a job post's level field states, when it states one level ("Experience level: Senior"); None
    for a range ("Mid-Level Senior": the profile holds one level) or no field."""
    found = _LEVEL_FIELD.search(text)
    if found is None:
        return None
    value = found["value"]
    next_field = _NEXT_FIELD.search(value)
    value = value[: next_field.start()] if next_field else value
    levels = {level for pattern, level in _TITLE_SENIORITY if pattern.search(value)}
    if _MID_LEVEL.search(value):
        levels.add("mid")
    return levels.pop() if len(levels) == 1 else None


def seniority_from_years(years: float) -> Seniority:
    """The usual seniority for a number of years of experience."""
    if years < 1.5:
        return "junior"
    if years < 4.5:
        return "mid"
    if years < 8:
        return "senior"
    return "lead"


#: a person's level from their years when their latest title states none: under 2 junior, under 5 mid, else senior
PERSON_YEARS = ((2.0, "junior"), (5.0, "mid"))


def person_seniority(total_years: float, latest_title: str | None) -> Seniority:
    """A person's level as a recruiter reads it: the level their latest title states ("Senior Data Scientist" is
    senior after nine years too; "Machine Learning Intern" is an intern, a teaching assistant junior), else their
    years (:data:`PERSON_YEARS`), never above senior: lead and above is a role a title names, not an amount of
    time. The same reading as the evaluation's labels (``samples/eval/README.md``)."""
    stated = seniority_from_title(latest_title) if latest_title else None
    if stated is not None:
        return stated
    for below, level in PERSON_YEARS:
        if total_years < below:
            return level  # type: ignore[return-value]
    return "senior"


def resume_profile(
    tagged: TagResult, document: ParsedDocument | None = None, analysis: DocumentAnalysis | None = None
) -> ResumeProfile:
    """The scoring view of a tagged resume: every skill the tagger found (it already left out the contact block
    and employers' names), so a skill ``skillmatch tag`` shows is a skill the score sees."""
    experience = analysis.experience if analysis is not None else None
    positions = [(p.text_start, p.text_end) for p in experience.positions] if experience is not None else []
    skills: dict[str, ProfileSkill] = {}
    for skill in tagged.skills:
        evidence = tuple(Evidence(m.section, m.start, m.end, m.text) for m in skill.mentions)
        # A skill the person also names outside their dated positions (skills, summary) is claimed as current:
        # the last position naming it says how long they used it, not that they stopped.
        dated_only = all(any(a <= e.start < b for a, b in positions) for e in evidence)
        skills[skill.id] = ProfileSkill(skill.id, evidence, skill.years, skill.last_used if dated_only else None)
    total_years: float | None = None
    seniority: Seniority | None = None
    found = analysis.qualifications if analysis is not None else None
    if experience is not None and experience.total_months > 0:
        total_years = experience.total_years
        # the latest dated position's title, as the qualifications read it (a heading run into it left out)
        held = [t for t in found.titles if not t.headline] if found is not None else []
        latest = max(held, key=lambda t: (t.last_year is None, t.last_year or 0), default=None)
        seniority = person_seniority(total_years, latest.title if latest is not None else None)
    return ResumeProfile(
        skills=skills,
        total_years=total_years,
        seniority=seniority,
        trust_warnings=_trust_warnings(document, len(skills), "resume"),
        source=tagged.source,
        degrees=found.degrees if found is not None else (),
        certifications=found.certifications if found is not None else (),
        titles=found.titles if found is not None else (),
        management=found.management if found is not None else (),
    )


def job_profile(
    tagged: TagResult, document: ParsedDocument | None = None, analysis: DocumentAnalysis | None = None
) -> JobProfile:
    """The scoring view of a tagged job post: each skill's level and weight come from the job text.

    weight = base (required 3, preferred 1, named only in the about/benefits text 0.5)
             x (1 + 0.25 per further mention, at most 2 counted) x (1.25 when years are asked)

    The level, "named only in the about/benefits text" and the years asked are the tagger's
    (:mod:`matcher.analysis.facts`), the same as ``skillmatch tag --kind job`` shows. Skills offered as
    alternatives ("PyTorch or TensorFlow", "Airflow (or Dagster, Prefect)") make one requirement, met by the best
    of them, under the first one named.
    """
    alternatives, absorbed = _alternatives(tagged, document)
    requirements = []
    for skill in tagged.skills:
        if skill.id in absorbed:
            continue
        background = bool(skill.background)
        level: Level = "preferred" if background or skill.level == "preferred" else "required"
        base = BASE_WEIGHT["background" if background else level]
        repeats = min(len(skill.mentions) - 1, 2)
        weight = base * (1 + 0.25 * repeats) * (1.25 if skill.years_asked else 1.0)
        requirements.append(
            Requirement(
                skill_id=skill.id,
                level=level,
                weight=round(weight, 4),
                years_asked=skill.years_asked,
                must_have=level == "required" and skill.years_asked is not None,
                evidence=tuple(Evidence(m.section, m.start, m.end, m.text) for m in skill.mentions),
                alternatives=alternatives.get(skill.id, ()),
            )
        )
    title = analysis.title if analysis is not None else None
    years_overall = None
    if analysis is not None:
        # "3-5 years of experience", and "4+ years of experience as a data engineer": years of the work itself
        overall = [r.min_years for r in analysis.experience.requirements if r.of_experience]
        years_overall = max(overall) if overall else None
    seniority = seniority_from_title(title) if title else None
    if seniority is None and document is not None:
        seniority = stated_level(document.text)
    from_years = seniority is None and years_overall is not None
    if seniority is None and years_overall is not None:
        seniority = seniority_from_years(years_overall)
    found = analysis.qualifications if analysis is not None else None
    title_evidence = None
    if analysis is not None and analysis.title_span is not None and document is not None:
        start, end = analysis.title_span
        title_evidence = Span(None, start, end, document.text[start:end])
    return JobProfile(
        requirements=tuple(requirements),
        title=title,
        seniority=seniority,
        seniority_is_minimum=from_years,
        years_overall=years_overall,
        trust_warnings=_trust_warnings(document, len(requirements), "job"),
        source=tagged.source,
        degrees=found.degree_asks if found is not None else (),
        certifications=found.certifications if found is not None else (),
        title_evidence=title_evidence,
    )


def _alternatives(
    tagged: TagResult, document: ParsedDocument | None
) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """Runs of mentions in one list joined by "or" or a slash (between skills of one category), or offered as
    examples ("such as A, B, and C", "at least one of: A, B, C"): {first skill: the others}, and the others that
    are named nowhere else (they become alternatives only, not requirements of their own)."""
    if document is None:
        return {}, set()
    text = document.text
    mentions = sorted((m.start, m.end, skill.id) for skill in tagged.skills for m in skill.mentions)
    category = {skill.id: skill.category for skill in tagged.skills}
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    offered = examples = False
    for mention in mentions:
        gap = text[current[-1][1] : mention[0]] if current else ""
        if current and "\n" not in gap and (_LIST_GAP.fullmatch(gap) or (examples and _EXAMPLES_GAP.fullmatch(gap))):
            # a slash offers a choice between kindred skills ("PyTorch/TensorFlow", "AWS/GCP"); between a language
            # and its framework it asks for both ("Python/Django")
            choice = _OR_WORD.search(gap) or ("/" in gap and category[current[-1][2]] == category[mention[2]])
            offered = offered or examples or bool(choice)
            current.append(mention)
            continue
        if offered and len({m[2] for m in current}) > 1:
            runs.append(current)
        current, offered = [mention], False
        line_start = max(text.rfind("\n", 0, mention[0]) + 1, mention[0] - _EXAMPLES_REACH)
        examples = _EXAMPLES_BEFORE.search(text, line_start, mention[0]) is not None
    if offered and len({m[2] for m in current}) > 1:
        runs.append(current)
    groups: dict[str, tuple[str, ...]] = {}
    in_runs: dict[str, int] = {}
    for run in runs:
        ids = list(dict.fromkeys(m[2] for m in run))
        groups[ids[0]] = tuple(dict.fromkeys((*groups.get(ids[0], ()), *ids[1:])))
        for _start, _end, sid in run[1:]:
            in_runs[sid] = in_runs.get(sid, 0) + 1
    mention_count = {skill.id: len(skill.mentions) for skill in tagged.skills}
    absorbed = {sid for sid, n in in_runs.items() if n == mention_count[sid] and sid not in groups}
    return groups, absorbed


def title_profile(title: JobTitle) -> JobProfile:
    """A taxonomy job title as a job to score resumes against (its weights are the taxonomy's)."""
    requirements = [
        Requirement(r.skill_id, "required", r.weight) for r in title.required
    ] + [Requirement(r.skill_id, "preferred", r.weight) for r in title.preferred]
    return JobProfile(
        requirements=tuple(requirements),
        title=title.name,
        seniority=title.seniority,
        years_overall=TYPICAL_YEARS[title.seniority],
        source=title.id,
    )


def _trust_warnings(document: ParsedDocument | None, skill_count: int, kind: str) -> tuple[str, ...]:
    """Reasons a score from this document may not reflect it, each a real one: text the reader cannot see or the
    parser could not read, or nothing to score. A short or unheaded text is no reason: its skills still count."""
    warnings = []
    if document is not None:
        diagnostics = document.diagnostics
        if diagnostics.scanned_pages:
            warnings.append(f"pages without a text layer: {list(diagnostics.scanned_pages)}")
        if diagnostics.hidden_text_count:
            warnings.append(f"{diagnostics.hidden_text_count} spans of hidden text (not scored)")
        if document.pages > 1 and diagnostics.chars < _MIN_CHARS_PER_PAGE * document.pages:
            warnings.append(f"little text extracted: {diagnostics.chars} characters from {document.pages} pages")
    if skill_count == 0:
        warnings.append("no skills found in the resume" if kind == "resume" else "the job post names no skill we know")
    return tuple(warnings)


#: a real page of a resume or job post holds far more text than this; less means the extraction failed
_MIN_CHARS_PER_PAGE = 300


def profile_to_dict(profile: ResumeProfile | JobProfile) -> dict[str, Any]:
    """A profile as plain JSON, so a stored document can be scored again without parsing or tagging it."""
    return to_jsonable(profile)


def _evidence(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(e["section"], e["start"], e["end"], e["text"]) for e in items)


def _span(item: Mapping[str, Any]) -> Span:
    return Span(item["section"], item["start"], item["end"], item["text"])


def _certifications(items: list[dict[str, Any]]) -> tuple[CertificationMention, ...]:
    return tuple(
        CertificationMention(c["cert_id"], c["provider"], c["name"], _span(c["evidence"]), c.get("importance"))
        for c in items
    )


def resume_profile_from_dict(data: Mapping[str, Any]) -> ResumeProfile:
    """The inverse of :func:`profile_to_dict` for a resume."""
    skills = {
        key: ProfileSkill(s["skill_id"], _evidence(s["evidence"]), s["years"], s["last_used"])
        for key, s in data["skills"].items()
    }
    # profiles stored before issue 17 hold no qualifications: they read as none found
    return ResumeProfile(
        skills=skills,
        total_years=data["total_years"],
        seniority=data["seniority"],
        trust_warnings=tuple(data["trust_warnings"]),
        source=data["source"],
        degrees=tuple(
            Degree(d["level"], tuple(d["fields"]), _span(d["evidence"])) for d in data.get("degrees", ())
        ),
        certifications=_certifications(data.get("certifications", [])),
        titles=tuple(
            PastTitle(t["title"], t["last_year"], _span(t["evidence"]), t.get("headline", False))
            for t in data.get("titles", ())
        ),
        management=tuple(_span(m) for m in data.get("management", ())),
    )


def job_profile_from_dict(data: Mapping[str, Any]) -> JobProfile:
    """The inverse of :func:`profile_to_dict` for a job post."""
    requirements = tuple(
        Requirement(
            skill_id=r["skill_id"],
            level=r["level"],
            weight=r["weight"],
            years_asked=r["years_asked"],
            must_have=r["must_have"],
            evidence=_evidence(r["evidence"]),
            alternatives=tuple(r["alternatives"]),
        )
        for r in data["requirements"]
    )
    return JobProfile(
        requirements=requirements,
        title=data["title"],
        seniority=data["seniority"],
        seniority_is_minimum=data["seniority_is_minimum"],
        years_overall=data["years_overall"],
        trust_warnings=tuple(data["trust_warnings"]),
        source=data["source"],
        degrees=tuple(
            DegreeAsk(
                a["level"], tuple(a["fields"]), a["related"], a["equivalent"], a["importance"], _span(a["evidence"])
            )
            for a in data.get("degrees", ())
        ),
        certifications=_certifications(data.get("certifications", [])),
        title_evidence=_span(data["title_evidence"]) if data.get("title_evidence") else None,
    )
