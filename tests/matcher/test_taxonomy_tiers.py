"""The taxonomy's two tiers (matcher/taxonomy.py): curated skills win every conflict, the long tail only adds;
external ids are checked against the reference data the long tail carries; lookup finds ESCO and O*NET labels;
the compiled cache gives the same taxonomy. (The tiers' matching rules are tested in test_lexicon.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from matcher.errors import TaxonomyError
from matcher.tagging.lexicon import SkillLexicon
from matcher.taxonomy import Taxonomy, load_taxonomy, taxonomy_from_data, taxonomy_to_data

JAVA_ESCO = "http://data.europa.eu/esco/skill/19a8293b-8e95-4de3-983f-77484079c389"


def toy(*long_tail: dict[str, Any], links: list[dict[str, Any]] | None = None) -> Taxonomy:
    """Two curated skills and the given long-tail ones."""
    return taxonomy_from_data(
        {
            "version": "t1",
            "categories": {"lang": {"name": "languages"}, "other": {"name": "other"}},
            "skills": [
                {"id": "java", "name": "Java", "category": "lang", "kind": "hard", "aliases": ["Java SE"],
                 "external": {"esco": JAVA_ESCO}},
                {"id": "teamwork", "name": "teamwork", "category": "other", "kind": "soft"},
                *({"tier": "long_tail", "category": "other", "kind": "hard", **s} for s in long_tail),
            ],
            "links": [{"skill": "java", "esco": JAVA_ESCO}, *(links or [])],
        }
    )  # fmt: skip


def test_taxonomy_tiers_curated_wins_a_shared_name() -> None:
    taxonomy = toy({"id": "lt_java", "name": "Java", "aliases": ["Java", "Java SE", "Jakarta"]})
    assert taxonomy.lookup("Java").id == "java"
    assert taxonomy.lookup("Java SE").id == "java"
    assert taxonomy.lookup("Jakarta").id == "lt_java"  # the long tail only adds
    assert taxonomy.skills["lt_java"].aliases == ("Jakarta",)
    assert taxonomy.skills["lt_java"].tier == "long_tail"
    assert taxonomy.skills["java"].tier == "curated"


def test_taxonomy_tiers_long_tail_is_found_by_its_aliases_and_labels_only() -> None:
    taxonomy = toy({"id": "lt_know", "name": "knowledge", "labels": ["know-how"]})
    assert "knowledge" not in taxonomy.alias_index  # a name the generator did not repeat in aliases: not matched
    assert taxonomy.lookup("knowledge").id == "lt_know"  # but lookup finds it
    assert taxonomy.lookup("know-how").id == "lt_know"


def test_taxonomy_tiers_links_give_curated_skills_esco_labels() -> None:
    taxonomy = toy(links=[{"skill": "teamwork", "esco": "http://data.europa.eu/esco/skill/60c78287",
                           "aliases": ["work in teams"], "labels": ["support colleagues"]}])  # fmt: skip
    assert taxonomy.lookup("work in teams").id == "teamwork"
    assert taxonomy.lookup("support colleagues").id == "teamwork"
    assert taxonomy.lookup("http://data.europa.eu/esco/skill/60c78287").id == "teamwork"
    assert taxonomy.external_index[JAVA_ESCO] == "java"
    lexicon = SkillLexicon(taxonomy)
    # matched under the long-tail rules: in a skill context (here a list with a curated skill), never alone
    assert [m.skill_id for m in lexicon.find("Skills: Java, work in teams.")] == ["java", "teamwork"]
    assert not lexicon.find("We work in teams.")
    assert [m.skill_id for m in lexicon.find("Skills: Java, support colleagues.")] == ["java"]  # lookup-only


def test_taxonomy_tiers_external_id_outside_the_reference_data_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "skills:\n"
        '  - {id: acme, name: Acme, category: mlops, kind: hard, external: {esco: "http://data.europa.eu/esco/skill/nope"}}\n'
        '  - {id: acme2, name: Acme Two, category: mlops, kind: hard, external: {onet: "tech:No Such Product"}}\n',
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(tmp_path)
    found = {(p.entry, p.field) for p in caught.value.problems}
    assert found == {("acme", "external.esco"), ("acme2", "external.onet")}
    assert all("not in the reference data" in p.message for p in caught.value.problems)


def test_taxonomy_tiers_one_curated_skill_per_external_id(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        f'skills:\n  - {{id: acme, name: Acme, category: mlops, kind: hard, external: {{esco: "{JAVA_ESCO}"}}}}\n',
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError, match="already 'java'"):
        load_taxonomy(tmp_path)


def test_taxonomy_tiers_a_user_alias_may_be_a_long_tail_label(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "skills:\n  - {id: acme_omics, name: Acme Omics, category: mlops, kind: hard, aliases: [proteomics]}\n",
        encoding="utf-8",
    )
    assert load_taxonomy(tmp_path).lookup("proteomics").id == "acme_omics"


def test_taxonomy_tiers_bundled_has_both_and_looks_up_esco_and_onet(taxonomy: Taxonomy) -> None:
    tiers = [s.tier for s in taxonomy.skills.values()]
    assert tiers.count("curated") > 1500
    assert tiers.count("long_tail") > 20000
    assert taxonomy.lookup("Java (computer programming)").id == "java"  # ESCO's preferred label
    assert taxonomy.lookup(JAVA_ESCO).id == "java"
    assert taxonomy.lookup("tech:Oracle Java").id == "java"
    proteomics = taxonomy.lookup("proteomics")
    assert proteomics.tier == "long_tail"
    assert proteomics.external["esco"].startswith("http://data.europa.eu/esco/skill/")
    assert proteomics.broader  # partial credit goes up ESCO's hierarchy


def test_taxonomy_tiers_round_trip_through_data_keeps_tiers_and_links() -> None:
    link = {"skill": "teamwork", "esco": "http://data.europa.eu/esco/skill/1", "aliases": ["work in teams"]}
    taxonomy = toy({"id": "lt_x", "name": "X tool", "aliases": ["X tool"], "labels": ["xt"]}, links=[link])
    again = taxonomy_from_data(taxonomy_to_data(taxonomy))
    assert again.skills["lt_x"].tier == "long_tail"
    assert again.lookup("xt").id == "lt_x"
    assert again.lookup("work in teams").id == "teamwork"
    assert again.alias_index == taxonomy.alias_index


def test_taxonomy_tiers_compiled_cache_is_read_back_and_survives_corruption(tmp_path: Path) -> None:
    first = load_taxonomy(cache_dir=tmp_path)
    [compiled] = tmp_path.glob("compiled-*.pickle")
    again = load_taxonomy(cache_dir=tmp_path)
    assert again.alias_index == first.alias_index
    assert again.lookup("proteomics") == first.lookup("proteomics")
    lexicon = SkillLexicon(again)  # compiles and keeps the lexicon beside it
    assert list(tmp_path.glob("compiled-*.lexicon.pickle"))
    assert SkillLexicon(load_taxonomy(cache_dir=tmp_path)).find("Python") == lexicon.find("Python")
    compiled.write_bytes(b"not a pickle")
    assert load_taxonomy(cache_dir=tmp_path).alias_index == first.alias_index
