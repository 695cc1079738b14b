"""N resumes x M jobs scored with sparse matrices: the same numbers as :func:`matcher.scoring.match.score_match`.

Each resume becomes a row of credits over skill ids (relation credit x recency, from
:meth:`CreditIndex.credits`); each job a column of requirement weights. Coverage is then one sparse product,
with a small correction for the few skills asked with years, and the other components are outer operations
on per-resume and per-job vectors. The qualifications component (titles, degrees, certifications) is computed
pair by pair with the one-pair scorer's own rule (:func:`matcher.scoring.match.qualification_lines`), only for the jobs
that ask for any. Resumes go through in chunks, so memory grows with the chunk and M, not with N x M.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matcher.scoring.match import (
    COMPONENT_WEIGHTS,
    MUST_HAVE_CAP,
    QUALIFICATIONS_WEIGHT,
    SENIORITY_FIT,
    UNKNOWN_FIT,
    CreditIndex,
    QualificationAsk,
    best_alternative,
    qualification_asks,
    qualification_credit,
    title_credits_by_family,
)
from matcher.scoring.profiles import SENIORITY_RANK, JobProfile, ResumeProfile

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class JobMatrix:
    """The jobs side, built once: requirement weights by skill and the per-job scalars."""

    required: sparse.csc_matrix  # skills x jobs: weight of each required skill
    preferred: sparse.csc_matrix
    must: sparse.csc_matrix  # skills x jobs: 1 for must-haves
    must_count: FloatArray
    required_total: FloatArray
    preferred_total: FloatArray
    weights: FloatArray  # jobs x 4 component weights, in COMPONENT_WEIGHTS order
    years_overall: FloatArray  # nan when not asked
    seniority: FloatArray  # rank, nan when unknown
    seniority_is_minimum: npt.NDArray[np.bool_]
    #: (job, skill column, weight, years asked, is required) for skills asked with years
    asked: tuple[tuple[int, int, float, float, bool], ...]


@dataclass(frozen=True)
class ScoreParts:
    """A block of scores and the components behind them (the names of :class:`matcher.scoring.match.Components`)."""

    score: FloatArray
    required_coverage: FloatArray
    preferred_coverage: FloatArray
    experience: FloatArray
    title_fit: FloatArray
    #: 0 where a pair has no qualification line (its weight is then 0)
    qualifications: FloatArray


class Scorer:
    """Scores many resumes against many jobs; build once per taxonomy and job set."""

    def __init__(self, index: CreditIndex, jobs: Sequence[JobProfile], *, as_of: int) -> None:
        self.index = index
        self.as_of = as_of
        # Only skills some job asks for get a column: a resume's other credits cannot change any score.
        wanted = sorted({sid for job in jobs for req in job.requirements for sid in (req.skill_id, *req.alternatives)})
        self.columns = {sid: i for i, sid in enumerate(wanted)}
        #: requirements met by the best of several skills get a column of their own, after the skills'
        self.groups: dict[tuple[str, ...], int] = {}
        for job in jobs:
            for req in job.requirements:
                if req.alternatives:
                    self.groups.setdefault((req.skill_id, *req.alternatives), len(wanted) + len(self.groups))
        self.jobs = self._job_matrix(jobs)
        self._qualification_matrix(jobs)
        self._credits = index.view(wanted)
        self._asked_columns = sorted({column for _, column, *_ in self.jobs.asked})

    def scores(self, resumes: Sequence[ResumeProfile]) -> FloatArray:
        """``len(resumes) x len(jobs)`` scores, 0-100, unrounded."""
        return self.parts(resumes).score

    def parts(self, resumes: Sequence[ResumeProfile]) -> ScoreParts:
        """The scores with the four components behind them, each ``len(resumes) x len(jobs)``, unrounded."""
        credit, years = self._resume_matrix(resumes)
        asked_at = {column: i for i, column in enumerate(self._asked_columns)}
        jobs = self.jobs
        required = np.asarray((credit @ jobs.required).todense())
        preferred = np.asarray((credit @ jobs.preferred).todense())
        asked_credit = credit[:, self._asked_columns].toarray()  # one slice, not one per (job, skill)
        for job, column, weight, asked, is_required in jobs.asked:
            base = asked_credit[:, asked_at[column]]
            held = years[:, asked_at[column]]
            factor = np.where(np.isnan(held), 1.0, np.minimum(1.0, 0.5 + 0.5 * held / asked))
            target = required if is_required else preferred
            target[:, job] += weight * base * (factor - 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            required_cov = np.where(jobs.required_total > 0, required / jobs.required_total, 1.0)
            preferred_cov = np.where(jobs.preferred_total > 0, preferred / jobs.preferred_total, 1.0)
        experience = self._experience(resumes)
        title_fit = self._title_fit(resumes)
        qualifications, has_lines = self._qualifications(resumes)
        w = jobs.weights
        base = 100 * (w[:, 0] * required_cov + w[:, 1] * preferred_cov + w[:, 2] * experience + w[:, 3] * title_fit)
        # where a pair has qualification lines, they take QUALIFICATIONS_WEIGHT and the rest keeps its proportions
        share = QUALIFICATIONS_WEIGHT * has_lines
        uncapped = (1 - share) * base + 100 * share * qualifications
        present = np.asarray(((credit > 0).astype(np.float64) @ jobs.must).todense())
        capped = (present < jobs.must_count) & (uncapped > MUST_HAVE_CAP)
        return ScoreParts(
            score=np.where(capped, MUST_HAVE_CAP, uncapped),
            required_coverage=required_cov,
            preferred_coverage=preferred_cov,
            experience=np.broadcast_to(experience, uncapped.shape),
            title_fit=np.broadcast_to(title_fit, uncapped.shape),
            qualifications=qualifications,
        )

    def _qualification_matrix(self, jobs: Sequence[JobProfile]) -> None:
        """The qualifications every job asks, each distinct ask once (its credit depends on the ask and the resume
        only), and a matrix of their line weights: asks x jobs."""
        asks: dict[tuple[object, ...], int] = {}
        #: one ask of each key, to compute its credit with
        self._asks: list[QualificationAsk] = []
        rows: list[int] = []
        cols: list[int] = []
        weights: list[float] = []
        for j, job in enumerate(jobs):
            for ask in qualification_asks(job, self.index):
                a = asks.setdefault(ask.key, len(asks))
                if a == len(self._asks):
                    self._asks.append(ask)
                rows.append(a)
                cols.append(j)
                weights.append(ask.weight)
        self._ask_weights = sparse.csc_matrix((weights, (rows, cols)), shape=(len(asks), len(jobs)))
        #: per job, the sum of its lines' weights (0: it asks for none, and the component weighs 0)
        self._weight_totals = np.asarray(self._ask_weights.sum(axis=0)).ravel()

    def _qualifications(self, resumes: Sequence[ResumeProfile]) -> tuple[FloatArray, FloatArray]:
        """The qualifications component of each pair (sum(weight x credit) / sum(weight) over the job's lines, the
        credits from the one-pair rule, :func:`matcher.scoring.match.qualification_credit`), and 1 where the job has
        lines (0 elsewhere, where the component weighs 0)."""
        credits = np.zeros((len(resumes), len(self._asks)))
        as_of, index = self.as_of, self.index
        by_families = [(a, ask.families) for a, ask in enumerate(self._asks) if ask.kind == "title" and ask.families]
        others = [(a, ask) for a, ask in enumerate(self._asks) if not (ask.kind == "title" and ask.families)]
        for r, resume in enumerate(resumes):
            if by_families and resume.titles:  # a taxonomy title's credit: the best over its families
                get = title_credits_by_family(resume, index, as_of=as_of).get
                row = credits[r]
                for a, families in by_families:
                    best = 0.0
                    for family in families:
                        value = get(family, 0.0)
                        if value > best:
                            best = value
                    row[a] = best
            for a, ask in others:
                credits[r, a] = qualification_credit(ask, resume, index, as_of=as_of)
        totals = self._weight_totals[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(totals > 0, np.asarray(credits @ self._ask_weights) / totals, 0.0)
        has_lines = np.broadcast_to((totals > 0).astype(np.float64), values.shape)
        return values, has_lines

    def stream(self, resumes: Sequence[ResumeProfile], *, chunk: int = 2048) -> Iterator[FloatArray]:
        """Score blocks of at most ``chunk`` resumes, in order: memory stays bounded whatever N is."""
        for start in range(0, len(resumes), chunk):
            yield self.scores(resumes[start : start + chunk])

    def _resume_matrix(self, resumes: Sequence[ResumeProfile]) -> tuple[sparse.csr_matrix, FloatArray]:
        """Credits (relation credit x recency: :meth:`CreditIndex.credits`) and, for the skills asked with years,
        the years behind each credit (nan when unknown)."""
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        asked_at = {column: i for i, column in enumerate(self._asked_columns)}
        years = np.full((len(resumes), len(asked_at)), np.nan)
        columns, groups, view, as_of = self.columns, self.groups.items(), self._credits, self.as_of
        for r, resume in enumerate(resumes):
            skills = resume.skills
            credits = view.credits(skills, as_of=as_of)
            placed = [(columns[sid], credit) for sid, credit in credits.items()]
            for members, group_column in groups:
                chosen = best_alternative(members, credits)
                if chosen is not None:
                    placed.append((group_column, chosen))
            for column, credit in placed:
                rows.append(r)
                cols.append(column)
                values.append(credit[0])  # credit x recency (tuple index: this loop runs per resume and column)
                if column in asked_at:
                    years_held = skills[credit[3]].years
                    if years_held is not None:
                        years[r, asked_at[column]] = years_held
        width = len(columns) + len(self.groups)
        matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(resumes), width))
        return matrix, years

    def _job_matrix(self, jobs: Sequence[JobProfile]) -> JobMatrix:
        entries: dict[str, tuple[list[int], list[int], list[float]]] = {
            "required": ([], [], []), "preferred": ([], [], []), "must": ([], [], []),
        }  # fmt: skip
        asked = []
        weights = np.zeros((len(jobs), len(COMPONENT_WEIGHTS)))
        for j, job in enumerate(jobs):
            levels = {req.level for req in job.requirements}
            component = dict(COMPONENT_WEIGHTS)
            if "preferred" not in levels:
                component["required_coverage"] += component["preferred_coverage"]
                component["preferred_coverage"] = 0.0
            elif "required" not in levels:
                component["preferred_coverage"] += component["required_coverage"]
                component["required_coverage"] = 0.0
            weights[j] = [component[name] for name in COMPONENT_WEIGHTS]
            for req in job.requirements:
                members = (req.skill_id, *req.alternatives)
                column = self.groups[members] if req.alternatives else self.columns[req.skill_id]
                rows, cols, values = entries[req.level]
                rows.append(column)
                cols.append(j)
                values.append(req.weight)
                if req.must_have:
                    entries["must"][0].append(column)
                    entries["must"][1].append(j)
                    entries["must"][2].append(1.0)
                if req.years_asked:
                    asked.append((j, column, req.weight, req.years_asked, req.level == "required"))
        shape = (len(self.columns) + len(self.groups), len(jobs))
        matrices = {name: sparse.csc_matrix((v, (r, c)), shape=shape) for name, (r, c, v) in entries.items()}
        return JobMatrix(
            required=matrices["required"],
            preferred=matrices["preferred"],
            must=matrices["must"],
            must_count=np.asarray(matrices["must"].sum(axis=0)).ravel(),
            required_total=np.asarray(matrices["required"].sum(axis=0)).ravel(),
            preferred_total=np.asarray(matrices["preferred"].sum(axis=0)).ravel(),
            weights=weights,
            years_overall=np.array([job.years_overall or np.nan for job in jobs], dtype=np.float64),
            seniority=np.array(
                [SENIORITY_RANK[job.seniority] if job.seniority else np.nan for job in jobs], dtype=np.float64
            ),
            seniority_is_minimum=np.array([job.seniority_is_minimum for job in jobs], dtype=bool),
            asked=tuple(asked),
        )

    def _experience(self, resumes: Sequence[ResumeProfile]) -> FloatArray:
        years = np.array([np.nan if r.total_years is None else r.total_years for r in resumes])[:, None]
        asked = self.jobs.years_overall[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(np.isnan(years), 0.5, np.minimum(1.0, years / asked))
        return np.where(np.isnan(asked), 1.0, ratio)

    def _title_fit(self, resumes: Sequence[ResumeProfile]) -> FloatArray:
        ranks = np.array([SENIORITY_RANK[r.seniority] if r.seniority else np.nan for r in resumes])[:, None]
        signed = ranks - self.jobs.seniority[None, :]
        distance = np.where(self.jobs.seniority_is_minimum[None, :], np.maximum(0, -signed), np.abs(signed))
        table = np.array(SENIORITY_FIT)
        fit = table[np.minimum(np.nan_to_num(distance, nan=0), len(table) - 1).astype(int)]
        return np.where(np.isnan(distance), UNKNOWN_FIT, fit)
