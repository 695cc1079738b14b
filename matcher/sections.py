"""Split a parsed document into named sections (experience, skills, requirements, ...) with char offsets.

Headings are data (``taxonomy/sections.yml``, read next to the skill taxonomy); a line opens a section when
its text matches a listed heading and, for looser matches, when it also looks like a heading (bold, all
capitals, larger than the body text, a trailing colon, a Markdown ``#``, a blank line before it). A line
that matches no list but is styled exactly like the headings that did (same size, weight and case) opens a
section named ``"other"``: templates style all their headings alike, so the style of the known ones finds
the rest.

Sections are contiguous and cover the whole text: the text before the first heading is ``"contact"`` in a
resume (name, email, phone) and ``"about"`` in a job post.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from matcher.errors import TaxonomyError, TaxonomyProblem
from matcher.taxonomy import bundled_taxonomy_dir
from matcher.types import DocumentKind, Section, TextLine

__all__ = [
    "HEADINGS_FILE",
    "OTHER",
    "Headings",
    "bundled_headings",
    "detect_sections",
    "heading_key",
    "lines_of",
    "load_headings",
    "match_heading",
    "section_at",
]

#: The headings file, in the bundled taxonomy directory or a user's (``SKILLMATCH_TAXONOMY_DIR``).
HEADINGS_FILE = "sections.yml"
#: Name of a section opened by a heading that is styled like the others but is in no list.
OTHER = "other"
#: Sections the code relies on by name; the bundled file must define them.
REQUIRED_SECTIONS: Mapping[str, frozenset[str]] = {
    "resume": frozenset({"contact", "summary", "experience", "education", "skills", "projects"}),
    "job": frozenset({"about", "responsibilities", "requirements", "preferred", "benefits"}),
}
#: Name given to the text before the first heading.
PREAMBLE: Mapping[str, str] = {"resume": "contact", "job": "about"}

MatchHow = Literal["exact", "compound", "qualified"]

# --------------------------------------------------------------------------- the headings file

_Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
_Variant = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SectionSchema(_Strict):
    description: str = ""
    headings: list[_Variant] = Field(min_length=1)


class _HeadingsFileSchema(_Strict):
    version: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = None
    resume: dict[_Identifier, _SectionSchema] = {}
    job: dict[_Identifier, _SectionSchema] = {}


@dataclass(frozen=True)
class Headings:
    """Heading variants per document kind and section, indexed by :func:`heading_key`."""

    version: str
    #: kind -> section name -> variants as written in the file
    sections: Mapping[str, Mapping[str, tuple[str, ...]]]
    #: kind -> heading key -> section name
    index: Mapping[str, Mapping[str, str]]

    def names(self, kind: DocumentKind) -> tuple[str, ...]:
        """Section names a document of this kind can have, in file order."""
        return tuple(self.sections.get(kind, {}))


def load_headings(user_dir: Path | None = None, *, bundled_dir: Path | None = None) -> Headings:
    """Read and validate the bundled headings file, extended by ``user_dir/sections.yml`` if present.

    A user variant moves to the user's section; a user section name is new or extends ours.
    Raises :class:`~matcher.errors.TaxonomyError` listing every problem (file, entry, field).

    Examples
    --------
    >>> load_headings().index["resume"]["work history"]
    'experience'
    """
    base = Path(bundled_dir or bundled_taxonomy_dir())
    problems: list[TaxonomyProblem] = []
    files = [base / HEADINGS_FILE]
    if user_dir is not None and (Path(user_dir) / HEADINGS_FILE).is_file():
        files.append(Path(user_dir) / HEADINGS_FILE)

    sections: dict[str, dict[str, list[str]]] = {"resume": {}, "job": {}}
    index: dict[str, dict[str, str]] = {"resume": {}, "job": {}}
    version = ""
    for layer, path in enumerate(files):
        data = _read_file(path, problems)
        if data is None:
            continue
        if layer == 0:
            version = data.version or ""
            if not version:
                problems.append(TaxonomyProblem(path.name, "-", "version", "the headings file sets no version"))
        for kind in ("resume", "job"):
            seen_here: dict[str, str] = {}
            for name, entry in getattr(data, kind).items():
                variants = sections[kind].setdefault(name, [])
                for position, variant in enumerate(entry.headings):
                    key = heading_key(variant)
                    where = f"{kind}.{name}"
                    if not key or any(ch.isdigit() for ch in key):
                        problems.append(
                            TaxonomyProblem(
                                path.name, where, f"headings.{position}", f"{variant!r} has no usable words"
                            )
                        )
                        continue
                    if key in seen_here:
                        owner = seen_here[key]
                        message = "listed twice" if owner == name else f"already a heading of section {owner!r}"
                        problems.append(
                            TaxonomyProblem(path.name, where, f"headings.{position}", f"{variant!r} is {message}")
                        )
                        continue
                    seen_here[key] = name
                    previous = index[kind].get(key)
                    if previous is not None and previous != name:
                        # a later file (the user's) moves the variant to its own section
                        sections[kind][previous] = [v for v in sections[kind][previous] if heading_key(v) != key]
                    index[kind][key] = name
                    variants.append(variant)
        if layer == 0:
            for kind, required in REQUIRED_SECTIONS.items():
                for name in sorted(required - set(getattr(data, kind))):
                    problems.append(TaxonomyProblem(path.name, f"{kind}.{name}", "", "required section missing"))
    if problems:
        raise TaxonomyError(problems)
    return Headings(
        version=version,
        sections={k: {n: tuple(v) for n, v in by_name.items()} for k, by_name in sections.items()},
        index={k: dict(v) for k, v in index.items()},
    )


@lru_cache(maxsize=1)
def bundled_headings() -> Headings:
    """The bundled headings, read once per process."""
    return load_headings()


def _read_file(path: Path, problems: list[TaxonomyProblem]) -> _HeadingsFileSchema | None:
    try:
        # the C loader when PyYAML has it: the pure-Python one takes ~0.25 s for this file
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(TaxonomyProblem(path.name, "-", "", f"cannot read YAML: {' '.join(str(exc).split())}"))
        return None
    try:
        return _HeadingsFileSchema.model_validate(raw or {})
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            # locations look like ("resume", "experience", "headings", 3): entry = kind.section, field = rest
            entry = ".".join(loc[:2]) if len(loc) >= 2 else (loc[0] if loc else "-")
            problems.append(TaxonomyProblem(path.name, entry, ".".join(loc[2:]), err["msg"]))
        return None


# --------------------------------------------------------------------------- matching one line

_LEAD_DECOR = re.compile(r"^(?:[\s#*_=~>•·▪●◦■□►❖✦|:\-–—]+|(?:\d{1,2}|[ivx]{1,4})[.)]\s+)+", re.IGNORECASE)
_TRAIL_DECOR = re.compile(r"[\s#*_=~<•·▪●◦■□◄❖✦|:.\-–—]+$")


@lru_cache(maxsize=8192)
def heading_key(text: str) -> str:
    """The comparable form of a heading: lower case, decorations, apostrophes and punctuation dropped.

    Memoised: section detection asks for each line's key twice (plausible? which heading?), and short lines
    ("Skills", "• Python") repeat across documents.

    >>> heading_key("## WHAT YOU’LL DO:")
    'what youll do'
    >>> heading_key("S K I L L S  &  T O O L S")
    'skills and tools'
    """
    s = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").replace("`", "'").strip()
    s = _LEAD_DECOR.sub("", s)
    s = _TRAIL_DECOR.sub("", s)
    tokens = s.split()
    if len(tokens) >= 4 and all(len(t) == 1 and not t.isdigit() for t in tokens):
        # "E X P E R I E N C E" (letter-spaced template headings): words are split by two or more spaces
        s = " ".join(word.replace(" ", "") for word in re.split(r" {2,}", s))
    s = s.lower()
    s = re.sub(r"[&+/]", " and ", s)
    s = s.replace("'", "")
    s = re.sub(r"[\W_]+", " ", s)
    return " ".join(s.split())


def _match_line(raw: str, index: Mapping[str, str]) -> tuple[str, MatchHow] | None:
    """Match a line's key; failing that, the line without its parenthetical ("Good to have (Extras):")."""
    found = _match_key(heading_key(raw), index)
    if found is None and "(" in raw:
        found = _match_key(heading_key(re.sub(r"\([^()]*\)", " ", raw)), index)
    return found


def _match_key(key: str, index: Mapping[str, str]) -> tuple[str, MatchHow] | None:
    """Exact heading, or two known parts ("skills and awards"), or qualifier words before a known one."""
    if not key:
        return None
    if key in index:
        return index[key], "exact"
    parts = [p.strip() for p in re.split(r"\band\b", key) if p.strip()]
    if len(parts) >= 2 and parts[0] in index and all(p in index for p in parts[1:]):
        return index[parts[0]], "compound"
    words = key.split()
    for drop in (1, 2):
        rest = " ".join(words[drop:])
        if len(words) - drop >= 1 and rest in index:
            return index[rest], "qualified"
    return None


def match_heading(line: str, kind: DocumentKind, *, headings: Headings | None = None) -> str | None:
    """The section a line opens when it is a listed heading (exact or two known parts), else None.

    Layout is not considered; :func:`detect_sections` adds it.

    >>> match_heading("Professional Experience", "resume")
    'experience'
    >>> match_heading("Bonus points:", "job")
    'preferred'
    """
    index = (headings or bundled_headings()).index.get(kind, {})
    if not _plausible(line):
        return None
    found = _match_line(line, index)
    return found[0] if found and found[1] != "qualified" else None


def _plausible(raw: str) -> bool:
    """A heading is short, has letters, no digits and does not end like a sentence."""
    stripped = raw.strip()
    if not 2 <= len(stripped) <= 60 or stripped.endswith((",", ";")):
        return False
    if stripped.endswith(".") and not stripped.endswith(".."):
        return False
    if stripped.count("(") != stripped.count(")"):
        return False  # the end or start of a wrapped sentence: "(3+ Years of" / "Experience)"
    key = heading_key(stripped)
    return bool(key) and len(key.split()) <= 7 and not any(ch.isdigit() for ch in key)


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
    split on newlines with no cues. The text before the first heading is named ``"contact"`` (resume) or
    ``"about"`` (job post); when it is only whitespace, the first section starts at 0 instead.

    Examples
    --------
    >>> text = "Ada Lovelace\\nada@example.com\\n\\nEXPERIENCE\\nAnalyst, 1842\\n"
    >>> [(s.name, s.start, s.end) for s in detect_sections(text, lines_of(text), "resume")]
    [('contact', 0, 30), ('experience', 30, 55)]
    """
    if not text:
        return []
    index = (headings or bundled_headings()).index.get(kind, {})
    ordered = sorted(lines, key=lambda line: line.start) if lines else lines_of(text)
    style = _body_style(text, ordered)

    found: dict[int, tuple[str, str]] = {}  # line position -> (section name, heading as written)
    signatures: dict[tuple[float | None, bool, bool], int] = {}
    previous_blank = True
    for position, line in enumerate(ordered):
        raw = text[line.start : line.end]
        blank = not raw.strip()
        if not blank and _plausible(raw):
            match = _match_line(raw, index)
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

    return _assemble(text, ordered, found, PREAMBLE[kind])


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
        if position in found or not _plausible(raw) or _signature(line, raw) not in distinctive:
            continue
        if len(stripped.split()) > 5 or re.search(r"[@|•:/]", stripped.rstrip(":")) or not _starts_upper(raw):
            continue
        result.append(position)
    return result


def _assemble(
    text: str, lines: Sequence[TextLine], found: Mapping[int, tuple[str, str]], preamble: str
) -> list[Section]:
    starts = sorted((lines[p].start, name, heading) for p, (name, heading) in found.items())
    sections: list[Section] = []
    if not starts:
        return [Section(preamble, 0, len(text))]
    first = starts[0][0]
    if text[:first].strip():
        sections.append(Section(preamble, 0, first))
    else:
        starts[0] = (0, starts[0][1], starts[0][2])
    for i, (start, name, heading) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        sections.append(Section(name, start, end, heading))
    return sections


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
