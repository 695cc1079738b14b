"""Build the spaCy pipeline: ``spacy.blank("en")`` (or an installed model) plus our tagger. Nothing downloaded."""

from __future__ import annotations

import spacy
from spacy.language import Language

import matcher.components  # noqa: F401  (registers the factory)
from matcher.errors import SkillmatchError
from matcher.taxonomy import Taxonomy

TAGGER_NAME = "skillmatch_skill_tagger"


def build_nlp(
    taxonomy: Taxonomy,
    *,
    model: str | None = None,
    fuzzy: bool = True,
    fast_tokenizer: bool = True,
) -> Language:
    """A ready pipeline; build it once per process and feed it many texts with ``nlp.pipe``.

    ``model`` names an installed spaCy package (its tagger lets us veto ambiguous verbs); by default a blank
    English pipeline. ``fast_tokenizer`` drops the tokenizer's special cases on blank pipelines: they defeat
    spaCy's cache (spaCy#13950) and cost ~25x in speed, and our matcher does not use token boundaries.
    """
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
        except OSError as exc:
            raise SkillmatchError(
                f"spaCy model {model!r} is not installed (skillmatch never downloads models)",
                code="model_not_found",
            ) from exc
    else:
        nlp = spacy.blank("en")
        if fast_tokenizer:
            nlp.tokenizer.rules = {}
    nlp.add_pipe(TAGGER_NAME, config={"fuzzy": fuzzy})
    nlp.get_pipe(TAGGER_NAME).initialize(taxonomy=taxonomy)
    return nlp
