"""Score a resume against a job: pure functions over profiles, every number explained.

The score, 0-100, is a weighted sum of four components, each 0-1::

    score = 100 x (0.50 required + 0.20 preferred + 0.15 experience + 0.15 title fit)   then the cap

- **required / preferred coverage**: sum(weight x credit) / sum(weight) over the job's required (preferred)
  skills; when a job has no preferred skills their 0.20 goes to required, and the other way round.
- **credit** of one skill: 1 when the resume has it; else the best partial credit through the taxonomy: 0.8 for
  a narrower skill up to two levels down (asked "deep learning frameworks", has PyTorch), 0.5 for its direct
  broader skill, 0.3 for a related skill or a sibling (asked TensorFlow, has PyTorch); families of more than
  25 skills ("machine learning") give no sibling or broader credit. Then
  x experience factor min(1, 0.5 + 0.5 x years / years asked) when both are known, and x recency 1 / 0.85 / 0.7
  when last used at most 2 / 5 / more years ago.
- **experience**: min(1, resume years / years asked overall); 1 when the job asks none, 0.5 when the resume's
  years are unknown.
- **title fit**: seniority distance 0 / 1 / 2 / 3+ gives 1 / 0.7 / 0.3 / 0; 0.8 when either is unknown. When the
  job's seniority comes only from the minimum years it asks ("3+ years"), being more senior costs nothing.
- **cap**: a missing must-have (a required skill asked with years, not even partly met) caps the score at 65.

Same inputs, same output: no randomness, no clock (``as_of`` is the year recency is measured from).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

from matcher.profiles import SENIORITY_RANK, Evidence, JobProfile, ProfileSkill, Requirement, ResumeProfile
from matcher.taxonomy import Taxonomy
from matcher.types import Seniority

Relation = Literal["exact", "narrower", "broader", "sibling", "related"]

COMPONENT_WEIGHTS: Mapping[str, float] = {
    "required_coverage": 0.50, "preferred_coverage": 0.20, "experience": 0.15, "title_fit": 0.15,
}  # fmt: skip
RELATION_CREDIT: Mapping[Relation, float] = {
    "exact": 1.0, "narrower": 0.8, "broader": 0.5, "sibling": 0.3, "related": 0.3,
}  # fmt: skip
MUST_HAVE_CAP = 65.0
#: A family larger than this ("machine learning" and its hundred techniques) says little about siblings.
MAX_SIBLING_FAMILY = 25
#: How far down a narrower skill may sit and still stand for the broader one (family -> tool -> add-on).
NARROWER_DEPTH = 2
SENIORITY_FIT = (1.0, 0.7, 0.3, 0.0)
UNKNOWN_FIT = 0.8


class Credit(NamedTuple):
    """How a resume covers one skill: credit x recency (what "best" compares), the relation credit, the relation,
    and the resume skill behind it."""

    value: float
    credit: float
    relation: Relation
    via: str


_NO_CREDIT = Credit(0.0, 0.0, "related", "")
#: a Credit's fields as a plain tuple, (value, credit, relation, via): what the credit walk builds (thousands per
#: resume in vectorised scoring, where a NamedTuple's constructor would cost a third of the time)
RawCredit = tuple[float, float, Relation, str]


class CreditIndex:
    """For each skill, the skills it gives partial credit to, with the relation: built once per taxonomy."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        #: (skill, max distance) -> {candidate: position in the search order}, filled lazily by closest()
        self._ranks: dict[tuple[str, int], dict[str, int]] = {}
        #: resume skill -> {job skill: (credit, relation)}
        self.gives: dict[str, dict[str, tuple[float, Relation]]] = {}
        skills = taxonomy.skills
        related_to: dict[str, set[str]] = {}  # "related" is not always written on both sides
        for skill in skills.values():
            for other in skill.related:
                related_to.setdefault(other, set()).add(skill.id)
        for sid, skill in skills.items():
            offers: list[tuple[str, Relation]] = [
                (related, "related") for related in sorted({*skill.related, *related_to.get(sid, ())})
            ]
            for parent in skill.broader:
                family = taxonomy.narrower.get(parent, ())
                if len(family) <= MAX_SIBLING_FAMILY:
                    for sibling in family:
                        offers.append((sibling, "sibling"))
            level = list(skill.broader)
            for _ in range(NARROWER_DEPTH):  # having a narrower skill stands for its ancestors
                for ancestor in level:
                    offers.append((ancestor, "narrower"))
                level = [p for a in level for p in skills[a].broader]
            children = taxonomy.narrower.get(sid, ())
            if len(children) <= MAX_SIBLING_FAMILY:  # the broader skill half-stands for a direct narrower one
                for child in children:
                    offers.append((child, "broader"))
            gives: dict[str, tuple[float, Relation]] = {}
            for target, relation in offers:
                credit = RELATION_CREDIT[relation]
                if target != sid and credit > gives.get(target, (0.0, relation))[0]:
                    gives[target] = (credit, relation)
            self.gives[sid] = gives
        receives: dict[str, list[tuple[str, float, Relation]]] = {}
        for giver in sorted(self.gives):
            for target, (credit, relation) in self.gives[giver].items():
                receives.setdefault(target, []).append((giver, credit, relation))
        #: job skill -> ((resume skill, credit, relation), ...) in resume skill id order: ``gives`` inverted
        self.receives: dict[str, tuple[tuple[str, float, Relation], ...]] = {
            target: tuple(givers) for target, givers in receives.items()
        }
        #: ``gives`` as (target, credit, relation) tuples: what the credit walk iterates
        self._offers = {sid: tuple((t, c, r) for t, (c, r) in gives.items()) for sid, gives in self.gives.items()}

    def credits(
        self, resume: Mapping[str, ProfileSkill], targets: Collection[str] | None = None, *, as_of: int
    ) -> dict[str, Credit]:
        """The credit rule, the one place it is written: how a resume covers each of ``targets`` (every skill it
        covers when None), exactly or through a relation.

        A skill the resume has gets credit 1 x its recency. Any other gets the best relation credit x recency
        over the resume skills that give it one; ties go to the first resume skill in id order, so the same
        resume always gets the same answer, and an added skill can only raise a credit. Targets covered by
        nothing get no entry. The one-pair scorer asks for its ~20 job skills, the vectorised scorer and batch
        for every skill their jobs ask (through :meth:`view`, which sets the filter up once); the answer per
        target is the same either way (tests compare with a brute-force reference).
        """
        if targets is None:
            return {t: Credit._make(c) for t, c in _walk(resume, self._offers, None, as_of).items()}
        wanted = targets if isinstance(targets, set | frozenset) else set(targets)
        if len(wanted) > len(resume):  # few resume skills: walk what they give, keep the targets
            return {t: Credit._make(c) for t, c in _walk(resume, self._offers, wanted, as_of).items() if t in wanted}
        return _by_givers(resume, wanted, self.receives, as_of)

    def view(self, targets: Collection[str]) -> CreditView:
        """:meth:`credits` for a fixed set of targets, asked of many resumes: the filter is applied once here."""
        return CreditView(self, frozenset(targets))

    def closest(self, skill_id: str, owned: Mapping[str, object], *, max_distance: int = 3) -> str | None:
        """The owned skill of the same kind nearest ``skill_id`` over broader, narrower and related links, or None
        (the transferable skill of a gap).

        Nearest is the first owned one in :meth:`search_order` (breadth first, neighbours in id order), which
        depends on the taxonomy alone: it is computed once per skill, not once per report.
        """
        rank = self._search_rank(skill_id, max_distance)
        if len(owned) < len(rank):
            best: tuple[int, str] | None = None
            for sid in owned:
                position = rank.get(sid)
                if position is not None and (best is None or position < best[0]):
                    best = (position, sid)
            return best[1] if best is not None else None
        for sid in rank:  # in search order
            if sid in owned:
                return sid
        return None

    def search_order(self, skill_id: str, *, max_distance: int = 3) -> list[str]:
        """Every skill within ``max_distance`` links of ``skill_id``, breadth first, each step's neighbours in
        id order: the order :meth:`closest` tries them in (uncached, for reference and tests)."""
        skills, narrower = self.taxonomy.skills, self.taxonomy.narrower
        seen = {skill_id}
        order: list[str] = []
        queue = deque([(skill_id, 0)])
        while queue:
            current, distance = queue.popleft()
            order.append(current)
            if distance == max_distance:
                continue
            skill = skills[current]
            for neighbour in sorted({*skill.broader, *skill.related, *narrower.get(current, ())}):
                if neighbour not in seen:
                    seen.add(neighbour)
                    queue.append((neighbour, distance + 1))
        return order

    def _search_rank(self, skill_id: str, max_distance: int) -> dict[str, int]:
        """Position in :meth:`search_order` of each candidate (same kind, not ``skill_id``); built once per skill."""
        key = (skill_id, max_distance)
        rank = self._ranks.get(key)
        if rank is None:
            skills = self.taxonomy.skills
            kind = skills[skill_id].kind
            candidates = (
                sid for sid in self.search_order(skill_id, max_distance=max_distance)
                if sid != skill_id and sid in skills and skills[sid].kind == kind
            )  # fmt: skip
            rank = self._ranks[key] = {sid: position for position, sid in enumerate(candidates)}
        return rank


def _walk(
    resume: Mapping[str, ProfileSkill],
    offers: Mapping[str, Iterable[tuple[str, float, Relation]]],
    exact: Collection[str] | None,
    as_of: int,
) -> dict[str, RawCredit]:
    """The credit rule walked from the resume's side: each resume skill, in id order, offers what it gives; its
    own exact credit only where ``exact`` (the targets) allows. Hot in vectorised scoring, hence plain tuples."""
    best: dict[str, RawCredit] = {}
    get = best.get
    for sid in sorted(resume):
        last_used = resume[sid].last_used
        recency = 1.0 if last_used is None else recency_factor(last_used, as_of)
        for target, credit, relation in offers.get(sid, ()):
            value = credit * recency
            if value > get(target, _NO_CREDIT)[0] and target not in resume:
                best[target] = (value, credit, relation, sid)
        if exact is None or sid in exact:
            best[sid] = (recency, 1.0, "exact", sid)
    return best


def _by_givers(
    resume: Mapping[str, ProfileSkill],
    wanted: Collection[str],
    receives: Mapping[str, tuple[tuple[str, float, Relation], ...]],
    as_of: int,
) -> dict[str, Credit]:
    """The credit rule walked from the targets' side (few targets): each target's givers, in id order."""
    best: dict[str, Credit] = {}
    for target in wanted:
        owned = resume.get(target)
        if owned is not None:
            best[target] = Credit(recency_factor(owned.last_used, as_of), 1.0, "exact", target)
            continue
        found = _NO_CREDIT
        for giver, credit, relation in receives.get(target, ()):
            if giver in resume:
                value = credit * recency_factor(resume[giver].last_used, as_of)
                if value > found.value:
                    found = Credit(value, credit, relation, giver)
        if found is not _NO_CREDIT:
            best[target] = found
    return best


class CreditView:
    """:meth:`CreditIndex.credits` restricted to a fixed set of targets, for many resumes (vectorised scoring,
    batch): the relations that reach no target are dropped once, here."""

    def __init__(self, index: CreditIndex, targets: frozenset[str]) -> None:
        self.targets = targets
        self._offers = {
            sid: kept
            for sid, offers in index._offers.items()
            if (kept := tuple(offer for offer in offers if offer[0] in targets))
        }

    def credits(self, resume: Mapping[str, ProfileSkill], *, as_of: int) -> dict[str, RawCredit]:
        """:meth:`CreditIndex.credits` for this view's targets, each as a plain ``(value, credit, relation, via)``
        tuple (the fields of :class:`Credit`, in order)."""
        return _walk(resume, self._offers, self.targets, as_of)  # the offers reach targets only


def best_alternative(members: Iterable[str], credits: Mapping[str, RawCredit]) -> RawCredit | None:
    """A requirement met by the best of several skills ("PyTorch or TensorFlow"): the highest credit x recency,
    ties to the one named first; None when none is covered."""
    found: RawCredit | None = None
    for sid in members:
        candidate = credits.get(sid)
        if candidate is not None and (found is None or candidate[0] > found[0]):  # [0]: value (hot in batch)
            found = candidate
    return found


@dataclass(frozen=True, slots=True)
class SkillLine:
    """One job skill in the report, with everything needed to recompute its contribution."""

    skill_id: str
    name: str
    category: str
    level: str
    weight: float
    #: final credit 0-1 = relation credit x experience factor x recency factor
    credit: float
    relation: Relation | None = None
    #: the resume skill that earned a partial credit
    via: str | None = None
    years: float | None = None
    years_asked: float | None = None
    last_used: int | None = None
    experience_factor: float = 1.0
    recency_factor: float = 1.0
    must_have: bool = False
    job_evidence: tuple[Evidence, ...] = ()
    resume_evidence: tuple[Evidence, ...] = ()
    #: for a missing skill: the closest skill the person has, and broader skills they lack
    transferable: str | None = None
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Components:
    required_coverage: float
    preferred_coverage: float
    experience: float
    title_fit: float


@dataclass(frozen=True)
class MatchReport:
    """The gap report: a score, its components and every skill line behind them."""

    score: float
    components: Components
    #: the component weights actually used (preferred's weight moves to required when a job has none)
    weights: Mapping[str, float]
    uncapped_score: float
    cap_reason: str | None
    matched: tuple[SkillLine, ...]
    partial: tuple[SkillLine, ...]
    missing: tuple[SkillLine, ...]
    learning_order: tuple[str, ...]
    coverage_by_category: Mapping[str, float]
    resume_seniority: Seniority | None
    job_seniority: Seniority | None
    resume_years: float | None
    years_asked: float | None
    low_trust: bool
    trust_warnings: tuple[str, ...]
    taxonomy_version: str
    resume_source: str | None = None
    job_source: str | None = None
    job_title: str | None = None
    diagnostics: Mapping[str, object] = field(default_factory=dict)


def score_match(resume: ResumeProfile, job: JobProfile, index: CreditIndex, *, as_of: int) -> MatchReport:
    """The gap report of ``resume`` against ``job``; score 0-100, deterministic for the same ``as_of`` year.

    >>> report = score_match(resume, job, CreditIndex(taxonomy), as_of=2026)  # doctest: +SKIP
    >>> report.score, report.components.required_coverage                    # doctest: +SKIP
    (72.4, 0.8)
    """
    taxonomy = index.taxonomy
    # only the skills the lines below look up: each requirement, its alternatives and its broader skills
    asked = [sid for req in job.requirements for sid in (req.skill_id, *req.alternatives)]
    asked += [p for req in job.requirements for p in taxonomy.skills[req.skill_id].broader]
    credits = index.credits(resume.skills, asked, as_of=as_of)
    lines = [_line(req, resume, credits, index) for req in job.requirements]
    required = [ln for ln in lines if ln.level == "required"]
    preferred = [ln for ln in lines if ln.level == "preferred"]
    weights = dict(COMPONENT_WEIGHTS)
    if not preferred:
        weights["required_coverage"] += weights.pop("preferred_coverage")
        weights["preferred_coverage"] = 0.0
    elif not required:
        weights["preferred_coverage"] += weights.pop("required_coverage")
        weights["required_coverage"] = 0.0
    components = Components(
        required_coverage=_coverage(required),
        preferred_coverage=_coverage(preferred),
        experience=experience_fit(resume.total_years, job.years_overall),
        title_fit=seniority_fit(resume.seniority, job.seniority, minimum=job.seniority_is_minimum),
    )
    uncapped = 100 * sum(weights[name] * getattr(components, name) for name in COMPONENT_WEIGHTS)
    missing_musts = [ln.name for ln in lines if ln.must_have and ln.relation is None]
    cap_reason = None
    score = uncapped
    if missing_musts and uncapped > MUST_HAVE_CAP:
        score = MUST_HAVE_CAP
        cap_reason = f"missing must-have: {', '.join(missing_musts)} (score capped at {MUST_HAVE_CAP:g})"
    missing = sorted((ln for ln in lines if ln.relation is None), key=lambda ln: (-ln.weight, ln.skill_id))
    return MatchReport(
        score=round(score, 1),
        components=Components(*(round(getattr(components, n), 4) for n in COMPONENT_WEIGHTS)),
        weights=weights,
        uncapped_score=round(uncapped, 1),
        cap_reason=cap_reason,
        matched=tuple(ln for ln in lines if ln.relation == "exact"),
        partial=tuple(ln for ln in lines if ln.relation not in (None, "exact")),
        missing=tuple(missing),
        learning_order=learning_order(missing, resume),
        coverage_by_category=_coverage_by_category(lines),
        resume_seniority=resume.seniority,
        job_seniority=job.seniority,
        resume_years=resume.total_years,
        years_asked=job.years_overall,
        low_trust=bool(resume.trust_warnings or job.trust_warnings),
        trust_warnings=tuple(f"resume: {w}" for w in resume.trust_warnings)
        + tuple(f"job: {w}" for w in job.trust_warnings),
        taxonomy_version=taxonomy.version,
        resume_source=resume.source,
        job_source=job.source,
        job_title=job.title,
    )


def experience_factor(years: float | None, years_asked: float | None) -> float:
    """min(1, 0.5 + 0.5 x years / years asked) when both are known, else 1."""
    if years is None or not years_asked:
        return 1.0
    return min(1.0, 0.5 + 0.5 * years / years_asked)


def recency_factor(last_used: int | None, as_of: int) -> float:
    """1 when used in the last 2 years, 0.85 within 5, 0.7 before; 1 when unknown."""
    if last_used is None:
        return 1.0
    age = as_of - last_used
    return 1.0 if age <= 2 else 0.85 if age <= 5 else 0.7


def experience_fit(resume_years: float | None, years_asked: float | None) -> float:
    if not years_asked:
        return 1.0
    if resume_years is None:
        return 0.5
    return min(1.0, resume_years / years_asked)


def seniority_fit(resume: Seniority | None, job: Seniority | None, *, minimum: bool = False) -> float:
    """1 / 0.7 / 0.3 / 0 by seniority distance; with ``minimum`` (the job only set a floor) more is fine."""
    if resume is None or job is None:
        return UNKNOWN_FIT
    distance = SENIORITY_RANK[resume] - SENIORITY_RANK[job]
    distance = max(0, -distance) if minimum else abs(distance)
    return SENIORITY_FIT[min(distance, len(SENIORITY_FIT) - 1)]


def learning_order(missing: list[SkillLine], resume: ResumeProfile, *, limit: int = 6) -> tuple[str, ...]:
    """Most important missing skills first, each after the prerequisites the person lacks."""
    order: list[str] = []
    for line in missing:
        for step in (*line.prerequisites, line.skill_id):
            if step not in order and step not in resume.skills:
                order.append(step)
        if len(order) >= limit:
            break
    return tuple(order[:limit])


def _line(
    req: Requirement,
    resume: ResumeProfile,
    credits: Mapping[str, Credit],
    index: CreditIndex,
) -> SkillLine:
    skills = index.taxonomy.skills
    skill = skills[req.skill_id]
    line = SkillLine(
        skill_id=req.skill_id,
        name=" or ".join(skills[sid].name for sid in (req.skill_id, *req.alternatives)),
        category=skill.category,
        level=req.level,
        weight=req.weight,
        credit=0.0,
        years_asked=req.years_asked,
        must_have=req.must_have,
        job_evidence=req.evidence,
    )
    chosen = best_alternative((req.skill_id, *req.alternatives), credits)
    if chosen is None:
        prerequisites = tuple(p for p in skill.broader if p not in resume.skills and p not in credits)
        return replace(line, transferable=index.closest(req.skill_id, resume.skills), prerequisites=prerequisites)
    found = Credit._make(chosen)
    owned = resume.skills[found.via]
    exp = experience_factor(owned.years, req.years_asked)
    return replace(
        line,
        credit=round(found.value * exp, 4),
        relation=found.relation,
        via=None if found.via == req.skill_id else found.via,
        years=owned.years,
        last_used=owned.last_used,
        experience_factor=round(exp, 4),
        recency_factor=round(found.value / found.credit, 4),
        resume_evidence=owned.evidence,
    )


def _coverage(lines: list[SkillLine]) -> float:
    total = sum(ln.weight for ln in lines)
    return sum(ln.weight * ln.credit for ln in lines) / total if total else 1.0


def _coverage_by_category(lines: list[SkillLine]) -> dict[str, float]:
    by: dict[str, list[SkillLine]] = {}
    for line in lines:
        by.setdefault(line.category, []).append(line)
    return {category: round(_coverage(group), 4) for category, group in sorted(by.items())}
