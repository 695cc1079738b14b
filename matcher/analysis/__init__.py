"""What a parsed document says, beyond its words: sections, experience, personal data, where skills can stand.

Parsing (:mod:`matcher.parsing`) returns the document as it is written: text, lines, pages, diagnostics.
This stage reads it as a resume or a job post and takes the reference date (``as_of``) from its caller, so
nothing below the :class:`~matcher.engine.Engine` reads the clock and an analysis depends only on the
document and that date:

* :mod:`~matcher.analysis.sections`: sections from headings (lines, inside lines), the contact block, the body;
* :mod:`~matcher.analysis.experience`: positions and years (resume), years asked and levels (job post);
* :mod:`~matcher.analysis.pii`: e-mails, phones, URLs, the name (to redact);
* :mod:`~matcher.analysis.breaks`: the line breaks a multi-word skill may cross;
* :mod:`~matcher.analysis.facts`: what the document says of each skill it names (years; level and years asked).

>>> from datetime import date
>>> from matcher.parsing import parse_document
>>> doc = parse_document(b"Requirements: Python, Docker")
>>> analysis = analyse_document(doc, as_of=date(2026, 12, 1))
>>> analysis.kind, [s.name for s in analysis.sections]
('job', ['requirements'])
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from matcher.analysis.breaks import soft_breaks
from matcher.analysis.experience import TITLE_WORDS as _TITLE_WORDS
from matcher.analysis.experience import Experience, extract_experience
from matcher.analysis.pii import PersonalData, find_personal_data, is_contact_only, link_labels
from matcher.analysis.qualifications import Qualifications, find_qualifications
from matcher.analysis.sections import CONTACT, detect_sections
from matcher.types import DocumentKind, Section, TextLine

if TYPE_CHECKING:
    from matcher.parsing.document import ParsedDocument

__all__ = ["DocumentAnalysis", "analyse_document", "guess_kind"]

_JOB_SIGNALS = (
    "responsibilities", "requirements", "qualifications", "what you'll do", "what you will do",
    "what you’ll do", "we are looking for", "we're looking for", "we’re looking for", "you will",
    "about the role", "about the job", "about us", "benefits", "nice to have", "the ideal candidate",
    "job description", "who you are", "equal opportunity", "apply", "you'll bring", "you’ll bring",
    "we need", "we are hiring", "we're hiring", "we’re hiring", "must have", "join our team", "join us",
)  # fmt: skip
_RESUME_SIGNALS = (
    "work experience", "professional experience", "employment history", "education", "projects",
    "certifications", "publications", "bachelor", "master of", "b.sc", "m.sc", "ph.d", "gpa", "linkedin.com/in/",
    "github.com/", "references available", "curriculum vitae", "resume",
)  # fmt: skip
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
#: a part of an education line that names the school ("Stanford University", "Institute of Data Science"): a run of
#: text between separators (digits included) that holds a school word
_SCHOOL_RUN = re.compile(r"[^,|•·\t\n;:()\"“”\d—–]+")
_SCHOOL_WORD = re.compile(
    r"\b(?:universit(?:y|é|ät|at|ad|à)|college|institute|school|academy|polytechnic|iit|nit)\b", re.IGNORECASE
)


def _school_parts(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The parts of ``text[start:end]`` that name a school, in order. Written as one pattern (a run, a school word,
    a run) the search backtracks over every run it starts in: quadratic in a run's length, ~0.3 ms a resume."""
    for run in _SCHOOL_RUN.finditer(text, start, end):
        # the character after the run is read too: "University2" has no word boundary after "University"
        word = _SCHOOL_WORD.search(text, run.start(), min(run.end() + 1, end))
        if word is not None and word.start() < run.end():
            yield run.span()


def guess_kind(text: str) -> DocumentKind:
    """Resume or job post, from the phrases each kind uses (an email address counts for a resume)."""
    lowered = text[:30_000].lower()
    job = sum(1 for signal in _JOB_SIGNALS if signal in lowered)
    resume = sum(1 for signal in _RESUME_SIGNALS if signal in lowered)
    if _EMAIL_RE.search(lowered[:3000]):
        resume += 2
    return "job" if job > resume else "resume"


@dataclass(frozen=True, slots=True)
class DocumentAnalysis:
    """A document read as a resume or a job post, on a reference date."""

    kind: DocumentKind
    as_of: date
    #: contiguous, ordered, covering the text (see :func:`~matcher.analysis.sections.detect_sections`)
    sections: tuple[Section, ...]
    experience: Experience
    #: None when personal data was not looked for (batch scoring never reads it)
    pii: PersonalData | None = None
    #: offsets of the newlines a multi-word skill may cross (a wrapped line, not a list boundary)
    soft_breaks: frozenset[int] = field(default_factory=frozenset)
    #: spans where a resume's skill names are not claims: employers on position lines, schools, and lines of
    #: contact data outside the contact block ("GitHub (https://github.com/ana)" in a sidebar)
    organisations: tuple[tuple[int, int], ...] = ()
    #: a job post's title (its first line, up to a separator or the first sentence): ``text[start:end]``
    title_span: tuple[int, int] | None = None
    title: str | None = None
    #: degrees, certifications, past titles and management evidence (resume); degrees and certifications asked
    #: (job post)
    qualifications: Qualifications = field(default_factory=Qualifications)

    def not_a_skill_at(self, start: int, end: int) -> bool:
        """True when ``start:end`` lies where a skill name is not a skill: a resume's contact block, an employer's
        or a school's name."""
        if self.kind == "resume":
            for section in self.sections:
                if section.start <= start < section.end:
                    if section.name == CONTACT:
                        return True
                    break
        return any(a <= start and end <= b for a, b in self.organisations)


def analyse_document(
    document: ParsedDocument,
    *,
    as_of: date,
    kind: DocumentKind | None = None,
    personal_data: bool = True,
    qualifications: bool = True,
) -> DocumentAnalysis:
    """Sections, experience, personal data and the places skills cannot stand, for one parsed document.

    ``kind`` is guessed from the text when None (a JSON Resume is a resume). ``personal_data=False`` skips
    looking for e-mails, phones and the name (``pii`` is None): scoring never reads them, only redaction does.
    ``qualifications=False`` skips degrees, certifications, past titles and management evidence (none found):
    tagging never reads them, only profiles and scoring do.
    """
    text = document.text
    if kind is None:
        kind = "resume" if document.format == "jsonresume" else guess_kind(text)
    sections = tuple(detect_sections(text, document.lines, kind))
    experience = extract_experience(text, sections, kind, today=as_of)
    title_span = job_title_span(text, sections) if kind == "job" else None
    organisations = _organisations(text, document.lines, sections, experience) if kind == "resume" else ()
    found = (
        find_qualifications(
            text, sections, kind, positions=experience.positions, title_span=title_span, organisations=organisations
        )
        if qualifications
        else Qualifications()
    )
    return DocumentAnalysis(
        kind=kind,
        as_of=as_of,
        sections=sections,
        experience=experience,
        pii=find_personal_data(text, sections, kind) if personal_data else None,
        soft_breaks=soft_breaks(text, document.lines, sections, geometry=document.format == "pdf"),
        organisations=organisations,
        title_span=title_span,
        title=" ".join(text[title_span[0] : title_span[1]].split())[:120] if title_span else None,
        qualifications=found,
    )


#: where a title line stops in a pasted post: "Senior ML Engineer · Acme · Remote", "Data Scientist. We are ...",
#: "Web Developer We are looking for ..."
_TITLE_END = re.compile(
    r"\s+[·|•]\s+|(?<=[a-z)])[.!?]\s+|\s[-–—]\s|\s(?=(?:We|We['’]re|Our|Are you|Join|As an?|At|The|This|Job|In this)\s)"
)
_TITLE_DECOR = " #*\t"
#: headings of taxonomy/sections.yml a post's title may follow ("Job title: Senior ML Engineer"), in any case
_TITLE_HEADINGS = frozenset(["job title", "position", "role", "the role", "the position"])
#: headings a title may follow on their own line only ("Job Description: Java Developer"; not the next line)
_TITLE_LINE_HEADINGS = frozenset(["job description", "position description", "role description"])
#: a first line longer than this is more than a title (a post pasted as one line)
_LONG_TITLE = 60
#: how far the next line may close a parenthesis a title line opened
_WRAPPED_ASIDE = 40
#: how a post that opens with a sentence begins ("We need a Python engineer with PyTorch"): no title there
_SENTENCE_START = re.compile(
    r"(?:we|our|you|are you|do you|if you|join us|come join|the ideal|in this role|this role|looking for"
    r"|seeking (?:an?|the)|hiring (?:an?|for)|needed)\b",  # "we" covers "we're", "we are"; "you" "you'll"
    re.IGNORECASE,
)


def job_title_span(text: str, sections: tuple[Section, ...]) -> tuple[int, int] | None:
    """A post's title: its first non-empty line, which is its title in practice; in a post pasted as one line, its
    start up to the first heading, separator or sentence. A post that opens with a heading has a title only under
    a title heading ("Job title: Senior ML Engineer"); one that opens with "Requirements: Python, Docker" has none,
    nor has one that opens with a sentence ("We need a Python engineer with PyTorch": a title ask no past title
    could meet would cost every resume its weight).
    """
    headed = [s for s in sections if s.heading]
    position, stop = 0, headed[0].start if headed else len(text)
    if headed and not text[:stop].strip():  # the text opens with a heading
        first = headed[0]
        heading = first.heading.strip(" :").casefold()
        if heading not in _TITLE_HEADINGS and heading not in _TITLE_LINE_HEADINGS:
            return None
        found = text.find(first.heading, first.start)
        position = found + len(first.heading) if found >= 0 else first.start
        # the next heading after this one (one pasted as one line may also show "Description" inside it)
        stop = next((s.start for s in headed[1:] if s.start >= position), len(text))
        if heading in _TITLE_LINE_HEADINGS:  # "Job Description: Java Developer (3 Years of Experience)"
            line_end = text.find("\n", position)
            stop = min(stop, line_end if line_end >= 0 else len(text))
    for line in text[position:stop].split("\n"):
        stripped = line.strip(_TITLE_DECOR + ":-–—")
        if stripped:
            start = position + line.index(stripped)
            if _SENTENCE_START.match(stripped):
                return None
            cut = _TITLE_END.search(stripped)
            title = stripped[: cut.start()] if cut else stripped
            if len(title) > _LONG_TITLE:  # a pasted post: the title ends with its first job-title word
                word = _TITLE_WORDS.search(title)
                title = title[: word.end()] if word else ""  # or it starts with a sentence, not a title
            if not title:
                return None
            end = start + len(title)
            if title.count("(") > title.count(")"):  # "Senior Engineer (5+ Years of" wrapped: its line closes it
                close = text.find(")", end, end + _WRAPPED_ASIDE)
                if close >= 0 and "\n\n" not in text[end:close]:
                    end = close + 1
            return start, end
        position += len(line) + 1
    return None


def _organisations(
    text: str, lines: Sequence[TextLine], sections: tuple[Section, ...], experience: Experience
) -> tuple[tuple[int, int], ...]:
    """Employers named on position header lines, school names in the education sections, contact-only lines."""
    spans = [p.employer_span for p in experience.positions if p.employer_span is not None]
    spans.extend((line.start, line.end) for line in lines if is_contact_only(text[line.start : line.end]))
    spans.extend(link_labels(text))
    for section in sections:
        if section.name == "education":
            spans.extend(_school_parts(text, section.start, section.end))
    return tuple(sorted(spans))
