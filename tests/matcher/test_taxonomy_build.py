"""The long-tail generator: its rules for what may be matched, and that the committed files are what it writes."""

from __future__ import annotations

import pytest

from matcher.normalize import skill_key
from matcher.taxonomy import bundled_taxonomy_dir, load_taxonomy
from matcher.taxonomy_build import (
    DEFAULT_REFERENCE,
    LONG_TAIL_DIR,
    Concept,
    _forms,
    _holds_curated_name,
    _shares_word,
    generate,
    is_ambiguous,
)

#: how often each word is in job-language documents, as job_language_df counts them
DF = {"design": 782, "security": 258, "proteomics": 2, "profile": 120, "magic": 40, "robotics": 15}


@pytest.mark.parametrize(
    ("form", "ambiguous"),
    [
        ("design", True),  # an everyday word
        ("security", True),
        ("proteomics", False),  # a word only a field uses
        ("ArchiMate", False),  # CamelCase: a product name
        ("ProFile", True),  # CamelCase, but also a word
        ("ASIC", False),  # an acronym (the lexicon wants it in capitals)
        ("MAGIC", True),  # capitals, but a word
        ("HR", True),  # too short an acronym to mean one thing
        ("Gazebo", True),  # a capitalised plain word is a word first
        ("Geant4", False),
        ("2000", True),  # a number names nothing alone
        ("be responsible", True),  # grown from the development data
        ("finite element analysis", False),  # whole multi-word names are names
    ],
)
def test_taxonomy_build_everyday_words_are_ambiguous(form: str, ambiguous: bool) -> None:
    assert is_ambiguous(form, DF) is ambiguous


def test_taxonomy_build_labels_holding_a_curated_name_are_not_matched() -> None:
    inner = frozenset({"machinelearning", "german"})
    assert _holds_curated_name(["use", "machine", "learning"], inner)
    assert _holds_curated_name(["speak", "german"], inner)
    assert not _holds_curated_name(["machine", "learning"], inner)  # the whole label is the curated name itself
    assert not _holds_curated_name(["proteomics"], inner)


def test_taxonomy_build_loose_synonyms_share_no_word() -> None:
    assert _shares_word(["working", "in", "teams"], "work in teams")
    assert _shares_word(["3d", "designing"], "3D design")
    assert not _shares_word(["support", "colleagues"], "work in teams")
    assert not _shares_word(["ct"], "computer programming")


def test_taxonomy_build_forms_drop_a_trailing_qualifier() -> None:
    concept = Concept(
        "esco", "x", "Eclipse (integrated development environment software)", ["Eclipse IDE"], "c", "hard"
    )
    assert _forms(concept) == ["Eclipse (integrated development environment software)", "Eclipse", "Eclipse IDE"]


def test_taxonomy_build_long_tail_never_shadows_a_curated_name() -> None:
    taxonomy = load_taxonomy()
    curated_keys = {
        skill_key(form)
        for skill in taxonomy.skills.values()
        if skill.tier == "curated"
        for form in (skill.name, *skill.aliases)
    }
    for key in curated_keys:
        assert taxonomy.skills[taxonomy.alias_index[key]].tier == "curated", key


@pytest.mark.skipif(not DEFAULT_REFERENCE.is_dir(), reason=f"the reference data is not at {DEFAULT_REFERENCE}")
def test_taxonomy_build_committed_files_are_what_the_generator_writes() -> None:
    # regenerating from ../shared/reference gives the committed bytes: the data is reproducible, and nobody
    # edited a generated file by hand (run `python -m matcher.taxonomy_build` after changing curated ids)
    generated = generate(DEFAULT_REFERENCE, bundled_taxonomy_dir())
    out = bundled_taxonomy_dir() / LONG_TAIL_DIR
    assert sorted(generated) == sorted(p.name for p in out.glob("*.yaml"))
    for name, text in generated.items():
        assert (out / name).read_text(encoding="utf-8") == text, name
