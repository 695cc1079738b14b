"""What a document says besides skills: degrees, certifications, past job titles and managing people.

Resumes: the degrees the person holds (level and field, never the school: the evidence is the degree's own words,
"M.Sc. Computer Science", cut before any school name), the certifications they name, the title of each dated
position, and evidence of managing people ("managed a team of 9", a manager's title).

Job posts: the degrees they ask for ("BS/MS/PhD in Computer Science, Engineering or a related field, or
equivalent practical experience": the lowest level named, the fields, whether a related field and equivalent
experience are accepted, required or preferred like a skill) and the certifications ("AWS Certified Machine
Learning – Specialty", "an AWS or GCP certification is a plus").

The words are data (``taxonomy/qualifications.yml``, validated on load); scoring (:mod:`matcher.scoring.match`) turns
what is found here into the qualifications lines of a report.

>>> from matcher.analysis.qualifications import find_degrees
>>> [(d.level, d.fields, d.text) for d in find_degrees("M.Sc. Statistics, University of Oslo, 2019")]
[('master', ('statistics',), 'M.Sc. Statistics')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from matcher.analysis.scan import matches_from
from matcher.errors import TaxonomyError, TaxonomyProblem
from matcher.taxonomy import bundled_taxonomy_dir, load_yaml
from matcher.types import DocumentKind, Section

__all__ = [
    "DEGREE_RANK",
    "QUALIFICATIONS_FILE",
    "CertificationMention",
    "Degree",
    "DegreeAsk",
    "DegreeLevel",
    "PastTitle",
    "Qualifications",
    "QualificationsData",
    "Span",
    "bundled_qualifications",
    "find_certifications",
    "find_degree_asks",
    "find_degrees",
    "find_qualifications",
    "load_qualifications",
    "management_evidence",
    "management_title",
]

QUALIFICATIONS_FILE = "qualifications.yml"
DegreeLevel = Literal["associate", "bachelor", "master", "doctorate"]
DEGREE_RANK: Mapping[DegreeLevel, int] = {"associate": 1, "bachelor": 2, "master": 3, "doctorate": 4}
Importance = Literal["required", "preferred"]

# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Span:
    """Where something stands in a document: ``text[start:end]``."""

    section: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Degree:
    """A degree a resume names: its level and fields, and the words that name it (never the school)."""

    level: DegreeLevel
    fields: tuple[str, ...]
    evidence: Span


@dataclass(frozen=True, slots=True)
class DegreeAsk:
    """A degree a job post asks for."""

    #: the lowest level the post accepts ("BS/MS/PhD": bachelor)
    level: DegreeLevel
    #: the fields it names; empty: any field
    fields: tuple[str, ...]
    #: "or a related field", "a quantitative field": the fields related to those named count too
    related: bool
    #: "or equivalent (practical) experience": years of work stand in for the degree
    equivalent: bool
    importance: Importance
    evidence: Span


@dataclass(frozen=True, slots=True)
class CertificationMention:
    """A certification a resume names or a job post asks for. A post may ask for any of a provider's
    ("an AWS certification"): ``cert_id`` is then None and ``provider`` says whose."""

    cert_id: str | None
    provider: str | None
    name: str
    evidence: Span
    #: job posts only
    importance: Importance | None = None


@dataclass(frozen=True, slots=True)
class PastTitle:
    """The title of one dated position of a resume, and the last year it was held (None: held now); or the title
    a resume claims in its headline ("Machine Learning Engineer" under the name, "Data analyst with four years of
    ..." opening the summary), held now."""

    title: str
    last_year: int | None
    evidence: Span
    headline: bool = False


@dataclass(frozen=True, slots=True)
class Qualifications:
    """Everything this module finds in one document; fields that do not apply to its kind stay empty."""

    degrees: tuple[Degree, ...] = ()
    certifications: tuple[CertificationMention, ...] = ()
    titles: tuple[PastTitle, ...] = ()
    management: tuple[Span, ...] = ()
    degree_asks: tuple[DegreeAsk, ...] = ()


# --------------------------------------------------------------------------- the data file


@dataclass(frozen=True)
class QualificationsData:
    """The qualifications file compiled into patterns; build it with :func:`load_qualifications`."""

    version: str
    #: one alternation of every degree form; the group name's suffix is the level
    degree_pattern: re.Pattern[str]
    #: form key (letters, lower case) -> level
    degree_forms: Mapping[str, DegreeLevel]
    #: every field form; ``field_forms`` maps a form's key to its field
    field_pattern: re.Pattern[str]
    field_forms: Mapping[str, str]
    #: degree abbreviation key -> the field it names itself (MCA: computer science)
    implied_fields: Mapping[str, str]
    #: field -> the fields "a related field" accepts for it (itself included)
    related: Mapping[str, frozenset[str]]
    #: words asking for any field of a group ("a quantitative field") -> the group's fields
    group_pattern: re.Pattern[str] | None
    group_fields: Mapping[str, frozenset[str]]
    certification_pattern: re.Pattern[str] | None
    #: certification form key -> certification id
    certification_forms: Mapping[str, str]
    certification_names: Mapping[str, str]
    certification_providers: Mapping[str, str | None]
    provider_pattern: re.Pattern[str] | None
    provider_forms: Mapping[str, str]

    def related_to(self, asked: Sequence[str]) -> frozenset[str]:
        """The fields "a related field" accepts for ``asked``."""
        out: set[str] = set(asked)
        for field in asked:
            out |= self.related.get(field, frozenset())
        return frozenset(out)


def _key(form: str) -> str:
    """A form's comparable key: its letters and digits, lower case ("B.Sc." and "BSc" -> "bsc")."""
    return re.sub(r"[^0-9a-z]+", "", form.lower())


def _name_pattern(form: str) -> str:
    """A name as a case-insensitive pattern: any run of spaces or hyphens between words, either apostrophe."""
    words = re.split(r"[\s\-–]+", form.strip())
    parts = [re.escape(w).replace("'", "['’]?").replace("’", "['’]?") for w in words]
    return r"(?i:" + r"[\s\-–]+".join(parts) + r")"


def _abbreviation_pattern(form: str) -> str:
    """An abbreviation as written, dots and one space between its capital-led chunks optional: "B.Sc." matches
    "BSc", "B.Sc" and "B. Sc."; three letters or more also in any case ("Msc", "B.tech")."""
    letters = re.sub(r"[^0-9A-Za-z\-]", "", form)
    chunks = re.findall(r"[A-Z][a-z]*|[a-z]+|[0-9]+|-", letters)
    body = r"\.?\s?".join(re.escape(c) for c in chunks) + r"\.?"
    if len(re.sub(r"[^A-Za-z]", "", letters)) >= 3:
        return r"(?i:" + body + r")"
    return body


def _alternation(forms: Mapping[str, str]) -> re.Pattern[str] | None:
    """One pattern of every form (longest first), each a whole word.

    The alternatives are grouped by the ASCII letter or digit their form begins with, each group behind a
    look-ahead for that character (in any case, as the forms match): Python's regular expressions try every
    alternative at every position, and most positions now fail a dozen look-aheads instead of ~170 alternatives
    (~3x faster on resumes). Two alternatives that begin with different characters cannot match at the same place,
    so the match at each place is the one the plain alternation makes. A form that begins with another character
    is tried in every group, where its order among the others counts, and after them all."""
    if not forms:
        return None
    ordered = sorted(forms, key=lambda f: -len(f))
    firsts = {form: form.strip()[:1].lower() for form in ordered}
    groups: dict[str, list[str]] = {f: [] for f in firsts.values() if f.isascii() and f.isalnum()}
    anywhere: list[str] = []
    for form in ordered:
        if firsts[form] in groups:
            groups[firsts[form]].append(forms[form])
        else:
            anywhere.append(forms[form])
            for alternatives in groups.values():
                alternatives.append(forms[form])
    branches = [rf"(?=(?i:[{re.escape(first)}]))(?:{'|'.join(alts)})" for first, alts in groups.items()]
    if anywhere:
        branches.append(f"(?:{'|'.join(anywhere)})")
    # with every form in a group, a place whose character begins none of them is passed over at once
    some_first = "" if anywhere else f"(?=(?i:[{re.escape(''.join(groups))}]))"
    return re.compile(some_first + r"(?<![\w.])(?:" + "|".join(branches) + r")(?![\w])")


def load_qualifications(path: Path | None = None, *, cache_dir: Path | None = None) -> QualificationsData:
    """Read and validate ``qualifications.yml`` (bundled unless ``path``; its parsed YAML kept as JSON in
    ``cache_dir``, see :func:`~matcher.taxonomy.load_yaml`); :class:`TaxonomyError` lists every problem."""
    from matcher.analysis.qualifications_schema import FileSchema

    file = Path(path) if path is not None else bundled_taxonomy_dir() / QUALIFICATIONS_FILE
    try:
        raw: Any = load_yaml(file.read_bytes(), cache_dir)
        data = FileSchema.model_validate(raw or {})
    except ValidationError as exc:  # a ValueError too: before the clause for unreadable files
        raise TaxonomyError(
            [TaxonomyProblem(file.name, "-", ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]
        ) from None
    except (OSError, ValueError) as exc:
        message = f"cannot read YAML: {' '.join(str(exc).split())}"
        raise TaxonomyError([TaxonomyProblem(file.name, "-", "", message)]) from None
    problems: list[TaxonomyProblem] = []
    degree_patterns: dict[str, str] = {}
    degree_forms: dict[str, DegreeLevel] = {}
    implied: dict[str, str] = {}
    for level, forms in data.degrees.items():
        for name in forms.names:
            degree_patterns[name] = _name_pattern(name)
            degree_forms[_key(name)] = level
        for abbreviation in forms.abbreviations:
            degree_patterns[abbreviation] = _abbreviation_pattern(abbreviation)
            degree_forms[_key(abbreviation)] = level
    field_patterns: dict[str, str] = {}
    field_forms: dict[str, str] = {}
    for field, forms in data.fields.items():
        for name in forms.names:
            field_patterns[name] = _name_pattern(name)
            field_forms[_key(name)] = field
        for abbreviation in forms.abbreviations:
            field_patterns[abbreviation] = re.escape(abbreviation)
            field_forms[_key(abbreviation)] = field
        for degree in forms.implied_by:
            if _key(degree) not in degree_forms:
                problems.append(TaxonomyProblem(file.name, f"fields.{field}", "implied_by", f"{degree!r} is no degree"))
            implied[_key(degree)] = field
    related: dict[str, set[str]] = {}
    for group, members in data.related_fields.items():
        for field in members:
            if field not in data.fields:
                problems.append(TaxonomyProblem(file.name, f"related_fields.{group}", "", f"unknown field {field!r}"))
            related.setdefault(field, set()).update(members)
    group_fields = {}
    group_patterns: dict[str, str] = {}
    for group, words in data.field_groups.items():
        if group not in data.related_fields:
            problems.append(TaxonomyProblem(file.name, f"field_groups.{group}", "", "no related_fields of that name"))
            continue
        for word in words:
            group_patterns[word] = _name_pattern(word)
            group_fields[_key(word)] = frozenset(data.related_fields[group])
    cert_patterns: dict[str, str] = {}
    cert_forms: dict[str, str] = {}
    for cert_id, cert in data.certifications.items():
        if cert.provider is not None and cert.provider not in data.providers:
            problems.append(TaxonomyProblem(file.name, cert_id, "provider", f"unknown provider {cert.provider!r}"))
        for name in (cert.name, *cert.names):
            cert_patterns[name] = _name_pattern(name)
            cert_forms[_key(name)] = cert_id
        for abbreviation in cert.abbreviations:
            cert_patterns[abbreviation] = re.escape(abbreviation)
            cert_forms[_key(abbreviation)] = cert_id
    provider_patterns = {f: _name_pattern(f) for forms in data.providers.values() for f in forms}
    provider_forms = {_key(f): p for p, forms in data.providers.items() for f in forms}
    if problems:
        raise TaxonomyError(problems)
    degree_pattern = _alternation(degree_patterns)
    field_pattern = _alternation(field_patterns)
    assert degree_pattern is not None
    assert field_pattern is not None
    return QualificationsData(
        version=data.version,
        degree_pattern=degree_pattern,
        degree_forms=degree_forms,
        field_pattern=field_pattern,
        field_forms=field_forms,
        implied_fields=implied,
        related={f: frozenset(m) for f, m in related.items()},
        group_pattern=_alternation(group_patterns),
        group_fields=group_fields,
        certification_pattern=_alternation(cert_patterns),
        certification_forms=cert_forms,
        certification_names={cid: c.name for cid, c in data.certifications.items()},
        certification_providers={cid: c.provider for cid, c in data.certifications.items()},
        provider_pattern=_alternation(provider_patterns),
        provider_forms=provider_forms,
    )


@lru_cache(maxsize=1)
def bundled_qualifications() -> QualificationsData:
    """The bundled qualifications file, read once per process (through the configured cache,
    ``SKILLMATCH_CACHE_DIR``)."""
    from matcher.settings import get_settings

    return load_qualifications(cache_dir=get_settings().cache_dir)


# --------------------------------------------------------------------------- degrees

#: two-letter degree abbreviations are common words or other things ("MS Office", "ME", "BA" the airline): they
#: count only next to another degree form or a field, or in an education section
_SHORT = 2
#: between two degree forms of one list: "BS/MS/PhD", "Bachelor's or Master's", "M.Sc. or Ph.D."
_LIST_GAP = re.compile(r"\s*(?:/|,|\bor\b|\band/or\b|\band\b|&)\s*(?:(?:a|an)\s+)?", re.IGNORECASE)
#: a bare "degree" names a bachelor's when a field follows or precedes it ("a degree in Computer Science")
_BARE_DEGREE = re.compile(r"(?i)\b(?:university\s+|college\s+|technical\s+|relevant\s+|related\s+)?degree\b")
_DEGREE_WORD = re.compile(r"(?i)^\s*(?:['’]s)?\s*(?:degree|diploma|program(?:me)?)?\s*(?:\(hons?\.?\)|\(honou?rs\))?")
#: where the words about one degree stop: the end of a sentence, line or clause, a date, a school's name
_CLAUSE_END = re.compile(
    r"[\n;:•]|(?<=[a-z)])\.(?:\s|$)|\s[–—|]\s|\bor\s+equivalent\b|\bGPA\b|\d{4}|\((?:required|preferred|optional)\)",
    re.IGNORECASE,
)
_SCHOOL = re.compile(
    r"(?i)\b(?:universit(?:y|ies|é|ät|at|ad|à)|college|institute|school|academy|polytechnic|iit|nit|mit)\b"
)
_RELATED = re.compile(
    r"(?i)\b(?:related|similar|relevant|equivalent|comparable|allied|adjacent)\s+"
    r"(?:field|fields|discipline|disciplines|subject|subjects|area|areas|major|degree)\b|\bor\s+similar\b"
)
_EQUIVALENT = re.compile(
    r"(?i)\b(?:or|and/or)\s+(?:the\s+)?equivalent\s+(?:practical\s+|professional\s+|work\s+|industry\s+|"
    r"relevant\s+|combination\s+of\s+education\s+and\s+)?(?:experience|combination)|"
    r"\bequivalent\s+(?:practical|professional|work)\s+experience|\bor\s+equivalent\b"
)


def _degree_forms(text: str, start: int, end: int, data: QualificationsData) -> Iterator[tuple[int, int, DegreeLevel]]:
    """Every degree form in ``text[start:end]`` as (start, end, level), bare "degree" included as a bachelor's."""
    for m in data.degree_pattern.finditer(text, start, end):
        level = data.degree_forms.get(_key(m.group(0)))
        if level is not None:
            yield m.start(), m.end(), level


def _fields_in(text: str, start: int, end: int, data: QualificationsData) -> tuple[list[str], int]:
    """Fields named in ``text[start:end]`` in order, and where the last one ends (``start`` when none)."""
    found: list[str] = []
    last = start
    for m in data.field_pattern.finditer(text, start, end):
        field = data.field_forms.get(_key(m.group(0)))
        if field is not None:
            if field not in found:
                found.append(field)
            last = m.end()
    return found, last


def _window_end(text: str, start: int, limit: int, *, resume: bool) -> int:
    """Where the words about one degree stop after ``start``: the clause end, and in a resume a school's name."""
    end = min(limit, start + 160)
    stop = _CLAUSE_END.search(text, start, end)
    if stop is not None:
        end = stop.start()
    if resume:
        school = _SCHOOL.search(text, start, end)
        if school is not None:
            cut = max(text.rfind(",", start, school.start()), text.rfind("|", start, school.start()))
            end = cut if cut != -1 else school.start()
    return end


def _groups(forms: list[tuple[int, int, DegreeLevel]], text: str) -> list[list[tuple[int, int, DegreeLevel]]]:
    """Degree forms one list names together ("BS/MS/PhD", "Master's or PhD"), in order."""
    groups: list[list[tuple[int, int, DegreeLevel]]] = []
    for form in forms:
        if groups:
            previous_end = groups[-1][-1][1]
            gap = text[previous_end : form[0]]
            gap = _DEGREE_WORD.sub("", gap, count=1)
            if _LIST_GAP.fullmatch(gap) or not gap.strip():
                groups[-1].append(form)
                continue
        groups.append([form])
    return groups


def _short_ok(text: str, form: tuple[int, int, DegreeLevel], group_size: int, field_follows: bool) -> bool:
    """A two-letter, undotted abbreviation ("MS", "BA") counts only in a list of degrees or before a field."""
    written = re.sub(r"[^A-Za-z]", "", text[form[0] : form[1]])
    if len(written) > _SHORT or "." in text[form[0] : form[1]]:
        return True
    return group_size > 1 or field_follows


def find_degrees(
    text: str, start: int = 0, end: int | None = None, *, section: str | None = None, strict: bool = False
) -> tuple[Degree, ...]:
    """Degrees a resume names in ``text[start:end]``: level, fields and the degree's own words as evidence.

    ``strict`` (outside an education section): a degree counts only with its field ("PhD in physics"), so
    "worked with PhD researchers" names no degree of the person's.
    """
    data = bundled_qualifications()
    end = len(text) if end is None else end
    found: list[Degree] = []
    forms = list(_degree_forms(text, start, end, data))
    for group in _groups(forms, text):
        last = group[-1]
        window_end = _window_end(text, last[1], end, resume=True)
        fields, fields_end = _fields_in(text, last[1], window_end, data)
        for form in group:
            implied = data.implied_fields.get(_key(text[form[0] : form[1]]))
            if implied and implied not in fields:
                fields = [implied, *fields]
        if not _short_ok(text, last, len(group), bool(fields)) or (strict and not fields):
            continue
        span_end = max(fields_end, last[1])
        span_start = group[0][0]
        for form in group:  # "BSc/MSc Computer Science": one span, each level a degree
            evidence = Span(section, span_start, span_end, text[span_start:span_end])
            found.append(Degree(form[2], tuple(fields), evidence))
    return tuple(found)


def find_degree_asks(
    text: str,
    sections: Sequence[Section],
    *,
    title_span: tuple[int, int] | None = None,
) -> tuple[DegreeAsk, ...]:
    """Degrees a job post asks for: one ask per list of degrees, its lowest level, the fields, whether a related
    field and equivalent experience count, and required or preferred as :mod:`matcher.analysis.facts` decides
    for a skill at the same place (a degree named only in the company's own text asks nothing)."""
    from matcher.analysis.facts import mention_importance  # facts imports this package

    data = bundled_qualifications()
    asks: list[DegreeAsk] = []
    forms = list(_degree_forms(text, 0, len(text), data))
    forms += _bare_degrees(text, forms, data)
    forms.sort()
    for group in _groups(forms, text):
        first, last = group[0], group[-1]
        window_end = _window_end(text, last[1], len(text), resume=False)
        fields, fields_end = _fields_in(text, last[1], window_end, data)
        before = _fields_before(text, first[0], data)
        fields = list(dict.fromkeys([*before, *fields]))
        if not _short_ok(text, last, len(group), bool(fields)):
            continue
        sentence_end = _sentence_end(text, last[1])
        related = bool(_RELATED.search(text, last[1], sentence_end))
        if data.group_pattern is not None:
            for m in data.group_pattern.finditer(text, last[1], window_end):
                related = True
                if not fields:
                    fields = sorted(data.group_fields.get(_key(m.group(0)), ()))
        importance = mention_importance(text, sections, first[0], title_span=title_span)
        if importance == "background":
            continue
        level = min((form[2] for form in group), key=lambda lv: DEGREE_RANK[lv])
        span_end = max(fields_end, last[1])
        section = _section_name(sections, first[0])
        asks.append(
            DegreeAsk(
                level=level,
                fields=tuple(fields),
                related=related,
                equivalent=bool(_EQUIVALENT.search(text, first[0], sentence_end)),
                importance=importance,
                evidence=Span(section, first[0], span_end, text[first[0] : span_end]),
            )
        )
    return _strongest(asks)


def _bare_degrees(
    text: str, forms: list[tuple[int, int, DegreeLevel]], data: QualificationsData
) -> list[tuple[int, int, DegreeLevel]]:
    """"a degree in Computer Science", "a Computer Science degree": a bachelor's, when a field is next to it."""
    taken = [(a, b) for a, b, _ in forms]
    out: list[tuple[int, int, DegreeLevel]] = []
    for m in _BARE_DEGREE.finditer(text):
        if any(a <= m.start() < b + 12 for a, b in taken):  # "Bachelor's degree": part of a named level
            continue
        after = re.match(r"\s+(?:in|from)\s+", text[m.end() : m.end() + 8])
        window_end = _window_end(text, m.end(), len(text), resume=False)
        field_after = after is not None and bool(_fields_in(text, m.end(), window_end, data)[0])
        if field_after or _fields_before(text, m.start(), data):
            out.append((m.start(), m.end(), "bachelor"))
    return out


def _fields_before(text: str, start: int, data: QualificationsData) -> list[str]:
    """Fields written just before a degree form ("a Computer Science degree")."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - 40)
    head = text[line_start:start]
    m = re.search(r"((?:[A-Za-z]+[\s/&,]+){1,4})$", head)
    if m is None:
        return []
    fields, _ = _fields_in(text, line_start + m.start(), start, data)
    return fields


def _sentence_end(text: str, start: int) -> int:
    stop = re.compile(r"\n|(?<=[a-z)])\.(?:\s|$)").search(text, start, start + 300)
    return stop.start() if stop else min(len(text), start + 300)


def _strongest(asks: list[DegreeAsk]) -> tuple[DegreeAsk, ...]:
    """At most one required ask (the lowest level a post requires) and one preferred ask above it: "Bachelor's
    in CS" and "Bachelor's (Preferred)" in one post are one ask."""
    required = [a for a in asks if a.importance == "required"]
    preferred = [a for a in asks if a.importance == "preferred"]
    out: list[DegreeAsk] = []
    floor = 0
    if required:
        best = min(required, key=lambda a: (DEGREE_RANK[a.level], -len(a.fields), a.evidence.start))
        out.append(best)
        floor = DEGREE_RANK[best.level]
    above = [a for a in preferred if DEGREE_RANK[a.level] > floor]
    if above:
        out.append(max(above, key=lambda a: (DEGREE_RANK[a.level], len(a.fields), -a.evidence.start)))
    elif preferred and not required:
        out.append(min(preferred, key=lambda a: (DEGREE_RANK[a.level], -len(a.fields), a.evidence.start)))
    return tuple(sorted(out, key=lambda a: a.evidence.start))


def _section_name(sections: Sequence[Section], offset: int) -> str | None:
    for section in sections:
        if section.start <= offset < section.end:
            return section.name
    return None


# --------------------------------------------------------------------------- certifications

_GENERIC_CERT = re.compile(r"(?i)\bcertifi(?:cation|cations|ed|cate|cates)\b")


def find_certifications(
    text: str, sections: Sequence[Section], *, kind: DocumentKind, title_span: tuple[int, int] | None = None
) -> tuple[CertificationMention, ...]:
    """Certifications a resume names (outside its contact block) or a job post asks for; a post may also ask for
    any certificate of a provider ("AWS or GCP certification a plus")."""
    data = bundled_qualifications()
    found: dict[str | None, CertificationMention] = {}
    skip = {"contact"} if kind == "resume" else set()
    importance_of = None
    if kind == "job":
        from matcher.analysis.facts import mention_importance

        def importance_of(offset: int) -> str:
            return mention_importance(text, sections, offset, title_span=title_span)

    taken: list[tuple[int, int]] = []
    if data.certification_pattern is not None:
        for m in data.certification_pattern.finditer(text):
            section = _section_name(sections, m.start())
            cert_id = data.certification_forms.get(_key(m.group(0)))
            if cert_id is None or section in skip or cert_id in found:
                continue
            importance = importance_of(m.start()) if importance_of is not None else None
            if importance == "background":
                continue
            taken.append(m.span())
            found[cert_id] = CertificationMention(
                cert_id, data.certification_providers[cert_id], data.certification_names[cert_id],
                Span(section, m.start(), m.end(), m.group(0)), importance,  # type: ignore[arg-type]
            )  # fmt: skip
    if importance_of is not None and data.provider_pattern is not None:
        for m in _GENERIC_CERT.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            head_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 40)
            named = data.provider_pattern.finditer(text, head_start, m.start())
            providers = [data.provider_forms[_key(p.group(0))] for p in named]
            if re.search(r"(?i)\bcloud\b", text[head_start : m.start()]) and not providers:
                providers = ["aws", "gcp", "azure"]
            importance = importance_of(m.start())
            if not providers or importance == "background":
                continue
            for provider in dict.fromkeys(providers):
                key = f"any:{provider}"
                if key not in found:
                    section = _section_name(sections, m.start())
                    found[key] = CertificationMention(
                        None, provider, f"a {provider.upper()} certification",
                        Span(section, head_start, m.end(), text[head_start : m.end()].strip()), importance,  # type: ignore[arg-type]
                    )  # fmt: skip
    return tuple(sorted(found.values(), key=lambda c: c.evidence.start))


# --------------------------------------------------------------------------- people management

#: a title that manages people (not products, projects or accounts)
_MANAGER_TITLE = re.compile(
    r"(?i)\b(?:(?<!product\s)(?<!project\s)(?<!program\s)(?<!programme\s)(?<!account\s)(?<!content\s)"
    r"(?<!community\s)(?<!brand\s)(?<!case\s)manager|head\s+of|director|vp|vice\s+president|chief|cto|ceo|cdo|"
    r"team\s+lead|team\s+leader|head\s+chef|charge\s+nurse|supervisor)\b"
)
_PEOPLE = (
    r"(?:engineers|scientists|analysts|developers|people|staff|reports|employees|nurses|chefs|cooks|marketers|"
    r"designers|managers|researchers|recruiters|members|specialists|consultants|technicians|teachers)"
)
_MANAGES = re.compile(
    r"\b(?:manag(?:e|es|ed|ing)|led|lead(?:s|ing)?|supervis(?:e|es|ed|ing)|direct(?:s|ed|ing)?|run(?:s|ning)?|"
    r"ran|built\s+and\s+led|coordinat(?:e|es|ed|ing))\b[^.;\n]{0,40}?\bteam\s+of\s+(?:\d+|two|three|four|five|six|"
    r"seven|eight|nine|ten|twelve|fifteen|twenty|(?:[\w/-]+\s+){0,2}?" + _PEOPLE + r")\b"
    r"|\b(?:manag(?:e|es|ed|ing)|led|lead(?:s|ing)?|supervis(?:e|es|ed|ing))\s+(?:a\s+group\s+of\s+)?"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:[\w-]+\s+){0,3}?" + _PEOPLE + r"\b"
    r"|\b(?:direct\s+reports|people\s+manager|performance\s+reviews|one-on-ones|1:1s|hired\s+\d+)\b",
    re.IGNORECASE,
)
#: where :data:`_MANAGES` can start: a word its alternatives begin with (:func:`~matcher.analysis.scan.matches_from`)
_MANAGES_START = re.compile(
    r"\b(?:manag|led|lead|supervis|direct|run|ran|built|coordinat|people|performance|one-on-ones|1:1s|hired)",
    re.IGNORECASE,
)


def management_title(title: str) -> bool:
    """Whether a job title manages people: "Engineering Manager", "Head of Data"; not "Product Manager"."""
    return bool(_MANAGER_TITLE.search(title))


def management_evidence(text: str, sections: Sequence[Section], titles: Sequence[PastTitle]) -> tuple[Span, ...]:
    """Where a resume shows the person managing people: a manager's title, or "managed a team of 9"."""
    spans = [t.evidence for t in titles if management_title(t.title)]
    for m in matches_from(_MANAGES, _MANAGES_START, text):
        section = _section_name(sections, m.start())
        if section != "contact":
            spans.append(Span(section, m.start(), m.end(), m.group(0)))
    return tuple(sorted(spans, key=lambda s: s.start)[:5])


# --------------------------------------------------------------------------- one call per document

_DEGREE_SECTIONS = frozenset({"education", "certifications"})
_NOT_CLAIMS = frozenset({"contact"})


def find_qualifications(
    text: str,
    sections: Sequence[Section],
    kind: DocumentKind,
    *,
    positions: Sequence[Any] = (),
    title_span: tuple[int, int] | None = None,
    organisations: Sequence[tuple[int, int]] = (),
) -> Qualifications:
    """Degrees, certifications, past titles and management evidence of a resume, or the degrees and
    certifications a job post asks for. ``positions`` are the resume's dated positions
    (:class:`~matcher.analysis.experience.Position`); ``organisations`` the spans of school and employer names,
    which no evidence may reach into."""
    if kind == "job":
        return Qualifications(
            degree_asks=find_degree_asks(text, sections, title_span=title_span),
            certifications=find_certifications(text, sections, kind="job", title_span=title_span),
        )
    degrees: list[Degree] = []
    for section in sections:
        if section.name in _NOT_CLAIMS:
            continue
        in_education = section.name in _DEGREE_SECTIONS
        degrees.extend(
            find_degrees(text, section.start, section.end, section=section.name, strict=not in_education)
        )
    # one degree once: the education section's mention first (a summary repeats it: "PhD in statistics")
    degrees.sort(key=lambda d: (d.evidence.section not in _DEGREE_SECTIONS, d.evidence.start))
    unique: dict[tuple[str, tuple[str, ...]], Degree] = {}
    for degree in (_clear_of(d, organisations, text) for d in degrees):
        if degree.evidence.text.strip():
            unique.setdefault((degree.level, degree.fields), degree)
    titles = (*_past_titles(text, sections, positions), *_headline_titles(text, sections))
    return Qualifications(
        degrees=tuple(sorted(unique.values(), key=lambda d: d.evidence.start)),
        certifications=find_certifications(text, sections, kind="resume"),
        titles=titles,
        management=management_evidence(text, sections, titles),
    )


def _clear_of(degree: Degree, organisations: Sequence[tuple[int, int]], text: str) -> Degree:
    """The degree's evidence cut before any school or employer name it reaches into (blind mode never shows
    one)."""
    span = degree.evidence
    end = span.end
    for a, b in organisations:
        if span.start <= a < end and b > a:
            end = a
    if end == span.end:
        return degree
    end = len(text[span.start : end].rstrip(" ,;|-–—(")) + span.start
    return Degree(degree.level, degree.fields, Span(span.section, span.start, end, text[span.start : end]))


def _past_titles(text: str, sections: Sequence[Section], positions: Sequence[Any]) -> Iterator[PastTitle]:
    from matcher.analysis.headings import match_heading

    for position in positions:
        written = str(position.title)
        at = text.find(written, position.text_start, position.text_end)
        if at == -1:
            at = text.find(written)
        start, end = (at, at + len(written)) if at != -1 else (position.text_start, position.text_start)
        section = next((s for s in sections if s.start <= start < s.end), None)
        if section is not None and section.heading and text.startswith(section.heading, start):
            # "Experience Senior Accountant": the heading run into the title (a resume pasted as one line)
            start += len(section.heading)
            start += len(text[start:end]) - len(text[start:end].lstrip(" :-–—|"))
        title = " ".join(text[start:end].split()) if at != -1 else " ".join(written.split())
        if not title or match_heading(title, "resume") is not None:  # "Experience": a heading, not a title
            found = _title_after_date(text, position.text_start)
            if found is None:
                continue
            start, end = found
            title = " ".join(text[start:end].split())
        last_year = None if position.current or position.end is None else position.end.year
        yield PastTitle(title, last_year, Span(_section_name(sections, start), start, end, text[start:end]))


#: "2017 – Product Manager, Google, ... Present": a date column pasted into the title's line
_DATE_THEN_TITLE = re.compile(
    r"(?:(?:19|20)\d{2}|present|now)\s*[–—-]\s*([A-Z][\w()/&+.' -]{2,60}?)\s*(?:,|\s[–—|]\s|\s(?:at|@)\s)",
    re.IGNORECASE,
)


def _title_after_date(text: str, start: int) -> tuple[int, int] | None:
    """The title written between a date and the employer at the head of a position ("2017 – Product Manager,
    Google"), when the position's own title is missing: a date column pasted into one line puts it there."""
    from matcher.analysis.experience import TITLE_WORDS

    m = _DATE_THEN_TITLE.search(text, max(0, start - 8), start + 200)
    if m is None or not TITLE_WORDS.search(m.group(1)):
        return None
    return m.start(1), m.end(1)


#: where a headline title stops: "Data analyst with four years ...", "Engineering manager for ML teams"
_HEADLINE_END = re.compile(
    r"\s+(?:with|who|for|at|in|specialis(?:ed|ing)|specializ(?:ed|ing)|having|and|from|focused|passionate|"
    r"experienced|turned|looking|seeking)\b|[,.;:()|•·\n]|\s[–—-]\s|\d",
    re.IGNORECASE,
)
_HEADLINE_WORDS = 6
#: the top block's lines where a headline may stand (under the name, before the contact details)
_HEADLINE_LINES = 6


def _headline_titles(text: str, sections: Sequence[Section]) -> Iterator[PastTitle]:
    """The title a resume claims for its person: a short line of the block above the first heading that names a
    job ("Machine Learning Engineer" under the name), or the words opening the summary up to "with", "for", a
    comma ("Data analyst with four years of experience ..."), when they hold a job-title word."""
    from matcher.analysis.experience import TITLE_WORDS

    seen: set[str] = set()
    first_heading = next((s.start for s in sections if s.heading), len(text))
    for section in sections:
        if section.name == "contact" or (section.name == "body" and section.start < first_heading):
            candidates = []
            position = section.start
            for line in text[section.start : section.end].split("\n")[:_HEADLINE_LINES]:
                stripped = line.strip()
                if stripped and not re.search(r"[@\d/]|www\.|\.com", stripped) and len(stripped.split()) <= 5:
                    candidates.append((position + line.index(stripped), stripped))
                position += len(line) + 1
        elif section.name == "summary":
            body = text[section.start : section.end]
            if section.heading and body.lstrip().startswith(section.heading):
                offset = section.start + body.index(section.heading) + len(section.heading)
            else:
                offset = section.start
            head = text[offset : section.end]
            start = offset + len(head) - len(head.lstrip(" \t\n:#*"))
            stop = _HEADLINE_END.search(text, start, min(section.end, start + 80))
            candidates = [(start, text[start : stop.start() if stop else min(section.end, start + 80)].strip())]
        else:
            continue
        for start, words in candidates:
            if not words or len(words.split()) > _HEADLINE_WORDS or not TITLE_WORDS.search(words):
                continue
            key = words.lower()
            if key not in seen:
                seen.add(key)
                yield PastTitle(words, None, Span(section.name, start, start + len(words), words), headline=True)
