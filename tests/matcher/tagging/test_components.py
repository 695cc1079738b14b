from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from matcher.errors import SkillmatchError
from matcher.tagging.components import SPANS_KEY
from matcher.tagging.pipeline import TAGGER_NAME, build_nlp
from matcher.taxonomy import Taxonomy, load_taxonomy
from tests.conftest import SAMPLES


def test_components_pipeline_is_blank_english_plus_our_tagger(taxonomy: Taxonomy) -> None:
    nlp = build_nlp(taxonomy)
    assert nlp.lang == "en"
    assert nlp.pipe_names == [TAGGER_NAME]


def test_components_spans_carry_taxonomy_id_and_category(taxonomy: Taxonomy) -> None:
    nlp = build_nlp(taxonomy)
    doc = nlp("Deployed PyTorch models with Docker.")
    spans = doc.spans[SPANS_KEY]
    assert [(s.text, s.kb_id_, s.label_) for s in spans] == [
        ("PyTorch", "pytorch", taxonomy.skills["pytorch"].category),
        ("Docker", "docker", taxonomy.skills["docker"].category),
    ]
    assert [(m.start, m.end) for m in doc._.skill_mentions] == [(9, 16), (29, 35)]


def test_components_pipe_tags_many_documents_in_order(taxonomy: Taxonomy) -> None:
    nlp = build_nlp(taxonomy)
    texts = ["Python and SQL", "no skills here", "Kubernetes"]
    found = [[m.skill_id for m in doc._.skill_mentions] for doc in nlp.pipe(texts)]
    assert found == [["python", "sql"], [], ["kubernetes"]]


def test_components_factory_is_registered_with_spacy(taxonomy: Taxonomy) -> None:
    nlp = spacy.blank("en")
    tagger = nlp.add_pipe("skillmatch_skill_tagger")
    with pytest.raises(SkillmatchError, match="not initialised"):
        nlp("Python")
    tagger.initialize(taxonomy=taxonomy)
    assert [m.skill_id for m in nlp("Python")._.skill_mentions] == ["python"]


def test_components_fast_tokenizer_does_not_change_mentions(taxonomy: Taxonomy) -> None:
    text = "Dr. Ng's team (Ltd.) used C++/CUDA, scikit-learn & TF2 in Mar. 2021 — e.g. for A/B tests."
    fast = build_nlp(taxonomy, fast_tokenizer=True)(text)._.skill_mentions
    default = build_nlp(taxonomy, fast_tokenizer=False)(text)._.skill_mentions
    assert fast == default
    assert {m.skill_id for m in fast} >= {"cpp", "cuda", "scikit_learn", "tensorflow"}


def test_components_missing_model_is_a_typed_error(taxonomy: Taxonomy) -> None:
    with pytest.raises(SkillmatchError, match="not installed") as caught:
        build_nlp(taxonomy, model="en_core_web_nonexistent")
    assert caught.value.code == "model_not_found"


def _custom_taxonomy() -> Taxonomy:
    """Ours plus the sample extension: a skill the bundled taxonomy does not have."""
    return load_taxonomy(SAMPLES / "taxonomy" / "extension")


def test_components_saved_pipeline_keeps_a_custom_taxonomy(tmp_path: Path) -> None:
    """issue 18: a pipeline built with a custom taxonomy, saved and loaded with spacy.load, tags with it."""
    custom = _custom_taxonomy()
    added = sorted(set(custom.skills) - set(load_taxonomy().skills))
    assert added
    name = custom.skills[added[0]].name
    nlp = build_nlp(custom)
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    tagger = loaded.get_pipe("skillmatch_skill_tagger")
    assert tagger.lexicon.taxonomy.version == custom.version
    assert [m.skill_id for m in loaded(f"Worked with {name}.")._.skill_mentions] == [added[0]]
    assert loaded(f"Worked with {name}.")._.skill_mentions == nlp(f"Worked with {name}.")._.skill_mentions


def test_components_pipeline_bytes_round_trip_keeps_the_taxonomy() -> None:
    custom = _custom_taxonomy()
    nlp = build_nlp(custom)
    blank = spacy.blank("en")
    blank.add_pipe("skillmatch_skill_tagger")
    blank.get_pipe("skillmatch_skill_tagger").from_bytes(nlp.get_pipe("skillmatch_skill_tagger").to_bytes())
    restored = blank.get_pipe("skillmatch_skill_tagger").lexicon.taxonomy
    assert restored.version == custom.version
    assert restored.skills == custom.skills
    assert restored.alias_index == custom.alias_index
