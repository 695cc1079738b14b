"""One object for scripts, the CLI and the service: parse, tag, profile and score, loading everything once.

>>> from matcher.engine import Engine
>>> engine = Engine()                                        # doctest: +SKIP
>>> resume = engine.load("samples/resumes/ml_engineer_resume.md", kind="resume")   # doctest: +SKIP
>>> job = engine.load("samples/jobs/ml_engineer_job.md", kind="job")               # doctest: +SKIP
>>> engine.match(resume, job).score                          # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from matcher.errors import SkillmatchError
from matcher.parsing import ParsedDocument, ParseLimits, parse_document
from matcher.profiles import JobProfile, ResumeProfile, job_profile, resume_profile
from matcher.scoring import CreditIndex, MatchReport, score_match
from matcher.settings import Settings, get_settings
from matcher.tagging import Tagger, TagResult
from matcher.taxonomy import Taxonomy, load_taxonomy
from matcher.titles import TitleMatch, rank_resumes, rank_titles
from matcher.types import DocumentKind, to_jsonable


@dataclass(frozen=True)
class Analysed:
    """A document parsed, tagged and profiled: everything scoring and reports need."""

    source: str
    kind: DocumentKind
    document: ParsedDocument
    tagged: TagResult
    resume: ResumeProfile | None = None
    job: JobProfile | None = None


class Engine:
    """Taxonomy, tagger and credit index, built once; ``as_of`` is the year recency is measured from."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        taxonomy: Taxonomy | None = None,
        tagger: Tagger | None = None,
        as_of: int | None = None,
        limits: ParseLimits | None = None,
    ) -> None:
        settings = settings or get_settings()
        self.taxonomy = (
            taxonomy
            or (tagger.taxonomy if tagger else None)
            or load_taxonomy(settings.taxonomy_dir, cache_dir=settings.cache_dir)
        )
        self.tagger = tagger or Tagger(self.taxonomy, settings=settings)
        self.index = CreditIndex(self.taxonomy)
        self.as_of = as_of or date.today().year
        self.limits = limits

    def load(
        self,
        source: str | os.PathLike[str] | bytes,
        *,
        kind: DocumentKind,
        name: str | None = None,
        personal_data: bool = True,
    ) -> Analysed:
        """Parse, tag and profile a file (path) or its bytes; typed errors for bad documents.

        ``personal_data=False`` skips finding e-mails, phones and the name (``document.pii`` is None): scoring
        never reads them, only redaction does, so a text scored and thrown away need not pay for it."""
        document = parse_document(source, kind=kind, filename=name, limits=self.limits, personal_data=personal_data)
        label = name or (str(source) if not isinstance(source, bytes) else "<bytes>")
        return self.analyse(document, source=label)

    def load_text(self, text: str, *, kind: DocumentKind, name: str = "<text>") -> Analysed:
        """Like :meth:`load`, for text pasted rather than uploaded."""
        return self.load(text.encode("utf-8"), kind=kind, name=name)

    def analyse(self, document: ParsedDocument, *, source: str) -> Analysed:
        tagged = next(self.tagger.tag_documents([(source, document)]))
        if document.kind == "resume":
            return Analysed(source, "resume", document, tagged, resume=resume_profile(tagged, document))
        return Analysed(source, "job", document, tagged, job=job_profile(tagged, document))

    def match(self, resume: Analysed, job: Analysed) -> MatchReport:
        """The gap report of one resume against one job, with both documents' parse diagnostics."""
        return self.score(
            _resume(resume),
            _job(job),
            diagnostics={
                "resume": to_jsonable(resume.document.diagnostics),
                "job": to_jsonable(job.document.diagnostics),
            },
        )

    def score(
        self, resume: ResumeProfile, job: JobProfile, *, diagnostics: Mapping[str, Any] | None = None
    ) -> MatchReport:
        """The gap report from stored profiles (no parsing or tagging); ``diagnostics`` as :meth:`match` gives."""
        report = score_match(resume, job, self.index, as_of=self.as_of)
        return replace(report, diagnostics=dict(diagnostics)) if diagnostics is not None else report

    def rank_titles(self, resume: Analysed) -> list[TitleMatch]:
        """Every ML job title of the taxonomy, best fit first."""
        return rank_titles(_resume(resume), self.index, as_of=self.as_of)

    def rank_resumes(self, resumes: Sequence[Analysed], job: Analysed) -> list[tuple[Analysed, MatchReport]]:
        """Resumes ranked for one job, best first."""
        ranked = rank_resumes([_resume(r) for r in resumes], _job(job), self.index, as_of=self.as_of)
        return [(resumes[i], report) for i, report in ranked]


def _resume(analysed: Analysed) -> ResumeProfile:
    if analysed.resume is None:
        raise SkillmatchError(f"{analysed.source} was loaded as a job post, not a resume", code="wrong_kind")
    return analysed.resume


def _job(analysed: Analysed) -> JobProfile:
    if analysed.job is None:
        raise SkillmatchError(f"{analysed.source} was loaded as a resume, not a job post", code="wrong_kind")
    return analysed.job
