from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.normalize import PIECE_RE, singular_keys, skill_key, text_pieces


@pytest.mark.parametrize(
    ("forms", "key"),
    [
        (["Scikit-Learn", "scikit learn", "sci-kit-learn", "SCIKIT_LEARN"], "scikitlearn"),
        (["Node.js", "NodeJS", "node js"], "nodejs"),
        (["C++"], "c++"),
        (["C#", "c#"], "c#"),
        ([".NET", ".net"], ".net"),
        (["ASP.NET"], "aspnet"),
        (["CI/CD", "CI CD", "ci-cd"], "cicd"),
        (["A/B testing"], "abtesting"),
    ],
)
def test_normalize_skill_key_merges_spelling_variants(forms: list[str], key: str) -> None:
    assert {skill_key(form) for form in forms} == {key}


def test_normalize_skill_key_keeps_distinct_names_apart() -> None:
    assert len({skill_key(n) for n in ["C", "C++", "C#", ".NET", "net", "Java", "JavaScript"]}) == 7


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ9._+# -/\n.Nné")), max_size=40))
def test_normalize_text_pieces_agree_with_piece_re(text: str) -> None:
    expected = [(m.start(), m.end(), m.group().lower()) for m in PIECE_RE.finditer(text)]
    assert text_pieces(text) == expected


@pytest.mark.parametrize(
    ("key", "singulars"),
    [("cnns", ["cnn"]), ("indexes", ["indexe", "index"]), ("libraries", ["librarie", "library"]),
     ("texas", ["texa"]), ("gpus", ["gpu"]), ("aws", []), ("python", [])],
)
def test_normalize_singular_keys(key: str, singulars: list[str]) -> None:
    assert singular_keys(key) == singulars
