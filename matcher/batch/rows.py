"""Rows: the jobs of a batch as one :class:`JobSet`, and the rows of a block of resumes scored against it.

A :class:`JobSet` is what every worker needs, sent once; :meth:`JobSet.from_profiles` is the one way to make one
(:func:`load_jobs` from documents, the service's batch runner from stored profiles), so that the digest, the
taxonomy version and ``as_of`` are always filled in the same way. :class:`RowBuilder` turns the vectorised scores
into the rows both ``skillmatch batch`` and the service write; :func:`score_chunk` is one worker task.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from scipy import sparse

from matcher.batch.engines import _ENGINE_LOCK, _analyse, _engine_for, _refresh_tagger
from matcher.batch.inputs import DocRef, Item, _Reader
from matcher.errors import SkillmatchError
from matcher.scoring.match import COMPONENT_NAMES, best_alternative
from matcher.scoring.titles import TOP_GAPS
from matcher.settings import Settings

if TYPE_CHECKING:
    from matcher.engine import Engine
    from matcher.scoring.profiles import JobProfile, ResumeProfile
    from matcher.scoring.vectorized import Scorer

#: The keys of every row, in this order (the CSV columns; ``components`` and ``top_missing`` as JSON there).
ROW_KEYS = ("resume", "job", "rank", "score", "components", "matched", "partial", "missing", "top_missing")
#: a row's components: the gap report's, in its order (the score is 100 x their weighted sum, capped)
COMPONENT_KEYS = COMPONENT_NAMES


@dataclass(frozen=True)
class JobSet:
    """What every worker needs, sent once: the jobs' profiles and how to build the same Engine.

    Build one with :meth:`from_profiles`, which takes ``as_of`` and the taxonomy version from the Engine."""

    ids: tuple[str, ...]
    profiles: tuple[JobProfile, ...]
    settings: Settings
    as_of: int
    taxonomy_version: str
    top: int | None

    def __post_init__(self) -> None:
        if len(self.ids) != len(self.profiles):
            raise ValueError(f"{len(self.ids)} job ids for {len(self.profiles)} profiles")

    @classmethod
    def from_profiles(
        cls, ids: Sequence[str], profiles: Sequence[JobProfile], engine: Engine, settings: Settings, *, top: int | None
    ) -> JobSet:
        """The job set of jobs already profiled (``ids[i]`` names ``profiles[i]``), scored with ``engine``'s
        taxonomy and its ``as_of`` year: the one way to build one, from documents (:func:`load_jobs`) or from
        stored profiles (the service's batch runner)."""
        return cls(tuple(ids), tuple(profiles), settings, engine.as_of, engine.taxonomy.version, top)

    @functools.cached_property
    def digest(self) -> str:
        """A hash of the ids, the profiles, the taxonomy version and ``as_of``: what the jobs ask for, scored how
        (``--resume`` compares it). Worked out when first asked for (0.4 ms a job): the service never needs it."""
        what = repr((list(self.ids), list(self.profiles), self.taxonomy_version, self.as_of))
        return hashlib.sha256(what.encode()).hexdigest()[:16]

    @property
    def token(self) -> str:
        """Names this batch's RowBuilder in a worker's cache."""
        return f"{self.digest}:{self.top}"


def load_jobs(
    refs: Sequence[DocRef], engine: Engine, settings: Settings, *, top: int | None
) -> tuple[JobSet, list[dict[str, str]]]:
    """Parse, tag and profile every job once, here; the ones that fail become error records."""
    ids: list[str] = []
    profiles: list[JobProfile] = []
    errors: list[dict[str, str]] = []
    with _Reader(read_files=False) as reader, _ENGINE_LOCK:
        for ref in refs:
            analysed = _analyse(engine, reader.item(ref), "job", errors)
            if analysed is not None:
                assert analysed.job is not None
                ids.append(ref.id)
                profiles.append(analysed.job)
    return JobSet.from_profiles(ids, profiles, engine, settings, top=top), errors


class RowBuilder:
    """Rows for a block of resumes against every job: scores and components from the vectorised Scorer, the
    matched / partial / missing counts and top missing skills from the credits the gap report uses.

    Rows come out as JSON lines written with a template (a fifth of the time of building dicts and dumping them:
    at 100 jobs a resume, rows cost as much as tagging otherwise).
    """

    def __init__(self, engine: Engine, jobs: JobSet) -> None:
        from matcher.scoring.vectorized import Scorer

        self.jobs = jobs
        self.scorer: Scorer = Scorer(engine.index, jobs.profiles, as_of=jobs.as_of)
        skills = engine.taxonomy.skills
        #: a requirement is met by the best of its skills: one key per distinct tuple of skills
        keys: dict[tuple[str, ...], int] = {}
        rows: list[int] = []
        cols: list[int] = []
        #: per job, its requirements' keys in the report's order of missing skills (weight, then id)
        self.missing_order: list[tuple[int, ...]] = []
        for j, job in enumerate(jobs.profiles):
            order = []
            for req in sorted(job.requirements, key=lambda r: (-r.weight, r.skill_id)):
                k = keys.setdefault((req.skill_id, *req.alternatives), len(keys))
                rows.append(k)
                cols.append(j)
                order.append(k)
            self.missing_order.append(tuple(order))
        self.keys = list(keys)
        self._names = [_json(" or ".join(skills[sid].name for sid in members)) for members in self.keys]
        self._job_ids = [_json(job_id) for job_id in jobs.ids]
        self.requirements = sparse.csc_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(keys), len(jobs.profiles))
        )
        self._totals = np.asarray(self.requirements.sum(axis=0)).ravel().astype(int)
        #: the credit rule restricted to the skills some job asks for (the other credits change no row)
        self._credits = engine.index.view({sid for members in self.keys for sid in members})

    def lines(self, ids: Sequence[str], resumes: Sequence[ResumeProfile]) -> tuple[bytes, int]:
        """Rows as JSON lines and their number: per resume, every job in input order, or the ``top`` best."""
        if not resumes:
            return b"", 0
        parts = self.scorer.parts(resumes)
        status = np.array([self.status(r) for r in resumes], dtype=np.int8).reshape(len(resumes), len(self.keys))
        matched = (sparse.csr_matrix((status == 2).astype(np.float64)) @ self.requirements).toarray()
        covered = (sparse.csr_matrix((status > 0).astype(np.float64)) @ self.requirements).toarray()
        matched, covered = np.rint(matched).astype(int).tolist(), np.rint(covered).astype(int).tolist()
        scores = parts.score.tolist()
        components = [getattr(parts, name).tolist() for name in COMPONENT_KEYS]
        top, totals, names, job_ids = self.jobs.top, self._totals.tolist(), self._names, self._job_ids
        out: list[str] = []
        for i, resume_id in enumerate(ids):
            rid = _json(resume_id)
            row_scores = scores[i]
            order = sorted(range(len(row_scores)), key=lambda j: -row_scores[j])  # best first, ties in input order
            rank = [0] * len(order)
            for place, j in enumerate(order, start=1):
                rank[j] = place
            missing_here = status[i].tolist()
            req, pref, exp, fit, qual = (c[i] for c in components)
            m_row, c_row = matched[i], covered[i]
            for j in order[:top] if top else range(len(order)):
                top_missing: list[str] = []
                for k in self.missing_order[j]:
                    if missing_here[k] == 0:
                        top_missing.append(names[k])
                        if len(top_missing) == TOP_GAPS:
                            break
                out.append(
                    _ROW.format(
                        rid, job_ids[j], rank[j], round(row_scores[j], 1),
                        round(req[j], 4), round(pref[j], 4), round(exp[j], 4), round(fit[j], 4), round(qual[j], 4),
                        m_row[j], c_row[j] - m_row[j], totals[j] - c_row[j], ",".join(top_missing),
                    )
                )
        return "".join(out).encode("utf-8"), len(out)

    def rows(self, ids: Sequence[str], resumes: Sequence[ResumeProfile]) -> list[dict[str, Any]]:
        """The same rows as dicts."""
        data, _ = self.lines(ids, resumes)
        return [json.loads(line) for line in data.splitlines()]

    def status(self, resume: ResumeProfile) -> list[int]:
        """Per requirement key: 2 met exactly, 1 partly, 0 missing, as the gap report decides: the credit rule
        (:meth:`CreditIndex.credits`) and the best alternative of "A or B" (:func:`best_alternative`)."""
        credits = self._credits.credits(resume.skills, as_of=self.jobs.as_of)
        status = []
        for members in self.keys:
            found = best_alternative(members, credits)
            status.append(0 if found is None else 2 if found[2] == "exact" else 1)
        return status


_ROW = (
    '{{"resume":{},"job":{},"rank":{},"score":{!r},"components":{{"required_coverage":{!r},'
    '"preferred_coverage":{!r},"experience":{!r},"title_fit":{!r},"qualifications":{!r}}},"matched":{},'
    '"partial":{},"missing":{},'
    '"top_missing":[{}]}}\n'
)


def _json(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class Chunk(NamedTuple):
    """Consecutive resumes (by input position): ``first`` is the position of the first one."""

    first: int
    items: list[Item]


@dataclass(frozen=True)
class ChunkResult:
    """What :func:`score_chunk` gives back for a chunk (not a NamedTuple: ``count`` would shadow ``tuple.count``)."""

    first: int
    ids: list[str]  # every resume of the chunk, scored or failed
    failed: list[dict[str, str]]
    rows: bytes  # JSON lines, one per row, encoded in the worker so that the parent does little
    count: int


def score_chunk(chunk: Chunk, jobs: JobSet) -> ChunkResult:
    """Parse, tag and profile a chunk of resumes and score them against every job: the work of one task."""
    with _ENGINE_LOCK:
        builder = _builder_for(jobs)
        engine = _engine_for(jobs.settings)
        _refresh_tagger(engine, jobs.settings, len(chunk.items))
        failed: list[dict[str, str]] = []
        ids: list[str] = []
        profiles: list[ResumeProfile] = []
        for item in chunk.items:
            analysed = _analyse(engine, item, "resume", failed)
            if analysed is not None:
                assert analysed.resume is not None
                ids.append(item.id)
                profiles.append(analysed.resume)
        rows, count = builder.lines(ids, profiles)
    return ChunkResult(chunk.first, [item.id for item in chunk.items], failed, rows, count)


_BUILDERS: dict[str, RowBuilder] = {}


def _builder_for(jobs: JobSet) -> RowBuilder:
    """Per worker process, one RowBuilder per job set (the Scorer's matrices are built once)."""
    builder = _BUILDERS.get(jobs.token)
    if builder is None:
        engine = _engine_for(jobs.settings)
        if engine.taxonomy.version != jobs.taxonomy_version:
            raise SkillmatchError(
                f"this worker's taxonomy is {engine.taxonomy.version}, the batch's {jobs.taxonomy_version}",
                code="taxonomy_mismatch",
            )
        if len(_BUILDERS) >= 2:  # a long-lived Dask worker sees many batches
            _BUILDERS.pop(next(iter(_BUILDERS)))
        builder = _BUILDERS[jobs.token] = RowBuilder(engine, jobs)
    return builder
