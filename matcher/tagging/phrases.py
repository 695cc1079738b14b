"""Skill phrases written with other word forms and words between: "solving business problems" is ESCO's *solve
problems*, "work in large collaborative teams" its *work in teams*.

Job posts and resumes paraphrase the competences a taxonomy names as verb phrases. A name of two or three content
words (stop words left out) is kept as those words' inflection-free forms (:func:`word_form`): the first word as a
verb may be inflected ("solving", "managed"), the others as nouns ("problems"), so a job title ("Software
Engineer") is not the field it works in ("software engineering"). A text's clause matches a name when its words
stand there in the same order, with at most :data:`MAX_GAP` other words between two of them and none that starts
another clause ("is", "will", "who"...). The lexicon's own matches win: a phrase is read only from words no mention
holds, never from words that spell a name exactly (the lexicon decided on those: a long-tail "Computer Science" in a
degree line stays dropped), and never from words all capitalised ("Quality and Service": a heading or a title).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from matcher.normalize import PIECE_RE, skill_key
from matcher.taxonomy import Taxonomy, read_pickle, write_pickle

#: the most other words between two of a phrase's words, stop words not counted ("work in a large
#: collaborative team": 2), and the most pieces between them in all
MAX_GAP, MAX_SPAN = 2, 6
#: content words a phrase may have: one word is a name (the lexicon's), four or more are too specific to read
#: loosely
MIN_WORDS, MAX_WORDS = 2, 3
#: words a phrase's own words skip: they carry no meaning of their own in a skill name ("work in teams")
STOP_WORDS = frozenset({
    "a", "an", "the", "in", "of", "on", "at", "by", "for", "from", "to", "with", "within", "into", "across", "via",
    "as", "and", "or", "your", "their", "its", "our", "his", "her", "other", "others", "all", "any", "own", "this",
    "that", "these", "those", "such", "new"
})  # fmt: skip
#: words a phrase never reaches across: they begin another clause ("the team is responsible for developing")
CLAUSE_WORDS = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "will", "would", "shall", "should", "can", "could", "may",
    "might", "must", "do", "does", "did", "has", "have", "had", "ll", "re", "ve", "you", "we", "they", "he", "she",
    "it", "i", "who", "whom", "whose", "which", "what", "where", "when", "while", "whereas", "but", "not", "no",
    "if"
})  # fmt: skip
#: the irregular past forms resumes write skills with ("led teams", "built pipelines", "wrote reports")
_IRREGULAR_PAST = {
    "led": "lead", "built": "build", "made": "make", "wrote": "write", "written": "write", "ran": "run",
    "taught": "teach", "brought": "bring", "drove": "drive", "driven": "drive", "gave": "give", "given": "give",
    "took": "take", "taken": "take", "sought": "seek", "won": "win", "met": "meet", "kept": "keep", "held": "hold",
    "began": "begin", "begun": "begin", "chose": "choose", "chosen": "choose", "grew": "grow", "grown": "grow",
    "spent": "spend", "sold": "sell", "bought": "buy", "told": "tell", "thought": "think", "understood": "understand",
    "undertook": "undertake", "undertaken": "undertake", "oversaw": "oversee", "overseen": "oversee",
    "spoke": "speak", "spoken": "speak", "found": "find", "dealt": "deal", "drew": "draw", "drawn": "draw",
    "paid": "pay", "sent": "send", "rode": "ride", "flew": "fly", "shot": "shoot", "stood": "stand",
}  # fmt: skip
_VOWEL = re.compile("[aeiouy]")
#: characters between two words that end a clause: a phrase never spans them
_CLAUSE_BREAK = re.compile(r"[.;:!?,()\[\]{}<>|•·~/\n\t\u2013\u2014]|\s\s| - ")


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """The pieces ``first..last`` of a text name ``skill_id`` as a phrase."""

    skill_id: str
    first: int
    last: int


@dataclass(frozen=True)
class _Compiled:
    """What a taxonomy's phrases compile to, pickled with the taxonomy's cache."""

    #: (first word's verb form, second word's noun form) -> (the noun forms after those, skill id) of every
    #: phrase opening so
    openings: dict[tuple[str, str], tuple[tuple[tuple[str, ...], str], ...]]
    #: the verb forms a phrase begins with
    firsts: frozenset[str]


class PhraseIndex:
    """The taxonomy's multi-word names as phrases of word forms; built once per taxonomy."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._alias_keys = taxonomy.alias_index
        compiled = _load(taxonomy) or _build(taxonomy)
        self._openings = compiled.openings
        self._firsts = compiled.firsts
        self._form_cache: dict[str, tuple[str, str]] = {}

    def forms(self, word: str) -> tuple[str, str]:
        """``(as a verb, as a noun)``: :func:`word_form` of a lowercased word, kept per distinct word."""
        forms = self._form_cache.get(word)
        if forms is None:
            if len(self._form_cache) >= 200_000:
                self._form_cache.clear()
            forms = self._form_cache[word] = (word_form(word, verb=True), word_form(word, verb=False))
        return forms

    def find(
        self, text: str, pieces: Sequence[str], starts: Sequence[int], ends: Sequence[int], free: Sequence[bool]
    ) -> list[PhraseMatch]:
        """The phrases in a text cut into lowercased ``pieces``, read only from pieces whose ``free`` is true;
        leftmost first, the one with most words (then the longest) where several begin at a piece."""
        forms = self.forms
        words = [forms(p) if f and p.isalpha() else None for p, f in zip(pieces, free, strict=True)]
        found: list[PhraseMatch] = []
        i = 0
        while i < len(pieces):
            word = words[i]
            if word is None or word[0] not in self._firsts:
                i += 1
                continue
            best: tuple[int, int, str] | None = None
            for k, second in self._following(text, pieces, words, starts, ends, i):
                for rest, skill_id in self._openings.get((word[0], second), ()):
                    last = self._match_rest(text, pieces, words, starts, ends, k, rest)
                    if last is not None and (best is None or (2 + len(rest), last) > best[:2]):
                        best = (2 + len(rest), last, skill_id)
            if best is not None and self._reads_as_phrase(text, pieces, starts, ends, i, best[1]):
                found.append(PhraseMatch(best[2], i, best[1]))
                i = best[1] + 1
            else:
                i += 1
        return found

    def _reads_as_phrase(
        self, text: str, pieces: Sequence[str], starts: Sequence[int], ends: Sequence[int], first: int, last: int
    ) -> bool:
        """Not a name spelt exactly (the lexicon's to decide), nor words all capitalised (a heading, a title)."""
        if skill_key(text[starts[first] : ends[last]]) in self._alias_keys:
            return False
        return not all(text[starts[k]].isupper() for k in range(first, last + 1) if pieces[k] not in STOP_WORDS)

    def _match_rest(
        self,
        text: str,
        pieces: Sequence[str],
        words: Sequence[tuple[str, str] | None],
        starts: Sequence[int],
        ends: Sequence[int],
        k: int,
        rest: tuple[str, ...],
    ) -> int | None:
        """The piece where ``rest`` ends, read in order after piece ``k``, or None."""
        for wanted in rest:
            for j, noun in self._following(text, pieces, words, starts, ends, k):
                if noun == wanted:
                    k = j
                    break
            else:
                return None
        return k

    @staticmethod
    def _following(
        text: str,
        pieces: Sequence[str],
        words: Sequence[tuple[str, str] | None],
        starts: Sequence[int],
        ends: Sequence[int],
        i: int,
    ) -> Iterator[tuple[int, str]]:
        """``(index, noun form)`` of the pieces a phrase may go on with after piece ``i``: the next word and more,
        with at most :data:`MAX_GAP` words between that are not stop words, within the clause, never past a word
        that begins another clause."""
        between = 0
        for j in range(i + 1, min(len(pieces), i + 2 + MAX_SPAN)):
            word = words[j]
            if word is None or _CLAUSE_BREAK.search(text, ends[j - 1], starts[j]) is not None:
                return
            yield j, word[1]
            if pieces[j] in CLAUSE_WORDS:
                return
            if pieces[j] not in STOP_WORDS:
                between += 1
                if between > MAX_GAP:
                    return


def word_form(word: str, *, verb: bool) -> str:
    """A lowercased word without its inflection, so that a text's form and a name's meet: as a noun, its plural
    ("problems", "libraries", "processes" are "problem", "library", "process"); as a verb, its -s, -ed and -ing
    too ("solving", "solved", "solves" are "solve"). Not a lemmatiser: both sides go through it, so "solve" and
    "solving" meet at "solv"; derivations stay apart ("manager", "management", "engineer", "engineering")."""
    if verb and word in _IRREGULAR_PAST:
        word = _IRREGULAR_PAST[word]
    if len(word) > 4 and word.endswith(("ies", "ied")):
        word = word[:-3] + "y"
    elif verb and word.endswith("ing") and _VOWEL.search(word, 0, len(word) - 3):
        word = word[:-3]  # not "bring", "thing"
    elif verb and len(word) > 3 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]  # not "need", "breed"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 2 and word.endswith("e"):
        word = word[:-1]  # "solve", "solves", "solved", "solving": "solv"; "purposes", "purpose": "purpos"
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "planned" and "plan", "install" and "installed"
    return word


def phrase_forms(name: str) -> tuple[str, ...]:
    """The forms of a name's content words, in order: the first as a verb, the others as nouns ("work in teams"
    -> ("work", "team"))."""
    words = [w for w in PIECE_RE.findall(name.lower()) if w not in STOP_WORDS]
    return tuple(word_form(w, verb=n == 0) for n, w in enumerate(words))


def _names(taxonomy: Taxonomy) -> Iterable[tuple[str, str]]:
    """``(name, skill id)`` of every name, alias and reference label, curated skills first. Not the long tail's
    O*NET products: a product's name is not paraphrased ("Life Technologies SOLiD")."""
    skills = taxonomy.skills
    for name, skill_id in taxonomy.written_names():
        skill = skills[skill_id]
        if skill.tier == "curated" or "esco" in skill.external:
            yield name, skill_id


def _build(taxonomy: Taxonomy) -> _Compiled:
    openings: dict[tuple[str, str], dict[tuple[str, ...], str]] = {}
    for name, skill_id in _names(taxonomy):
        forms = phrase_forms(name)
        # a word repeated ("data to data") or a number ("python 3") makes no phrase to read loosely
        if MIN_WORDS <= len(forms) <= MAX_WORDS and len(set(forms)) == len(forms) and all(f.isalpha() for f in forms):
            openings.setdefault((forms[0], forms[1]), {}).setdefault(forms[2:], skill_id)
    compiled = _Compiled(
        openings={pair: tuple(rests.items()) for pair, rests in openings.items()},
        firsts=frozenset(first for first, _ in openings),
    )
    if taxonomy.compiled is not None:
        write_pickle(Path(f"{taxonomy.compiled}.phrases.pickle"), compiled)
    return compiled


def _load(taxonomy: Taxonomy) -> _Compiled | None:
    if taxonomy.compiled is None:
        return None
    found = read_pickle(Path(f"{taxonomy.compiled}.phrases.pickle"))
    return found if isinstance(found, _Compiled) else None
