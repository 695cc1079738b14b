"""The matching core: variants, lists, plurals, misspellings, ambiguity by context, exact offsets."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.analysis import analyse_document
from matcher.parsing import parse_document
from matcher.tagging.lexicon import (
    _URL_OR_EMAIL,
    FUZZY_MIN_LENGTH,
    MAX_PIECES,
    SkillLexicon,
    _Candidate,
    _mask_urls,
    _names_a_product,
    _Scan,
    _spelt_apart,
)
from matcher.taxonomy import Taxonomy, taxonomy_from_data
from tests.conftest import SAMPLES, SHARED_DATA, skill_ids


def ids_of(taxonomy: Taxonomy, *names: str) -> list[str]:
    found = [taxonomy.lookup(name) for name in names]
    assert all(found), names
    return [skill.id for skill in found if skill]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Scikit-Learn", "scikit-learn"),
        ("scikit learn", "scikit-learn"),
        ("sci-kit-learn", "scikit-learn"),
        ("sklearn", "scikit-learn"),
        ("Node.js", "Node.js"),
        ("NodeJS", "Node.js"),
        ("C++", "C++"),
        ("CPP", "C++"),
        ("C#", "C#"),
        (".NET", ".NET"),
        ("k8s", "Kubernetes"),
        ("TF2", "TensorFlow"),
        ("Tensorflow", "TensorFlow"),
        ("GCP", "Google Cloud Platform"),
        ("Postgres", "PostgreSQL"),
        ("Python3", "Python"),
        ("Python 3", "Python"),
    ],
)
def test_lexicon_spelling_variants(lexicon: SkillLexicon, taxonomy: Taxonomy, text: str, canonical: str) -> None:
    assert skill_ids(lexicon, f"Worked with {text} daily.") == ids_of(taxonomy, canonical)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("PyTorch/TensorFlow", ["PyTorch", "TensorFlow"]),
        ("AWS (S3, SageMaker)", ["AWS", "Amazon S3", "Amazon SageMaker"]),
        ("• Docker\n• Kubernetes\n• Terraform", ["Docker", "Kubernetes", "Terraform"]),
        ("| Python | SQL | Spark |", ["Python", "SQL", "Apache Spark"]),
        ("Skills: Python, R, Go, Julia and Rust", ["Python", "R", "Go", "Julia", "Rust"]),
        ("C, C++, C#, Java, JavaScript", ["C", "C++", "C#", "Java", "JavaScript"]),
        ("Excel, Access and Power BI", ["Microsoft Excel", "Microsoft Access", "Power BI"]),
        ("React/Redux apps", ["React", "Redux"]),
        ("iOS apps in Swift and Objective-C", ["iOS development", "Swift", "Objective-C"]),
    ],
)
def test_lexicon_lists_slashes_bullets_tables(
    lexicon: SkillLexicon, taxonomy: Taxonomy, text: str, names: list[str]
) -> None:
    assert skill_ids(lexicon, text) == ids_of(taxonomy, *names)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Skills\nPython\nSpark\nAirflow\n", ["Python", "Apache Spark", "Airflow"]),  # one item a line
        ("Requirements\n- Spark\n- Airflow\n- Go", ["Apache Spark", "Airflow", "Go"]),
        ("Skills\nSpark\n", ["Apache Spark"]),  # the only item under a skills heading
        ("Skills: Spark", ["Apache Spark"]),  # after a skills label
        ("Languages: Go", ["Go"]),
        ("Tools: Excel", ["Microsoft Excel"]),
        ("Nice to have: Spark. Required: Python.", ["Apache Spark", "Python"]),
        ("I go to work\nSpark joy daily", []),  # prose lines are no list
        ("spark\nairflow", []),  # a lowercase form still needs a separator or a context word
        ("Teams\nExcel", []),
    ],
)
def test_lexicon_ambiguous_names_in_one_per_line_lists_and_after_skills_labels(
    lexicon: SkillLexicon, taxonomy: Taxonomy, text: str, names: list[str]
) -> None:
    assert skill_ids(lexicon, text) == ids_of(taxonomy, *names)


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("Python - 36 months", ["Python"]),  # a dash and a space before a number: years follow, not a version
        ("SQL – 24 months", ["SQL"]),
        ("Python 3.6, python3, Python-3", ["Python 3.6", "python3", "Python-3"]),
    ],
)
def test_lexicon_a_number_after_a_spaced_dash_is_no_version(
    lexicon: SkillLexicon, text: str, mentions: list[str]
) -> None:
    assert [m.text for m in lexicon.find(text)] == mentions


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("We collect data. Science teams read it.", []),
        ("Our team. Work starts at nine", []),
        ("Built with Node.js and ASP.NET", ["Node.js", "ASP.NET"]),
        ("natural language.\nProcessing follows", []),
    ],
)
def test_lexicon_a_name_never_spans_a_sentence_end(
    lexicon: SkillLexicon, taxonomy: Taxonomy, text: str, names: list[str]
) -> None:
    """A dot joins pieces only with nothing after it ("Node.js"); a dot and a space end a sentence."""
    assert skill_ids(lexicon, text) == ids_of(taxonomy, *names)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("convolutional neural networks", "convolutional neural networks"),
        ("CNNs and LSTMs", "CNN"),
        ("relational databases", "relational databases"),
        ("fine-tuned transformers for NLP", "transformers"),
        ("LLMs", "large language models"),
    ],
)
def test_lexicon_plurals(lexicon: SkillLexicon, taxonomy: Taxonomy, text: str, name: str) -> None:
    assert ids_of(taxonomy, name)[0] in skill_ids(lexicon, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kubernetees", "Kubernetes"),
        ("Tensorflw", "TensorFlow"),
        ("Elasticsearh", "Elasticsearch"),
        ("Javascirpt", "JavaScript"),
    ],
)
def test_lexicon_misspellings_are_matched_fuzzily(
    lexicon: SkillLexicon, taxonomy: Taxonomy, text: str, name: str
) -> None:
    mentions = lexicon.find(f"Used {text} at work")
    assert [m.skill_id for m in mentions] == ids_of(taxonomy, name)
    assert mentions[0].fuzzy


@pytest.mark.parametrize(
    "text",
    [
        "Won an employee recognition award",  # not a misspelt Amazon Rekognition
        "Fraud and anomaly detection",  # not Detectron2
        "validated before submitting to back-end services",  # not "subnetting" (TCP/IP)
    ],
)
def test_lexicon_words_of_the_taxonomys_own_names_are_no_misspellings(lexicon: SkillLexicon, text: str) -> None:
    assert not [m for m in lexicon.find(text) if m.fuzzy]


@pytest.mark.parametrize("text", ["Pyton", "Dockr", "Gitt", "Kafk"])
def test_lexicon_no_fuzzy_matching_of_short_names(lexicon: SkillLexicon, text: str) -> None:
    assert skill_ids(lexicon, f"Used {text} at work") == []


@pytest.mark.parametrize(
    "text",
    [
        "Led the go-to-market plan for a new product.",
        "Going forward, we will go to the office on Mondays.",
        "Head of R&D, then R & D manager.",
        "We built a platform for internal teams.",
        "I excel at meeting people and have access to senior leaders.",
        "Our team will react quickly and swift decisions spark growth.",
        "Julia, our office manager, helped with the move.",
        "Rust on the old bridge was removed.",
        "Grade C in chemistry; see section R of the handbook.",
    ],
)
def test_lexicon_common_words_are_not_skills(lexicon: SkillLexicon, text: str) -> None:
    assert skill_ids(lexicon, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Wrote services in Go (golang) with gRPC.", "Go"),
        ("Statistical modelling in R with ggplot2 and tidyverse.", "R"),
        ("Big data processing with Spark on Hadoop clusters.", "Apache Spark"),
        ("Built pivot tables and VBA macros in Excel.", "Microsoft Excel"),
        ("Scientific computing in Julia for differential equations.", "Julia"),
        ("Built a BERT-based ticket classifier.", "BERT"),
        ("Rewrote the Spark-based pipelines.", "Apache Spark"),
        ("Migrated storage from Hadoop to Cassandra.", "Apache Cassandra"),
        ("Kept a thin REST layer over the model.", "REST APIs"),
    ],
)
def test_lexicon_ambiguous_names_resolved_by_context(
    lexicon: SkillLexicon, taxonomy: Taxonomy, text: str, name: str
) -> None:
    assert ids_of(taxonomy, name)[0] in skill_ids(lexicon, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("toolkits such as R, Weka and SPSS", ["r", "weka", "spss"]),  # "as R" is not ASR
        ("ASR systems", ["speech_recognition"]),
        ("a go-to-market plan, a spark-based idea", []),  # compounds; a lowercase Spark is no tool
        ("embedding surveys in the platform", []),  # a verb: "embedding" needs a word of its sense around
        ("trained an embedding model for semantic search", ["embeddings", "semantic_search"]),
        # a skill noun and a preposition before a long-tail name are its context
        ("Experience in molecular biology is a plus", ["esco_molecular_biology"]),
        ("Background in Economics or Finance", ["esco_economics_2", "finance"]),
        ("molecular biology is a plus", []),
        ("GPT 4, CI/CD and d3.js", ["gpt", "ci_cd", "d3js"]),  # short names read over pieces, as written
        # a capitalised name written in lower case: a list of skills speaks for it, prose does not
        ("skills: sql, airflow, spark, excel", ["sql", "airflow", "apache_spark", "microsoft_excel"]),
        ("python skills that spark ideas and excel at sql", ["python", "sql"]),
        # "fine-tuning" is an LLM's only with a word of that sense around or in a list of skills
        ("Implementation/fine-tuning of machine learning algorithms", ["ml_algorithms"]),
        ("Fine-tuning of open-source LLMs", ["llm_fine_tuning", "open_source", "large_language_models"]),
    ],
)
def test_lexicon_short_names_compounds_and_everyday_words_in_context(
    lexicon: SkillLexicon, text: str, expected: list[str]
) -> None:
    assert skill_ids(lexicon, text) == expected


def test_lexicon_java_is_not_javascript(lexicon: SkillLexicon, taxonomy: Taxonomy) -> None:
    assert skill_ids(lexicon, "JavaScript developer") == ids_of(taxonomy, "JavaScript")
    assert skill_ids(lexicon, "Java developer") == ids_of(taxonomy, "Java")


def test_lexicon_offsets_are_exact(lexicon: SkillLexicon) -> None:
    text = "Skills:\n  • PyTorch/TensorFlow, scikit learn;  AWS (S3, SageMaker) — k8s\t.NET, C++ and C#."
    mentions = lexicon.find(text)
    assert [m.text for m in mentions] == [
        "PyTorch",
        "TensorFlow",
        "scikit learn",
        "AWS",
        "S3",
        "SageMaker",
        "k8s",
        ".NET",
        "C++",
        "C#",
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert mentions[0].start == text.index("PyTorch")
    assert mentions[-1].end == len(text) - 1


def test_lexicon_longest_match_wins(lexicon: SkillLexicon, taxonomy: Taxonomy) -> None:
    assert skill_ids(lexicon, "Hugging Face Transformers") == ids_of(taxonomy, "Hugging Face Transformers")
    assert skill_ids(lexicon, "Amazon SageMaker") == ids_of(taxonomy, "Amazon SageMaker")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_lexicon_offsets_hold_on_any_text(lexicon: SkillLexicon, text: str) -> None:
    previous_end = 0
    for m in lexicon.find(text):
        assert text[m.start : m.end] == m.text
        assert previous_end <= m.start < m.end
        previous_end = m.end


@pytest.mark.parametrize(
    "text",
    [
        "https://github.com/ana/pytorch-demo",
        "ana@python.org",
        "github.com/ana",
        "linkedin.com/in/ana-docker",
        "www.kubernetes-fan.dev",
    ],
)
def test_lexicon_urls_and_emails_name_no_skills(lexicon: SkillLexicon, text: str) -> None:
    assert skill_ids(lexicon, f"Contact: {text} | Skills: Python") == ["python"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("C#, ASP.NET Core, Azure", "ASP.NET"),
        ("c#, asp.net, sql", "ASP.NET"),  # lowercase, but the taxonomy's own name
        ("Diagrams in draw.io", "diagrams.net"),
        ("CRM: Salesforce.com", "Salesforce"),
        ("AutoML with H2O.ai", "H2O.ai"),
    ],
)
def test_lexicon_product_names_written_like_web_addresses_are_names(
    lexicon: SkillLexicon, taxonomy: Taxonomy, text: str, name: str
) -> None:
    assert ids_of(taxonomy, name)[0] in skill_ids(lexicon, text)


_URL_WORDS = ["ana", "Python", "github", "io", "x9", "é", "https://", "http:", "www.", "@", ".com", ".org", ".IO", ".",
              "/", "-", "_", "+", "|", ","]  # fmt: skip
_URL_GAPS = ["", "", "", " ", "\n", "\u00a0", "\u2003", "\t"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_URL_WORDS), st.sampled_from(_URL_GAPS)), max_size=30))
def test_lexicon_url_masking_searches_only_hinted_words(words: list[tuple[str, str]]) -> None:
    # _mask_urls searches only the words around a hint; one sub over the whole text is the reference
    original = "".join(word + gap for word, gap in words)
    text = original.lower()  # the lexicon masks lowercased text
    names = {"ana.io"}
    expected = _URL_OR_EMAIL.sub(
        lambda m: m.group() if _names_a_product(m, original, names) else " " * len(m.group()), text
    )
    assert _mask_urls(text, original, names) == expected


class _WalkEveryPiece(SkillLexicon):
    """The reference for :meth:`SkillLexicon._candidates`: the longest-match walk from every piece of the text,
    as the lexicon did before it knew where names can begin."""

    def _candidates(self, scan: _Scan) -> Iterable[_Candidate]:
        pieces, text, n = scan.pieces, scan.text, len(scan.pieces)
        i = 0
        while i < n:
            key, j, best, crossed_slash = pieces[i], i, None, False
            long_tail = self._begins_long_tail(pieces, i)  # the tiers' rule, as the lexicon's own walk applies it
            while True:
                hit = self._lookup(key)
                if (
                    hit is not None
                    and (not crossed_slash or hit in self._slash_keys)
                    and (long_tail or not self._long_tail(hit))
                    and not _spelt_apart(hit, scan, i, j)
                ):
                    best = (j, hit)
                if j + 1 >= n or j - i + 1 >= MAX_PIECES or not scan.joinable(j):
                    break
                longer = key + pieces[j + 1]
                if not self._goes_on(longer, long_tail):
                    break
                crossed_slash = crossed_slash or "/" in text[scan.ends[j] : scan.starts[j + 1]]
                key, j = longer, j + 1
            if best is None:
                fuzzy_key = self._fuzzy_lookup(pieces[i]) if len(pieces[i]) >= FUZZY_MIN_LENGTH else None
                if fuzzy_key is not None:
                    yield _Candidate(self._keys[fuzzy_key], i, i, fuzzy_key, ambiguous=False, fuzzy=True)
                i += 1
                continue
            last, hit = best
            if len(hit) <= 2 and hit.isalnum() and text[scan.starts[i] : scan.ends[last]].islower():
                i += 1
                continue
            yield _Candidate(self._keys[hit], i, last, hit, ambiguous=hit in self._ambiguous)
            i = last + 1


def _dev_texts() -> Iterator[tuple[str, str, frozenset[int]]]:
    """``(name, text, soft breaks)`` of every sample and every shared development document."""
    for path in sorted(SAMPLES.rglob("*")):
        if path.suffix in {".md", ".txt", ".html", ".json"} and path.parent.name != "broken":
            yield path.name, path.read_text(encoding="utf-8", errors="replace"), frozenset()
    for path in sorted((SHARED_DATA / "dev").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            yield f"{path.name}:{number}", json.loads(line)["text"], frozenset()
    for path in sorted((SHARED_DATA / "documents").rglob("*")):
        if path.suffix.lower() in {".pdf", ".docx"}:
            document = parse_document(path.read_bytes(), filename=path.name)
            analysis = analyse_document(document, as_of=date(2026, 12, 1))
            yield path.name, document.text, frozenset(analysis.soft_breaks)


@pytest.fixture(scope="module")
def walk_every_piece(taxonomy: Taxonomy) -> SkillLexicon:
    return _WalkEveryPiece(taxonomy)


def test_lexicon_finds_what_walking_every_piece_finds_on_every_dev_document(
    lexicon: SkillLexicon, walk_every_piece: SkillLexicon
) -> None:
    texts = list(_dev_texts())
    if not any(name.endswith(".jsonl:0") for name, _, _ in texts):
        pytest.skip(f"the shared development set is not at {SHARED_DATA}")
    for name, text, soft_breaks in texts:
        assert lexicon.find(text, soft_breaks=soft_breaks) == walk_every_piece.find(text, soft_breaks=soft_breaks), name


#: Words that stress where names begin: names of every length, plurals, versions, joiners, short names, typos.
_NAME_WORDS = ["Python", "python3", "CNNs", "LLMs", "R", "Go", "C", "C#", "C++", ".NET", "Node", "js", "ML", "ml",
               "scikit", "sci", "kit", "learn", "CI", "CD", "A", "B", "testing", "Spark", "SQL", "ORM", "ssis",
               "information", "dashboard", "technologies", "Kubernetis", "TF2", "k8s", "Google", "Cloud", "Platform",
               "Vertex", "AI", "and", "data", "big", "Excel", "the", "Amazon", "SageMaker", "x"]  # fmt: skip
_NAME_GAPS = [" ", " ", "", "-", "/", ".", ", ", "\n", " & ", "  "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAME_WORDS), st.sampled_from(_NAME_GAPS)), max_size=25))
def test_lexicon_finds_what_walking_every_piece_finds_on_generated_text(
    lexicon: SkillLexicon, walk_every_piece: SkillLexicon, words: list[tuple[str, str]]
) -> None:
    text = "".join(word + gap for word, gap in words)
    breaks = frozenset(i for i, c in enumerate(text) if c == "\n")
    assert lexicon.find(text) == walk_every_piece.find(text)
    assert lexicon.find(text, soft_breaks=breaks) == walk_every_piece.find(text, soft_breaks=breaks)


# --- the long-tail tier (issue 13): stricter matching, decided in the data and in find's decision step ------------


def _tiered() -> SkillLexicon:
    """Curated Python and SQL beside long-tail skills, as the generator writes them."""
    long_tail = [
        {"id": "lt_fea", "name": "finite element analysis", "aliases": ["finite element analysis"]},
        {"id": "lt_omics", "name": "proteomics", "aliases": ["proteomics"]},
        {"id": "lt_asic", "name": "ASICX", "aliases": ["ASICX"]},
        {"id": "lt_design", "name": "design", "aliases": ["design"], "ambiguous": ["design"]},
        {"id": "lt_rs", "name": "use RS", "aliases": ["use RS"]},
    ]
    return SkillLexicon(
        taxonomy_from_data(
            {
                "version": "t1",
                "categories": {"c": {"name": "c"}},
                "skills": [
                    {"id": "python", "name": "Python", "category": "c", "kind": "hard"},
                    {"id": "sql", "name": "SQL", "category": "c", "kind": "hard"},
                    *({"category": "c", "kind": "hard", "tier": "long_tail", **s} for s in long_tail),
                ],
            }
        )
    )


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Skills: Python, finite element analysis, SQL", ["python", "lt_fea", "sql"]),  # listed with skills
        ("Experience with finite element analysis", ["lt_fea"]),  # a skill noun and a preposition before it
        ("We met at a finite element analysis meetup", []),  # no skill beside it: a long-tail name needs context
        ("Proteomics experience required", ["lt_omics"]),  # the words after it make it a skill
        ("using proteomics and SQL", ["lt_omics", "sql"]),
        ("B.Sc. in proteomics, 2015", []),  # a degree line names fields, not skills
        ("Python, ASICX, SQL", ["python", "lt_asic", "sql"]),
        ("Python, asicx, SQL", ["python", "sql"]),  # a long-tail acronym only in capitals
        ("Python, design, SQL", ["python", "sql"]),  # an everyday word: a list is no evidence
        ("Strong design skills and SQL", ["lt_design", "sql"]),  # the words around it are
        ("Python, SQL and users", ["python", "sql"]),  # "use RS" run together is another word
        ("Python, proteomcs, SQL", ["python", "sql"]),  # never fuzzy
        ("Python, finite elementanalysis, SQL", ["python", "sql"]),  # only as written
    ],
)
def test_lexicon_long_tail_needs_context_and_its_own_spelling(text: str, ids: list[str]) -> None:
    assert skill_ids(_tiered(), text) == ids


def test_lexicon_long_tail_finds_what_walking_every_piece_finds() -> None:
    lexicon = _tiered()
    reference = _WalkEveryPiece(lexicon.taxonomy)
    for text in ["Skills: Python, finite element analysis", "finite elementanalysis", "use RS users ASICX asicx"]:
        assert lexicon.find(text) == reference.find(text)


def test_lexicon_bundled_long_tail_keeps_curated_names(lexicon: SkillLexicon) -> None:
    # ESCO's "use machine learning" and "speak German" hold curated names: the curated skills are found
    assert skill_ids(lexicon, "Skills: Python, use machine learning") == ["python", "machine_learning"]
    assert "lang_german" in skill_ids(lexicon, "Fluent: speak German and English")
