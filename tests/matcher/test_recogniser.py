"""The trained skill recogniser: the shipped model, how its spans merge with the taxonomy, the tagger's output.

No training here: every test uses the model shipped in matcher/_models/skill_recogniser.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from matcher.recogniser import RecognisedSpan, SkillRecogniser, SpanLinker, merge, model_dir, model_meta
from matcher.recogniser.data import (
    DOTIN,
    SKILLSPAN_DEV,
    SKILLSPAN_TRAIN,
    annotated,
    choosing_docs,
    dotin_held_out,
    read_jsonl,
    training_docs,
)
from matcher.settings import Settings
from matcher.tagging.tagger import Tagger
from matcher.taxonomy import Taxonomy
from matcher.types import SkillMention
from tests.conftest import SHARED_DATA

DEV_DATA = SHARED_DATA / "dev"
needs_data = pytest.mark.skipif(not (DEV_DATA / DOTIN).is_file(), reason=f"labelled data not found at {DEV_DATA}")


@pytest.fixture(scope="module")
def recogniser() -> SkillRecogniser:
    return SkillRecogniser()


@pytest.fixture(scope="module")
def linker(taxonomy: Taxonomy) -> SpanLinker:
    return SpanLinker(taxonomy)


@pytest.fixture(scope="module")
def tagger_on(tagger: Tagger, recogniser: SkillRecogniser) -> Tagger:
    """The session's tagger (its pipeline, built once) with the recogniser on."""
    return Tagger(tagger.taxonomy, settings=Settings(), nlp=tagger.nlp, recogniser=recogniser)


def _span(text: str, phrase: str, label: str = "KNOWLEDGE", score: float = 0.9) -> RecognisedSpan:
    start = text.index(phrase)
    return RecognisedSpan(start, start + len(phrase), phrase, label, score)


# --- the shipped model -----------------------------------------------------------------------------------------


def test_recogniser_model_ships_inside_the_package_and_is_small() -> None:
    folder = model_dir()
    assert folder.parent.parent.name == "matcher"
    assert {p.name for p in folder.iterdir()} == {"meta.json", "config.cfg", "tok2vec", "ner", "tokenizer"}
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 10_000_000


def test_recogniser_meta_records_version_and_training_data() -> None:
    meta = model_meta()
    assert meta["name"] == "skill_recogniser"
    assert meta["version"] == "1.0.0"
    assert meta["labels"]["ner"] == ["COMPETENCE", "KNOWLEDGE"]
    trained = meta["skillmatch"]
    assert [name.split(" ")[0] for name in trained["trained_on"]] == [SKILLSPAN_TRAIN, DOTIN]
    assert [name.split(" ")[0] for name in trained["chosen_on"]] == [SKILLSPAN_DEV, DOTIN]
    assert set(trained["data_sha256"]) == {SKILLSPAN_TRAIN, DOTIN, SKILLSPAN_DEV}
    assert trained["seed"] == 0
    assert trained["command"] == "python -m matcher.recogniser.train"


def test_recogniser_loads_without_network_in_a_fresh_process() -> None:
    """Loading reads only package files: with sockets refused, the model still loads and marks spans."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "from matcher.recogniser import SkillRecogniser\n"
        "r = SkillRecogniser()\n"
        "print(r.version, len(r.spans('Built data pipelines in Python and Airflow.')) >= 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["skill_recogniser-1.0.0", "True"]


def test_recogniser_spans_have_exact_offsets_labels_and_scores(recogniser: SkillRecogniser) -> None:
    text = "Requirements: 5+ years of Go and Kubernetes;\nexperience designing event-driven systems."
    spans = recogniser.spans(text)
    assert [(s.text, s.label) for s in spans] == [
        ("Go", "KNOWLEDGE"), ("Kubernetes", "KNOWLEDGE"), ("designing event-driven systems", "COMPETENCE"),
    ]
    for s in spans:
        assert text[s.start : s.end] == s.text
        assert recogniser.threshold <= s.score <= 1.0
    assert [round(s.score, 2) for s in spans] == [0.95, 0.73, 0.73]


def test_recogniser_is_silent_on_resume_bullets_it_never_saw_labelled() -> None:
    """A known limit, pinned so that a better model shows up here: the labelled resumes mark tools and practice
    areas, not what people did, so experience bullets like the issue's examples get no competence span."""
    text = "Built low-latency feature stores on Kafka; owned the on-call rotation. Mentored three junior engineers."
    assert SkillRecogniser().spans(text) == []


def test_recogniser_spans_many_equals_one_by_one(recogniser: SkillRecogniser) -> None:
    texts = ["Python, SQL and Spark on AWS.", "", "Led a team of five engineers.", "Kubernetes " * 50]
    assert list(recogniser.spans_many(texts, batch_size=2)) == [recogniser.spans(t) for t in texts]


# --- merging with the taxonomy -----------------------------------------------------------------------------------


def test_merge_keeps_taxonomy_mentions_and_drops_spans_over_them(linker: SpanLinker) -> None:
    text = "Deployed PyTorch models with low latency."
    mention = SkillMention("pytorch", 9, 16, "PyTorch")
    merged, unlinked = merge(text, [mention], [_span(text, "Deployed PyTorch models")], linker)
    assert merged == [mention]
    assert unlinked == []


def test_merge_links_a_span_by_name_alias_plural_or_misspelling(linker: SpanLinker) -> None:
    text = "Pyton; feature stores; k8s; Tensorflw"
    spans = [_span(text, p) for p in ("Pyton", "feature stores", "k8s", "Tensorflw")]
    merged, unlinked = merge(text, [], spans, linker)
    assert [(m.skill_id, m.text, m.fuzzy) for m in merged] == [
        ("python", "Pyton", True),
        ("feature_store", "feature stores", False),
        ("kubernetes", "k8s", False),
        ("tensorflow", "Tensorflw", True),
    ]
    assert unlinked == []


def test_merge_links_a_span_that_paraphrases_a_skill(linker: SpanLinker) -> None:
    """A competence phrase the taxonomy names in other words links to it (matcher/tagging/phrases.py)."""
    text = "Experience solving business problems, and you work in a co-located team."
    spans = [_span(text, "solving business problems", "COMPETENCE"), _span(text, "work in a co-located team")]
    merged, unlinked = merge(text, [], spans, linker)
    assert [(m.skill_id, m.text) for m in merged] == [
        ("problem_solving", "solving business problems"),
        ("teamwork", "work in a co-located team"),
    ]
    assert unlinked == []


def test_linker_reads_the_lexicons_name_words_rather_than_every_name_again(tagger_on: Tagger) -> None:
    lexicon = tagger_on.direct_lexicon()
    assert tagger_on._linker is not None
    assert lexicon is not None
    assert tagger_on._linker._name_words is lexicon.name_words
    assert SpanLinker(tagger_on.taxonomy)._name_words == lexicon.name_words  # built alone: the same words


def test_merge_never_overrides_the_context_rules_of_ambiguous_names(linker: SpanLinker) -> None:
    """The taxonomy rejected "Go" and "Spark" here (no context); the model's span does not bring them back, and
    they are not "unlinked" either: the taxonomy knows them."""
    text = "Go to the Spark event, ml"
    spans = [_span(text, "Go"), _span(text, "Spark"), _span(text, "ml")]
    assert merge(text, [], spans, linker) == ([], [])


def test_merge_reports_what_the_taxonomy_cannot_link(linker: SpanLinker) -> None:
    text = "Ran the quarterly capacity reviews; see https://github.com/ana/capacity"
    review = _span(text, "quarterly capacity reviews", "COMPETENCE", 0.71)
    url = _span(text, "github.com/ana/capacity")
    merged, unlinked = merge(text, [], [review, url], linker)
    assert merged == []
    assert unlinked == [review]
    assert review.to_dict() == {
        "text": "quarterly capacity reviews", "start": 8, "end": 34, "score": 0.71, "label": "COMPETENCE",
        "section": None,
    }


# --- the tagger with the recogniser ------------------------------------------------------------------------------


def test_tagger_recogniser_follows_the_setting(monkeypatch: pytest.MonkeyPatch, tagger: Tagger) -> None:
    assert tagger.recogniser is None
    monkeypatch.setenv("SKILLMATCH_RECOGNISER", "off")
    assert Settings().recogniser is False
    monkeypatch.setenv("SKILLMATCH_RECOGNISER", "on")
    assert Settings().recogniser is True
    on = Tagger(tagger.taxonomy, settings=Settings(), nlp=tagger.nlp)
    assert on.recogniser is not None
    assert on.recogniser.version == "skill_recogniser-1.0.0"


def test_tagger_output_carries_model_version_and_unlinked(tagger_on: Tagger, tagger: Tagger) -> None:
    text = (
        "Requirements\n- Experience with Kubernetes and Helm\n"
        "- Ability to translate business requirements into technical solutions\n"
        "Technologies: Go, gRPC, Protobuf, ClickHouse, Temporal"
    )
    record = tagger_on.tag(text, source="x").to_dict()
    assert record["model_version"] == "skill_recogniser-1.0.0"
    # the competence span is linked as a phrase (a label of requirements gathering: "translating business
    # requirements"), the unknown product is not
    assert [s["id"] for s in record["skills"]] == [
        "kubernetes", "helm", "requirements_gathering", "go", "grpc", "protocol_buffers", "clickhouse",
    ]
    assert [(u["text"], u["label"]) for u in record["unlinked"]] == [("Temporal", "KNOWLEDGE")]
    for span in record["unlinked"]:
        assert set(span) == {"text", "start", "end", "score", "label", "section"}
        assert text[span["start"] : span["end"]] == span["text"]
    # the taxonomy's own mentions are all still there, unchanged
    off = tagger.tag(text, source="x").to_dict()
    assert [s for s in record["skills"] if s["id"] != "requirements_gathering"] == off["skills"]
    assert (off["model_version"], off["unlinked"]) == (None, [])


def test_tagger_unlinked_spans_are_not_skills_and_not_scored(tagger_on: Tagger) -> None:
    """Unlinked spans ride beside the skills: no skill id, so profiles and scores never see them."""
    result = tagger_on.tag("You will shape our hiring bar with the founders.", source="x")
    assert result.skills == ()
    assert [(u.text, u.label) for u in result.unlinked] == [("shape our hiring bar with the founders", "COMPETENCE")]


def test_tagger_find_is_merge_of_taxonomy_and_model(tagger_on: Tagger, tagger: Tagger, linker: SpanLinker) -> None:
    """What the tagger returns is exactly :func:`merge` of the two (what ``eval_spans.py`` measures)."""
    assert tagger_on.recogniser is not None
    off = tagger
    texts = [
        "Requirements: 5+ years of Go and Kubernetes; experience designing event-driven systems.",
        "Summary\nData engineer who automated reporting pipelines with dbt and Airflow, cut costs 30%.",
    ]
    for text, (mentions, unlinked) in zip(texts, tagger_on.find_many(texts), strict=True):
        expected = merge(text, off.mentions(text), tagger_on.recogniser.spans(text), linker)
        assert (list(mentions), list(unlinked)) == expected
        assert tagger_on.find(text) == (mentions, unlinked)
        assert tagger_on.mentions(text) == mentions


# --- the data split ----------------------------------------------------------------------------------------------


@needs_data
def test_recogniser_split_never_trains_on_what_it_measures() -> None:
    train = {d["doc"] for d in training_docs(DEV_DATA)}
    choose = {d["doc"] for d in choosing_docs(DEV_DATA)}
    assert not train & choose
    dotin = read_jsonl(DEV_DATA / DOTIN)
    held = [d for d in dotin if dotin_held_out(d["doc"])]
    assert (len(dotin), len(held), sum(not annotated(d) for d in dotin)) == (310, 61, 27)
    assert len(train) == 140 + 310 - 61 - 22
    assert len(choose) == 58 + 61 - 5


def test_recogniser_json_round_trip(tagger_on: Tagger) -> None:
    record = tagger_on.tag("Owned the on-call rotation for our Kafka clusters.", source="x").to_dict()
    assert json.loads(json.dumps(record)) == record
