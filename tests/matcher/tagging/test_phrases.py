"""Skill phrases with other word forms and words between (``SKILLMATCH_PHRASES``, and the recogniser's linker)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.settings import Settings
from matcher.tagging.lexicon import SkillLexicon
from matcher.tagging.phrases import PhraseIndex, phrase_forms, word_form
from matcher.tagging.tagger import Tagger
from matcher.taxonomy import Taxonomy, load_taxonomy
from tests.conftest import SAMPLES, SHARED_DATA


@pytest.fixture(scope="module")
def phrased(taxonomy: Taxonomy) -> SkillLexicon:
    return SkillLexicon(taxonomy, phrases=True)


def found(lexicon: SkillLexicon, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.skill_id) for m in lexicon.find(text)]


@pytest.mark.parametrize(
    ("forms", "verb"),
    [
        (["solve", "solves", "solved", "solving"], True),
        (["manage", "managed", "managing", "manages"], True),
        (["plan", "planned", "planning", "plans"], True),
        (["use", "used", "uses", "using"], True),
        (["apply", "applied", "applies", "applying"], True),
        (["lead", "led", "leading", "leads"], True),
        (["build", "built", "building"], True),
        (["problem", "problems"], False),
        (["library", "libraries"], False),
        (["process", "processes"], False),
        (["service", "services"], False),
    ],
)
def test_inflections_meet_at_one_form(forms: list[str], verb: bool) -> None:
    assert len({word_form(f, verb=verb) for f in forms}) == 1, [word_form(f, verb=verb) for f in forms]


@pytest.mark.parametrize(
    ("one", "other"),
    [("engineer", "engineering"), ("manager", "management"), ("developer", "develop"), ("bring", "br")],
)
def test_derivations_and_nouns_in_ing_stay_apart(one: str, other: str) -> None:
    """A job title is not its field: as a noun (a phrase's second word on), "engineering" keeps its -ing."""
    assert word_form(one, verb=False) != word_form(other, verb=False)


def test_a_names_first_word_is_read_as_a_verb_the_rest_as_nouns() -> None:
    assert phrase_forms("work in teams") == ("work", "team")
    assert phrase_forms("solving problems") == phrase_forms("solve problems")
    assert phrase_forms("software engineering") != phrase_forms("Software Engineer")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Experience solving business problems with data.", [("solving business problems", "problem_solving")]),
        ("You will work in large collaborative teams.", [("work in large collaborative teams", "teamwork")]),
        ("Solved problems; led teams", [("Solved problems", "problem_solving"), ("led teams", "team_leadership")]),
    ],
)
def test_phrases_are_read_with_other_forms_and_words_between(
    phrased: SkillLexicon, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(phrased, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The team is responsible for developing tools.",  # "is" begins another clause
        "Our team grew. Development moved on",  # a sentence ends between
        "We are solving hard business and product problems daily",  # three words between
        "Software Engineer at Acme",  # a title, not the field
        "Quality And Service Awards",  # capitalised words: a heading or a name
    ],
)
def test_phrases_stay_within_a_clause_and_out_of_titles(phrased: SkillLexicon, text: str) -> None:
    lexicon_alone = SkillLexicon(phrased.taxonomy)
    assert found(phrased, text) == found(lexicon_alone, text)


def test_a_phrase_never_brings_back_a_name_the_lexicon_dropped(phrased: SkillLexicon) -> None:
    """A long-tail name without a skill context stays dropped: it is the lexicon's to decide, not a paraphrase."""
    text = "BSc Computer Science, University of Leeds"
    assert found(phrased, text) == found(SkillLexicon(phrased.taxonomy), text)


def test_phrases_only_add_to_the_lexicons_mentions(phrased: SkillLexicon) -> None:
    """On our samples and real job posts: every mention without phrases is there with them, offsets exact."""
    lexicon_alone = SkillLexicon(phrased.taxonomy)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.rglob("*.txt")) if p.parent.name != "broken"]
    dev = SHARED_DATA / "dev" / "spans-skillspan-dev.jsonl"
    if dev.is_file():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()[:60]]
    added = 0
    for text in texts:
        alone, with_phrases = lexicon_alone.find(text), phrased.find(text)
        assert set(alone) <= set(with_phrases)
        assert all(text[m.start : m.end] == m.text for m in with_phrases)
        assert [m.start for m in with_phrases] == sorted(m.start for m in with_phrases)
        added += len(with_phrases) - len(alone)
    assert added > 0


def test_phrases_follow_the_setting(taxonomy: Taxonomy) -> None:
    text = "Experience solving business problems with data."
    assert Tagger(taxonomy, settings=Settings()).mentions(text) == ()
    assert Settings().phrases is False
    on = Tagger(taxonomy, settings=Settings(phrases=True))
    assert [m.skill_id for m in on.mentions(text)] == ["problem_solving"]
    assert [m.skill_id for m in on.nlp(text)._.skill_mentions] == ["problem_solving"]  # the spaCy component too


def test_compiled_phrases_are_kept_with_the_taxonomy_cache(tmp_path: Path) -> None:
    built = PhraseIndex(load_taxonomy(cache_dir=tmp_path))
    assert list(tmp_path.rglob("*.phrases.pickle"))
    again = PhraseIndex(load_taxonomy(cache_dir=tmp_path))
    assert again._openings == built._openings
    assert again._firsts == built._firsts
