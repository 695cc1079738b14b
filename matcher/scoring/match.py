"""Score a resume against a job: pure functions over profiles, every number explained.

The score, 0-100, is a weighted sum of five components, each 0-1::

    score = 100 x (0.50 required + 0.20 preferred + 0.15 experience + 0.15 title fit)          then the cap
    when the job asks for qualifications (a title, a degree, a certification), instead:
    score = 100 x (0.8 x (0.50 required + 0.20 preferred + 0.15 experience + 0.15 title fit)
                   + 0.20 qualifications)                                                       then the cap

- **required / preferred coverage**: sum(weight x credit) / sum(weight) over the job's required (preferred)
  skills; when a job has no preferred skills their 0.20 goes to required, and the other way round.
- **credit** of one skill: 1 when the resume has it; else the best partial credit through the taxonomy: 0.8 for
  a narrower skill up to three levels down (asked "machine learning", has PyTorch), 0.5 for its direct
  broader skill, 0.3 for a related skill or a sibling (asked TensorFlow, has PyTorch); families of more than
  25 skills ("machine learning") give no sibling or broader credit. Then
  x experience factor min(1, 0.5 + 0.5 x years / years asked) when both are known, and x recency 1 / 0.85 / 0.7
  when last used at most 2 / 5 / more years ago.
- **experience**: min(1, resume years / years asked overall); 1 when the job asks none, 0.5 when the resume's
  years are unknown.
- **title fit**: seniority distance 0 / 1 / 2 / 3+ gives 1 / 0.7 / 0.3 / 0; 0.8 when either is unknown. When the
  job's seniority comes only from the minimum years it asks ("3+ years"), being more senior costs nothing.
- **qualifications**: sum(weight x credit) / sum(weight) over the job's qualification lines (weights: the job's
  title 3, a people-management title 2, a degree or certification 2 when required, 1 when preferred):

  - *title*: the best of the person's past titles (and the title their resume's headline claims), x 1 when held
    now or until last year, 0.7 when ended within 5 years, 0.5 before: same role 1, a related role 0.6, another
    role of the ML and data field 0.3, or the share of the job title's specific words it has
    (:mod:`matcher.scoring.roles`); 0 when none is like it, or the resume names none.
  - *people management* (a manager's, head's or director's title): 1 when the resume shows the person managing
    people (a manager's title, "managed a team of 9"), else 0.
  - *degree*: the best degree the person holds: 1 at the level asked or above in a field the post accepts (any
    field when it names none; related fields when it says "or a related field"), 0.8 when the resume does not
    say the field, 0.7 in a related field the post did not accept, 0.5 in another field or one level below in
    an accepted field, else 0; when the post accepts "equivalent experience", 1 with at least 4 / 6 / 8 years of
    work for a bachelor's / master's / doctorate (2 for an associate degree).
  - *certification*: 1 when the resume names it (or, for "an AWS certification", any of the provider's), 0.5
    for another certification of the same provider, else 0.
- **cap**: a missing must-have (a required skill asked with years, not even partly met) caps the score at 65.
- **verdict**: "strong fit" from 77.5, "partial fit" from 52.5, "not a fit" below (:data:`VERDICT_BANDS`; the
  thresholds that agree best with the labelled pairs of ``samples/eval``, see ``docs/fit.md``).

What a score means, and what is tested: the same inputs give the same output (no randomness, no clock: ``as_of``
is the year recency is measured from); adding to the resume anything a job asks (a skill, a degree, a
certification, a past title) never lowers the score; and on pairs labelled by people, a better label scores
higher (``benchmarks/eval_scoring.py``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, NamedTuple

from matcher.analysis.qualifications import DEGREE_RANK, CertificationMention, DegreeAsk, Span, management_title
from matcher.scoring.profiles import SENIORITY_RANK, Evidence, JobProfile, ProfileSkill, Requirement, ResumeProfile
from matcher.scoring.roles import RoleIndex
from matcher.taxonomy import Taxonomy, read_pickle, write_pickle
from matcher.types import Seniority

Relation = Literal["exact", "narrower", "broader", "sibling", "related"]
QualificationKind = Literal["title", "management", "degree", "certification"]

#: the components scored from skills, years and seniority, as weighted when a job asks for no qualification
COMPONENT_WEIGHTS: Mapping[str, float] = {
    "required_coverage": 0.50, "preferred_coverage": 0.20, "experience": 0.15, "title_fit": 0.15,
}  # fmt: skip
#: the qualifications component's weight when a job asks for any (the others keep their proportions in the rest)
QUALIFICATIONS_WEIGHT = 0.15
#: every component's name, in report order
COMPONENT_NAMES: tuple[str, ...] = (*COMPONENT_WEIGHTS, "qualifications")
#: weight of a qualification line, by kind, when required (a preferred degree or certification weighs half)
QUALIFICATION_LINE_WEIGHTS: Mapping[QualificationKind, float] = {
    "title": 3.0, "management": 2.0, "degree": 2.0, "certification": 2.0,
}  # fmt: skip
#: degree credit (see the module docstring)
DEGREE_CREDIT = {"accepted": 1.0, "field unknown": 0.8, "related field": 0.7, "other field": 0.5, "one below": 0.5}
#: years of work that stand for a degree when the post accepts equivalent experience
EQUIVALENT_YEARS: Mapping[str, float] = {"associate": 2, "bachelor": 4, "master": 6, "doctorate": 8}
SAME_PROVIDER_CREDIT = 0.5
#: the verdict bands, best first: (lowest score, verdict); below the last one, "not a fit"
#: (the thresholds that agreed with most labelled pairs of samples/eval, benchmarks/eval_scoring.py: 0.857 of 840
#: when chosen, 0.850 now)
VERDICT_BANDS: tuple[tuple[float, str], ...] = ((77.5, "strong fit"), (52.5, "partial fit"))
NOT_A_FIT = "not a fit"
RELATION_CREDIT: Mapping[Relation, float] = {
    "exact": 1.0, "narrower": 0.8, "broader": 0.5, "sibling": 0.3, "related": 0.3,
}  # fmt: skip
MUST_HAVE_CAP = 65.0
#: A family larger than this ("machine learning" and its hundred techniques) says little about siblings.
MAX_SIBLING_FAMILY = 25
#: How far down a narrower skill may sit and still stand for the broader one (field -> family -> tool; PyTorch
#: for "machine learning": a resume of deep learning frameworks got nothing for it at two)
NARROWER_DEPTH = 3
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


#: skill -> ((other skill, credit, relation), ...): the skills one gives credit to, or receives credit from
Relations = dict[str, tuple[tuple[str, float, Relation], ...]]


def _credit_relations(taxonomy: Taxonomy) -> tuple[Relations, Relations]:
    """Every skill's offers (the skills it gives partial credit to, with the credit and the relation) and, inverted,
    every skill's givers: the relations of :class:`CreditIndex`."""
    skills = taxonomy.skills
    related_to: dict[str, set[str]] = {}  # "related" is not always written on both sides
    for skill in skills.values():
        for other in skill.related:
            related_to.setdefault(other, set()).add(skill.id)
    all_gives: dict[str, dict[str, tuple[float, Relation]]] = {}
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
        all_gives[sid] = gives
    receives: dict[str, list[tuple[str, float, Relation]]] = {}
    for giver in sorted(all_gives):
        for target, (credit, relation) in all_gives[giver].items():
            receives.setdefault(target, []).append((giver, credit, relation))
    return (
        {sid: tuple((t, c, r) for t, (c, r) in gives.items()) for sid, gives in all_gives.items()},
        {target: tuple(givers) for target, givers in receives.items()},
    )


class CreditIndex:
    """For each skill, the skills it gives partial credit to, with the relation: built once per taxonomy, and kept
    with the taxonomy's compiled cache (building it reads all ~25,000 skills: ~0.5 s of a ``skillmatch match``
    that otherwise takes ~0.4 s; reading it back ~0.07 s)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        #: (skill, max distance) -> {candidate: position in the search order}, filled lazily by closest()
        self._ranks: dict[tuple[str, int], dict[str, int]] = {}
        self._roles: RoleIndex | None = None
        cache = Path(f"{taxonomy.compiled}.credits.pickle") if taxonomy.compiled is not None else None
        cached = read_pickle(cache) if cache is not None else None
        if isinstance(cached, tuple) and len(cached) == 2:
            offers, receives = cached
        else:
            offers, receives = _credit_relations(taxonomy)
            if cache is not None:
                write_pickle(cache, (offers, receives))
        #: resume skill -> ((job skill, credit, relation), ...): what the credit walk iterates
        self._offers: Relations = offers
        #: job skill -> ((resume skill, credit, relation), ...) in resume skill id order: ``_offers`` inverted
        self.receives: Relations = receives

    @cached_property
    def gives(self) -> dict[str, dict[str, tuple[float, Relation]]]:
        """resume skill -> {job skill: (credit, relation)}: ``_offers`` as look-ups."""
        return {sid: {t: (c, r) for t, c, r in offers} for sid, offers in self._offers.items()}

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

    @property
    def roles(self) -> RoleIndex:
        """The taxonomy's titles for comparing job titles with past titles (built on first use)."""
        if self._roles is None:
            self._roles = RoleIndex(self.taxonomy)
        return self._roles

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
class QualificationLine:
    """One qualification a job asks for besides skills, with how the resume meets it."""

    kind: QualificationKind
    #: what the job asks, in words ("Bachelor's degree in computer science or a related field")
    name: str
    level: Literal["required", "preferred"]
    weight: float
    #: 0-1 (see the module docstring)
    credit: float
    #: how the credit was reached, in words
    reason: str
    job_evidence: tuple[Evidence, ...] = ()
    resume_evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Components:
    required_coverage: float
    preferred_coverage: float
    experience: float
    title_fit: float
    #: 0 with weight 0 when the job asks for no qualification
    qualifications: float = 0.0


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
    #: the job's title, degrees, certifications and people management, each with its credit
    qualifications: tuple[QualificationLine, ...] = ()
    #: "strong fit", "partial fit" or "not a fit" (:data:`VERDICT_BANDS`)
    verdict: str = NOT_A_FIT


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
    qualifications = qualification_lines(resume, job, index, as_of=as_of)
    weights = component_weights(has_required=bool(required), has_preferred=bool(preferred),
                                has_qualifications=bool(qualifications))  # fmt: skip
    components = Components(
        required_coverage=_coverage(required),
        preferred_coverage=_coverage(preferred),
        experience=experience_fit(resume.total_years, job.years_overall),
        title_fit=seniority_fit(resume.seniority, job.seniority, minimum=job.seniority_is_minimum),
        qualifications=qualifications_fit(qualifications),
    )
    uncapped = 100 * sum(weights[name] * getattr(components, name) for name in COMPONENT_NAMES)
    missing_musts = [ln.name for ln in lines if ln.must_have and ln.relation is None]
    cap_reason = None
    score = uncapped
    if missing_musts and uncapped > MUST_HAVE_CAP:
        score = MUST_HAVE_CAP
        cap_reason = f"missing must-have: {', '.join(missing_musts)} (score capped at {MUST_HAVE_CAP:g})"
    missing = sorted((ln for ln in lines if ln.relation is None), key=lambda ln: (-ln.weight, ln.skill_id))
    return MatchReport(
        score=round(score, 1),
        components=Components(*(round(getattr(components, n), 4) for n in COMPONENT_NAMES)),
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
        qualifications=qualifications,
        verdict=verdict(round(score, 1)),
    )


def component_weights(*, has_required: bool, has_preferred: bool, has_qualifications: bool) -> dict[str, float]:
    """The weight of each component in one match (they sum to 1): preferred's goes to required when a job has no
    preferred skills (and the other way round); qualifications take :data:`QUALIFICATIONS_WEIGHT` when the job asks
    for any, the others keeping their proportions in the rest."""
    weights = dict(COMPONENT_WEIGHTS)
    if not has_preferred:
        weights["required_coverage"] += weights.pop("preferred_coverage")
        weights["preferred_coverage"] = 0.0
    elif not has_required:
        weights["preferred_coverage"] += weights.pop("required_coverage")
        weights["required_coverage"] = 0.0
    share = QUALIFICATIONS_WEIGHT if has_qualifications else 0.0
    weights = {name: round(weight * (1 - share), 6) for name, weight in weights.items()}
    weights["qualifications"] = share
    return {name: weights[name] for name in COMPONENT_NAMES}


def verdict(score: float) -> str:
    """The verdict band of a score: "strong fit", "partial fit" or "not a fit"."""
    for lowest, name in VERDICT_BANDS:
        if score >= lowest:
            return name
    return NOT_A_FIT


def qualifications_fit(lines: Collection[QualificationLine]) -> float:
    """sum(weight x credit) / sum(weight) over the qualification lines; 0 when there are none (weight 0 then)."""
    total = sum(line.weight for line in lines)
    return sum(line.weight * line.credit for line in lines) / total if total else 0.0


class QualificationAsk(NamedTuple):
    """One qualification a job asks for: its kind, what is asked (the job's title, a :class:`DegreeAsk`, a
    :class:`CertificationMention`; None for people management), its line's weight, and where the job asks it."""

    kind: QualificationKind
    asked: object
    weight: float
    evidence: Span | None = None
    #: for a title that names taxonomy titles, their families: the credit depends on them alone
    families: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[object, ...]:
        """What the credit depends on besides the resume: asks with one key get one credit (vectorised scoring
        computes it once per resume)."""
        asked = self.asked
        if self.kind == "title" and self.families:
            return (self.kind, self.families)
        if isinstance(asked, DegreeAsk):
            return (self.kind, asked.level, asked.fields, asked.related, asked.equivalent)
        if isinstance(asked, CertificationMention):
            return (self.kind, asked.cert_id, asked.provider)
        return (self.kind, asked)


def qualification_asks(job: JobProfile, index: CreditIndex) -> tuple[QualificationAsk, ...]:
    """What a job asks for besides skills: its title (and people management for a manager's title), its degrees
    and its certifications, each with its line's weight (see the module docstring)."""
    asks: list[QualificationAsk] = []
    weights = QUALIFICATION_LINE_WEIGHTS
    families = index.roles.families(job.title) if job.title else frozenset()
    if job.title and families | _specific_words(job.title):
        asks.append(QualificationAsk("title", job.title, weights["title"], job.title_evidence, families))
        if _manages_people(job.title, index):
            asks.append(QualificationAsk("management", None, weights["management"], job.title_evidence))
    for degree in job.degrees:
        weight = weights["degree"] * (1.0 if degree.importance == "required" else 0.5)
        asks.append(QualificationAsk("degree", degree, weight, degree.evidence))
    for cert in job.certifications:
        weight = weights["certification"] * (1.0 if (cert.importance or "required") == "required" else 0.5)
        asks.append(QualificationAsk("certification", cert, weight, cert.evidence))
    return tuple(asks)


def qualification_line(
    ask: QualificationAsk, resume: ResumeProfile, index: CreditIndex, *, as_of: int
) -> QualificationLine:
    """How ``resume`` meets one asked qualification: the credit rule of each kind, the one place it is written."""
    if ask.kind == "title":
        assert isinstance(ask.asked, str)
        return _title_line(resume, ask.asked, ask.evidence, index, as_of)
    if ask.kind == "management":
        return _management_line(resume, ask.evidence)
    if ask.kind == "degree":
        assert isinstance(ask.asked, DegreeAsk)
        return _degree_line(resume, ask.asked)
    return _certification_line(resume, ask.asked)


def qualification_credit(ask: QualificationAsk, resume: ResumeProfile, index: CreditIndex, *, as_of: int) -> float:
    """The credit of :func:`qualification_line`, without the words and evidence around it (vectorised scoring
    asks it of every resume): the same rules, through the same functions."""
    if ask.kind == "title":
        assert isinstance(ask.asked, str)
        return _title_credit(resume, ask.asked, index, as_of)[0]
    if ask.kind == "management":
        return 1.0 if resume.management else 0.0
    if ask.kind == "degree":
        assert isinstance(ask.asked, DegreeAsk)
        return _degree_credit(resume, ask.asked)[0]
    assert isinstance(ask.asked, CertificationMention)
    return _certification_credit(resume, ask.asked)[0]


def qualification_lines(
    resume: ResumeProfile, job: JobProfile, index: CreditIndex, *, as_of: int
) -> tuple[QualificationLine, ...]:
    """The job's title, people management, degrees and certifications, each with how the resume meets it (see
    the module docstring for the credits)."""
    return tuple(qualification_line(ask, resume, index, as_of=as_of) for ask in qualification_asks(job, index))


def _specific_words(title: str) -> frozenset[str]:
    from matcher.scoring.roles import normalise_title

    return frozenset(normalise_title(title).split())


def _manages_people(title: str, index: CreditIndex) -> bool:
    titles = index.taxonomy.titles.values()
    families = index.roles.families(title)
    return management_title(title) or any(t.management and t.family in families for t in titles)


def _evidence_of(span: Span | None) -> tuple[Evidence, ...]:
    return () if span is None else (Evidence(span.section, span.start, span.end, span.text),)


def _title_credit(resume: ResumeProfile, title: str, index: CreditIndex, as_of: int) -> tuple[float, Any, str]:
    """(credit, the past title behind it or None, how it is like the job's title)."""
    best, best_value, best_how = None, 0.0, ""
    for past in resume.titles:
        found = index.roles.similarity(title, past.title)
        value = round(found.value * title_recency(past.last_year, as_of), 4)
        if value > best_value:
            best, best_value, best_how = past, value, found.how
    return best_value, best, best_how


def title_credits_by_family(resume: ResumeProfile, index: CreditIndex, *, as_of: int) -> dict[str, float]:
    """The title credit of :func:`_title_credit` for a job title of each family at once (a taxonomy title's credit
    depends on its families alone: the best over them): vectorised scoring asks it once per resume."""
    best: dict[str, float] = {}
    get = best.get
    for past in resume.titles:
        recency = title_recency(past.last_year, as_of)
        for family, value in index.roles.family_values(past.title).items():
            credit = value * recency
            if credit > get(family, 0.0):
                best[family] = credit
    return {family: round(credit, 4) for family, credit in best.items()}  # the max of rounded = the rounded max


def _title_line(
    resume: ResumeProfile, title: str, evidence: Span | None, index: CreditIndex, as_of: int
) -> QualificationLine:
    credit, best, how = _title_credit(resume, title, index, as_of)
    if best is None:
        reason = "the resume names no job title" if not resume.titles else "no past title like it"
    else:
        when = "now" if best.last_year is None else f"until {best.last_year}"
        recency = title_recency(best.last_year, as_of)
        factor = f" x recency {recency:g}" if recency != 1 else ""
        reason = f"'{best.title}' ({when}) {'' if how.startswith('shares') else 'is '}{how}{factor}"
    return QualificationLine(
        kind="title",
        name=" ".join(title.split()),
        level="required",
        weight=QUALIFICATION_LINE_WEIGHTS["title"],
        credit=credit,
        reason=reason,
        job_evidence=_evidence_of(evidence),
        resume_evidence=_evidence_of(best.evidence) if best is not None else (),
    )


def _management_line(resume: ResumeProfile, evidence: Span | None) -> QualificationLine:
    shown = resume.management[:2]
    return QualificationLine(
        kind="management",
        name="people management",
        level="required",
        weight=QUALIFICATION_LINE_WEIGHTS["management"],
        credit=1.0 if shown else 0.0,
        reason=f"manages people: '{shown[0].text}'" if shown else "no sign of managing people",
        job_evidence=_evidence_of(evidence),
        resume_evidence=tuple(e for span in shown for e in _evidence_of(span)),
    )


_DEGREE_NAMES = {"associate": "Associate degree", "bachelor": "Bachelor's degree", "master": "Master's degree",
                 "doctorate": "Doctorate"}  # fmt: skip
_DEGREE_HOW = {"accepted": "meets it", "field unknown": "at the level, field not stated",
               "related field": "in a related field", "other field": "in another field",
               "one below": "one level below"}  # fmt: skip


def degree_text(ask: DegreeAsk) -> str:
    """An asked degree in words: "Bachelor's degree in computer science or a related field, or equivalent
    experience"."""
    text = _DEGREE_NAMES[ask.level] + (" or higher" if ask.level != "doctorate" else "")
    if ask.fields:
        text += " in " + ", ".join(f.replace("_", " ") for f in ask.fields)
        if ask.related:
            text += " or a related field"
    if ask.equivalent:
        text += ", or equivalent experience"
    return text


def _degree_credit(resume: ResumeProfile, ask: DegreeAsk) -> tuple[float, Any, str]:
    """(credit, the degree behind it or None, how: a key of DEGREE_CREDIT, "equivalent" or "")."""
    from matcher.analysis.qualifications import bundled_qualifications

    data = bundled_qualifications()
    asked = DEGREE_RANK[ask.level]
    accepted = data.related_to(ask.fields) if ask.related else frozenset(ask.fields)
    related = data.related_to(ask.fields)
    best, best_credit, best_how = None, 0.0, ""
    for degree in resume.degrees:
        held = DEGREE_RANK[degree.level]
        fields = set(degree.fields)
        if held >= asked:
            if not ask.fields or fields & accepted:
                how = "accepted"
            elif not fields:
                how = "field unknown"
            elif fields & related:
                how = "related field"
            else:
                how = "other field"
        elif held == asked - 1 and (not ask.fields or fields & accepted):
            how = "one below"
        else:
            continue
        if DEGREE_CREDIT[how] > best_credit:
            best, best_credit, best_how = degree, DEGREE_CREDIT[how], how
    if ask.equivalent and best_credit < 1.0 and (resume.total_years or 0.0) >= EQUIVALENT_YEARS[ask.level]:
        return 1.0, None, "equivalent"
    return best_credit, best, best_how


def _degree_line(resume: ResumeProfile, ask: DegreeAsk) -> QualificationLine:
    credit, best, how = _degree_credit(resume, ask)
    if how == "equivalent":
        years = resume.total_years or 0.0
        reason = f"equivalent experience: {years:g} years of work (at least {EQUIVALENT_YEARS[ask.level]:g})"
    elif best is None:
        reason = "no degree found in the resume"
    else:
        reason = f"'{best.evidence.text}': {_DEGREE_HOW[how]}"
    return QualificationLine(
        kind="degree",
        name=degree_text(ask),
        level=ask.importance,
        weight=QUALIFICATION_LINE_WEIGHTS["degree"] * (1.0 if ask.importance == "required" else 0.5),
        credit=credit,
        reason=reason,
        job_evidence=_evidence_of(ask.evidence),
        resume_evidence=_evidence_of(best.evidence) if best is not None else (),
    )


def _certification_credit(resume: ResumeProfile, ask: CertificationMention) -> tuple[float, Any]:
    """(credit, the certification behind it or None)."""
    best, credit = None, 0.0
    for held in resume.certifications:
        if (ask.cert_id is not None and held.cert_id == ask.cert_id) or (
            ask.cert_id is None and held.provider is not None and held.provider == ask.provider
        ):
            return 1.0, held
        if ask.provider is not None and held.provider == ask.provider and credit < SAME_PROVIDER_CREDIT:
            best, credit = held, SAME_PROVIDER_CREDIT
    return credit, best


def _certification_line(resume: ResumeProfile, ask: object) -> QualificationLine:
    assert isinstance(ask, CertificationMention)
    credit, best = _certification_credit(resume, ask)
    if best is None:
        reason = "not in the resume"
    elif credit == 1.0:
        reason = f"'{best.evidence.text}'"
    else:
        reason = f"another {str(ask.provider).upper()} one: '{best.name}'"
    level = ask.importance or "required"
    return QualificationLine(
        kind="certification",
        name=ask.name,
        level=level,
        weight=QUALIFICATION_LINE_WEIGHTS["certification"] * (1.0 if level == "required" else 0.5),
        credit=credit,
        reason=reason,
        job_evidence=_evidence_of(ask.evidence),
        resume_evidence=_evidence_of(best.evidence) if best is not None else (),
    )


def experience_factor(years: float | None, years_asked: float | None) -> float:
    """min(1, 0.5 + 0.5 x years / years asked) when both are known, else 1."""
    if years is None or not years_asked:
        return 1.0
    return min(1.0, 0.5 + 0.5 * years / years_asked)


def title_recency(last_year: int | None, as_of: int) -> float:
    """How much a past title counts: 1 when held now or until last year, 0.7 within 5 years, 0.5 before (the
    latest role says most about what a person does)."""
    if last_year is None:
        return 1.0
    age = as_of - last_year
    return 1.0 if age <= 1 else 0.7 if age <= 5 else 0.5


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
