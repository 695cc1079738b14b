"""How much a person's past job titles say about a job's title: the role half of "title fit".

Titles are compared without their level ("Senior Data Scientist" and "Data Scientist" are one role; the level is
the seniority component's business), in one of two ways, whichever says more:

- **Through the taxonomy.** A title that names a taxonomy title (its name or an alternate title, level words
  dropped: "Sr. ML Engineer" is a Machine Learning Engineer) stands for that title's *family*. Same family: 1.
  Families the taxonomy lists as related (data scientist and ML engineer): 0.6. Both in the ML and data field
  otherwise (not an adjacent title such as software engineer): 0.3.
- **Through the words**, when the job's title names no taxonomy title ("Java Developer", "Primary English
  Teacher"): the share of the job title's specific words, up to its head noun, that the past title has ("Java
  Developer" vs "Full Stack Java Developer": 1; words after the head, such as a company name pasted onto the
  title, do not count), where generic words (engineer, developer, manager, analyst, ...) count only as the head:
  when the heads differ (engineer vs intern) the share counts 0.7.

>>> from matcher.taxonomy import load_taxonomy
>>> roles = RoleIndex(load_taxonomy())                        # doctest: +SKIP
>>> roles.similarity("Machine Learning Engineer", "Sr. ML Engineer")   # doctest: +SKIP
Similarity(value=1.0, how='same role')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from matcher.taxonomy import Taxonomy

__all__ = ["RELATED_ROLE", "SAME_FIELD", "RoleIndex", "Similarity", "normalise_title"]

#: what a past title in a related family, or anywhere in the ML and data field, says of a title
RELATED_ROLE = 0.6
SAME_FIELD = 0.3
#: the share of specific words counts this much when the heads differ (engineer vs intern)
OTHER_HEAD = 0.7

_PREFIX = re.compile(
    r"^\s*(?:job\s+description|job\s+title|position(?:\s+title)?|role|title|vacancy)\s*[:\-–—]\s*", re.IGNORECASE
)
#: a parenthesis about the job, not the role: "(2 Years of Experience)", "(m/f/d)", "(Remote)"
_ASIDE = re.compile(r"\([^()]*(?:\d|year|remote|hybrid|contract|full[\s-]?time|part[\s-]?time|m/f|f/m)[^()]*\)?", re.I)
_LEVEL = re.compile(
    r"\b(?:junior|jr|senior|sr|staff|principal|lead|entry[\s-]level|graduate|trainee|intern|internship|"
    r"associate|apprentice|i{1,3}|iv|[1-4])\b"
)
_SYNONYMS = (
    (re.compile(r"\bfront[\s-]?end\b"), "frontend"),
    (re.compile(r"\bback[\s-]?end\b"), "backend"),
    (re.compile(r"\bfull[\s-]?stack\b"), "fullstack"),
    (re.compile(r"\bml\b"), "machine learning"),
    (re.compile(r"\bnlp\b"), "natural language processing"),
    (re.compile(r"\bbi\b"), "business intelligence"),
    (re.compile(r"\b(?:swe|sde)\b"), "software engineer"),
    (re.compile(r"\bdev\b"), "developer"),
)
#: words every kind of job title uses: they say what kind of worker, not what field
_GENERIC = frozenset({
    "engineer", "developer", "programmer", "specialist", "analyst", "consultant", "officer", "assistant",
    "manager", "architect", "expert", "professional", "executive", "representative", "scientist", "researcher",
    "administrator", "coordinator", "technician", "contractor", "freelancer", "director", "head",
})  # fmt: skip
_CODERS = frozenset({"engineer", "developer", "programmer"})
#: nouns that name a job on their own: a title's head like the generic words, but specific
_ROLE_NOUNS = frozenset({
    "teacher", "nurse", "chef", "cook", "accountant", "auditor", "recruiter", "designer", "writer", "editor",
    "tutor", "lecturer", "professor", "pharmacist", "physician", "lawyer", "paralegal", "cashier", "driver",
    "salesperson", "tester",
})  # fmt: skip
_STOP = frozenset({"of", "and", "the", "for", "in", "at", "a", "an", "with", "to", "on"})


@lru_cache(maxsize=65536)  # pure, and asked of the same titles again and again (pools, reports)
def normalise_title(title: str) -> str:
    """A title's comparable form: lower case, no level words, no asides about the job, synonyms unified.

    >>> normalise_title("Job Description: Senior Front-End Engineer (5+ Years of Experience)")
    'frontend engineer'
    >>> normalise_title("Sr. ML Engineer II")
    'machine learning engineer'
    """
    text = unicodedata.normalize("NFKC", title)
    text = _PREFIX.sub("", text)
    text = _ASIDE.sub(" ", text)
    text = text.lower().replace("&", " and ")
    for pattern, replacement in _SYNONYMS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[^a-z0-9+#]+", " ", text)
    text = _LEVEL.sub(" ", text)
    return " ".join(text.split())


class Similarity(NamedTuple):
    """How much one past title says of a job title, 0-1, and why in words."""

    value: float
    how: str


_NONE = Similarity(0.0, "a different role")
_FAMILY_HOW = {1.0: "the same role", RELATED_ROLE: "a related role", SAME_FIELD: "a role in the same field"}


class RoleIndex:
    """The taxonomy's titles by their comparable names, built once per taxonomy."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        #: comparable name -> family, in taxonomy order (the first title naming a form keeps it)
        self.names: dict[str, str] = {}
        for title in taxonomy.titles.values():
            for name in (title.name, *title.alternate_titles):
                key = normalise_title(name)
                if key:
                    self.names.setdefault(key, title.family)
        #: family -> families related to it (written on either side)
        self.related: dict[str, set[str]] = {}
        for title in taxonomy.titles.values():
            for other in title.related:
                self.related.setdefault(title.family, set()).add(other)
                self.related.setdefault(other, set()).add(title.family)
        #: families of the ML and data field (not the adjacent titles), and every family
        self.in_field = frozenset(t.family for t in taxonomy.titles.values() if not t.adjacent)
        self.all_families = frozenset(t.family for t in taxonomy.titles.values())
        self._keys = sorted(self.names, key=lambda k: -len(k.split()))
        self.families = lru_cache(maxsize=4096)(self._families)
        self.similarity = lru_cache(maxsize=16384)(self._similarity)
        self.family_values = lru_cache(maxsize=8192)(self._family_values)

    def _family_values(self, past_title: str) -> dict[str, float]:
        """What a past title says of a title of each family, through the taxonomy: the same family 1, a related one
        0.6, another of the ML and data field 0.3 (families it says nothing of are left out). Computed for every
        family at once, so that scoring many jobs asks it once per past title."""
        values: dict[str, float] = {}
        for other in self.families(past_title):
            for family in self.all_families:
                if family == other:
                    value = 1.0
                elif other in self.related.get(family, ()):
                    value = RELATED_ROLE
                elif family in self.in_field and other in self.in_field:
                    value = SAME_FIELD
                else:
                    continue
                if value > values.get(family, 0.0):
                    values[family] = value
        return values

    def _families(self, title: str) -> frozenset[str]:
        """The families a title names: its whole comparable name, else the longest taxonomy names inside it that
        do not overlap ("Data Scientist / ML Engineer" names two)."""
        key = normalise_title(title)
        if not key:
            return frozenset()
        if key in self.names:
            return frozenset({self.names[key]})
        padded = f" {key} "
        taken: list[tuple[int, int]] = []
        found: set[str] = set()
        for name in self._keys:  # longest first
            at = padded.find(f" {name} ")
            while at != -1:
                span = (at, at + len(name) + 1)
                if not any(a < span[1] and span[0] < b for a, b in taken):
                    taken.append(span)
                    found.add(self.names[name])
                at = padded.find(f" {name} ", at + 1)
        return frozenset(found)

    def _similarity(self, job_title: str, past_title: str) -> Similarity:
        """What ``past_title`` says of ``job_title`` (see the module docstring), the better of both ways."""
        if normalise_title(job_title) == normalise_title(past_title) != "":
            return Similarity(1.0, "the same role")
        job_families = self.families(job_title)
        if job_families:  # a taxonomy title: the taxonomy knows which past titles are like it
            values = self.family_values(past_title)
            value = max((values.get(f, 0.0) for f in job_families), default=0.0)
            return Similarity(value, _FAMILY_HOW[value]) if value else _NONE
        return _word_similarity(normalise_title(job_title), normalise_title(past_title))


def _word_similarity(job: str, past: str) -> Similarity:
    job_words = [w for w in job.split() if w not in _STOP]
    head_at = next((i for i, w in enumerate(job_words) if i and (w in _GENERIC or w in _ROLE_NOUNS)), None)
    if head_at is not None:  # "frontend developer react pixelwise studio": the title ends at its head noun
        job_words = job_words[: head_at + 1]
    past_words = {w for w in past.split() if w not in _STOP}
    specific = [w for w in job_words if w not in _GENERIC]
    if not specific:
        return _NONE
    shared = [w for w in specific if w in past_words]
    if not shared:
        return _NONE
    share = len(shared) / len(specific)
    job_head = next((w for w in reversed(job_words) if w in _GENERIC or w in _ROLE_NOUNS), None)
    past_head = next((w for w in reversed(past.split()) if w in _GENERIC or w in _ROLE_NOUNS), None)
    same_head = job_head == past_head or (job_head in _CODERS and past_head in _CODERS)
    value = round(share * (1.0 if same_head else OTHER_HEAD), 4)
    return Similarity(value, f"shares the words '{' '.join(shared)}'")
