from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from matcher.analysis import analyse_document
from matcher.parsing import parse_document
from matcher.tagging.tagger import Tagger, TagResult
from matcher.types import DocumentKind
from tests.conftest import SAMPLES


def _tag_file(tagger: Tagger, relative: str, kind: DocumentKind) -> TagResult:
    doc = parse_document(SAMPLES / relative)
    return tagger.tag_analysed(doc.text, analyse_document(doc, as_of=date(2026, 12, 1), kind=kind), source="f")


def test_tagging_groups_mentions_by_skill_in_first_mention_order(tagger: Tagger) -> None:
    result = tagger.tag("Python, SQL and more Python.", source="inline")
    assert result.source == "inline"
    assert result.taxonomy_version == tagger.taxonomy.version
    assert [(s.id, len(s.mentions)) for s in result.skills] == [("python", 2), ("sql", 1)]


def test_tagging_to_dict_is_the_cli_contract(tagger: Tagger) -> None:
    record = tagger.tag("Docker", source="x").to_dict()
    assert set(record) == {"source", "taxonomy_version", "model_version", "skills", "unlinked"}
    # the recogniser is off by default
    assert record["model_version"] is None
    assert record["unlinked"] == []
    assert record["skills"] == [
        {
            "id": "docker",
            "name": "Docker",
            "category": tagger.taxonomy.skills["docker"].category,
            "kind": "hard",
            "years": None,
            "last_used": None,
            "level": None,
            "years_asked": None,
            "background": None,
            "external": {"esco": None, "onet": "tech:Docker"},
            "mentions": [{"start": 0, "end": 6, "text": "Docker", "section": None}],
        }
    ]


def test_tagging_many_keeps_input_order(tagger: Tagger) -> None:
    results = list(tagger.tag_many([("a", "Kafka"), ("b", ""), ("c", "Airflow and Kafka")]))
    assert [r.source for r in results] == ["a", "b", "c"]
    assert [[s.id for s in r.skills] for r in results] == [["kafka"], [], ["airflow", "kafka"]]


def test_tagging_sample_resume_finds_its_stack(tagger: Tagger) -> None:
    text = (SAMPLES / "resumes" / "ml_engineer_resume.md").read_text(encoding="utf-8")
    found = {s.id for s in tagger.tag(text).skills}
    assert found >= {
        "pytorch", "tensorflow", "fastapi", "docker", "aws", "amazon_sagemaker", "airflow", "mlflow",
        "pandas", "numpy", "xgboost", "kubeflow", "scikit_learn", "keras", "snowflake", "bigquery", "kafka",
        "postgresql", "mongodb", "dvc", "go", "cpp", "python", "sql", "model_drift", "ab_testing",
        "feature_engineering", "linear_algebra", "probability_theory", "statistics", "kubernetes",
    }


def test_tagging_resume_skills_get_years_and_last_use_from_positions(tagger: Tagger) -> None:
    skills = {s.id: s for s in _tag_file(tagger, "resumes/ml_engineer_positions.txt", "resume").skills}
    assert (skills["python"].years, skills["python"].last_used) == (2.8, 2020)  # 03/2018 - 11/2020 only
    assert skills["python"].level is None
    assert {m.section for m in skills["python"].mentions} >= {"summary", "skills", "experience"}


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Skills\nPython - 36 months\nSQL - 24 months\n", {"python": 3.0, "sql": 2.0}),
        ("Skills: Python - 5 years, SQL - 2 years\n", {"python": 5.0, "sql": 2.0}),
        ("Skills: 5+ years Python, 2 years SQL\n", {"python": 5.0, "sql": 2.0}),
    ],
)
def test_tagging_resume_years_stated_beside_a_skill(tagger: Tagger, text: str, years: dict[str, float]) -> None:
    """The README's "Python - 36 months": the number is the years, not a version ("Python 3.6" is a version)."""
    doc = parse_document(text.encode("utf-8"))
    analysis = analyse_document(doc, as_of=date(2026, 12, 1), kind="resume")
    result = {s.id: s for s in tagger.tag_analysed(doc.text, analysis, source="cv.txt").skills}
    assert {sid: result[sid].years for sid in years} == years
    assert [m.text for m in result["python"].mentions] == ["Python"]


def test_tagging_job_skills_get_level_and_years_asked(tagger: Tagger) -> None:
    skills = {s.id: s for s in _tag_file(tagger, "jobs/nlp_engineer_years.txt", "job").skills}
    assert (skills["python"].level, skills["python"].years_asked) == ("required", 5.0)
    assert (skills["kubernetes"].level, skills["kubernetes"].years_asked) == ("required", 2.0)
    assert skills["pytorch"].level == "preferred"  # "ideally with PyTorch"
    assert skills["hugging_face_transformers"].level == "preferred"
    assert skills["python"].years is None


def test_tagging_without_a_model_never_imports_spacy_nor_yaml_once_cached() -> None:
    """The default tagger is the lexicon alone: tagging a file (the CLI's `tag`) must not pay spaCy's import; and
    once the taxonomy's files are cached (the first run), no YAML is parsed either (PyYAML's import is ~20 ms)."""
    code = (
        "import sys\n"
        "from api.cli import main\n"
        f"sys.argv = ['skillmatch', 'tag', {str(SAMPLES / 'resumes' / 'ml_engineer_resume.md')!r}]\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "print('spacy' in sys.modules, 'yaml' in sys.modules, file=sys.stderr)\n"
    )
    for _ in range(2):  # the first run may fill the cache
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert '"python"' in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "False False"


def test_tagging_pipeline_built_on_demand_shares_the_lexicon_and_agrees(tagger: Tagger) -> None:
    fresh = Tagger(tagger.taxonomy)
    text = "Go and Rust engineer: PyTorch/TensorFlow, scikit learn, Kubernetis"
    direct = fresh.mentions(text)
    assert fresh.nlp.get_pipe("skillmatch_skill_tagger").lexicon is fresh.direct_lexicon()
    assert fresh.nlp(text)._.skill_mentions == direct
