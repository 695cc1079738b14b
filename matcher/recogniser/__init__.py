"""The trained skill recogniser: skill phrases no list names ("built low-latency feature stores").

A spaCy ``ner`` on a small CNN tok2vec, trained on labelled job posts and resumes
(``python -m matcher.recogniser.train``), shipped inside the package (``matcher/_models/skill_recogniser``) and
loaded from there: nothing is downloaded. It marks ``KNOWLEDGE`` spans (tools, technologies, fields) and
``COMPETENCE`` spans ("owned the on-call rotation"), each with a score. :func:`merge` puts them beside the
taxonomy's own matches:

- a span that overlaps a taxonomy match adds nothing: the taxonomy's match stays as it is;
- a span the taxonomy links (its exact name, an alias, a plural or version of one, or a misspelling of one)
  becomes a mention of that skill;
- a span that *is* one of the taxonomy's ambiguous names (Go, Spark, Excel...) was already judged by the
  taxonomy's context rules, which rejected it there: it is dropped, never linked;
- any other span is *unlinked*: reported apart for curators to grow the taxonomy, never scored.

This module imports spaCy and thinc: :mod:`matcher.tagging.tagger` imports it only when the recogniser is on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy import util
from spacy.tokenizer import Tokenizer  # type: ignore[import-not-found]
from spacy.util import registry

from matcher.errors import SkillmatchError
from matcher.normalize import PIECE_RE, lowercase, skill_key, split_pieces
from matcher.tagging.lexicon import NAME_WORD_MIN_LENGTH, is_a_name_word, name_words
from matcher.tagging.phrases import PhraseIndex
from matcher.types import SkillMention

if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language
    from spacy.tokens import Doc

    from matcher.taxonomy import Taxonomy

#: spans scored below this are not reported (chosen on SkillSpan dev and the held-back Dotin part)
DEFAULT_THRESHOLD = 0.5
#: a span of at least this many letters may link to a name one edit away (two from 10 letters): the model's
#: span is the evidence the lexicon's stricter fuzzy rule (8+ letters, single words) has to do without
FUZZY_LINK_MIN_LENGTH = 5
_URL_OR_EMAIL = re.compile(r"@|://|www\.|\.(?:com|org|net|io|ai|dev|me|co|app|edu|info)\b", re.I)


def model_dir() -> Path:
    """The shipped model's folder, inside the installed package."""
    return Path(str(resources.files("matcher") / "_models" / "skill_recogniser"))


@registry.tokenizers("skillmatch.tokenizer_without_special_cases.v1")
def make_tokenizer_without_special_cases() -> Callable[[Language], Tokenizer]:
    """The tagger's tokenizer (``matcher.tagging.pipeline``): the language's prefixes, suffixes and infixes, no special
    cases (they defeat spaCy's cache, spaCy#13950). Training and tagging cut text the same way."""

    def create(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        return Tokenizer(
            nlp.vocab,
            rules={},
            prefix_search=util.compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
            suffix_search=util.compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
            infix_finditer=util.compile_infix_regex(defaults.infixes).finditer if defaults.infixes else None,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return create


@registry.scorers("skillmatch.overlap_ner_scorer.v1")
def make_overlap_ner_scorer() -> Callable[..., dict[str, Any]]:
    """spaCy's exact-span scores plus the overlap scores ``benchmarks/eval_spans.py`` measures (a predicted span
    is right when it overlaps a gold span of its label; a gold span is found when one overlaps it), so that
    ``spacy train`` keeps the checkpoint that is best by the measure we report."""
    from spacy.scorer import get_ner_prf

    def score(examples: Iterable[Any], **kwargs: Any) -> dict[str, Any]:
        found = gold_total = right = predicted = 0
        for example in examples:
            gold = [(e.start_char, e.end_char, e.label_) for e in example.reference.ents]
            guess = [(e.start_char, e.end_char, e.label_) for e in example.predicted.ents]
            gold_total += len(gold)
            predicted += len(guess)
            found += sum(any(s < ge and gs < e and lab == gl for s, e, lab in guess) for gs, ge, gl in gold)
            right += sum(any(gs < e and s < ge and lab == gl for gs, ge, gl in gold) for s, e, lab in guess)
        recall = found / gold_total if gold_total else 0.0
        precision = right / predicted if predicted else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {**get_ner_prf(examples, **kwargs), "overlap_p": precision, "overlap_r": recall, "overlap_f": f1}

    return score


@dataclass(frozen=True, slots=True)
class RecognisedSpan:
    """A span the model marked: exact character offsets (``text[start:end] == self.text``), label, score 0-1.

    ``score`` is the lowest probability the model gave the actions that made the span (its weakest token)."""

    start: int
    end: int
    text: str
    label: str
    score: float
    #: the document section the span stands in, when known (set by the tagger, as for mentions)
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one ``"unlinked"`` entry of ``skillmatch tag``."""
        return {
            "text": self.text, "start": self.start, "end": self.end, "score": round(self.score, 3),
            "label": self.label, "section": self.section,
        }


class SkillRecogniser:
    """The trained pipeline (tok2vec + ner), loaded once; :meth:`spans_many` for streams of texts."""

    def __init__(self, path: str | Path | None = None, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        import spacy

        folder = Path(path) if path is not None else model_dir()
        if not (folder / "meta.json").is_file():
            raise SkillmatchError(
                f"the skill recogniser's model is missing at {folder} (reinstall skillmatch)", code="model_not_found"
            )
        self.nlp: Language = spacy.load(folder)
        #: spaCy's EntityRecognizer (a Cython class without type stubs)
        self.ner: Any = cast(Any, self.nlp.get_pipe("ner"))
        self.threshold = threshold
        meta = self.nlp.meta
        #: what the tagger reports as ``model_version``: "<name>-<version>"
        self.version = f"{meta.get('name', 'skill_recogniser')}-{meta.get('version', '0')}"
        #: the parser's classes in score order; "U-" (an unlabelled entity, for missing gold) never applies here
        self._classes = [self.ner.moves.get_class_name(i) for i in range(self.ner.moves.n_moves)]
        self._usable = [name == "O" or len(name) > 2 for name in self._classes]

    @property
    def meta(self) -> dict[str, Any]:
        """The model's ``meta.json``: version, training data and their digests, scores on the choosing sets."""
        return dict(self.nlp.meta)

    def spans(self, text: str) -> list[RecognisedSpan]:
        """The spans of one text scored at least :attr:`threshold`, in order."""
        return next(self.spans_many([text]))

    def spans_many(self, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[list[RecognisedSpan]]:
        """Spans for each text, in order (texts are tokenised and encoded in batches)."""
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, texts: Sequence[str]) -> list[list[RecognisedSpan]]:
        docs = list(self.nlp.pipe(texts, disable=["ner"]))
        probabilities = self._parse(docs)
        out = []
        for doc, probs in zip(docs, probabilities, strict=True):
            spans = []
            for ent in doc.ents:
                move = [f"U-{ent.label_}"] if len(ent) == 1 else [
                    f"B-{ent.label_}", *[f"I-{ent.label_}"] * (len(ent) - 2), f"L-{ent.label_}"
                ]
                score = min(float(probs[ent.start + i, self._classes.index(m)]) for i, m in enumerate(move))
                if score >= self.threshold:
                    spans.append(
                        RecognisedSpan(ent.start_char, ent.end_char, ent.text, ent.label_, score)
                    )
            out.append(spans)
        return out

    def _parse(self, docs: list[Doc]) -> list[np.ndarray]:
        """The ner's greedy parse (as ``nlp()`` does it) keeping each action's scores: the parser's own loop in
        C keeps none. One action per token, so row ``i`` of a doc's array is token ``i``'s softmax."""
        import numpy

        width = len(self._classes)
        if not any(len(doc) for doc in docs):
            return [numpy.zeros((0, width), dtype="f") for _ in docs]
        model = self.ner.model.predict(docs)
        states = self.ner.moves.init_batch(docs)
        rows: dict[int, list[Any]] = {id(state): [] for state in states}
        active = [state for state in states if not state.is_final()]
        while active:
            scores = model.predict(active)
            for state, row in zip(active, scores, strict=True):
                rows[id(state)].append(row)
            active = self.ner.transition_states(active, scores)
        model.clear_memory()
        self.ner.set_annotations(docs, states)
        out = []
        usable = numpy.asarray(self._usable)
        for state in states:
            logits = numpy.asarray(rows[id(state)], dtype="f").reshape(-1, width)
            if not len(logits):
                out.append(logits)
                continue
            logits = numpy.where(usable, logits, -numpy.inf)
            exp = numpy.exp(logits - logits.max(axis=1, keepdims=True))
            out.append(exp / exp.sum(axis=1, keepdims=True))
        return out


class SpanLinker:
    """Links recognised spans to taxonomy skills; built once per taxonomy (the fuzzy index is per letter)."""

    def __init__(self, taxonomy: Taxonomy, *, words: frozenset[str] | None = None) -> None:
        """``words``: the taxonomy's name words a lexicon already holds (:attr:`SkillLexicon.name_words`), not
        read again from every name (~0.2 s)."""
        self.taxonomy = taxonomy
        self._keys: Mapping[str, str] = taxonomy.alias_index
        #: keys of forms the taxonomy accepts only with context: one-letter names and the ``ambiguous`` forms
        self._ambiguous = {key for key in self._keys if len(key) == 1} | {
            skill_key(form) for skill in taxonomy.skills.values() for form in skill.ambiguous
        }
        #: misspellings link to curated skills only: the long tail (ESCO, O*NET) has too many near neighbours
        curated = {sid for sid, skill in taxonomy.skills.items() if getattr(skill, "tier", "curated") == "curated"}
        self._by_letter: dict[str, list[str]] = {}
        for key, sid in self._keys.items():
            if len(key) >= FUZZY_LINK_MIN_LENGTH and key not in self._ambiguous and sid in curated:
                self._by_letter.setdefault(key[0], []).append(key)
        self._phrases = PhraseIndex(taxonomy)
        self._name_words = words if words is not None else name_words(taxonomy, NAME_WORD_MIN_LENGTH)

    def link(self, text: str) -> tuple[str | None, bool, bool]:
        """``(skill id or None, fuzzy, vetoed)`` for a span's text. ``vetoed``: the span is one of the taxonomy's
        ambiguous names, which its own context rules judge; the model does not overrule them.

        Tried in turn: a name or alias (either tier), a label the taxonomy's ``lookup`` knows (the long tail's
        ESCO and O*NET labels), a singular or a version stem ("feature stores", "Python3"), one edit away from a
        curated name (two from 10 letters)."""
        key = skill_key(text)
        if not key:
            return None, False, False
        if key in self._ambiguous or (len(key) <= 2 and text.islower() and key.isalnum()):
            return None, False, True  # "Go", "Spark"; "ml" written in lower case (acronyms are capitals)
        if key in self._keys:
            return self._keys[key], False, False
        skill = self.taxonomy.lookup(text)
        if skill is not None:
            return skill.id, False, False
        stem = self._stem(key)
        if stem is not None:
            return self._keys[stem], False, False
        phrase = self._phrase(text)
        if phrase is not None:
            return phrase, False, False
        if len(key) >= FUZZY_LINK_MIN_LENGTH and key.isalpha() and not is_a_name_word(key, self._name_words):
            limit = 1 if len(key) < 10 else 2
            found = process.extractOne(key, self._by_letter.get(key[0], []), scorer=OSA.distance, score_cutoff=limit)
            if found is not None and found[0][-1] == key[-1]:
                return self._keys[found[0]], True, False
        return None, False, False

    def _phrase(self, text: str) -> str | None:
        """The skill of the phrase that covers most of the span ("solving business problems" is *solve problems*:
        :mod:`matcher.tagging.phrases`)."""
        pieces, starts, ends = split_pieces(lowercase(text))
        found = self._phrases.find(text, pieces, starts, ends, [True] * len(pieces))
        return max(found, key=lambda p: p.last - p.first).skill_id if found else None

    def _stem(self, key: str) -> str | None:
        """A name or alias the key is the plural or a version of."""
        candidates = (
            key[:-1] if key.endswith("s") else "",
            key[:-2] if key.endswith("es") else "",
            key[:-3] + "y" if key.endswith("ies") else "",
            key.rstrip("0123456789x."),
        )
        for stem in candidates:
            if len(stem) >= 3 and stem != key and stem in self._keys and stem not in self._ambiguous:
                return stem
        return None


def merge(
    text: str,
    mentions: Sequence[SkillMention],
    spans: Iterable[RecognisedSpan],
    linker: SpanLinker,
) -> tuple[list[SkillMention], list[RecognisedSpan]]:
    """The taxonomy's mentions plus the spans it links, in order; and the spans it cannot link.

    The taxonomy's mentions are never changed or dropped. A span overlapping one of them adds nothing; a span in
    a URL or e-mail address is dropped (the taxonomy masks those too); a span that is an ambiguous taxonomy name
    is dropped (see :meth:`SpanLinker.link`).
    """
    taken = sorted((m.start, m.end) for m in mentions)
    linked: list[SkillMention] = []
    unlinked: list[RecognisedSpan] = []
    for span in spans:
        if _overlaps(taken, span.start, span.end) or _URL_OR_EMAIL.search(span.text):
            continue
        if not PIECE_RE.search(span.text):
            continue  # punctuation alone
        skill_id, fuzzy, vetoed = linker.link(span.text)
        if vetoed:
            continue
        if skill_id is None:
            unlinked.append(span)
        else:
            linked.append(SkillMention(skill_id, span.start, span.end, text[span.start : span.end], fuzzy=fuzzy))
    if not linked:
        return list(mentions), unlinked
    return sorted([*mentions, *linked], key=lambda m: (m.start, m.end)), unlinked


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of ``taken`` (few per document: a scan is enough)."""
    return any(s < end and start < e for s, e in taken)


def model_meta(path: str | Path | None = None) -> dict[str, Any]:
    """The shipped model's ``meta.json`` without loading the model (for ``--version``-like reports)."""
    folder = Path(path) if path is not None else model_dir()
    meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return meta
