from __future__ import annotations

import pytest

from matcher.normalize import skill_key


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
