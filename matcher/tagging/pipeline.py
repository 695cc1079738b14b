"""Build the spaCy pipeline: ``spacy.blank("en")`` (or an installed model) plus our tagger. Nothing downloaded."""

from __future__ import annotations

from typing import Any

import spacy
from spacy.lang.en import English
from spacy.language import Language

from matcher.errors import SkillmatchError
from matcher.tagging.components import SkillTagger  # importing it registers the factory
from matcher.tagging.lexicon import SkillLexicon
from matcher.taxonomy import Taxonomy

TAGGER_NAME = "skillmatch_skill_tagger"


# spaCy builds ``English.Defaults`` at run time, which mypy cannot see as a class
class _FastDefaults(English.Defaults):  # type: ignore[misc,valid-type]
    tokenizer_exceptions: dict[str, Any] = {}  # noqa: RUF012 (spaCy reads it as a class attribute)


class _EnglishWithoutSpecialCases(English):
    """``spacy.blank("en")`` minus the tokenizer's special cases, never loaded rather than loaded and dropped
    (loading them is ~0.2 s of every start)."""

    Defaults = _FastDefaults


def build_nlp(
    taxonomy: Taxonomy,
    *,
    model: str | None = None,
    fuzzy: bool = True,
    phrases: bool = False,
    fast_tokenizer: bool = True,
    lexicon: SkillLexicon | None = None,
) -> Language:
    """A ready pipeline; build it once per process and feed it many texts with ``nlp.pipe``.

    ``model`` names an installed spaCy package (its tagger lets us veto ambiguous verbs); by default a blank
    English pipeline. ``fast_tokenizer`` drops the tokenizer's special cases on blank pipelines: they defeat
    spaCy's cache (spaCy#13950) and cost ~25x in speed, and our matcher does not use token boundaries.
    ``lexicon``: one already built for ``taxonomy`` (by a :class:`~matcher.tagging.tagger.Tagger`), shared, not rebuilt.
    """
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
        except OSError as exc:
            raise SkillmatchError(
                f"spaCy model {model!r} is not installed (skillmatch never downloads models)",
                code="model_not_found",
            ) from exc
    elif fast_tokenizer:
        nlp = _EnglishWithoutSpecialCases()
    else:
        nlp = spacy.blank("en")
    tagger = nlp.add_pipe(TAGGER_NAME, config={"fuzzy": fuzzy, "phrases": phrases})
    assert isinstance(tagger, SkillTagger)
    tagger.initialize(taxonomy=taxonomy, lexicon=lexicon)
    return nlp
