"""Section headings as data: the headings file (``taxonomy/sections.yml``) and matching one line against it.

A heading's *key* is its lower-case words without decoration or punctuation (:func:`heading_key`); a line
matches a section when its key is a listed heading, two listed parts ("Skills & Awards"), or a listed heading
after one or two qualifying words ("Relevant Work Experience"). :mod:`matcher.analysis.sections` decides
which matching lines really open a section (layout, position); this module knows only the words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from matcher.errors import TaxonomyError, TaxonomyProblem
from matcher.taxonomy import bundled_taxonomy_dir, load_yaml
from matcher.types import DocumentKind

__all__ = [
    "HEADINGS_FILE",
    "REQUIRED_SECTIONS",
    "Headings",
    "MatchHow",
    "bundled_headings",
    "heading_key",
    "load_headings",
    "match_heading",
    "match_line",
    "plausible_heading",
]

#: The headings file, in the bundled taxonomy directory or a user's (``SKILLMATCH_TAXONOMY_DIR``).
HEADINGS_FILE = "sections.yml"
#: Sections the code relies on by name; the bundled file must define them.
REQUIRED_SECTIONS: Mapping[str, frozenset[str]] = {
    "resume": frozenset({"contact", "summary", "experience", "education", "skills", "projects"}),
    "job": frozenset({"about", "responsibilities", "requirements", "preferred", "benefits"}),
}

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

    @cached_property
    def first_words(self) -> Mapping[str, frozenset[str]]:
        """kind -> the first words of its heading keys: a capitalised word that is none of them starts no
        heading, which rules out most words of a pasted paragraph before any longer key is built."""
        return {kind: frozenset(key.split(" ", 1)[0] for key in keys) for kind, keys in self.index.items()}


def load_headings(
    user_dir: Path | None = None, *, bundled_dir: Path | None = None, cache_dir: Path | None = None
) -> Headings:
    """Read and validate the bundled headings file, extended by ``user_dir/sections.yml`` if present; with
    ``cache_dir``, its parsed YAML is kept as JSON, as the taxonomy's is (:func:`~matcher.taxonomy.load_yaml`).

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
        data = _read_file(path, problems, cache_dir)
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
    """The bundled headings, read once per process (through the configured cache, ``SKILLMATCH_CACHE_DIR``)."""
    from matcher.settings import get_settings

    return load_headings(cache_dir=get_settings().cache_dir)


def _read_file(path: Path, problems: list[TaxonomyProblem], cache_dir: Path | None) -> _HeadingsFileSchema | None:
    try:
        raw: Any = load_yaml(path.read_bytes(), cache_dir)
    except (OSError, ValueError) as exc:
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


def match_line(raw: str, index: Mapping[str, str]) -> tuple[str, MatchHow] | None:
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
    if not plausible_heading(line):
        return None
    found = match_line(line, index)
    return found[0] if found and found[1] != "qualified" else None


def plausible_heading(raw: str) -> bool:
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
