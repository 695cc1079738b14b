from __future__ import annotations

import os
from pathlib import Path

import pytest

from matcher import taxonomy as taxonomy_module
from matcher.errors import TaxonomyError
from matcher.taxonomy import Taxonomy, bundled_taxonomy_dir, load_taxonomy
from tests.conftest import REPO, SAMPLES

SEED_ARTICLE = REPO.parent / "shared" / "seed" / "what-is-a-machine-learning-engineer.txt"

#: Every skill and tool the seed article names, as the article writes it.
SEED_SKILLS = [
    "Python", "R", "Java", "Scala", "C++", "Linear algebra", "Calculus", "Probability theory",
    "Statistical modelling", "TensorFlow", "PyTorch", "scikit-learn", "XGBoost", "Keras",
    "data structures", "algorithms", "SQL", "NoSQL databases", "Apache Airflow", "Kafka", "Data lakes",
    "data warehouses", "Snowflake", "BigQuery", "Feature engineering", "Data cleaning", "data preprocessing",
    "Model selection", "regression", "classification", "clustering", "AWS SageMaker", "Azure ML",
    "Google AI Platform", "microservices", "model drift", "Pandas", "NumPy", "Apache Spark", "Dask",
    "MLflow", "Kubeflow", "DVC", "TFX", "TensorFlow Extended", "Amazon SageMaker", "Azure Machine Learning",
    "Docker", "Kubernetes", "FastAPI", "Flask", "Jupyter", "CI/CD", "statistical analysis",
    "deep learning", "explainable AI", "data quality", "A/B testing", "transformers", "RAG",
]
#: Job titles the seed article names.
SEED_TITLES = [
    "Machine learning research scientist", "ML developer", "AI/ML engineer", "Junior machine learning engineer",
    "Senior machine learning engineer", "Machine learning software engineer", "Algorithm engineer",
    "Deep learning engineer", "Natural language processing (NLP) engineer", "ML Architect", "AI Researcher",
    "Data scientist", "Data engineer", "Data analyst",
]


def test_taxonomy_bundled_is_large_and_versioned(taxonomy: Taxonomy) -> None:
    assert taxonomy.version
    assert len(taxonomy.skills) >= 1000
    assert len(taxonomy.titles) >= 15
    ml_data_software = {
        "programming_language", "ml_framework", "nlp_cv", "llm_genai", "ml_concept", "math_statistics",
        "data_tool", "database_sql", "database_nosql", "data_pipeline", "data_warehouse", "mlops", "cloud",
        "infrastructure", "web_development", "software_engineering", "testing_qa",
    }
    # the curated tier is the ML-focused one; the long tail (ESCO, O*NET) covers every field
    curated = [s for s in taxonomy.skills.values() if s.tier == "curated"]
    in_core = sum(1 for s in curated if s.category in ml_data_software)
    assert in_core / len(curated) > 0.6


@pytest.mark.parametrize("name", SEED_SKILLS)
def test_taxonomy_has_every_seed_article_skill(taxonomy: Taxonomy, name: str) -> None:
    assert taxonomy.lookup(name) is not None, name


def test_taxonomy_seed_article_list_is_really_in_the_article() -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"seed article not found at {SEED_ARTICLE}")
    article = SEED_ARTICLE.read_text(encoding="utf-8").lower()
    not_verbatim = {"RAG", "transformers", "data warehouses", "A/B testing"}
    assert all(name.lower() in article for name in SEED_SKILLS if name not in not_verbatim)


@pytest.mark.parametrize("title", SEED_TITLES)
def test_taxonomy_has_every_seed_article_title(taxonomy: Taxonomy, title: str) -> None:
    names = {n.lower() for t in taxonomy.titles.values() for n in (t.name, *t.alternate_titles)}
    assert title.lower() in names


@pytest.mark.parametrize(
    ("alias", "skill_id"),
    [("sklearn", "scikit_learn"), ("scikit learn", "scikit_learn"), ("k8s", "kubernetes"), ("TF2", "tensorflow"),
     ("GCP", "gcp"), ("Golang", "go"), ("Postgres", "postgresql"), ("AWS SageMaker", "amazon_sagemaker"),
     # a curated name's other number, as tagging reads it ("random forests" is the name)
     ("Random Forest", "random_forest"), ("vector database", "vector_database"), ("GPUs", "gpu")],
)
def test_taxonomy_lookup_resolves_aliases(taxonomy: Taxonomy, alias: str, skill_id: str) -> None:
    skill = taxonomy.lookup(alias)
    assert skill is not None
    assert skill.id == skill_id


def test_taxonomy_broader_chain_keras_to_deep_learning(taxonomy: Taxonomy) -> None:
    chain = taxonomy.ancestors("keras")
    assert chain[0] == "tensorflow"
    assert "deep_learning_framework" in chain
    assert chain.index("tensorflow") < chain.index("deep_learning_framework") < chain.index("deep_learning")
    assert "keras" in taxonomy.narrower["tensorflow"]


def test_taxonomy_every_skill_is_complete(taxonomy: Taxonomy) -> None:
    for skill in taxonomy.skills.values():
        assert skill.name
        assert skill.category in taxonomy.categories
        assert skill.kind in {"hard", "soft"}
    with_external = [s for s in taxonomy.skills.values() if s.external]
    assert len(with_external) >= 100


def test_taxonomy_titles_weights_and_seniority(taxonomy: Taxonomy) -> None:
    for title in taxonomy.titles.values():
        assert title.required, title.id
        assert all(0 < r.weight <= 5 for r in (*title.required, *title.preferred))
        assert all(r.skill_id in taxonomy.skills for r in (*title.required, *title.preferred))
    assert {t.seniority for t in taxonomy.titles.values()} >= {"junior", "mid", "senior"}


def test_taxonomy_reports_every_problem_with_file_entry_and_field() -> None:
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(bundled_dir=SAMPLES / "taxonomy" / "broken")
    found = {(p.file, p.entry, p.field.split(".")[0]) for p in caught.value.problems}
    assert ("skills.yaml", "Bad-Id", "id") in found
    assert ("skills.yaml", "no_kind", "kind") in found
    assert ("skills.yaml", "wrong_category", "category") in found
    assert ("skills.yaml", "dangling", "broader") in found
    assert ("skills.yaml", "clash", "aliases") in found
    assert ("skills.yaml", "loop_a", "broader") in found
    assert ("skills.yaml", "extra_field", "colour") in found
    assert ("titles.yaml", "ghost_engineer", "required") in found
    assert ("titles.yaml", "heavy_engineer", "seniority") in found
    assert ("titles.yaml", "heavy_engineer", "required") in found
    assert any(p.file == "not_yaml.yaml" and "cannot read YAML" in p.message for p in caught.value.problems)
    assert str(caught.value).startswith("invalid taxonomy: ")
    assert "\n" not in str(caught.value)


def test_taxonomy_user_directory_extends_and_overrides() -> None:
    base = load_taxonomy()
    extended = load_taxonomy(SAMPLES / "taxonomy" / "extension")
    assert extended.version == f"{base.version}+acme.1"
    assert extended.lookup("Acme FeatureFlow") is not None
    assert extended.skills["acme_featureflow"].broader == ("feature_store",)
    assert extended.lookup("ML platform engineering") is not None
    assert base.lookup("ML platform engineering") is None
    assert len(extended.skills) == len(base.skills) + 1


def test_taxonomy_user_directory_missing_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="not found"):
        load_taxonomy(tmp_path / "nope")


def test_taxonomy_bundled_dir_is_the_repository_data_in_a_checkout() -> None:
    assert (bundled_taxonomy_dir() / "taxonomy.yaml").is_file()


def test_taxonomy_cache_gives_the_same_taxonomy_and_survives_a_broken_entry(tmp_path: Path) -> None:
    first = load_taxonomy(cache_dir=tmp_path)
    cached = sorted(tmp_path.glob("taxonomy-*.json"))
    assert len(cached) == len(list(bundled_taxonomy_dir().rglob("*.yaml")))
    cached[0].write_text("{not json", encoding="utf-8")
    again = load_taxonomy(cache_dir=tmp_path)
    assert again == first
    assert again.skills == first.skills
    assert again.alias_index == first.alias_index


def test_taxonomy_shipped_files_are_keyed_by_size_and_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the bundled taxonomy is not read to be hashed at every start: a file's size and modification time stand
    # for its content, as a source file's do for its .pyc
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    skills = shipped / "skills.yaml"
    skills.write_text("skills: []\n", encoding="utf-8")
    monkeypatch.setattr(taxonomy_module, "bundled_taxonomy_dir", lambda: shipped)
    first = taxonomy_module._tree_digest([shipped])
    stat = skills.stat()
    skills.write_text("skills: {}\n", encoding="utf-8")  # same size, put back to the same time: the same key
    os.utime(skills, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert taxonomy_module._tree_digest([shipped]) == first
    os.utime(skills, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert taxonomy_module._tree_digest([shipped]) != first
    copy = tmp_path / "copy"  # any other directory is hashed by content: the same edit changes its key
    copy.mkdir()
    keys = []
    for text in ("skills: []\n", "skills: {}\n"):
        (copy / "skills.yaml").write_text(text, encoding="utf-8")
        os.utime(copy / "skills.yaml", ns=(stat.st_atime_ns, stat.st_mtime_ns))
        keys.append(taxonomy_module._tree_digest([copy]))
    assert keys[0] != keys[1]


def test_taxonomy_cache_is_keyed_by_content(tmp_path: Path) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "skills.yaml").write_text(
        "skills:\n  - {id: acme_tool, name: Acme Tool, category: mlops, kind: hard}\n", encoding="utf-8"
    )
    assert load_taxonomy(user, cache_dir=tmp_path / "cache").lookup("Acme Tool") is not None
    (user / "skills.yaml").write_text(
        "skills:\n  - {id: acme_tool, name: Acme Tool Two, category: mlops, kind: hard}\n", encoding="utf-8"
    )
    reloaded = load_taxonomy(user, cache_dir=tmp_path / "cache")
    assert reloaded.lookup("Acme Tool") is None
    assert reloaded.lookup("Acme Tool Two") is not None


#: Issue 17: the field's titles, each with its ESCO occupation and O*NET-SOC code
FIELD_TITLES = [
    "ml_engineer", "data_scientist", "data_engineer", "analytics_engineer", "mlops_engineer", "ml_research_scientist",
    "research_engineer", "applied_scientist", "llm_engineer", "computer_vision_engineer", "nlp_engineer",
    "recommender_systems_engineer", "data_analyst", "bi_developer",
]  # fmt: skip


def test_taxonomy_titles_cover_the_field_with_esco_and_onet(taxonomy: Taxonomy) -> None:
    assert set(FIELD_TITLES) <= set(taxonomy.titles)
    for title in taxonomy.titles.values():
        assert title.external.get("esco", "").startswith("http://data.europa.eu/esco/occupation/"), title.id
        assert title.external.get("onet"), title.id
    levels = {t.family: set() for t in taxonomy.titles.values()}
    for t in taxonomy.titles.values():
        levels[t.family].add(t.seniority)
    assert levels["ml_engineer"] == {"junior", "mid", "senior"}
    assert levels["data_scientist"] == {"junior", "mid", "senior"}
    assert levels["data_engineer"] == {"mid", "senior"}


def test_taxonomy_title_families_and_flags(taxonomy: Taxonomy) -> None:
    families = {t.family for t in taxonomy.titles.values()}
    for title in taxonomy.titles.values():
        assert set(title.related) <= families, title.id
    assert {t.id for t in taxonomy.titles.values() if t.management} == {"ml_engineering_manager", "chief_data_officer"}
    assert {t.id for t in taxonomy.titles.values() if t.adjacent} == {"software_engineer"}


def test_taxonomy_title_unknown_related_family_is_reported(tmp_path: Path) -> None:
    (tmp_path / "titles.yaml").write_text(
        "titles:\n  - {id: x_engineer, name: X Engineer, seniority: mid, related: [nowhere], "
        "required: [{skill: python, weight: 1}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(tmp_path)
    assert ("titles.yaml", "x_engineer", "related") in {(p.file, p.entry, p.field) for p in caught.value.problems}


def test_taxonomy_search_ranks_what_lookup_finds_first_then_prefixes(taxonomy: Taxonomy) -> None:
    """The service's skill search and ``taxonomy lookup`` share one rule for an exact name: an ESCO label finds
    its skill first here too, then names starting with the query, by name."""
    assert taxonomy.search("Java (computer programming)")[0].id == "java"
    assert taxonomy.search("sklearn")[0].id == "scikit_learn"
    found = [s.id for s in taxonomy.search("tensorfl")]
    assert found[0] == "tensorflow"
    assert "tensorflow_lite" in found
    assert all(s.category == "ml_framework" for s in taxonomy.search("py", "ml_framework"))
    assert taxonomy.search("   ") == taxonomy.search(None)
    assert len(taxonomy.search(None)) == len(taxonomy.skills)
    assert taxonomy.search("%%%") == []
