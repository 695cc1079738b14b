"""Search a pool of stored profiles both ways: the best jobs for a resume, the best resumes for a job.

A pool holds tens of thousands of profiles as arrays, not as objects, and scores one query against all of them
with the rules of :func:`matcher.scoring.match.score_match`, to the last digit: the score a pool ranks by is the score
the gap report of the same pair shows (a property test checks it on random pools). Only the rows a page returns
need a full report; the caller builds those with ``score_match``.

**Two sides.**

- :class:`JobPool` (rank jobs for one resume). Each job's skill lines are kept *by position*: the k-th required
  line of every job in one slice (its column, weight, years asked, must-have). One query computes the resume's
  credit for every column the jobs ask (:meth:`CreditIndex.credits`, and the best of each "A or B" group), then
  adds each job's lines in the job's own order, as the report does.
- :class:`ResumePool` (rank resumes for one job). Each resume is a row of a sparse resume x skill matrix holding
  what a credit needs of each skill (its recency factor and years), so the credit of every resume for the few
  skills a job asks is computed on the fly, from the targets' side: for each target, the best relation credit x
  recency over the skills that give it one, in skill id order, or its own recency when held (the rule of
  :meth:`CreditIndex.credits`). The qualifications a job asks (its title, degrees, certifications, people
  management) are scored per distinct past title, degree, certification and number of years in the pool, each
  once per ask: a resume's credit is the best of its own (:func:`matcher.scoring.match.qualification_credit` on a
  profile holding that one item), and the credits per ask are cached.

**Exactly the same numbers.** Where the report rounds (each line's credit to 4 decimals, the score to 1), the pool
rounds as Python's ``round`` does (numpy's rounding differs at halves: those few values go through ``round``
itself); where the report adds with ``sum()``, the pool adds the same terms in the same order (and, on Python
3.12 and later, with the same compensation as ``sum()``); where a component comes from a function of one value
(experience fit, seniority fit, experience factor, recency factor), the pool evaluates that function once per
distinct value and looks the answers up. No rule is written twice.

**Blocks.** A pool is a main block, built in one go (from a stream: a chunk at a time), and a small tail block
that takes new rows; the tail is rebuilt on each addition and joins the main block when it grows past
:data:`TAIL_ROWS`. A removed row is a tombstone until a quarter of the rows are; then the block is compacted.

**Order.** Best score first; ties by each row's ``order`` number (the service: upload time in microseconds, so
the oldest upload first), then by key. A page is ``(offset, limit)`` of that order, after the filters.

>>> pool = JobPool(engine.index, as_of=engine.as_of)                          # doctest: +SKIP
>>> pool.add((path, position, job_features(job)) for position, (path, job) in enumerate(jobs))  # doctest: +SKIP
>>> [(hit.key, hit.score) for hit in pool.search(resume, limit=3).hits]        # doctest: +SKIP
[('jobs/ml_engineer.md', 84.8), ('jobs/mlops.md', 71.2), ('jobs/data_engineer.md', 52.0)]
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from matcher.analysis.qualifications import CertificationMention, Degree, DegreeAsk, PastTitle, Span
from matcher.scoring.match import (
    MUST_HAVE_CAP,
    CreditIndex,
    QualificationAsk,
    best_alternative,
    component_weights,
    experience_factor,
    experience_fit,
    qualification_asks,
    qualification_credit,
    recency_factor,
    seniority_fit,
    title_credits_by_family,
)
from matcher.scoring.profiles import SENIORITY_RANK, JobProfile, ProfileSkill, Requirement, ResumeProfile
from matcher.types import Seniority

__all__ = [
    "FEATURES_VERSION",
    "Hit",
    "JobPool",
    "Page",
    "ResumePool",
    "Row",
    "features",
    "job_features",
    "profile_from_features",
    "resume_features",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
T = TypeVar("T")

#: what a stored features record holds; a record of another version is read again from the profile
FEATURES_VERSION = 1
#: rows the tail block takes before it joins the main block
TAIL_ROWS = 2048
#: rows built into one block at a time when a pool is filled from a stream (smaller chunks leave less freed
#: memory behind: 76 MB against 109 MB of RSS for 50,000 + 50,000 rows at 8192, measured)
CHUNK_ROWS = 2048
#: seniority levels and None, in rank order: a row's seniority is its index here
SENIORITIES: tuple[Seniority | None, ...] = (None, *SENIORITY_RANK)
_SENIORITY_CODE = {level: code for code, level in enumerate(SENIORITIES)}
#: Python 3.12 made ``sum()`` of floats compensated (Neumaier); the pool adds as the running interpreter does
COMPENSATED_SUM = sys.version_info >= (3, 12)
#: evidence the pool's own profiles carry: none (a score never reads evidence)
_NO_SPAN = Span(None, 0, 0, "")

#: a row to add: its key (a document id, a file path), its order number (ties: lower first) and its features
Row = tuple[str, int, Mapping[str, Any]]


# ------------------------------------------------------------------------------------------------------- features


def resume_features(profile: ResumeProfile) -> dict[str, Any]:
    """What a resume pool keeps of a resume: what its scores depend on, without evidence (plain JSON, about a
    fifth of the stored profile: the service stores it beside each document, so a pool builds without decoding
    whole profiles)."""
    return {
        "v": FEATURES_VERSION,
        "skills": [[sid, skill.years, skill.last_used] for sid, skill in sorted(profile.skills.items())],
        "total_years": profile.total_years,
        "seniority": profile.seniority,
        "titles": [[t.title, t.last_year, t.headline] for t in profile.titles],
        "degrees": [[d.level, list(d.fields)] for d in profile.degrees],
        "certifications": [[c.cert_id, c.provider, c.name] for c in profile.certifications],
        "management": bool(profile.management),
    }


def job_features(profile: JobProfile) -> dict[str, Any]:
    """What a job pool keeps of a job post: its requirements and what it asks besides, without evidence."""
    return {
        "v": FEATURES_VERSION,
        "requirements": [
            [r.skill_id, r.level, r.weight, r.years_asked, r.must_have, list(r.alternatives)]
            for r in profile.requirements
        ],
        "title": profile.title,
        "seniority": profile.seniority,
        "seniority_is_minimum": profile.seniority_is_minimum,
        "years_overall": profile.years_overall,
        "degrees": [[a.level, list(a.fields), a.related, a.equivalent, a.importance] for a in profile.degrees],
        "certifications": [[c.cert_id, c.provider, c.name, c.importance] for c in profile.certifications],
    }


def features(profile: ResumeProfile | JobProfile) -> dict[str, Any]:
    """:func:`resume_features` or :func:`job_features`, by the profile's kind."""
    return resume_features(profile) if isinstance(profile, ResumeProfile) else job_features(profile)


def profile_from_features(data: Mapping[str, Any], kind: str) -> ResumeProfile | JobProfile:
    """The profile a features record stands for, without evidence: it scores as the whole profile does."""
    if kind == "resume":
        return ResumeProfile(
            skills={sid: ProfileSkill(sid, (), years, last_used) for sid, years, last_used in data["skills"]},
            total_years=data["total_years"],
            seniority=data["seniority"],
            titles=tuple(PastTitle(title, year, _NO_SPAN, headline) for title, year, headline in data["titles"]),
            degrees=tuple(Degree(level, tuple(fields), _NO_SPAN) for level, fields in data["degrees"]),
            certifications=tuple(
                CertificationMention(cid, provider, name, _NO_SPAN) for cid, provider, name in data["certifications"]
            ),
            management=(_NO_SPAN,) if data["management"] else (),
        )
    return JobProfile(
        requirements=tuple(
            Requirement(sid, level, weight, years, must, (), tuple(alternatives))
            for sid, level, weight, years, must, alternatives in data["requirements"]
        ),
        title=data["title"],
        seniority=data["seniority"],
        seniority_is_minimum=data["seniority_is_minimum"],
        years_overall=data["years_overall"],
        degrees=tuple(
            DegreeAsk(level, tuple(fields), related, equivalent, importance, _NO_SPAN)
            for level, fields, related, equivalent, importance in data["degrees"]
        ),
        certifications=tuple(
            CertificationMention(cid, provider, name, _NO_SPAN, importance)
            for cid, provider, name, importance in data["certifications"]
        ),
    )


# -------------------------------------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Hit:
    """One row of a page: the row's key and its score, equal to ``score_match(...).score`` of the pair."""

    key: str
    score: float


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a search, best first, and how many rows passed the filters."""

    hits: tuple[Hit, ...]
    count: int


# ---------------------------------------------------------------------------------------------- exact arithmetic


#: whether numpy's long double holds 63 significant bits or more (x86-64's 80-bit format, IEEE quad): then
#: ``x x 5**d x 2**d`` is exact for a double ``x`` and ``d <= 4``, and a half can be told from its neighbours
EXACT_LONGDOUBLE = np.finfo(np.longdouble).nmant >= 63


def py_round(values: FloatArray, digits: int) -> FloatArray:
    """``round(x, digits)`` of each value, as Python computes it (half to even, of the exact binary value).

    numpy rounds ``x * 10**digits`` to an integer and divides back, which agrees with Python's correctly rounded
    result except where ``x * 10**digits`` lies at (or within a rounding error of) a half. Those few are decided
    on the exact product, in long double where it holds it (``x * 5**d * 2**d``: 53 + 10 bits at most), else by
    ``round`` itself; the result is then ``k / 10**d``, which IEEE division rounds as Python does."""
    scale = 10.0**digits
    scaled = values * scale
    rounded: FloatArray = np.rint(scaled) / scale
    near = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    if near.any():
        at = np.flatnonzero(near)
        if EXACT_LONGDOUBLE and 0 <= digits <= 4:
            exact = values[at].astype(np.longdouble) * np.longdouble(5**digits) * np.longdouble(2**digits)
            whole = np.floor(exact)
            half = exact - whole
            up = (half > 0.5) | ((half == 0.5) & (np.fmod(whole, 2) != 0))
            rounded[at] = (whole + up).astype(np.float64) / scale
        else:
            rounded[at] = [round(float(v), digits) for v in values[at]]
    return rounded


class BuiltinSum:
    """Per row, ``sum()`` of that row's terms in the order they are added, as the running interpreter computes
    it: plain left-to-right addition up to Python 3.11, Neumaier compensation from 3.12 (the gap report's
    coverages, qualifications and score are ``sum()``\\ s of floats)."""

    def __init__(self, n: int) -> None:
        self.sum = np.zeros(n)
        self.compensation = np.zeros(n) if COMPENSATED_SUM else None

    def add(self, terms: FloatArray, rows: Int32Array | None = None) -> None:
        """Add the next term of each row (of ``rows`` only, each at most once, when given)."""
        if self.compensation is None:
            if rows is None:
                self.sum += terms
            else:
                self.sum[rows] += terms
            return
        s = self.sum if rows is None else self.sum[rows]
        t = s + terms
        c = np.where(np.abs(s) >= np.abs(terms), (s - t) + terms, (terms - t) + s)
        if rows is None:
            self.compensation += c
            self.sum = t
        else:
            self.compensation[rows] += c
            self.sum[rows] = t

    def result(self) -> FloatArray:
        if self.compensation is None:
            return self.sum
        c = self.compensation
        return np.where((c != 0) & np.isfinite(c), self.sum + c, self.sum)


def _table(values: Sequence[T], function: Callable[[T], float], *, extra: float | None = None) -> FloatArray:
    """``function`` of each value, as an array to look answers up in (one call per distinct value); ``extra``
    goes last, where code -1 looks."""
    found = [function(value) for value in values]
    if extra is not None:
        found.append(extra)
    return np.array(found, dtype=np.float64)


class _Codes:
    """Distinct values, each with a small integer code: rows store codes, queries look answers up per value."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._codes: dict[Any, int] = {}

    def code(self, value: Any) -> int:
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)
        return found

    def __len__(self) -> int:
        return len(self.values)


def _order_page(
    scores: FloatArray, order: IntArray, key: Callable[[int], str], rows: IntArray, offset: int, limit: int
) -> list[int]:
    """The positions (of ``rows``) of the page ``[offset, offset + limit)`` by (-score, order, key)."""
    want = offset + limit
    if want <= 0 or not len(rows):
        return []
    s = scores[rows]
    if want < len(rows):
        threshold = -np.partition(-s, want - 1)[want - 1]
        rows = rows[s >= threshold]  # every row that could be on the page, ties included
        s = scores[rows]
    by = np.lexsort((order[rows], -s))
    ranked = rows[by]
    # rows tied on score and order (the same upload instant) go by key, as the database orders them
    if ((np.diff(s[by]) == 0) & (np.diff(order[ranked]) == 0)).any():
        ranked = np.array(sorted(ranked.tolist(), key=lambda i: (-scores[i], order[i], key(i))), dtype=np.int64)
    return ranked[offset:want].tolist()


# ------------------------------------------------------------------------------------------------- shared machinery


class _Pool:
    """Rows in blocks (a main block and a tail), tombstones, and the page order; the scoring is the sides'."""

    kind = ""

    def __init__(self, index: CreditIndex, *, as_of: int) -> None:
        self.index = index
        self.as_of = as_of
        self._main: Any = None
        self._tail: Any = None
        self._tail_rows: list[Row] = []
        #: key -> (block, row): block 0 the main one, 1 the tail
        self._where: dict[str, tuple[int, int]] = {}
        self._dead_main = 0

    # --- size and membership ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def keys(self) -> list[str]:
        """The keys of the rows held, in no particular order."""
        return list(self._where)

    @property
    def nbytes(self) -> int:
        """Memory the arrays hold (not the Python objects: keys, tables, caches)."""
        return sum(block.nbytes for block in (self._main, self._tail) if block is not None)

    # --- changes ----------------------------------------------------------------------------------------------
    def add(self, rows: Iterable[Row]) -> int:
        """Add rows (``(key, order, features)``); a key already held is left as it is. Returns how many were
        added. A few rows go to the tail block; many are built a chunk at a time and join the main block."""
        chunks: list[Any] = []
        fresh: list[Row] = []
        seen: set[str] = set()
        added = 0
        for row in rows:
            if row[0] in self._where or row[0] in seen:
                continue
            seen.add(row[0])
            fresh.append(row)
            added += 1
            if len(fresh) >= CHUNK_ROWS:
                chunks.append(self._build(fresh))
                fresh = []
        if chunks or len(fresh) > TAIL_ROWS or (fresh and self._main is None and not self._tail_rows):
            if fresh:
                chunks.append(self._build(fresh))
            parts = [self._main, *chunks] if self._main is not None else chunks
            self._set_main(parts[0] if len(parts) == 1 else self._concat(parts))
        elif fresh:
            self._tail_rows.extend(fresh)
            self._rebuild_tail()
        return added

    def remove(self, keys: Iterable[str]) -> int:
        """Remove rows by key (keys not held are ignored); returns how many were removed."""
        removed = 0
        tail_dropped = False
        for key in keys:
            where = self._where.pop(key, None)
            if where is None:
                continue
            removed += 1
            if where[0] == 1:
                tail_dropped = True
                self._tail_rows = [row for row in self._tail_rows if row[0] != key]
            else:
                self._main.alive[where[1]] = False
                self._dead_main += 1
        if tail_dropped:
            self._rebuild_tail()
        if self._main is not None and self._dead_main > max(1024, self._main.n // 4):
            self._set_main(self._concat([self._main]))
        return removed

    def _append_block(self, rows: list[Row]) -> None:
        block = self._build(rows)
        self._set_main(block if self._main is None else self._concat([self._main, block]))

    def _rebuild_tail(self) -> None:
        if len(self._tail_rows) >= TAIL_ROWS:
            rows, self._tail_rows, self._tail = self._tail_rows, [], None
            self._append_block(rows)
            return
        self._tail = self._build(self._tail_rows) if self._tail_rows else None
        for row, (key, _, _) in enumerate(self._tail_rows):
            self._where[key] = (1, row)

    def _set_main(self, block: Any) -> None:
        self._main = block
        self._dead_main = 0
        for row, key in enumerate(block.keys):
            self._where[key] = (0, row)

    def _blocks(self) -> list[Any]:
        return [block for block in (self._main, self._tail) if block is not None and block.n]

    # --- searching --------------------------------------------------------------------------------------------
    def _page(
        self,
        blocks: list[Any],
        scores: list[FloatArray],
        keep: list[BoolArray],
        *,
        offset: int,
        limit: int,
    ) -> Page:
        if not blocks:
            return Page((), 0)
        all_scores = np.concatenate(scores)
        order = np.concatenate([block.order for block in blocks])
        starts = np.cumsum([0, *(block.n for block in blocks)])

        def key(i: int) -> str:  # the key of a row of the blocks joined (no list of every key per query)
            b = int(np.searchsorted(starts, i, side="right")) - 1
            return str(blocks[b].keys[i - starts[b]])

        rows = np.flatnonzero(np.concatenate(keep))
        ranked = _order_page(all_scores, order, key, rows, offset, limit)
        return Page(tuple(Hit(key(i), float(all_scores[i])) for i in ranked), len(rows))

    def _filters(
        self,
        block: Any,
        score: FloatArray,
        missing_must: BoolArray,
        *,
        min_score: float | None,
        must_haves_met: bool,
        seniority: Collection[str] | None,
    ) -> BoolArray:
        keep = block.alive.copy()
        if min_score is not None:
            keep &= score >= min_score
        if must_haves_met:
            keep &= ~missing_must
        if seniority is not None:
            wanted = np.array([level in seniority for level in SENIORITIES])
            keep &= wanted[block.seniority]
        return keep

    def scores(self, query: Any) -> dict[str, float]:
        """Every row's score for ``query`` (tests, and scoring a whole pool)."""
        result: dict[str, float] = {}
        for block in self._blocks():
            score, _ = self._score_block(block, query)
            result.update(
                (key, float(s)) for key, s, alive in zip(block.keys, score, block.alive, strict=True) if alive
            )
        return result

    def search(
        self,
        query: Any,
        *,
        limit: int = 20,
        offset: int = 0,
        min_score: float | None = None,
        must_haves_met: bool = False,
        seniority: Collection[str] | None = None,
    ) -> Page:
        """A page of the rows best for ``query``: score at least ``min_score``; with ``must_haves_met`` only
        pairs without a missing must-have (no capped score); with ``seniority`` only rows at those levels."""
        blocks = self._blocks()
        scores, keep = [], []
        for block in blocks:
            score, missing_must = self._score_block(block, query)
            scores.append(score)
            keep.append(
                self._filters(
                    block, score, missing_must, min_score=min_score, must_haves_met=must_haves_met, seniority=seniority
                )
            )
        return self._page(blocks, scores, keep, offset=offset, limit=limit)

    # --- the side's own -------------------------------------------------------------------------------------
    def _build(self, rows: list[Row]) -> Any:
        raise NotImplementedError

    def _concat(self, blocks: list[Any]) -> Any:
        raise NotImplementedError

    def _score_block(self, block: Any, query: Any) -> tuple[FloatArray, BoolArray]:
        raise NotImplementedError


def _experience_factor(years: float | None, *, asked: float) -> float:
    return experience_factor(years, asked)


def _seniority_code(level: str | None) -> int:
    return _SENIORITY_CODE.get(level, 0)  # type: ignore[arg-type]


def _alive_keys(blocks: list[Any]) -> list[str]:
    return [key for block in blocks for key, alive in zip(block.keys, block.alive, strict=True) if alive]


def _keep_alive(blocks: list[Any]) -> list[IntArray]:
    """Per block, the row number each row gets in the blocks joined (-1: dropped)."""
    remaps, start = [], 0
    for block in blocks:
        alive = block.alive
        remaps.append(np.where(alive, np.cumsum(alive) - 1 + start, -1))
        start += int(alive.sum())
    return remaps


# ----------------------------------------------------------------------------------------------------- jobs side


@dataclass(eq=False)
class _Slice:
    """The k-th line of one level of every job that has one: rows, columns, weights, years asked, must-have."""

    rows: Int32Array
    col: Int32Array
    weight: FloatArray
    asked: Int32Array  # code of the years asked, -1 when none
    must: BoolArray
    years_at: IntArray = field(init=False)

    def __post_init__(self) -> None:
        self.years_at = np.flatnonzero(self.asked >= 0)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.rows, self.col, self.weight, self.asked, self.must, self.years_at))


@dataclass(eq=False)
class _JobBlock:
    keys: list[str]
    order: IntArray
    alive: BoolArray
    #: jobs x 5: the component weights (``component_weights``), in COMPONENT_NAMES order
    weights: FloatArray
    required_total: FloatArray
    preferred_total: FloatArray
    qualification_total: FloatArray
    years_overall: Int32Array  # code
    seniority: Int32Array  # index in SENIORITIES
    minimum: BoolArray
    required: list[_Slice]
    preferred: list[_Slice]
    #: the k-th qualification line: (rows, ask id, weight)
    qualifications: list[tuple[Int32Array, Int32Array, FloatArray]]

    @property
    def n(self) -> int:
        return len(self.keys)

    @property
    def nbytes(self) -> int:
        arrays = (self.order, self.alive, self.weights, self.required_total, self.preferred_total,
                  self.qualification_total, self.years_overall, self.seniority, self.minimum)  # fmt: skip
        total = sum(a.nbytes for a in arrays)
        total += sum(s.nbytes for s in (*self.required, *self.preferred))
        return total + sum(a.nbytes for q in self.qualifications for a in q)


class JobPool(_Pool):
    """Job posts, ranked for one resume at a time (see the module docstring)."""

    kind = "job"

    def __init__(self, index: CreditIndex, *, as_of: int) -> None:
        super().__init__(index, as_of=as_of)
        #: skill ids and "A or B" groups -> column
        self.columns: dict[str | tuple[str, ...], int] = {}
        #: member skill -> the group columns it belongs to, with the group's members
        self._groups_of: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self._asked = _Codes()
        self._years_overall = _Codes()
        #: distinct qualification asks (by :attr:`QualificationAsk.key`), one of each to compute credits with
        self._ask_ids: dict[tuple[object, ...], int] = {}
        self._asks: list[QualificationAsk] = []
        self._asks_of: dict[str, tuple[QualificationAsk, ...]] = {}
        self._weights_of: dict[tuple[bool, bool, bool], list[float]] = {}

    def _column(self, members: tuple[str, ...]) -> int:
        key: str | tuple[str, ...] = members if len(members) > 1 else members[0]
        column = self.columns.get(key)
        if column is None:
            column = self.columns[key] = len(self.columns)
            if len(members) > 1:
                for member in dict.fromkeys(members):
                    self._groups_of.setdefault(member, []).append((column, members))
        return column

    def _qualification_asks(self, data: Mapping[str, Any]) -> tuple[QualificationAsk, ...]:
        """:func:`qualification_asks` of a job's features, once per distinct title, degrees and certifications
        (what it reads of a job): many posts share them."""
        key = repr((data["title"], data["degrees"], data["certifications"]))
        found = self._asks_of.get(key)
        if found is None:
            job = profile_from_features({**data, "requirements": []}, "job")
            assert isinstance(job, JobProfile)
            found = self._asks_of[key] = qualification_asks(job, self.index)
        return found

    def _weights(self, has_required: bool, has_preferred: bool, has_qualifications: bool) -> list[float]:
        """:func:`component_weights`, once per combination."""
        key = (has_required, has_preferred, has_qualifications)
        found = self._weights_of.get(key)
        if found is None:
            share = component_weights(
                has_required=has_required, has_preferred=has_preferred, has_qualifications=has_qualifications
            )
            found = self._weights_of[key] = list(share.values())
        return found

    def _build(self, rows: list[Row]) -> _JobBlock:
        n = len(rows)
        weights = np.zeros((n, 5))
        totals = np.zeros((3, n))
        years_overall = np.zeros(n, dtype=np.int32)
        seniority = np.zeros(n, dtype=np.int32)
        minimum = np.zeros(n, dtype=bool)
        #: level -> k -> lists of (row, column, weight, asked code, must)
        lines: dict[str, list[list[tuple[int, int, float, int, bool]]]] = {"required": [], "preferred": []}
        asks: list[list[tuple[int, int, float]]] = []
        for r, (_, _, data) in enumerate(rows):
            by_level: dict[str, list[float]] = {"required": [], "preferred": []}
            for sid, level, weight, years, must, alternatives in data["requirements"]:
                column = self._column((sid, *alternatives))
                k = len(by_level[level])
                slices = lines[level]
                if k == len(slices):
                    slices.append([])
                slices[k].append((r, column, weight, self._asked.code(years) if years else -1, bool(must)))
                by_level[level].append(weight)
            job_asks = self._qualification_asks(data)
            for k, ask in enumerate(job_asks):
                a = self._ask_ids.get(ask.key)
                if a is None:
                    a = self._ask_ids[ask.key] = len(self._asks)
                    self._asks.append(ask)
                if k == len(asks):
                    asks.append([])
                asks[k].append((r, a, ask.weight))
            weights[r] = self._weights(bool(by_level["required"]), bool(by_level["preferred"]), bool(job_asks))
            # the report's totals are sum()s of the same weights, in the same order
            totals[0, r] = sum(by_level["required"])
            totals[1, r] = sum(by_level["preferred"])
            totals[2, r] = sum(ask.weight for ask in job_asks)
            years_overall[r] = self._years_overall.code(data["years_overall"])
            seniority[r] = _seniority_code(data["seniority"])
            minimum[r] = bool(data["seniority_is_minimum"])
        return _JobBlock(
            keys=[key for key, _, _ in rows],
            order=np.array([order for _, order, _ in rows], dtype=np.int64),
            alive=np.ones(n, dtype=bool),
            weights=weights,
            required_total=totals[0],
            preferred_total=totals[1],
            qualification_total=totals[2],
            years_overall=years_overall,
            seniority=seniority,
            minimum=minimum,
            required=[_job_slice(entries) for entries in lines["required"]],
            preferred=[_job_slice(entries) for entries in lines["preferred"]],
            qualifications=[
                (
                    np.array([e[0] for e in entries], dtype=np.int32),
                    np.array([e[1] for e in entries], dtype=np.int32),
                    np.array([e[2] for e in entries], dtype=np.float64),
                )
                for entries in asks
            ],
        )

    def _concat(self, blocks: list[_JobBlock]) -> _JobBlock:
        remaps = _keep_alive(blocks)
        keep = [block.alive for block in blocks]

        def rows_of(get: Callable[[_JobBlock], Any]) -> Any:
            return np.concatenate([get(b)[alive] for b, alive in zip(blocks, keep, strict=True)])

        def slices(level: str) -> list[_Slice]:
            out = []
            for k in range(max(len(getattr(b, level)) for b in blocks)):
                parts = []
                for block, remap in zip(blocks, remaps, strict=True):
                    found = getattr(block, level)
                    if k < len(found):
                        s = found[k]
                        new = remap[s.rows]
                        ok = new >= 0
                        parts.append((new[ok], s.col[ok], s.weight[ok], s.asked[ok], s.must[ok]))
                if parts:
                    out.append(_Slice(*(np.concatenate([p[i] for p in parts]) for i in range(5))))
            return [s for s in out if len(s.rows)]

        qualifications = []
        for k in range(max((len(b.qualifications) for b in blocks), default=0)):
            parts = []
            for block, remap in zip(blocks, remaps, strict=True):
                if k < len(block.qualifications):
                    rows, ask, weight = block.qualifications[k]
                    new = remap[rows]
                    ok = new >= 0
                    parts.append((new[ok].astype(np.int32), ask[ok], weight[ok]))
            merged = tuple(np.concatenate([p[i] for p in parts]) for i in range(3))
            if len(merged[0]):
                qualifications.append(merged)
        return _JobBlock(
            keys=_alive_keys(blocks),
            order=rows_of(lambda b: b.order),
            alive=np.ones(int(sum(a.sum() for a in keep)), dtype=bool),
            weights=rows_of(lambda b: b.weights),
            required_total=rows_of(lambda b: b.required_total),
            preferred_total=rows_of(lambda b: b.preferred_total),
            qualification_total=rows_of(lambda b: b.qualification_total),
            years_overall=rows_of(lambda b: b.years_overall),
            seniority=rows_of(lambda b: b.seniority),
            minimum=rows_of(lambda b: b.minimum),
            required=slices("required"),
            preferred=slices("preferred"),
            qualifications=qualifications,  # type: ignore[arg-type]
        )

    # --- one resume against every job ---------------------------------------------------------------------------
    def _query(self, resume: ResumeProfile) -> _ResumeQuery:
        """What one resume brings to every job: its credit per column (unrounded and rounded), the years behind
        each credit, and its credit for every distinct qualification ask."""
        index, as_of = self.index, self.as_of
        credits = index.credits(resume.skills, as_of=as_of)
        width = len(self.columns)
        value = np.zeros(width)
        via_years = np.full(width, -1, dtype=np.int32)
        held_years = _Codes()
        placed: list[tuple[int, tuple[float, float, str, str]]] = []
        groups: dict[int, tuple[str, ...]] = {}
        for sid, credit in credits.items():
            column = self.columns.get(sid)
            if column is not None:
                placed.append((column, tuple(credit)))  # type: ignore[arg-type]
            for group_column, members in self._groups_of.get(sid, ()):
                groups[group_column] = members
        for group_column, members in groups.items():
            chosen = best_alternative(members, credits)
            if chosen is not None:
                placed.append((group_column, chosen))
        for column, (found, _, _, via) in placed:
            value[column] = found
            years = resume.skills[via].years
            if years is not None:
                via_years[column] = held_years.code(years)
        rounded = np.zeros(width)
        covered = np.flatnonzero(value)
        rounded[covered] = [round(float(v), 4) for v in value[covered]]
        # experience factor by (years behind the credit, years asked): one call per distinct pair
        factor = np.ones((len(held_years) + 1, len(self._asked)))
        for i, years in enumerate(held_years.values):
            factor[i] = [experience_factor(years, asked) for asked in self._asked.values]
        factor[-1] = [experience_factor(None, asked) for asked in self._asked.values]
        # a taxonomy title's credit is the best over its families: one pass over the past titles for all of them
        by_family = title_credits_by_family(resume, index, as_of=as_of) if resume.titles else {}
        qualification = np.array(
            [
                max((by_family.get(family, 0.0) for family in ask.families), default=0.0)
                if ask.kind == "title" and ask.families
                else qualification_credit(ask, resume, index, as_of=as_of)
                for ask in self._asks
            ],
            dtype=np.float64,
        )
        experience = _table(self._years_overall.values, lambda asked: experience_fit(resume.total_years, asked))
        title_fit = np.array(
            [
                [seniority_fit(resume.seniority, level, minimum=minimum) for minimum in (False, True)]
                for level in SENIORITIES
            ]
        )
        return _ResumeQuery(value, rounded, via_years, factor, qualification, experience, title_fit)

    def _score_block(self, block: _JobBlock, query: Any) -> tuple[FloatArray, BoolArray]:
        q: _ResumeQuery = query if isinstance(query, _ResumeQuery) else self._query(query)
        n = block.n
        missing_must = np.zeros(n, dtype=bool)
        coverage = []
        for slices, total in ((block.required, block.required_total), (block.preferred, block.preferred_total)):
            acc = BuiltinSum(n)
            for s in slices:
                credit = q.rounded[s.col]
                if len(s.years_at):
                    col = s.col[s.years_at]
                    factor = q.factor[q.via_years[col], s.asked[s.years_at]]
                    credit[s.years_at] = py_round(q.value[col] * factor, 4)
                acc.add(s.weight * credit, s.rows)
                if s.must.any():
                    must = np.flatnonzero(s.must)
                    missing_must[s.rows[must[q.value[s.col[must]] == 0]]] = True
            with np.errstate(invalid="ignore", divide="ignore"):
                coverage.append(np.where(total != 0, acc.result() / total, 1.0))
        acc = BuiltinSum(n)
        for rows, ask, weight in block.qualifications:
            acc.add(weight * q.qualification[ask], rows)
        total = block.qualification_total
        with np.errstate(invalid="ignore", divide="ignore"):
            qualifications = np.where(total != 0, acc.result() / total, 0.0)
        components = (
            coverage[0],
            coverage[1],
            q.experience[block.years_overall],
            q.title_fit[block.seniority, block.minimum.astype(np.int64)],
            qualifications,
        )
        return _final_score(block.weights, components, missing_must), missing_must

    def search(self, query: Any, **kwargs: Any) -> Page:
        """A page of the jobs best for the resume ``query`` (see :meth:`_Pool.search` for the filters)."""
        prepared = self._query(query) if isinstance(query, ResumeProfile) else query
        return super().search(prepared, **kwargs)

    def scores(self, query: Any) -> dict[str, float]:
        return super().scores(self._query(query) if isinstance(query, ResumeProfile) else query)


@dataclass(frozen=True, eq=False)
class _ResumeQuery:
    value: FloatArray
    rounded: FloatArray
    via_years: Int32Array
    factor: FloatArray
    qualification: FloatArray
    experience: FloatArray
    title_fit: FloatArray


def _job_slice(entries: list[tuple[int, int, float, int, bool]]) -> _Slice:
    return _Slice(
        rows=np.array([e[0] for e in entries], dtype=np.int32),
        col=np.array([e[1] for e in entries], dtype=np.int32),
        weight=np.array([e[2] for e in entries], dtype=np.float64),
        asked=np.array([e[3] for e in entries], dtype=np.int32),
        must=np.array([e[4] for e in entries], dtype=bool),
    )


def _final_score(weights: FloatArray, components: Sequence[FloatArray], missing_must: BoolArray) -> FloatArray:
    """``100 x sum(weight x component)`` in the report's order, capped where a must-have is missing, rounded to
    one decimal as the report rounds it."""
    acc = BuiltinSum(len(missing_must))
    for i, component in enumerate(components):
        acc.add(weights[:, i] * component if weights.ndim == 2 else weights[i] * component)
    uncapped = 100 * acc.result()
    return py_round(np.where(missing_must & (uncapped > MUST_HAVE_CAP), MUST_HAVE_CAP, uncapped), 1)


# -------------------------------------------------------------------------------------------------- resumes side


@dataclass(eq=False)
class _ResumeBlock:
    keys: list[str]
    order: IntArray
    alive: BoolArray
    total_years: Int32Array  # code
    seniority: Int32Array  # index in SENIORITIES
    #: resume x skill, by column: rows, recency factor and years code (-1: unknown) of each held skill
    indptr: IntArray
    rows: Int32Array
    recency: FloatArray
    years: Int32Array
    #: qualification items (past titles, degrees, certifications, people management) held by each row
    item_rows: Int32Array
    item_ids: Int32Array

    @property
    def n(self) -> int:
        return len(self.keys)

    @property
    def nbytes(self) -> int:
        arrays = (self.order, self.alive, self.total_years, self.seniority, self.indptr, self.rows, self.recency,
                  self.years, self.item_rows, self.item_ids)  # fmt: skip
        return sum(a.nbytes for a in arrays)

    def column(self, column: int) -> tuple[Int32Array, FloatArray, Int32Array]:
        if column >= len(self.indptr) - 1:
            return _EMPTY_COLUMN
        a, b = self.indptr[column], self.indptr[column + 1]
        return self.rows[a:b], self.recency[a:b], self.years[a:b]


_EMPTY_COLUMN = (np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0, dtype=np.int32))


def _item_profile(item: tuple[Any, ...]) -> ResumeProfile:
    """A profile holding one qualification item and nothing else: what its credits are computed on."""
    kind, *rest = item
    if kind == "title":
        title, last_year, headline = rest
        return ResumeProfile(skills={}, titles=(PastTitle(title, last_year, _NO_SPAN, headline),))
    if kind == "degree":
        level, fields = rest
        return ResumeProfile(skills={}, degrees=(Degree(level, fields, _NO_SPAN),))
    if kind == "certification":
        cid, provider, name = rest
        return ResumeProfile(skills={}, certifications=(CertificationMention(cid, provider, name, _NO_SPAN),))
    return ResumeProfile(skills={}, management=(_NO_SPAN,))


class ResumePool(_Pool):
    """Resumes, ranked for one job post at a time (see the module docstring)."""

    kind = "resume"

    #: bytes of cached per-ask credits (one float per distinct qualification item) a pool keeps
    ASK_CACHE_BYTES = 16 * 2**20

    def __init__(self, index: CreditIndex, *, as_of: int) -> None:
        super().__init__(index, as_of=as_of)
        self.columns: dict[str, int] = {}
        self._years = _Codes()
        self._total_years = _Codes()
        self._recency: dict[int | None, float] = {}
        #: distinct qualification items, as the one-item profiles their credits are computed on
        self._items = _Codes()
        self._item_profiles: list[ResumeProfile] = []
        #: past-title items -> their title credit for each title family
        self._by_family: dict[int, dict[str, float]] = {}
        #: ask key -> credit of each item (as far as computed), and of each distinct number of years
        self._ask_cache: OrderedDict[tuple[object, ...], tuple[FloatArray, FloatArray]] = OrderedDict()
        self._ask_cache_bytes = 0
        #: target skill -> (columns when computed, [(giver column, relation credit)] in giver id order)
        self._givers: dict[str, tuple[int, list[tuple[int, float]]]] = {}

    def _column(self, sid: str) -> int:
        column = self.columns.get(sid)
        if column is None:
            column = self.columns[sid] = len(self.columns)
        return column

    def _item(self, item: tuple[Any, ...]) -> int:
        before = len(self._items)
        code = self._items.code(item)
        if code == before:
            self._item_profiles.append(_item_profile(item))
        return code

    def _build(self, rows: list[Row]) -> _ResumeBlock:
        n = len(rows)
        as_of = self.as_of
        entries_col: list[int] = []
        entries_row: list[int] = []
        entries_recency: list[float] = []
        entries_years: list[int] = []
        item_rows: list[int] = []
        item_ids: list[int] = []
        total_years = np.zeros(n, dtype=np.int32)
        seniority = np.zeros(n, dtype=np.int32)
        recency = self._recency
        for r, (_, _, data) in enumerate(rows):
            for sid, years, last_used in data["skills"]:
                entries_row.append(r)
                entries_col.append(self._column(sid))
                factor = recency.get(last_used)
                if factor is None:
                    factor = recency[last_used] = recency_factor(last_used, as_of)
                entries_recency.append(factor)
                entries_years.append(-1 if years is None else self._years.code(years))
            total_years[r] = self._total_years.code(data["total_years"])
            seniority[r] = _seniority_code(data["seniority"])
            for title, last_year, headline in data["titles"]:
                item_rows.append(r)
                item_ids.append(self._item(("title", title, last_year, headline)))
            for level, fields in data["degrees"]:
                item_rows.append(r)
                item_ids.append(self._item(("degree", level, tuple(fields))))
            for cid, provider, name in data["certifications"]:
                item_rows.append(r)
                item_ids.append(self._item(("certification", cid, provider, name)))
            if data["management"]:
                item_rows.append(r)
                item_ids.append(self._item(("management",)))
        return self._block(
            keys=[key for key, _, _ in rows],
            order=np.array([order for _, order, _ in rows], dtype=np.int64),
            total_years=total_years,
            seniority=seniority,
            entries=(
                np.array(entries_row, dtype=np.int32),
                np.array(entries_col, dtype=np.int32),
                np.array(entries_recency, dtype=np.float64),
                np.array(entries_years, dtype=np.int32),
            ),
            items=(np.array(item_rows, dtype=np.int32), np.array(item_ids, dtype=np.int32)),
        )

    def _block(
        self,
        *,
        keys: list[str],
        order: IntArray,
        total_years: Int32Array,
        seniority: Int32Array,
        entries: tuple[Int32Array, Int32Array, FloatArray, Int32Array],
        items: tuple[Int32Array, Int32Array],
    ) -> _ResumeBlock:
        rows, cols, rec, years = entries
        by_column = np.lexsort((rows, cols))  # by column, rows ascending within one
        width = len(self.columns)
        indptr = np.zeros(width + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=width), out=indptr[1:])
        return _ResumeBlock(
            keys=keys,
            order=order,
            alive=np.ones(len(keys), dtype=bool),
            total_years=total_years,
            seniority=seniority,
            indptr=indptr,
            rows=rows[by_column],
            recency=rec[by_column],
            years=years[by_column],
            item_rows=items[0],
            item_ids=items[1],
        )

    def _concat(self, blocks: list[_ResumeBlock]) -> _ResumeBlock:
        remaps = _keep_alive(blocks)
        parts: list[tuple[Int32Array, Int32Array, FloatArray, Int32Array]] = []
        item_parts: list[tuple[Int32Array, Int32Array]] = []
        for block, remap in zip(blocks, remaps, strict=True):
            cols = np.repeat(np.arange(len(block.indptr) - 1, dtype=np.int32), np.diff(block.indptr))
            new = remap[block.rows]
            ok = new >= 0
            parts.append((new[ok].astype(np.int32), cols[ok], block.recency[ok], block.years[ok]))
            new_items = remap[block.item_rows]
            ok_items = new_items >= 0
            item_parts.append((new_items[ok_items].astype(np.int32), block.item_ids[ok_items]))
        keep = [block.alive for block in blocks]
        return self._block(
            keys=_alive_keys(blocks),
            order=np.concatenate([b.order[alive] for b, alive in zip(blocks, keep, strict=True)]),
            total_years=np.concatenate([b.total_years[alive] for b, alive in zip(blocks, keep, strict=True)]),
            seniority=np.concatenate([b.seniority[alive] for b, alive in zip(blocks, keep, strict=True)]),
            entries=tuple(np.concatenate([p[i] for p in parts]) for i in range(4)),  # type: ignore[arg-type]
            items=tuple(np.concatenate([p[i] for p in item_parts]) for i in range(2)),  # type: ignore[arg-type]
        )

    # --- one job against every resume ---------------------------------------------------------------------------
    def _giver_columns(self, target: str) -> list[tuple[int, float]]:
        """The pool's columns that give ``target`` a relation credit, in giver id order (the rule's tie order)."""
        cached = self._givers.get(target)
        if cached is not None and cached[0] == len(self.columns):
            return cached[1]
        columns = self.columns
        givers = [(columns[g], credit) for g, credit, _ in self.index.receives.get(target, ()) if g in columns]
        self._givers[target] = (len(columns), givers)
        return givers

    def _target(self, block: _ResumeBlock, target: str) -> tuple[FloatArray, Int32Array]:
        """Each row's credit for one skill (relation credit x recency) and the years code of the skill behind
        it: :meth:`CreditIndex.credits` from the target's side, over the whole block."""
        value = np.zeros(block.n)
        years = np.full(block.n, -1, dtype=np.int32)
        for column, credit in self._giver_columns(target):
            rows, recency, held = block.column(column)
            if not len(rows):
                continue
            found = credit * recency
            better = found > value[rows]  # strictly: ties stay with the giver first in id order
            if better.all():
                value[rows] = found
                years[rows] = held
            elif better.any():
                at = rows[better]
                value[at] = found[better]
                years[at] = held[better]
        own = self.columns.get(target)
        if own is not None:  # held: its own recency, whatever else gives it
            rows, recency, held = block.column(own)
            value[rows] = recency
            years[rows] = held
        return value, years

    def _ask_credits(self, ask: QualificationAsk) -> tuple[FloatArray, FloatArray]:
        """The credit of ``ask`` for each distinct qualification item and each distinct number of years
        (the rule: :func:`qualification_credit` on a profile holding just that)."""
        index, as_of = self.index, self.as_of
        cached = self._ask_cache.get(ask.key)
        items, years = cached if cached is not None else (np.zeros(0), np.zeros(0))
        if len(items) < len(self._items) or len(years) < len(self._total_years):
            # the rule reads one kind of item per ask (a title ask the past titles, a degree ask the degrees and
            # the years, ...): an item of another kind, or years for any ask but a degree, credits as nothing does
            empty = qualification_credit(ask, ResumeProfile(skills={}), index, as_of=as_of)
            more_items = [self._item_credit(ask, i, empty) for i in range(len(items), len(self._items))]
            more_years = [
                qualification_credit(ask, ResumeProfile(skills={}, total_years=value), index, as_of=as_of)
                if ask.kind == "degree"
                else empty
                for value in self._total_years.values[len(years) :]
            ]
            items = np.concatenate([items, np.array(more_items, dtype=np.float64)])
            years = np.concatenate([years, np.array(more_years, dtype=np.float64)])
            if cached is not None:
                self._ask_cache_bytes -= cached[0].nbytes + cached[1].nbytes
            self._ask_cache[ask.key] = (items, years)
            self._ask_cache_bytes += items.nbytes + years.nbytes
            while self._ask_cache_bytes > self.ASK_CACHE_BYTES and len(self._ask_cache) > 1:
                _, (old_items, old_years) = self._ask_cache.popitem(last=False)
                self._ask_cache_bytes -= old_items.nbytes + old_years.nbytes
        self._ask_cache.move_to_end(ask.key)
        return items, years

    def _item_credit(self, ask: QualificationAsk, i: int, empty: float) -> float:
        """The credit of ``ask`` for item ``i`` alone (``empty``: for nothing). A taxonomy title's credit is the
        best over its families (:func:`title_credits_by_family`, once per past title), as the rule has it."""
        kind = self._items.values[i][0]
        if kind != ask.kind:
            return empty
        if kind == "title" and ask.families:
            by_family = self._by_family.get(i)
            if by_family is None:
                by_family = self._by_family[i] = title_credits_by_family(
                    self._item_profiles[i], self.index, as_of=self.as_of
                )
            return max((by_family.get(family, 0.0) for family in ask.families), default=0.0)
        return qualification_credit(ask, self._item_profiles[i], self.index, as_of=self.as_of)

    def _qualification(self, block: _ResumeBlock, ask: QualificationAsk) -> FloatArray:
        """Each row's credit for one asked qualification: the best over the items it holds and its years."""
        items, years = self._ask_credits(ask)
        credit = years[block.total_years].copy()
        if items.any() and len(block.item_rows):
            np.maximum.at(credit, block.item_rows, items[block.item_ids])
        return credit

    def _score_block(self, block: _ResumeBlock, query: Any) -> tuple[FloatArray, BoolArray]:
        job: JobProfile = query
        n = block.n
        missing_must = np.zeros(n, dtype=bool)
        targets: dict[str, tuple[FloatArray, Int32Array]] = {}
        levels: dict[str, list[Requirement]] = {"required": [], "preferred": []}
        for req in job.requirements:
            levels[req.level].append(req)
        coverage = []
        for lines in levels.values():
            acc = BuiltinSum(n)
            for req in lines:
                value: FloatArray | None = None
                years: Int32Array | None = None
                for member in (req.skill_id, *req.alternatives):  # the best of them; ties to the first named
                    found = targets.get(member)
                    if found is None:
                        found = targets[member] = self._target(block, member)
                    if value is None or years is None:
                        value, years = found[0].copy(), found[1].copy()
                    else:
                        better = found[0] > value
                        value[better] = found[0][better]
                        years[better] = found[1][better]
                assert value is not None
                assert years is not None
                asked = req.years_asked
                if asked:
                    factor = _table(self._years.values, partial(_experience_factor, asked=asked),
                                    extra=experience_factor(None, asked))  # fmt: skip
                    credit = py_round(value * factor[years], 4)
                else:
                    credit = py_round(value, 4)
                acc.add(req.weight * credit)
                if req.must_have:
                    missing_must |= value == 0
            total = sum(req.weight for req in lines)  # the report's total, as it adds it
            coverage.append(acc.result() / total if total else np.ones(n))
        asks = qualification_asks(job, self.index)
        acc = BuiltinSum(n)
        for ask in asks:
            acc.add(ask.weight * self._qualification(block, ask))
        total = sum(ask.weight for ask in asks)
        qualifications = acc.result() / total if total else np.zeros(n)
        weights = component_weights(
            has_required=bool(levels["required"]),
            has_preferred=bool(levels["preferred"]),
            has_qualifications=bool(asks),
        )
        experience = _table(self._total_years.values, lambda years: experience_fit(years, job.years_overall))
        title_fit = _table(SENIORITIES, lambda level: seniority_fit(level, job.seniority,
                                                                     minimum=job.seniority_is_minimum))  # fmt: skip
        components = (coverage[0], coverage[1], experience[block.total_years], title_fit[block.seniority],
                      qualifications)  # fmt: skip
        return _final_score(np.array(list(weights.values())), components, missing_must), missing_must
