"""One object for scripts, the CLI and the service: parse, analyse, tag, profile and score, loading everything once.

The Engine is where the reference date is decided (``as_of``, today unless given): everything below it takes
the date from here, so a score depends only on the documents and that date.

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
from functools import cached_property
from typing import TYPE_CHECKING, Any

from matcher.analysis import DocumentAnalysis, analyse_document
from matcher.errors import SkillmatchError
from matcher.parsing import ParsedDocument, ParseLimits, parse_document
from matcher.settings import Settings, get_settings
from matcher.tagging.tagger import Tagger, TagResult
from matcher.taxonomy import Taxonomy, load_taxonomy
from matcher.types import DocumentKind, to_jsonable

if TYPE_CHECKING:  # scoring and profiles are imported when asked for: `skillmatch tag` needs neither, and starts faster
    from matcher.scoring.match import CreditIndex, MatchReport
    from matcher.scoring.profiles import JobProfile, ResumeProfile
    from matcher.scoring.titles import TitleMatch


@dataclass(frozen=True)
class Analysed:
    """A document parsed, analysed, tagged and profiled: everything scoring and reports need."""

    source: str
    kind: DocumentKind
    document: ParsedDocument
    analysis: DocumentAnalysis
    tagged: TagResult
    resume: ResumeProfile | None = None
    job: JobProfile | None = None

    def diagnostics(self) -> dict[str, Any]:
        """How the document was read, as reports and the service show it: the parse diagnostics and the
        sections found."""
        return {**to_jsonable(self.document.diagnostics), "sections_found": [s.name for s in self.analysis.sections]}


class Engine:
    """Taxonomy, tagger and credit index, built once.

    ``as_of`` is the reference date: "Present" in a resume means its month, and recency is measured from its
    year. A year alone means December of that year. Default: today, read once here.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        taxonomy: Taxonomy | None = None,
        tagger: Tagger | None = None,
        as_of: int | date | None = None,
        limits: ParseLimits | None = None,
    ) -> None:
        settings = settings or get_settings()
        self.taxonomy = (
            taxonomy
            or (tagger.taxonomy if tagger else None)
            or load_taxonomy(settings.taxonomy_dir, cache_dir=settings.cache_dir)
        )
        self.tagger = tagger or Tagger(self.taxonomy, settings=settings)
        if isinstance(as_of, date):
            self.as_of_date = as_of
        else:
            self.as_of_date = date(as_of, 12, 1) if as_of else date.today()
        #: the year recency is measured from
        self.as_of = self.as_of_date.year
        self.limits = limits

    @cached_property
    def index(self) -> CreditIndex:
        """The taxonomy's credit relations, built on first use: tagging alone never needs them."""
        from matcher.scoring.match import CreditIndex

        return CreditIndex(self.taxonomy)

    def load(
        self,
        source: str | os.PathLike[str] | bytes,
        *,
        kind: DocumentKind | None = None,
        name: str | None = None,
        personal_data: bool = True,
    ) -> Analysed:
        """Parse, analyse, tag and profile a file (path) or its bytes; typed errors for bad documents.

        ``kind`` is guessed from the text when None. ``personal_data=False`` skips finding e-mails, phones and
        the name (``analysis.pii`` is None): scoring never reads them, only redaction does, so a text scored and
        thrown away need not pay for it."""
        document = parse_document(source, filename=name, limits=self.limits)
        return self.analyse(document, source=name or _label(source), kind=kind, personal_data=personal_data)

    def tag(self, source: str | os.PathLike[str] | bytes, *, kind: DocumentKind | None = None) -> TagResult:
        """The skills of a file (path) or its bytes, as :meth:`load` tags them: the same parse, analysis and
        tagging, without what tags never depend on (personal data, qualifications) and without the profile."""
        document = parse_document(source, limits=self.limits)
        analysis = analyse_document(
            document, as_of=self.as_of_date, kind=kind, personal_data=False, qualifications=False
        )
        return self.tagger.tag_analysed(document.text, analysis, source=_label(source))

    def load_text(self, text: str, *, kind: DocumentKind | None = None, name: str = "<text>") -> Analysed:
        """Like :meth:`load`, for text pasted rather than uploaded."""
        return self.load(text.encode("utf-8"), kind=kind, name=name)

    def analyse(
        self,
        document: ParsedDocument,
        *,
        source: str,
        kind: DocumentKind | None = None,
        personal_data: bool = True,
    ) -> Analysed:
        """Analyse, tag and profile a parsed document, on this engine's reference date."""
        from matcher.scoring.profiles import job_profile, resume_profile

        analysis = analyse_document(document, as_of=self.as_of_date, kind=kind, personal_data=personal_data)
        tagged = self.tagger.tag_analysed(document.text, analysis, source=source)
        if analysis.kind == "resume":
            profile = resume_profile(tagged, document, analysis)
            return Analysed(source, "resume", document, analysis, tagged, resume=profile)
        return Analysed(source, "job", document, analysis, tagged, job=job_profile(tagged, document, analysis))

    def match(self, resume: Analysed, job: Analysed) -> MatchReport:
        """The gap report of one resume against one job, with both documents' parse diagnostics."""
        return self.score(
            _resume(resume),
            _job(job),
            diagnostics={"resume": resume.diagnostics(), "job": job.diagnostics()},
        )

    def score(
        self, resume: ResumeProfile, job: JobProfile, *, diagnostics: Mapping[str, Any] | None = None
    ) -> MatchReport:
        """The gap report from stored profiles (no parsing or tagging); ``diagnostics`` as :meth:`match` gives."""
        from matcher.scoring.match import score_match

        report = score_match(resume, job, self.index, as_of=self.as_of)
        return replace(report, diagnostics=dict(diagnostics)) if diagnostics is not None else report

    def rank_titles(self, resume: Analysed) -> list[TitleMatch]:
        """Every ML job title of the taxonomy, best fit first."""
        from matcher.scoring.titles import rank_titles

        return rank_titles(_resume(resume), self.index, as_of=self.as_of)

    def rank_resumes(self, resumes: Sequence[Analysed], job: Analysed) -> list[tuple[Analysed, MatchReport]]:
        """Resumes ranked for one job, best first."""
        from matcher.scoring.titles import rank_resumes

        ranked = rank_resumes([_resume(r) for r in resumes], _job(job), self.index, as_of=self.as_of)
        return [(resumes[i], report) for i, report in ranked]


def _label(source: str | os.PathLike[str] | bytes) -> str:
    """What a document read from ``source`` is called in results: its path, or ``<bytes>``."""
    return str(source) if not isinstance(source, bytes) else "<bytes>"


def _resume(analysed: Analysed) -> ResumeProfile:
    if analysed.resume is None:
        raise SkillmatchError(f"{analysed.source} was loaded as a job post, not a resume", code="wrong_kind")
    return analysed.resume


def _job(analysed: Analysed) -> JobProfile:
    if analysed.job is None:
        raise SkillmatchError(f"{analysed.source} was loaded as a resume, not a job post", code="wrong_kind")
    return analysed.job
