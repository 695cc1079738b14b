"""Rank ML job titles for a resume, and resumes for a job: the same scoring, many times.

A title's place in the ranking is::

    score = match score x level factor x role factor

- **match score**: the resume scored against the title's skills, level and name
  (:func:`matcher.scoring.match.score_match`; people management counts there for a manager's title).
- **level factor**: 1 / 0.9 / 0.7 / 0.5 when the title's level is 0 / 1 / 2 / 3+ steps from the person's (0.9
  when the person's level is unknown).
- **role factor**: 0.7 + 0.3 x the match's title line (how much the person's past titles say of this title:
  1 for the same role held now); 1 when the resume names no title at all (nothing to tell the titles apart).

The match score already counts the level and the past titles a little (its title fit component and title line);
in the ranking they count more, because a recruiter does not put a nine-year senior up for a junior title however
well their skills cover it, nor a new graduate up for a senior one, and reads the titles a person has held as
the strongest evidence of what they do.

**No fit.** When no title of the ML and data field (adjacent titles such as Software Engineer do not count)
reaches :data:`NO_FIT_BELOW`, the answer is "no ML title fits" (:func:`no_fit`): the ranked list is still
there, as near-fits. The threshold comes from the labelled resumes of ``samples/eval`` (``docs/fit.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from matcher.scoring.match import CreditIndex, MatchReport, score_match
from matcher.scoring.profiles import SENIORITY_RANK, JobProfile, ResumeProfile, title_profile
from matcher.types import Seniority

#: how many missing skills a ranked row names (titles, candidates, batch rows, jobs for a resume)
TOP_GAPS = 5
#: the ranking's level factor by the distance between the title's level and the person's: 0, 1, 2, 3+ steps
LEVEL_FACTORS = (1.0, 0.9, 0.7, 0.5)
UNKNOWN_LEVEL_FACTOR = 0.9
#: the role factor is ROLE_FLOOR + (1 - ROLE_FLOOR) x the title line's credit
ROLE_FLOOR = 0.7
#: below this ranking score no title fits (see the module docstring): the cut between the labelled resumes of
#: people outside ML and data and the others (samples/eval, benchmarks/eval_scoring.py)
NO_FIT_BELOW = 52.5


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """How well a resume fits one taxonomy job title."""

    title_id: str
    title: str
    #: the ranking score: match_score x level_factor x role_factor
    score: float
    #: the person's estimated seniority (from their latest title, else their years); the title's own level beside it
    seniority: Seniority | None
    title_seniority: Seniority
    #: the most important skills the title asks for that the resume lacks, names in order
    missing: tuple[str, ...]
    report: MatchReport
    match_score: float = 0.0
    level_factor: float = 1.0
    role_factor: float = 1.0
    #: a title outside the ML and data field (Software Engineer): shown, never an ML fit
    adjacent: bool = False

    @property
    def fits(self) -> bool:
        """An ML or data title whose ranking score reaches :data:`NO_FIT_BELOW`."""
        return not self.adjacent and self.score >= NO_FIT_BELOW

    def to_dict(self) -> dict[str, Any]:
        """The row ``skillmatch titles`` prints and ``POST /v1/resumes/{id}/titles`` answers (the report left out)."""
        return {
            "title": self.title,
            "title_id": self.title_id,
            "score": self.score,
            "seniority": self.seniority,
            "title_seniority": self.title_seniority,
            "missing": list(self.missing),
            "match_score": self.match_score,
            "level_factor": self.level_factor,
            "role_factor": self.role_factor,
            "fits": self.fits,
            "verdict": self.report.verdict,
        }


def level_factor(person: Seniority | None, title: Seniority) -> float:
    """The ranking's factor for a title ``title`` levels for a person at ``person`` (see the module docstring)."""
    if person is None:
        return UNKNOWN_LEVEL_FACTOR
    distance = abs(SENIORITY_RANK[person] - SENIORITY_RANK[title])
    return LEVEL_FACTORS[min(distance, len(LEVEL_FACTORS) - 1)]


def role_factor(report: MatchReport, resume: ResumeProfile) -> float:
    """The ranking's factor for what the person's past titles say of a title (its match's title line); 1 when
    the resume names no title."""
    line = next((q for q in report.qualifications if q.kind == "title"), None)
    if line is None or not resume.titles:
        return 1.0
    return round(ROLE_FLOOR + (1 - ROLE_FLOOR) * line.credit, 4)


def rank_titles(
    resume: ResumeProfile, index: CreditIndex, *, as_of: int, top_gaps: int = TOP_GAPS
) -> list[TitleMatch]:
    """Every job title of the taxonomy scored for ``resume``, best first (ties by title id)."""
    matches = []
    for title in index.taxonomy.titles.values():
        report = score_match(resume, title_profile(title), index, as_of=as_of)
        factor = level_factor(resume.seniority, title.seniority)
        role = role_factor(report, resume)
        matches.append(
            TitleMatch(
                title_id=title.id,
                title=title.name,
                score=round(report.score * factor * role, 1),
                seniority=resume.seniority,
                title_seniority=title.seniority,
                missing=tuple(line.name for line in report.missing[:top_gaps]),
                report=report,
                match_score=report.score,
                level_factor=factor,
                role_factor=role,
                adjacent=title.adjacent,
            )
        )
    return sorted(matches, key=lambda m: (-m.score, m.title_id))


def no_fit(ranked: Sequence[TitleMatch]) -> bool:
    """True when no title of the whole ranking fits: "no ML title fits" (pass the ranking before cutting it)."""
    return not any(match.fits for match in ranked)


def ranked_row(report: MatchReport) -> dict[str, Any]:
    """The fields every ranked list shows of one match (the CLI's ``rank``, the service's candidates and jobs
    routes): score, components, the top missing skills and the counts behind them. One builder, so the lists
    cannot drift apart; each adds its own ids."""
    return {
        "score": report.score,
        "components": asdict(report.components),
        "missing": [line.name for line in report.missing[:TOP_GAPS]],
        "matched_count": len(report.matched),
        "partial_count": len(report.partial),
        "missing_count": len(report.missing),
    }


def rank_resumes(
    resumes: Sequence[ResumeProfile], job: JobProfile, index: CreditIndex, *, as_of: int
) -> list[tuple[int, MatchReport]]:
    """``(position in resumes, report)`` for every resume against ``job``, best first (ties by position)."""
    reports = [(i, score_match(resume, job, index, as_of=as_of)) for i, resume in enumerate(resumes)]
    return sorted(reports, key=lambda pair: (-pair[1].score, pair[0]))
