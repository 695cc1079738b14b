"""Rank ML job titles for a resume, and resumes for a job: the same scoring, many times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matcher.profiles import JobProfile, ResumeProfile, title_profile
from matcher.scoring import CreditIndex, MatchReport, score_match
from matcher.types import Seniority


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """How well a resume fits one taxonomy job title."""

    title_id: str
    title: str
    score: float
    #: the person's estimated seniority (from their years and latest title); the title's own level beside it
    seniority: Seniority | None
    title_seniority: Seniority
    #: the most important skills the title asks for that the resume lacks, names in order
    missing: tuple[str, ...]
    report: MatchReport

    def to_dict(self) -> dict[str, Any]:
        """The row ``skillmatch titles`` prints and ``POST /v1/resumes/{id}/titles`` answers (the report left out)."""
        return {
            "title": self.title,
            "title_id": self.title_id,
            "score": self.score,
            "seniority": self.seniority,
            "title_seniority": self.title_seniority,
            "missing": list(self.missing),
        }


def rank_titles(resume: ResumeProfile, index: CreditIndex, *, as_of: int, top_gaps: int = 5) -> list[TitleMatch]:
    """Every job title of the taxonomy scored for ``resume``, best first (ties by title id)."""
    matches = []
    for title in index.taxonomy.titles.values():
        report = score_match(resume, title_profile(title), index, as_of=as_of)
        matches.append(
            TitleMatch(
                title_id=title.id,
                title=title.name,
                score=report.score,
                seniority=resume.seniority,
                title_seniority=title.seniority,
                missing=tuple(line.name for line in report.missing[:top_gaps]),
                report=report,
            )
        )
    return sorted(matches, key=lambda m: (-m.score, m.title_id))


def rank_resumes(
    resumes: Sequence[ResumeProfile], job: JobProfile, index: CreditIndex, *, as_of: int
) -> list[tuple[int, MatchReport]]:
    """``(position in resumes, report)`` for every resume against ``job``, best first (ties by position)."""
    reports = [(i, score_match(resume, job, index, as_of=as_of)) for i, resume in enumerate(resumes)]
    return sorted(reports, key=lambda pair: (-pair[1].score, pair[0]))
