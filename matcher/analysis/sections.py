"""Split a document's text into named sections (experience, skills, requirements, ...) with char offsets.

Headings are data (:mod:`matcher.analysis.headings`). A line opens a section when its text matches a listed
heading and, for looser matches, when it also looks like a heading (bold, all capitals, larger than the body
text, a trailing colon, a Markdown ``#``, a blank line before it). A line that matches no list but is styled
exactly like the headings that did (same size, weight and case) opens a section named ``"other"``: templates
style all their headings alike, so the style of the known ones finds the rest.

Headings also stand inside lines, as pasted text has them: "Skills: Python, SQL", "... our mission. Minimum
qualifications: ...", "Skills * Programming: ...", a heading glued to the end of a line ("24 monthsCompany
Details"). In a job post any of these opens a section; in a resume, where "Tools: ..." inside a position is
common, only where the structure is weak (before the first heading line, in a pasted block of one long line)
or where the heading is unmistakable (two or more words at the end of a line).

Sections are contiguous and cover the whole text. The text before the first heading is, in a resume, the
contact block (its top lines that hold a name, e-mail, phone, links or a place: :func:`is_contact_line`) and
``"body"`` for the rest; in a job post ``"about"`` when headings follow and ``"body"`` when the post has none.
A document with no heading at all is one ``"body"`` section (and its contact lines): its skills count.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from matcher.analysis.headings import (
    Headings,
    bundled_headings,
    heading_key,
    match_line,
    plausible_heading,
)
from matcher.analysis.pii import is_contact_line, is_name_line
from matcher.types import DocumentKind, Section, TextLine

__all__ = [
    "ABOUT",
    "BODY",
    "CONTACT",
    "OTHER",
    "detect_sections",
    "lines_of",
    "section_at",
    "section_finder",
]

#: Name of a section opened by a heading that is styled like the others but is in no list.
OTHER = "other"
#: Text under no heading that is not contact data: a resume's unheaded summary, a post with no headings.
BODY = "body"
#: A resume's contact block: the top lines with the name, e-mail, phone, links and place, and nothing else.
CONTACT = "contact"
#: The text before the first heading of a job post that has headings: the company and the role.
ABOUT = "about"
#: How many non-empty lines at the top of a resume may belong to its contact block.
CONTACT_REACH = 12
#: A contact line is short: name, e-mail, phone, links and place fit in this.
MAX_CONTACT_LINE_CHARS = 200
#: A line this long is a pasted block: headings inside it count in a resume too.
PASTED_BLOCK_CHARS = 300
#: Resume sections made of entries (a position, a project) whose lines often start with a label of their own.
_ENTRY_SECTIONS = frozenset({"experience", "projects"})

# --------------------------------------------------------------------------- a whole document


def lines_of(text: str) -> list[TextLine]:
    """One :class:`TextLine` per line of ``text`` (no layout cues): for plain text and tests.

    >>> [(line.start, line.end) for line in lines_of("a\\nbc")]
    [(0, 1), (2, 4)]
    """
    result: list[TextLine] = []
    start = 0
    for chunk in text.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        result.append(TextLine(start, start + len(body)))
        start += len(chunk)
    return result


@dataclass(frozen=True, slots=True)
class _Style:
    """What a document's body text looks like, to tell headings apart from it."""

    median_size: float | None
    bold_is_rare: bool


def _body_style(text: str, lines: Sequence[TextLine]) -> _Style:
    sized: list[float] = []
    bold_chars = total_chars = 0
    for line in lines:
        n = line.end - line.start
        if not text[line.start : line.end].strip():
            continue
        total_chars += n
        bold_chars += n if line.bold else 0
        if line.size is not None:
            # weight by length in 20-character steps, so the body (many long lines) sets the median
            sized.extend([line.size] * max(1, n // 20))
    return _Style(
        median_size=statistics.median(sized) if sized else None,
        bold_is_rare=total_chars > 0 and bold_chars / total_chars < 0.5,
    )


def _letters_upper(raw: str) -> bool:
    letters = [ch for ch in raw if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _starts_upper(raw: str) -> bool:
    first = next((ch for ch in raw if ch.isalpha()), "")
    return first.isupper()


def _larger(line: TextLine, style: _Style) -> bool:
    if line.size is None or style.median_size is None:
        return False
    return line.size >= style.median_size + max(0.5, 0.08 * style.median_size)


def _styled(line: TextLine, raw: str, style: _Style) -> bool:
    """Visual cues only: bold (when bold is rare), larger than the body, capitals, colon, Markdown."""
    stripped = raw.strip()
    return (
        (line.bold and style.bold_is_rare)
        or _larger(line, style)
        or _letters_upper(stripped)
        or stripped.endswith(":")
        or stripped.startswith("#")
    )


def _title_case(raw: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", raw) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


def _signature(line: TextLine, raw: str) -> tuple[float | None, bool, bool]:
    size = round(line.size * 2) / 2 if line.size is not None else None
    return size, line.bold, _letters_upper(raw.strip())


def detect_sections(
    text: str,
    lines: Sequence[TextLine] = (),
    kind: DocumentKind = "resume",
    *,
    headings: Headings | None = None,
) -> list[Section]:
    """Sections of ``text``, contiguous, ordered and covering it from 0 to ``len(text)``.

    ``lines`` are the document's lines with their layout cues (from the parser); when empty, the text is
    split on newlines with no cues. See the module docstring for what opens a section and what the text
    before the first heading becomes.

    Examples
    --------
    >>> text = "Ada Lovelace\\nada@example.com\\n\\nEXPERIENCE\\nAnalyst, 1842\\n"
    >>> [(s.name, s.start, s.end) for s in detect_sections(text, lines_of(text), "resume")]
    [('contact', 0, 30), ('experience', 30, 55)]
    >>> [(s.name, s.heading) for s in detect_sections("Requirements: Python, Docker", kind="job")]
    [('requirements', 'Requirements')]
    """
    if not text:
        return []
    known = headings or bundled_headings()
    index = known.index.get(kind, {})
    ordered = sorted(lines, key=lambda line: line.start) if lines else lines_of(text)
    style = _body_style(text, ordered)

    found: dict[int, tuple[str, str]] = {}  # line position -> (section name, heading as written)
    signatures: dict[tuple[float | None, bool, bool], int] = {}
    previous_blank = True
    for position, line in enumerate(ordered):
        raw = text[line.start : line.end]
        blank = not raw.strip()
        if not blank and plausible_heading(raw):
            match = match_line(raw, index)
            if match is not None:
                name, how = match
                styled = _styled(line, raw, style)
                if how == "exact":
                    accept = styled or _starts_upper(raw)
                else:
                    accept = styled or (previous_blank and _title_case(raw))
                if accept:
                    found[position] = (name, raw.strip())
                    sig = _signature(line, raw)
                    signatures[sig] = signatures.get(sig, 0) + 1
        previous_blank = blank

    for position in _styled_like_headings(text, ordered, found, signatures, style):
        found[position] = (OTHER, text[ordered[position].start : ordered[position].end].strip())

    starts = {ordered[p].start: (name, heading) for p, (name, heading) in found.items()}
    first_heading_line = ordered[min(found)].start if found else len(text)
    resumed: set[int] = set()  # where the section a label interrupted goes on
    first_words = known.first_words.get(kind, frozenset())
    inline = _inline_headings(text, ordered, found, index, first_words, kind, first_heading_line)
    for offset, name, heading, until in inline:
        if offset not in starts:
            starts[offset] = (name, heading)
            if until is not None and until < len(text):
                resumed.add(until)
    return _assemble(text, ordered, starts, resumed, kind)


# --------------------------------------------------------------------------- headings inside lines

#: Where a heading may start inside a line: after a sentence's end, a wide gap, a bullet, or glued to a word
#: ("monthsCompany Details").
_INLINE_START = re.compile(r"(?:(?<=[.!?;])\s+|\s{2,}|\t|\s[•*·|]\s|\s#{1,6}\s|(?<=[a-z)])(?=[A-Z][a-z]))")
#: In a pasted block any capitalised word may start a heading ("... +1 555 0100 Education • Georgia Tech ..."):
#: what ends it (a colon, a bullet, a capitalised run-on) and its case still have to fit.
_LOOSE_START = re.compile(r"(?:\s|(?<=[a-z)])(?=[A-Z][a-z]))(?=[A-Z])")
#: Heading words: capitalised first, then up to five more words of letters. Words are bounded (no heading
#: word is 40 letters long) so that trying every start in a line without spaces stays linear.
_HEADING_WORDS = re.compile(
    r"[A-Z][A-Za-z'’]{0,39}(?![A-Za-z'’])(?:[ \t]+(?:[A-Za-z][A-Za-z'’]{0,39}(?![A-Za-z'’])|&|/)){0,5}"
)
#: The first of the heading words: a heading's first word must be one that begins some heading. Read for at most
#: one letter more than a heading word may have (:data:`_HEADING_WORDS`), so that trying every start stays linear.
_FIRST_WORD = re.compile(r"[A-Za-z'’]{1,41}")
#: What ends an inline heading: a colon (content may follow), or a bullet or dash that starts its first item; a
#: short aside may stand before it ("Good to have (Additional Skills): ...").
_INLINE_END = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?::(?!//)|(?=[ \t]+[•*\-–—][ \t]))")
_LINE_LEAD = re.compile(r"[ \t]*(?:[#>•*·\-–—]+[ \t]*)*")


def _inline_headings(
    text: str,
    lines: Sequence[TextLine],
    found: Mapping[int, tuple[str, str]],
    index: Mapping[str, str],
    first_words: Collection[str],
    kind: DocumentKind,
    first_heading_line: int,
) -> Iterator[tuple[int, str, str, int | None]]:
    """``(offset, section, heading as written, until)`` for headings standing inside lines (module docstring).

    In a resume, a label ("Courses: statistical learning, ...") speaks for its own line and the list items under
    it; ``until`` is where the section it interrupted goes on. Elsewhere ``until`` is None: the section runs to
    the next heading."""
    current = None  # the section of the last heading line
    for position, line in enumerate(lines):
        if position in found:
            current = found[position][0]
            continue
        if line.end - line.start < 3:
            continue
        raw = text[line.start : line.end]
        if ":" not in raw and not _INLINE_START.search(raw) and "*" not in raw and "•" not in raw:
            continue  # most lines: nothing that could end or start an inline heading
        loose = kind == "job" or line.start < first_heading_line or len(raw) >= PASTED_BLOCK_CHARS
        # "Key achievements: ..." under a position is part of it: labels never split a resume's entries
        labels = loose or not (kind == "resume" and current in _ENTRY_SECTIONS)
        lead = _LINE_LEAD.match(raw)
        candidates = [lead.end() if lead else 0]
        starts = _LOOSE_START if loose and len(raw) >= PASTED_BLOCK_CHARS else _INLINE_START
        candidates += [m.end() for m in starts.finditer(raw)]
        for start in candidates:
            if not _may_begin_heading(raw, start, first_words):
                continue  # most candidates of a pasted block: a capitalised word no heading begins with
            in_entries = kind == "resume" and current in _ENTRY_SECTIONS
            found_here = _heading_at(
                raw, start, index, at_line_start=start == candidates[0], loose=loose, labels=labels,
                in_entries=in_entries,
            )  # fmt: skip
            if found_here is not None:
                current, heading = found_here
                after = raw[start + len(heading) :].lstrip(" \t")
                until = _label_end(text, lines, position) if kind == "resume" and after.startswith(":") else None
                yield line.start + start, current, heading, until


def _may_begin_heading(raw: str, start: int, first_words: Collection[str]) -> bool:
    """Whether the word at ``raw[start]`` begins some heading (one letter may begin a letter-spaced "S K I L L S")."""
    first = _FIRST_WORD.match(raw, start)
    if first is None or len(first.group()) < 2:
        return True
    # heading_key of letters and apostrophes: the letters in lower case (written out: this runs per candidate)
    word = first.group()
    return len(word) <= 40 and word.lower().replace("'", "").replace("’", "") in first_words


def _label_end(text: str, lines: Sequence[TextLine], position: int) -> int:
    """Where the label on line ``position`` stops speaking: the next line that is not an item of its list."""
    for line in lines[position + 1 :]:
        raw = text[line.start : line.end].lstrip()
        if raw and not _LIST_ITEM.match(raw):
            return line.start
    return len(text)


_LIST_ITEM = re.compile(r"[•*·▪◦\-–—]\s")


def _heading_at(
    raw: str,
    start: int,
    index: Mapping[str, str],
    *,
    at_line_start: bool,
    loose: bool,
    labels: bool,
    in_entries: bool = False,
) -> tuple[str, str] | None:
    """The listed heading that starts at ``raw[start]`` and ends at a colon, a list bullet or the line's end (its
    first word one that begins some heading: :func:`_may_begin_heading`, which the caller asks first)."""
    words = _HEADING_WORDS.match(raw, start)
    if words is None:
        return None
    spans = [m.end() for m in re.finditer(r"[A-Za-z'’&/]+", raw[start : words.end()])]
    for end in sorted((start + e for e in spans), reverse=True):  # the longest heading first
        written = raw[start:end]
        key = heading_key(written)
        name = index.get(key)
        if name is None:
            continue
        closing = _INLINE_END.match(raw, end)
        at_line_end = not raw[end:].strip()
        multiword = len(key.split()) >= 2
        if closing is not None:
            if not (loose or (labels and at_line_start and multiword)):
                continue
            if in_entries and not multiword and raw[end : closing.end()].strip() == ":":
                continue  # "Tools: ..." labels a position's line; it opens no section of the resume
            if at_line_start and not raw[closing.end() :].strip():
                continue  # "Skills:" alone on its line: a heading line, handled as one
            return name, written
        if at_line_end and not at_line_start and multiword and _title_or_caps(written):
            return name, written  # "... exposure to AWS. Education Details"
        runs_on = _RUNS_ON_CAPITALISED.match(raw, end) is not None
        if loose and not at_line_start and runs_on and _runs_on_heading(raw, start, written):
            return name, written  # pasted as one line: "... in 50 ms. RESPONSIBILITIES Run and improve ..."
    return None


def _title_or_caps(written: str, *, strict: bool = False) -> bool:
    """Title Case or capitals; ``strict``: capitals, or Title Case of two or more words ("About Us")."""
    words = [w for w in re.findall(r"[A-Za-z'’]+", written) if w.lower() not in {"and", "of", "the", "to", "for"}]
    if not words:
        return False
    if all(w.isupper() for w in words) and sum(len(w) for w in words) >= 4:
        return True
    return all(w[0].isupper() for w in words) and (not strict or len(words) >= 2)


def _runs_on_heading(raw: str, start: int, written: str) -> bool:
    """A heading run together with the text around it: two or more words with the first capitalised ("About the
    job Google is ...", "MINIMUM QUALIFICATIONS"), or one word that names a section outright, in capitals or right
    after a sentence, a separator, a number or an address ("... 555 0100 Summary Machine ...")."""
    following = raw[start + len(written) :].split(None, 1)
    if written.isupper() and following and following[0].isupper():
        return False  # "OPEN SOURCE CONTRIBUTOR & TEAM LEADER": capitals that go on are a title, not a heading
    if written[:1].isupper() and len(written.split()) >= 2:
        return True
    # one word alone only when it names the section itself ("Education", "Skills"): "Software" and "Research"
    # start job titles too ("... 2012 – 2017 Software Development Engineer ...", "SOFTWARE ENGINEER")
    if heading_key(written) not in _SECTION_WORDS or not written[:1].isupper():
        return False
    if written.isupper():
        return True
    before = raw[:start].rstrip()
    previous = before.rsplit(None, 1)[-1] if before else ""
    boundary = not before or before[-1] in ".!?;:|•·)" or before[-1].isdigit() or "@" in previous or "/" in previous
    after = raw[start + len(written) :].lstrip()
    return boundary or after[:1].isdigit() or after[:1] in "•·"  # "... NumPy Experience 2021 – Present ..."


#: single-word headings that name a section outright
_SECTION_WORDS = frozenset(
    [
        "summary", "profile", "objective", "experience", "employment", "education", "skills", "projects",
        "certifications", "publications", "awards", "languages", "interests", "references", "coursework",
        "volunteering", "activities", "responsibilities", "requirements", "qualifications", "benefits", "overview",
    ]
)


#: what follows a heading in a line pasted together: a space and a capitalised word or a bullet
_RUNS_ON_CAPITALISED = re.compile(r"[ \t]+(?:[•*·\-–]\s*)?[A-Z0-9]")


# --------------------------------------------------------------------------- putting it together


def _assemble(
    text: str,
    lines: Sequence[TextLine],
    starts: Mapping[int, tuple[str, str]],
    resumed: set[int],
    kind: DocumentKind,
) -> list[Section]:
    ordered = sorted(starts.items())
    first = ordered[0][0] if ordered else len(text)
    sections: list[Section] = []
    if text[:first].strip():
        sections.extend(_preamble(text, lines, first, kind, headed=bool(ordered)))
    elif ordered:
        ordered[0] = (0, ordered[0][1])
    # the section a label interrupted: the last one a heading (or the preamble) opened
    interrupted = sections[-1].name if sections and sections[-1].name != CONTACT else BODY
    bounds = sorted({*(start for start, _ in ordered), *(r for r in resumed if r > first)})
    named = dict(ordered)
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else len(text)
        if start in named:
            name, heading = named[start]
            sections.append(Section(name, start, end, heading))
            if start not in resumed and not _is_label(starts, start, resumed, bounds):
                interrupted = name
        else:
            sections.append(Section(interrupted, start, end))
    return sections or [Section(BODY, 0, len(text))]


def _is_label(starts: Mapping[int, tuple[str, str]], start: int, resumed: set[int], bounds: list[int]) -> bool:
    """True when the section starting at ``start`` is a label's: the next bound is where another one resumes."""
    i = bounds.index(start)
    return i + 1 < len(bounds) and bounds[i + 1] in resumed and bounds[i + 1] not in starts


def _preamble(text: str, lines: Sequence[TextLine], end: int, kind: DocumentKind, *, headed: bool) -> list[Section]:
    """The text before the first heading: a job post's ``about`` (or ``body``), a resume's contact lines and body."""
    if kind == "job":
        return [Section(ABOUT if headed else BODY, 0, end)]
    top = [line for line in lines if line.start < end and text[line.start : line.end].strip()][:CONTACT_REACH]
    raws = [text[line.start : line.end] for line in top]
    # a pasted paragraph that starts with an e-mail is the body, not a contact line
    contact = [len(raw) <= MAX_CONTACT_LINE_CHARS and is_contact_line(raw) for raw in raws]
    alone = len(raws) == 1 and headed
    short = bool(raws) and len(raws[0]) <= MAX_CONTACT_LINE_CHARS
    if short and not contact[0] and is_name_line(raws[0]) and (alone or any(contact[1:4])):
        contact[0] = True  # the name heads the contact lines that follow it, or stands alone above the first heading
    runs: list[Section] = []
    for line, is_contact in zip(top, contact, strict=True):
        name = CONTACT if is_contact else BODY
        start = 0 if not runs else line.start
        if runs and runs[-1].name == name:
            continue
        if runs:
            runs[-1] = Section(runs[-1].name, runs[-1].start, start)
        runs.append(Section(name, start, end))
    if not runs:
        return [Section(BODY, 0, end)]
    if runs[-1].name == CONTACT and top and top[-1].end < end and text[top[-1].end : end].strip():
        # lines past the contact reach that are still before the first heading: body
        after = next(line.start for line in lines if line.start > top[-1].end and text[line.start : line.end].strip())
        runs[-1] = Section(CONTACT, runs[-1].start, after)
        runs.append(Section(BODY, after, end))
    return runs


def _styled_like_headings(
    text: str,
    lines: Sequence[TextLine],
    found: Mapping[int, tuple[str, str]],
    signatures: Mapping[tuple[float | None, bool, bool], int],
    style: _Style,
) -> list[int]:
    """Lines in no list but styled exactly like two or more known headings, when that style is distinctive."""
    distinctive = set()
    for (size, bold, caps), count in signatures.items():
        if count < 2 or size is None or style.median_size is None:
            continue  # without sizes, capitals alone would also catch employer and school names
        if size >= style.median_size + max(0.5, 0.08 * style.median_size) or (bold and style.bold_is_rare):
            distinctive.add((size, bold, caps))
    if not distinctive:
        return []
    result = []
    for position, line in enumerate(lines):
        raw = text[line.start : line.end]
        stripped = raw.strip()
        if position in found or not plausible_heading(raw) or _signature(line, raw) not in distinctive:
            continue
        if len(stripped.split()) > 5 or re.search(r"[@|•:/]", stripped.rstrip(":")) or not _starts_upper(raw):
            continue
        result.append(position)
    return result


def section_finder(sections: Sequence[Section]) -> Callable[[int], str | None]:
    """:func:`section_at` for many offsets of one document: the starts are listed once, not per offset."""
    starts = [s.start for s in sections]

    def find(offset: int) -> str | None:
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and sections[i].start <= offset < sections[i].end:
            return sections[i].name
        return None

    return find


def section_at(sections: Sequence[Section], offset: int) -> str | None:
    """Name of the section holding character ``offset``, or None outside all of them.

    ``sections`` must be ordered and not overlap, as :func:`detect_sections` returns them.

    >>> section_at([Section("contact", 0, 10), Section("skills", 10, 30)], 12)
    'skills'
    """
    starts = [s.start for s in sections]
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and sections[i].start <= offset < sections[i].end:
        return sections[i].name
    return None
