"""Years of experience: positions and dates in resumes; years asked and required/preferred in job posts.

Resumes
    :func:`find_dates` reads dates as people write them ("Jan 2019 – Present", "2019-03 to 2021",
    "03/2018 - 11/2020", "Summer 2020", "2017 - 2019", "Sept. 2021 – Now"); :func:`extract_positions` turns
    the dates of the experience sections into :class:`Position` records (title, employer, months, the span
    of text each covers), and :func:`skill_experience` credits a skill with the months of the positions whose
    text mentions it.

    Months are counted inclusively ("Jan 2019 – Dec 2019" is 12). A year without a month is read as the middle
    of that year, so "2017 - 2019" is 24 months, not 12 or 36 (start July, end June; a single year alone is
    January to December). Seasons are Spring = Mar–May, Summer = Jun–Aug, Fall/Autumn = Sep–Nov,
    Winter = Jan–Feb. Two-digit years are 20YY below 50 and 19YY from 50. Overlapping positions are merged
    before adding up, and "Present" means the month of ``today``: a parameter every function takes from its
    caller (the Engine's ``as_of``), so nothing here reads the clock and results are reproducible.

Job posts
    :func:`find_years_requirements` finds "5+ years of Python", "3-5 years of experience", "at least 2 years
    with Kubernetes", "a minimum of three years", "PHP: 3 years (Preferred)", "Python - 36 months" and the text
    each one is about;
    :func:`requirement_level` says whether a place in the post is required or preferred, from its section
    ("Nice to have") or its sentence ("... is a plus", "ideally ...").
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from matcher.analysis.scan import matches_from
from matcher.analysis.sections import PASTED_BLOCK_CHARS
from matcher.types import DocumentKind, Section, SkillMention

__all__ = [
    "DateSpan",
    "Experience",
    "Level",
    "Position",
    "SkillYears",
    "YearsRequirement",
    "extract_experience",
    "extract_positions",
    "find_dates",
    "find_years_requirements",
    "required_years_by_skill",
    "requirement_level",
    "sentence_bounds",
    "skill_experience",
    "total_months",
]

Level = Literal["required", "preferred"]
#: (first month, last month) of a stretch of work; the last is None while it goes on ("Present")
Period = tuple[date, date | None]

# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date or date range found in a text: ``text[start:end]`` and the months it covers."""

    start: int
    end: int
    text: str
    periods: tuple[Period, ...]
    #: True for a range ("2019 – 2021", "since 2020"); False for one date ("Summer 2020")
    is_range: bool
    #: the end of a range written at the start of the next line, outside ``start:end``: "Present" in
    #: "2021 – Machine Learning Engineer, OpenAI\nPresent Leading a team ..." (a date column read beside
    #: the text it belongs to)
    continued: str = ""

    @property
    def written(self) -> str:
        """The date as written, on one line: "2021 – Present"."""
        return " ".join(f"{self.text} {self.continued}".split())

    @property
    def current(self) -> bool:
        return any(last is None for _, last in self.periods)


@dataclass(frozen=True, slots=True)
class Position:
    """One job in a resume's experience section.

    ``start`` and ``end`` are the first and last month worked (day 1); ``end`` is None when ``current``.
    ``text_start:text_end`` is the part of the document the position covers: its header lines and the
    description up to the next position (or the end of the section); skills mentioned there are credited
    with its months.
    """

    title: str
    employer: str
    start: date
    end: date | None
    current: bool
    date_text: str
    text_start: int
    text_end: int
    #: several stretches when the dates say so ("Summer 2012 and 2013"); start/end span them all
    periods: tuple[Period, ...] = ()
    #: where the employer is named on the header lines, when the header is clearly "title, employer": a product
    #: name there ("ML Engineer, OpenAI") is the company, not a skill
    employer_span: tuple[int, int] | None = None

    def months(self, today: date) -> int:
        """Months worked up to ``today`` (overlapping periods counted once)."""
        return _months_of(_intervals(self.periods or ((self.start, self.end),), today))


@dataclass(frozen=True, slots=True)
class YearsRequirement:
    """Years a job post asks for: ``text[start:end]`` is the phrase ("5+ years"), ``subject`` what of.

    ``subject`` is empty for overall experience ("3-5 years of experience"); otherwise it is the text the
    years attach to ("Python", "building ML systems") at ``text[subject_start:subject_end]``.
    """

    start: int
    end: int
    text: str
    min_years: float
    max_years: float | None
    subject: str
    subject_start: int
    subject_end: int
    level: Level = "required"
    #: years of work itself: overall ("3-5 years of experience") or of experience as or in something ("4+ years
    #: of experience as a data engineer"), as opposed to years of one skill ("5+ years of Python")
    of_experience: bool = False

    @property
    def overall(self) -> bool:
        return not self.subject


@dataclass(frozen=True, slots=True)
class Experience:
    """Experience found in one document: positions and total (resume) or years asked (job post).

    A resume's ``requirements`` are the years it states ("5 years of Python", "8+ years of experience"): they
    give a skill its years, and the resume its total, where no dated position does.
    """

    positions: tuple[Position, ...] = ()
    total_months: int = 0
    total_years: float = 0.0
    requirements: tuple[YearsRequirement, ...] = ()


class SkillYears(NamedTuple):
    """Years a resume shows a skill was used, and the last year it was."""

    years: float
    last_year_used: int


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (1, 2)}

_MONTH = (
    r"(?<![a-z])(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_SEASON = r"(?<![a-z])(?:spring|summer|fall|autumn|winter)(?![a-z])"
_YEAR4 = r"(?:19[5-9]\d|20[0-4]\d)"
_YEAR = rf"(?:{_YEAR4}|['’]\d\d)"
_PRESENT = (  # "heute", "aujourd'hui", "actualidad", "oggi": resumes written half in another language
    r"(?:present|current(?:ly)?|now|today|ongoing|(?:till|to)\s+date|date|heute|aujourd.hui|actualidad|oggi)(?![a-z])"
)
# a range separator may sit at a line end ("2021 –\nPresent": a PDF cell wrapped)
_SEP = r"[ \t]*\n?[ \t]*(?:[-–—−~→]+|(?<![a-z])(?:to|until|till|through|thru)(?![a-z]))[ \t]*\n?[ \t]*"


def _token(s: str, *, short: bool) -> str:
    """One date, with named groups suffixed by ``s`` (Python forbids repeating a group name)."""
    alternatives = [
        rf"(?P<mon{s}>{_MONTH})\s*,?\s*(?P<mony{s}>{_YEAR})(?!\d)",
        rf"(?P<sea{s}>{_SEASON})(?:\s+of)?\s+(?P<seay{s}>{_YEAR})(?!\d)",
        rf"(?<![\d/.])(?P<nm{s}>0?[1-9]|1[0-2])[/.\-](?P<nmy{s}>{_YEAR4})(?!\d)",
        rf"(?<![\d/.])(?P<ym{s}>{_YEAR4})[/.\-](?P<ymm{s}>0[1-9]|1[0-2])(?![/.\-]?\d)",
    ]
    if short:
        # "03/18": only inside a range, where it cannot be a fraction or a score
        alternatives.append(rf"(?<![\d/.])(?P<ns{s}>0?[1-9]|1[0-2])/(?P<nsy{s}>\d\d)(?![\d/])")
    alternatives.append(rf"(?<![\w/.,$])(?P<y{s}>{_YEAR4})(?![\d%])")
    return "(?:" + "|".join(alternatives) + ")"


_DATES = re.compile(
    "|".join(
        [
            # Jan 2019 – Present, 2019-03 to 2021, 03/2018 - 11/2020, 2017–19
            rf"(?P<range>{_token('s', short=True)}{_SEP}"
            rf"(?:(?P<present>{_PRESENT})|{_token('e', short=True)}|(?P<yy>\d\d)(?![\d/.%])))",
            # Jun – Aug 2020
            rf"(?P<mrange>(?P<m1>{_MONTH}){_SEP}(?P<m2>{_MONTH})\s*,?\s*(?P<my>{_YEAR4})(?!\d))",
            # "2021 – Machine Learning Engineer, OpenAI\nPresent Leading ...": the end opens the next line (or the
            # one after, when the title wrapped)
            rf"(?P<split>{_token('p', short=False)}[ \t]*[-–—]"
            rf"(?=[ \t]+[^\n\d]+(?:\n[^\n\d]{{1,40}})?\n(?:[ \t]*\n)?[ \t]*"
            rf"(?:(?P<splitpresent>{_PRESENT})|{_token('q', short=False)})"
            # the same pasted on one line: "2021 – Machine Learning Engineer, OpenAI, USA Present Leading ..."
            rf"|[ \t]+[^\n\d]{{5,80}}?[ \t](?P<splitnow>(?-i:Present|Current|Now))(?![a-z])))",
            # since 2020, from March 2021 (with no end after it)
            rf"(?P<since>(?<![a-z])(?:since|from)\s+{_token('o', short=False)}"
            rf"(?!{_SEP}(?:{_PRESENT}|\d|{_MONTH}|{_SEASON})))",
            # Summer 2020, Summer 2012 and 2013, May 2013, 2019
            rf"(?P<single>{_token('x', short=False)}(?P<more>(?:\s*(?:,|and|&)\s*{_YEAR4}(?!\d))*))",
        ]
    ),
    re.IGNORECASE,
)


#: Where a date can start: a digit after no digit, "/" or "." (every numeric alternative of a date asks that), or a
#: word that a month, a season, "since" or "from" begins (the same "no letter before" and the same flags, so the
#: same letters, "ſ" included). A superset of where :data:`_DATES` can match, and a far cheaper pattern to scan.
_DATE_START = re.compile(
    rf"(?<![\d/.])[0-9]|(?<![a-z])(?:{'|'.join([*_MONTHS, *_SEASONS, 'since', 'from'])})", re.IGNORECASE
)


def _date_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_DATES.finditer(text)``, found ~7x faster: the big pattern is tried only where a date can
    start (see :data:`_DATE_START`) rather than at every character of the text."""
    return matches_from(_DATES, _DATE_START, text)


def _year(raw: str) -> int:
    digits = raw.strip("'’")
    if len(digits) == 2:
        yy = int(digits)
        return 2000 + yy if yy < 50 else 1900 + yy
    return int(digits)


@dataclass(frozen=True, slots=True)
class _Point:
    year: int
    first: int  # first month it may mean
    last: int  # last month it may mean
    year_only: bool


def _point(m: re.Match[str], s: str) -> _Point | None:
    g = m.groupdict()
    if g.get(f"mon{s}"):
        month = _MONTHS[g[f"mon{s}"][:3].lower()]
        return _Point(_year(g[f"mony{s}"]), month, month, False)
    if g.get(f"sea{s}"):
        first, last = _SEASONS[g[f"sea{s}"].lower()]
        return _Point(_year(g[f"seay{s}"]), first, last, False)
    for month_key, year_key in ((f"nm{s}", f"nmy{s}"), (f"ym{s}", f"ymm{s}"), (f"ns{s}", f"nsy{s}")):
        if g.get(month_key):
            if month_key.startswith("ym"):
                return _Point(int(g[month_key]), int(g[year_key]), int(g[year_key]), False)
            return _Point(_year(g[year_key]), int(g[month_key]), int(g[month_key]), False)
    if g.get(f"y{s}"):
        return _Point(int(g[f"y{s}"]), 1, 12, True)
    return None


def _range_period(first: _Point, last: _Point | None, today: date) -> Period | None:
    """Months from ``first`` to ``last`` (None: ongoing); year-only ends are read as mid-year."""
    start_month = first.first if not first.year_only else 7
    if last is None:
        start = date(first.year, start_month, 1)
        if start > date(today.year, today.month, 1):
            start = date(first.year, 1, 1)
        return start, None
    end_month = last.last if not last.year_only else 6
    start, end = date(first.year, start_month, 1), date(last.year, end_month, 1)
    if end < start and (first.year_only or last.year_only):
        start, end = date(first.year, first.first, 1), date(last.year, last.last, 1)
    return (start, end) if end >= start else None


def find_dates(text: str, *, today: date) -> list[DateSpan]:
    """Dates and date ranges in ``text``, in order.

    Examples
    --------
    >>> [d.periods for d in find_dates("Jan 2019 – Mar 2020", today=date(2026, 1, 1))]
    [((datetime.date(2019, 1, 1), datetime.date(2020, 3, 1)),)]
    >>> find_dates("Sept. 2021 – Now", today=date(2026, 1, 1))[0].current
    True
    """
    now = today
    result: list[DateSpan] = []
    consumed = 0  # the end of a split range, already used
    for m in _date_matches(text):
        if m.start() < consumed:
            continue
        periods: tuple[Period, ...] = ()
        continued = ""
        if m.group("range"):
            first = _point(m, "s")
            if first is None:
                continue
            if m.group("present"):
                last: _Point | None = None
            elif m.group("yy"):
                if not first.year_only:
                    continue
                yy = first.year // 100 * 100 + int(m.group("yy"))
                last = _Point(yy if yy >= first.year else yy + 100, 1, 12, True)
            else:
                last = _point(m, "e")
                if last is None:
                    continue
            period = _range_period(first, last, now)
            periods = (period,) if period else ()
        elif m.group("mrange"):
            year = int(m.group("my"))
            a, b = _MONTHS[m.group("m1")[:3].lower()], _MONTHS[m.group("m2")[:3].lower()]
            periods = ((date(year if a <= b else year - 1, a, 1), date(year, b, 1)),)
        elif m.group("split"):
            first = _point(m, "p")
            ends = [
                name
                for name, value in m.groupdict().items()
                if value and (name[-1] == "q" or name in ("splitpresent", "splitnow"))
            ]
            if first is None or not ends:
                continue
            end_start, end_stop = min(m.start(n) for n in ends), max(m.end(n) for n in ends)
            last_point = None if m.group("splitpresent") or m.group("splitnow") else _point(m, "q")
            period = _range_period(first, last_point, now)
            periods = (period,) if period else ()
            continued, consumed = text[end_start:end_stop], end_stop
        elif m.group("since"):
            first = _point(m, "o")
            period = _range_period(first, None, now) if first else None
            periods = (period,) if period else ()
        else:
            point = _point(m, "x")
            if point is None:
                continue
            years = [point.year] + [int(y) for y in re.findall(r"\d{4}", m.group("more") or "")]
            periods = tuple((date(y, point.first, 1), date(y, point.last, 1)) for y in years)
        if periods:
            is_range = not m.group("single")
            result.append(DateSpan(m.start(), m.end(), m.group(0), periods, is_range, continued))
    return result


def _intervals(periods: Iterable[Period], today: date) -> list[tuple[int, int]]:
    """Periods as inclusive month numbers (year * 12 + month - 1), ongoing ones ending at ``today``."""
    now = today.year * 12 + today.month - 1
    result = []
    for first, last in periods:
        a = first.year * 12 + first.month - 1
        b = now if last is None else last.year * 12 + last.month - 1
        if b >= a:
            result.append((a, b))
    return result


def _months_of(intervals: Iterable[tuple[int, int]]) -> int:
    """Months covered by inclusive month intervals, overlaps counted once."""
    total, reach = 0, None
    for a, b in sorted(intervals):
        if reach is None or a > reach:
            total += b - a + 1
            reach = b
        elif b > reach:
            total += b - reach
            reach = b
    return total


def total_months(positions: Iterable[Position], *, today: date) -> int:
    """Months covered by any of ``positions``: overlapping jobs are counted once."""
    return _months_of(i for p in positions for i in _intervals(p.periods or ((p.start, p.end),), today))


# --------------------------------------------------------------------------- positions

_BULLET = "•◦▪▫●○■□‣⁃∙·*➢►▶✓✔-–—"
#: words a job title holds ("engineer", "scientist", "manager", ...)
TITLE_WORDS = re.compile(
    r"\b(?:engineer|engineering\s+intern|scientist|developer|analyst|intern|internship|manager|director|"
    r"lead|head|architect|consultant|researcher|assistant|associate|specialist|designer|fellow|officer|"
    r"administrator|programmer|founder|co-?founder|cto|ceo|cfo|vp|president|postdoc|postdoctoral|professor|"
    r"lecturer|instructor|tutor|teacher|technician|coordinator|trainee|apprentice|owner|partner|contractor|"
    r"freelancer|advisor|adviser|mentor|volunteer|editor|writer|strategist|executive|staff|student|"
    r"leader|contributor|maintainer|creator)s?\b",
    re.IGNORECASE,
)
_STATE = re.compile(r"^[A-Z]{2}$")
_COUNTRIES = {
    "usa", "us", "u.s.", "u.s.a.", "united states", "uk", "u.k.", "united kingdom", "england", "scotland",
    "ireland", "india", "germany", "france", "spain", "italy", "netherlands", "canada", "australia", "china",
    "japan", "singapore", "switzerland", "sweden", "poland", "israel", "brazil", "mexico", "remote",
    "hybrid", "on-site", "onsite", "worldwide", "europe", "uae", "portugal", "austria", "belgium", "denmark",
    "norway", "finland", "korea", "south korea", "new zealand", "nigeria", "kenya", "egypt", "pakistan",
}  # fmt: skip
# cities of two or more words, so "Stripe San Francisco, CA" loses "San Francisco" and not just "Francisco"
_MULTIWORD_CITIES = (
    "san francisco", "new york", "new york city", "mountain view", "menlo park", "palo alto", "los angeles",
    "san jose", "san diego", "santa clara", "redwood city", "salt lake city", "las vegas", "new delhi",
    "hong kong", "tel aviv", "sao paulo", "são paulo", "buenos aires", "mexico city", "rio de janeiro",
    "kuala lumpur", "cape town", "san mateo", "sunnyvale ca", "foster city", "south san francisco",
    "washington dc", "washington d.c.", "st. louis", "st louis", "kansas city", "santa monica", "ann arbor",
)  # fmt: skip
_COMPANY_SUFFIX = re.compile(r"^(?:inc|llc|ltd|corp|co|gmbh|plc|ag|sa|s\.a|bv|pvt|limited)\.?$", re.I)
_SPLIT = re.compile(r"\s*(?:\||•|·|▪|◦|\t| {3,}|,|;| @ |\s+at\s+| – | — | - |\n)\s*")


#: where a pasted block (a resume pasted as one paragraph) is cut into the lines it once had: after a sentence,
#: before a bullet
_PASTED_CUT = re.compile(r"(?<=[.!?;])\s+(?=\S)|\s+(?=[•▪◦●■➢►‣⁃]\s)")


def _line_spans(text: str, start: int, end: int, today: date) -> list[tuple[int, int]]:
    """The lines of ``text[start:end]``; a pasted block is cut into the lines it once had, so its positions'
    header lines ("ML Engineer, Acme — 2019 – 2021") stand apart as they did before the paste."""
    spans, pos = [], start
    for chunk in text[start:end].splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        if len(body) < PASTED_BLOCK_CHARS:
            spans.append((pos, pos + len(body)))
        else:
            spans.extend(_pasted_lines(text, pos, pos + len(body), today))
        pos += len(chunk)
    return spans


def _pasted_lines(text: str, start: int, end: int, today: date) -> list[tuple[int, int]]:
    cuts = {m.start() for m in _PASTED_CUT.finditer(text, start, end)}
    cuts |= {start + d.end for d in find_dates(text[start:end], today=today) if d.is_range}
    spans = []
    for a, b in itertools.pairwise([start, *sorted(cuts), end]):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def _strip_bullet(line: str) -> str:
    return line.strip().lstrip(_BULLET).strip()


def _is_prose(line: str) -> bool:
    """A description line: long, or a sentence."""
    s = _strip_bullet(line)
    return len(s) > 120 or (s.endswith(".") and len(s.split()) > 5) or len(s.split()) > 16


def _header_like(line: str) -> bool:
    s = _strip_bullet(line)
    return bool(s) and not _is_prose(line) and len(s) <= 100


def _capitalised_share(line: str) -> float:
    words = [
        w
        for w in re.findall(r"[^\W\d_][\w&'’.-]*", line)
        if w.lower() not in {"of", "and", "the", "for", "in", "at", "de"}
    ]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def extract_positions(text: str, sections: Sequence[Section], *, today: date) -> tuple[Position, ...]:
    """Positions from the ``"experience"`` sections of a resume, in document order.

    A resume without an experience section (pasted text, headings we do not know) is searched in its
    ``"body"`` and ``"other"`` sections instead, skipping lines about degrees and schools.

    A position starts at a line holding a date range (or one date on a short header line) and runs to the
    next one. Header lines before the date are taken as the first position of each section shows them
    ("FACEBOOK | Software Engineer" above "Jan 2015 - Present"); a short Title Case line after the date is
    taken when the title or employer is still missing ("Stripe San Francisco, CA" below the title line).

    Examples
    --------
    >>> from matcher.types import Section
    >>> text = "Experience\\nData Scientist, Uber   2018 – 2021\\nBuilt models.\\n"
    >>> p = extract_positions(text, [Section("experience", 0, len(text), "Experience")], today=date(2026, 1, 1))[0]
    >>> (p.title, p.employer, p.start.isoformat(), p.end.isoformat(), p.current)
    ('Data Scientist', 'Uber', '2018-07-01', '2021-06-01', False)
    """
    result: list[Position] = []
    named = any(section.name == "experience" for section in sections)
    for section in sections:
        if section.name == "experience":
            result.extend(_section_positions(text, section, today))
        elif not named and section.name in _FALLBACK_SECTIONS:
            result.extend(_section_positions(text, section, today, skip_education=True))
        elif not named and section.name in ("projects", "coursework"):
            # a misread heading ("Open Source", a "Courses:" line) may hold the jobs; a project or a course with no
            # job title stays what it is
            found = _section_positions(text, section, today, skip_education=True)
            result.extend(p for p in found if TITLE_WORDS.search(p.title))
    return tuple(result)


#: where positions are looked for when no experience section exists: text under no heading we know, and the
#: sections a misread heading may have swallowed the positions into
_FALLBACK_SECTIONS = frozenset({"body", "other", "summary", "skills"})
#: a line about a degree, a school or a certificate, not a job ("B.Tech, Pune University 2014 - 2018")
_EDUCATION_LINE = re.compile(
    r"\b(?:universit(?:y|ies)|college|institute|school|academy|polytechnic|b\.?\s?sc|m\.?\s?sc|b\.?\s?tech|"
    r"m\.?\s?tech|b\.?\s?e|m\.?\s?e|b\.?\s?eng|m\.?\s?eng|b\.?s|m\.?s|b\.?a|m\.?a|bachelor'?s?|master'?s?|"
    r"ph\.?\s?d|mba|diploma|degree|gpa|cgpa|hsc|ssc|12th|10th|high\s+school|graduat(?:e|ed|ion)|grad|"
    r"(?:magna|summa)?\s*cum\s+laude|certified|certification|certificate|licen[cs]e)\b",
    re.IGNORECASE,
)


def _section_positions(text: str, section: Section, today: date, *, skip_education: bool = False) -> list[Position]:
    lines = _line_spans(text, section.start, section.end, today)
    if section.heading and lines and text[lines[0][0] : lines[0][1]].strip() == section.heading:
        lines = lines[1:]
    if not lines:
        return []
    body_start = lines[0][0]

    line_starts = [a for a, _ in lines]

    def line_of(offset: int) -> int:
        return max(0, bisect.bisect_right(line_starts, offset) - 1)

    # dates that head a position, grouped by the line they start on
    groups: dict[int, list[DateSpan]] = {}
    for found in find_dates(text[body_start : section.end], today=today):
        span = DateSpan(
            found.start + body_start,
            found.end + body_start,
            found.text,
            found.periods,
            found.is_range,
            found.continued,
        )
        i = line_of(span.start)
        line = text[lines[i][0] : lines[i][1]]
        at_line_start = _strip_bullet(line).startswith(span.text.split()[0]) if span.text.split() else False
        if skip_education and (_EDUCATION_LINE.search(line) or not (found.is_range or len(found.periods) > 1)):
            # without an experience heading, a job needs a date range, or several stretches ("Summer 2012 and
            # 2013"), and no degree or certificate
            continue
        if found.is_range:
            if _is_prose(line) and not at_line_start:
                continue
        elif not _header_like(line) or len(_strip_bullet(line).split()) > 10:
            continue
        groups.setdefault(i, []).append(span)
    if not groups:
        return []

    ordered = sorted(groups)
    date_lines: set[int] = set()
    for i in ordered:
        last = max(line_of(d.end) for d in groups[i])
        date_lines.update(range(i, last + 1))

    # a date alone on its line ("Feb 2020 – Present") may stand a blank line below its title: HTML and DOCX set
    # each in a paragraph of its own
    date_alone = {i for i in ordered if _date_line_only(_without(text, lines[i], groups[i]))}

    def above(line: int, floor: int, *, first_step: bool) -> int | None:
        k = line - 1
        if first_step and line in date_alone and k - 1 > floor and not text[lines[k][0] : lines[k][1]].strip():
            k -= 1
        return k if k > floor else None

    def header_at(k: int | None) -> bool:
        if k is None or k in date_lines:
            return False
        line = text[lines[k][0] : lines[k][1]]
        return bool(line.strip()) and _header_like(line)

    # how many header lines stand above the date, as the first position shows it
    lead = 0
    top = ordered[0]
    while lead < 2 and header_at(k := above(top, -1, first_step=lead == 0)):
        assert k is not None
        lead, top = lead + 1, k

    blocks: list[tuple[int, int, list[DateSpan]]] = []  # first header line, last header line, dates
    previous_end = -1
    for i in ordered:
        spans = groups[i]
        last_date_line = max(line_of(d.end) for d in spans)
        first, taken = i, 0
        while taken < lead and header_at(k := above(first, previous_end, first_step=taken == 0)):
            assert k is not None
            first, taken = k, taken + 1
        blocks.append((first, last_date_line, spans))
        previous_end = last_date_line

    positions = []
    for k, (first, last, spans) in enumerate(blocks):
        header_lines = list(range(first, last + 1))
        title, employer, certain = _title_employer(text, [lines[j] for j in header_lines], spans)
        nxt = last + 1
        limit = blocks[k + 1][0] if k + 1 < len(blocks) else len(lines)
        while (not title or not employer) and nxt < limit and nxt <= last + 2:
            line = text[lines[nxt][0] : lines[nxt][1]]
            stripped = line.strip()
            if not stripped or stripped[0] in _BULLET or not _header_like(line) or _capitalised_share(line) < 0.5:
                break
            header_lines.append(nxt)
            title, employer, certain = _title_employer(text, [lines[j] for j in header_lines], spans)
            nxt += 1
        periods = tuple(p for d in spans for p in d.periods)
        starts = [p[0] for p in periods]
        ends = [p[1] for p in periods]
        current = any(e is None for e in ends)
        text_start = lines[first][0]
        if k + 1 < len(blocks):
            text_end = lines[blocks[k + 1][0]][0]
        elif skip_education:
            # no heading ends the last position here: the first line that reads as education or a list of skills
            # after its header does ("Python, SQL, Spark, Docker" under the jobs of a resume without headings)
            closing = (j for j in range(last + 1, len(lines)) if _ends_positions(text[lines[j][0] : lines[j][1]]))
            after = next(closing, None)
            text_end = lines[after][0] if after is not None else section.end
        else:
            text_end = section.end
        positions.append(
            Position(
                title=title,
                employer=employer,
                start=min(starts),
                end=None if current else max(e for e in ends if e is not None),
                current=current,
                date_text=" ".join(d.written for d in spans),
                text_start=text_start,
                text_end=text_end,
                periods=periods,
                employer_span=_find_in(text, employer, [lines[j] for j in header_lines]) if certain else None,
            )
        )
    return positions


def _date_line_only(rest: str) -> bool:
    """What is left of a date line besides its dates holds no title: nothing, or a place ("| New York, NY")."""
    return not re.search(r"[^\W\d_]", rest) or (len(rest.split()) <= 6 and not TITLE_WORDS.search(rest))


def _without(text: str, line: tuple[int, int], dates: Sequence[DateSpan]) -> str:
    """The line's text with its dates blanked out."""
    chars = list(text[line[0] : line[1]])
    for d in dates:
        for j in range(max(d.start, line[0]), min(d.end, line[1])):
            chars[j - line[0]] = " "
    return "".join(chars)


def _ends_positions(line: str) -> bool:
    """A line that cannot be part of a job's description: a degree or school, or a bare list of short items."""
    if _EDUCATION_LINE.search(line):
        return True
    items = [part.strip() for part in re.split(r"[,;|•·]", _strip_bullet(line)) if part.strip()]
    return len(items) >= 3 and all(len(item.split()) <= 4 for item in items) and not line.rstrip().endswith(".")


def _find_in(text: str, needle: str, line_spans: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """Where ``needle`` stands in the first of these lines that holds it."""
    for a, b in line_spans:
        at = text.find(needle, a, b) if needle else -1
        if at >= 0:
            return at, at + len(needle)
    return None


def _title_employer(
    text: str, line_spans: Sequence[tuple[int, int]], dates: Sequence[DateSpan]
) -> tuple[str, str, bool]:
    """Title and employer from header lines: the part with a job-title word, the first other non-place.

    The flag says the header is unmistakably "title, employer": a title word found and nothing else but places
    (a third part, as in "Data Scientist | Python, SQL", leaves the employer in doubt)."""
    pieces = []
    for a, b in line_spans:
        chars = list(text[a:b])
        for d in dates:
            for j in range(max(d.start, a), min(d.end, b)):
                chars[j - a] = "\t"
        pieces.append("".join(chars))
    parts: list[str] = []
    for piece in pieces:
        for raw in _SPLIT.split(piece):
            part = raw.strip(_BULLET + "#> :.\t").strip()
            if not part or not re.search(r"[^\W\d_]", part):
                continue
            if _COMPANY_SUFFIX.match(part) and parts:
                parts[-1] = f"{parts[-1]}, {part}"
                continue
            parts.append(part)
    if not parts:
        return "", "", False

    places = {i for i, p in enumerate(parts) if _STATE.match(p) or p.lower() in _COUNTRIES}
    title_index = next((i for i, p in enumerate(parts) if i not in places and TITLE_WORDS.search(p)), None)
    # the part before a state or country is its city, unless it is the only candidate for the employer
    for i in sorted(places):
        j = i - 1
        if j < 0 or j in places or j == title_index:
            continue
        others = [k for k in range(len(parts)) if k not in places and k not in (j, title_index)]
        if others:
            places.add(j)
        else:
            parts[j] = _drop_city(parts[j])
    has_title_word = title_index is not None
    if title_index is None:
        candidates = [i for i in range(len(parts)) if i not in places]
        if not candidates:
            return "", "", False
        title_index = candidates[0]
    rest = [p for i, p in enumerate(parts) if i not in places and i != title_index]
    employer = rest[0] if rest else ""
    return parts[title_index], employer, has_title_word and len(rest) == 1


def _drop_city(part: str) -> str:
    """'Stripe San Francisco' -> 'Stripe'; 'Lucena Research Atlanta' -> 'Lucena Research'."""
    lower = part.lower()
    for city in sorted(_MULTIWORD_CITIES, key=len, reverse=True):
        if lower.endswith(" " + city):
            return part[: -len(city) - 1].strip()
    words = part.split()
    return " ".join(words[:-1]) if len(words) >= 2 else part


def skill_experience(
    positions: Iterable[Position], mentions: Iterable[SkillMention], *, today: date
) -> dict[str, SkillYears]:
    """For each skill mentioned inside a position's text: years of those positions and last year used.

    Positions mentioning the same skill are merged before counting, so overlapping jobs count once.
    Mentions outside every position (a skills list) give no years.

    Examples
    --------
    >>> from matcher.types import SkillMention
    >>> p = Position("ML Engineer", "Acme", date(2019, 1, 1), date(2020, 12, 1), False, "", 0, 100)
    >>> skill_experience([p], [SkillMention("python", 10, 16, "Python")], today=date(2026, 1, 1))
    {'python': SkillYears(years=2.0, last_year_used=2020)}
    """
    now = today
    chosen = list(positions)
    by_skill: dict[str, list[Position]] = {}
    for mention in mentions:
        for position in chosen:
            inside = position.text_start <= mention.start and mention.end <= position.text_end
            if inside and position not in by_skill.setdefault(mention.skill_id, []):
                by_skill[mention.skill_id].append(position)
    result: dict[str, SkillYears] = {}
    for skill_id, held in by_skill.items():
        if not held:
            continue
        months = total_months(held, today=now)
        last_year = max(now.year if p.current or p.end is None else p.end.year for p in held)
        result[skill_id] = SkillYears(round(months / 12, 1), last_year)
    return result


# --------------------------------------------------------------------------- job posts

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "a couple of": 2, "several": 3,
}  # fmt: skip
#: a number of years, in digits or words (their spaces as ``\s+``: the years pattern is verbose, where a space
#: matches nothing, so "a couple of" was never found, and "acoupleof years" raised)
_NUM = r"(?:\d{1,2}(?:\.\d)?|" + "|".join(w.replace(" ", r"\s+") for w in sorted(_NUMBER_WORDS, key=len)[::-1]) + ")"
_QUALIFIER = (
    r"(?:at\s+least|a\s+minimum\s+of|minimum\s+of|minimum|min\.?|over|more\s+than|no\s+less\s+than|upwards\s+of|"
    r"in\s+excess\s+of)"
)
_YEARS = re.compile(
    rf"""
    (?P<qual>(?<![a-z]){_QUALIFIER}\s+)?
    (?<![\w.])(?P<lo>{_NUM})(?:\s*\(\d{{1,2}}\))?
    (?:\s*(?P<plus>\+)
      |\s*(?:-|–|—|to)\s*(?P<hi>{_NUM})(?:\s*\(\d{{1,2}}\))?\s*\+?
      |\s+(?P<ormore>or\s+more))?
    \s*(?:years?|yrs?|(?P<months>months?|mos?))(?-i:(?![a-z]))\.?['’]?s?  # "monthsCompany": text glued on
    (?:\s*(?P<plus2>\+))?
    (?:\s+(?P<ormore2>or\s+more))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
#: Where a years phrase can start: a qualifier or a number, with the same "nothing before" and flags as in
#: :data:`_YEARS` (see :func:`~matcher.analysis.scan.matches_from`)
_YEARS_START = re.compile(rf"(?<![a-z]){_QUALIFIER}\s|(?<![\w.]){_NUM}", re.IGNORECASE)
_AFTER_OK = re.compile(
    r"\s*(?:of|with|in|using|working|building|developing|designing|doing|as|on|experience|exp\b|hands|"
    r"professional|relevant|industry|industrial|commercial|practical|proven|progressive|post|full|paid|"
    r"work|programming|coding|software|production|applied|direct|technical|\(|\s*$)",
    re.IGNORECASE,
)
#: a name right after the years, with no "of" ("3+ years Python", "5 years Java development experience"): one
#: written with a capital, or any word that "experience" follows
_AFTER_NAME = re.compile(r"[ \t]+(?:[A-Z]|[a-z][\w+#.-]*(?:[ \t]+[a-z][\w+#.-]*)?[ \t]+(?:experience|exp)\b)")
_AFTER_BAD = re.compile(r"\s*(?:ago|old|of\s+age|warranty|later|from\s+now)\b", re.IGNORECASE)
_BEFORE_BAD = re.compile(
    r"(?:past|last|next|first|within|every|after|for\s+the\s+(?:past|last|next)|in\s+the\s+(?:past|last|next))\s+$",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"""[ \t]*(?:(?:of|in|with|using|on)\s+)?
    (?:(?:hands[\s-]on|professional|relevant|industry|industrial|commercial|practical|proven|progressive|
        post[\s-]?graduate|full[\s-]time|paid|work|working|production|demonstrated|solid|strong|applied|
        technical|direct|related)[ \t]+)*
    (?P<exp>(?:work[ \t]+)?experience|exp\b\.?)?""",
    re.IGNORECASE | re.VERBOSE,
)
# after "experience" the subject needs a joining word or a verb: "experience in NLP", "experience building
# models"; "10 years of experience to join our team" is about nothing in particular
_CONNECTOR = re.compile(r"[ \t]*(?:(?:in|with|using|of|on|as|at|doing|working[ \t]+(?:with|on|in))\s+|(?=[a-z]+ing\b))")
_SUBJECT_END = re.compile(r"[;\n()]|\.(?=\s|$)|\s[–—-]\s|:")
_OVERALL = re.compile(
    r"^(?:(?:total\s+)?(?:work|experience|industry|the\s+industry|overall|total|professional)|"
    r"(?:a\s+)?(?:similar|related|comparable)\s+(?:role|position|field)s?|the\s+field|a\s+professional\s+setting)$",
    re.IGNORECASE,
)


#: how far before a years phrase a label may start, and how long a subject may run without punctuation
_LABEL_REACH = 80
_SUBJECT_REACH = 160
#: a job post asks for years a dozen times at most; more is not a job post, and the scan stops there
_MAX_REQUIREMENTS = 200
#: how far a sentence reaches around an offset without punctuation (keeps long unpunctuated text linear)
_SENTENCE_REACH = 400


def _number(raw: str) -> float:
    key = " ".join(raw.lower().split())
    return float(_NUMBER_WORDS[key]) if key in _NUMBER_WORDS else float(raw)


def find_years_requirements(text: str, sections: Sequence[Section] = ()) -> tuple[YearsRequirement, ...]:
    """Years of experience a job post asks for, each with what it is about and whether it is required.

    Examples
    --------
    >>> [(r.min_years, r.max_years, r.subject) for r in find_years_requirements("5+ years of Python.")]
    [(5.0, None, 'Python')]
    >>> [(r.min_years, r.max_years, r.overall) for r in find_years_requirements("3-5 years of experience")]
    [(3.0, 5.0, True)]
    """
    result: list[YearsRequirement] = []
    for m in matches_from(_YEARS, _YEARS_START, text):
        if len(result) >= _MAX_REQUIREMENTS:
            break
        start, end = m.start(), m.end()
        # a label before the years sits on the same line, within a few words ("PHP: 3 years")
        line_start = max(text.rfind("\n", 0, start) + 1, start - _LABEL_REACH)
        before = text[line_start:start]
        after = text[end : end + 200]
        if _AFTER_BAD.match(after) or _BEFORE_BAD.search(before):
            continue
        label = re.search(r"([^\n:()]*?)\s*[:(–—-]\s*$", before) if before.strip() else None
        after_ok = _AFTER_OK.match(after) is not None or _AFTER_NAME.match(after) is not None
        if not after_ok and not label:
            continue
        lead = _LEAD_IN.match(text, end)
        assert lead is not None  # the pattern can match the empty string
        subject_start = subject_end = lead.end()
        connector = _CONNECTOR.match(text, subject_start)
        if after_ok and (connector or not lead.group("exp")):  # else the label is the subject ("SQL - 24 months")
            subject_start = connector.end() if connector else subject_start
            reach = min(len(text), subject_start + _SUBJECT_REACH)
            stop = _SUBJECT_END.search(text, subject_start, reach)
            subject_end = stop.start() if stop else reach
            following = _YEARS.search(text, subject_start, subject_end)  # "4 years of Python, 2 years of Go"
            subject_end = following.start() if following else subject_end
            subject_start, subject_end = _trim(text, subject_start, subject_end)
        if subject_end <= subject_start and not lead.group("exp") and label and label.group(1).strip():
            # "PHP: 3 years (Preferred)", "Python (5+ years)": the label before the years is the subject
            label_start = line_start + label.start(1)
            label_end = line_start + label.end(1)
            inner = text[label_start:label_end]
            cut = max(inner.rfind(":"), inner.rfind("•"))
            subject_start, subject_end = _trim(text, label_start + cut + 1, label_end)
        subject = text[subject_start:subject_end]
        if _OVERALL.match(subject):
            subject_start = subject_end = end
            subject = ""
        hi = m.group("hi")
        scale = 1 / 12 if m.group("months") else 1.0  # "Python - 36 months"
        level = requirement_level(text, sections, start)
        result.append(
            YearsRequirement(
                start=start,
                end=end,
                text=m.group(0),
                min_years=round(_number(m.group("lo")) * scale, 1),
                max_years=round(_number(hi) * scale, 1) if hi else None,
                subject=subject,
                subject_start=subject_start if subject else end,
                subject_end=subject_end if subject else end,
                level=level,
                of_experience=not subject or "experience" in text[end:subject_start].lower(),
            )
        )
    return tuple(result)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past spaces, bullets, joining words and a trailing "experience"."""
    while start < end and (text[start].isspace() or text[start] in _BULLET + ",:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",:-–"):
        end -= 1
    tail = re.search(r"(?:\s+(?:and|or|experience|exp\.?))+$", text[start:end], re.IGNORECASE)
    if tail:
        end = start + tail.start()
    return start, max(start, end)


def required_years_by_skill(
    requirements: Iterable[YearsRequirement], mentions: Iterable[SkillMention]
) -> dict[str, YearsRequirement]:
    """The years requirement whose subject holds each skill mention (the largest when several do)."""
    chosen = [r for r in requirements if not r.overall]
    result: dict[str, YearsRequirement] = {}
    for mention in mentions:
        for req in chosen:
            if req.subject_start <= mention.start and mention.end <= req.subject_end:
                best = result.get(mention.skill_id)
                if best is None or req.min_years > best.min_years:
                    result[mention.skill_id] = req
    return result


_PREFERRED = re.compile(
    r"(?<![a-z])(?:nice[\s-]to[\s-]haves?|good[\s-]to[\s-]have|"
    r"an?\s+(?:big\s+|huge\s+|strong\s+|definite\s+|real\s+|major\s+)?(?:plus|bonus|advantage|asset)|"
    r"(?:plus|bonus)\s*:|bonus|pluses|preferred|preferably|preferable|ideally|desired|desirable|advantageous|"
    r"optional|helpful|beneficial|welcome|not\s+(?:required|mandatory|necessary|essential)|"
    r"would\s+be\s+(?:great|nice|helpful|beneficial|appreciated|an\s+advantage)|extra\s+credit)(?![a-z])",
    re.IGNORECASE,
)
_PREFERRED_STEMS = (
    "nice", "good", "plus", "bonus", "advantage", "asset", "prefer", "ideally", "desir", "optional",
    "helpful", "beneficial", "welcome", "not", "would", "extra",
)  # fmt: skip
_REQUIRED = re.compile(
    r"(?<![a-z])(?:required|requirement|must|mandatory|essential|needed|minimum|at\s+least)(?![a-z])",
    re.IGNORECASE,
)
_MARKER_ONLY = re.compile(rf"^\s*(?:{_PREFERRED.pattern})\s*$", re.IGNORECASE)


# a sentence ends at . (before a space), !, ?, ; or a line break not followed by lower case (a wrapped line)
# a list bullet inside a line (a post pasted as one line) ends the item before it too, and so does a job board's
# "(Preferred)" / "(Required)" after an item
_SENTENCE_BREAK = re.compile(
    r"[!?;]|\.(?=\s|$)|\n(?![ \t]*[a-z])|\s[•▪◦●■➢►‣⁃](?=\s)|(?<=\((?i:preferred)\))|(?<=\((?i:required)\))"
)


def sentence_bounds(text: str, offset: int, within: Section | None = None) -> tuple[int, int]:
    """Bounds of the sentence around ``offset``, at most ``_SENTENCE_REACH`` characters each way; never past the
    section ``within`` ("... Drupal & WordPress Responsibilities ..." in a post pasted as one line)."""
    low, high = (within.start, within.end) if within is not None else (0, len(text))
    floor = max(low, offset - _SENTENCE_REACH)
    start = floor
    for m in _SENTENCE_BREAK.finditer(text, floor, offset):
        start = m.end()
    ceiling = min(high, offset + _SENTENCE_REACH)
    after = _SENTENCE_BREAK.search(text, offset, ceiling)
    return start, after.start() if after else ceiling


def _section_of(sections: Sequence[Section], offset: int) -> Section | None:
    i = bisect.bisect_right([s.start for s in sections], offset) - 1
    return sections[i] if i >= 0 and offset < sections[i].end else None


def requirement_level(text: str, sections: Sequence[Section], offset: int) -> Level:
    """Whether the skill at ``offset`` is required or preferred.

    Preferred when its section is ``"preferred"`` ("Nice to have", "Bonus points"), or its sentence says so
    ("... is a plus", "ideally ...", "(preferred)"). A parenthesis with more than a marker in it qualifies
    only its own content ("Bachelor's degree (MBA preferred)": the degree is required, the MBA preferred).
    When a sentence has both kinds of marker, the comma-separated clause of the offset decides, or else the
    nearest marker after it ("Python, SQL required, Spark a plus").

    Examples
    --------
    >>> requirement_level("Python required. Docker is a plus.", [], 20)
    'preferred'
    >>> requirement_level("Python required. Docker is a plus.", [], 0)
    'required'
    """
    section = _section_of(sections, offset)
    if section is not None and section.name == "preferred":
        return "preferred"
    start, end = sentence_bounds(text, offset, section)
    sentence = list(text[start:end])
    # parentheses: a bare marker "(Preferred)" speaks for the sentence; any other speaks for itself
    for paren in re.finditer(r"\([^()]*\)", text[start:end]):
        inner = paren.group(0)[1:-1]
        if _MARKER_ONLY.match(inner):
            return "preferred"
        if paren.start() + start < offset < paren.end() + start and _PREFERRED.search(inner):
            return "preferred"
        for i in range(paren.start(), paren.end()):
            sentence[i] = " "
    plain = "".join(sentence)
    lowered = plain.lower()
    if not any(stem in lowered for stem in _PREFERRED_STEMS):
        return "required"  # a cheap test first: most sentences have no preferred marker
    preferred = [m.span() for m in _PREFERRED.finditer(plain)]
    if not preferred:
        return "required"
    required = [m.span() for m in _REQUIRED.finditer(plain) if not any(a <= m.start() < b for a, b in preferred)]
    if not required:
        return "preferred"
    local = offset - start
    clause_start = max(plain.rfind(",", 0, local), plain.rfind(" but ", 0, local)) + 1
    next_comma = [i for i in (plain.find(",", local), plain.find(" but ", local)) if i != -1]
    clause_end = min(next_comma) if next_comma else len(plain)
    marks = [(a, "preferred") for a, _ in preferred] + [(a, "required") for a, _ in required]
    in_clause = [kind for a, kind in marks if clause_start <= a < clause_end]
    if in_clause:
        return "preferred" if "preferred" in in_clause and "required" not in in_clause else "required"
    following = sorted((a, kind) for a, kind in marks if a >= local)
    if following:
        return "preferred" if following[0][1] == "preferred" else "required"
    preceding = sorted((a, kind) for a, kind in marks if a < local)
    return "preferred" if preceding[-1][1] == "preferred" else "required"


# --------------------------------------------------------------------------- one call per document


def extract_experience(text: str, sections: Sequence[Section], kind: DocumentKind, *, today: date) -> Experience:
    """Positions and total months of a resume, or the years a job post asks for.

    A resume with no dated position but a stated total ("8+ years of experience in data science") gets that
    total: the lower bound of the largest one stated.

    >>> job = extract_experience("Requirements\\n3+ years of PyTorch", [], "job", today=date(2026, 1, 1))
    >>> job.requirements[0].subject
    'PyTorch'
    >>> extract_experience("5 years of experience with Python", [], "resume", today=date(2026, 1, 1)).total_years
    5.0
    """
    stated = find_years_requirements(text, sections if kind == "job" else ())
    if kind == "job":
        return Experience(requirements=stated)
    positions = extract_positions(text, sections, today=today)
    months = total_months(positions, today=today)
    if not positions:
        months = round(12 * max((r.min_years for r in stated if r.of_experience), default=0.0))
    return Experience(
        positions=positions, total_months=months, total_years=round(months / 12, 1), requirements=stated
    )
