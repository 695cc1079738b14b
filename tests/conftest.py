"""Shared fixtures: the bundled taxonomy and one tagger per test session (building them is the slow part)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.config import get_service_settings
from matcher.settings import Settings, get_settings
from matcher.tagging.lexicon import SkillLexicon
from matcher.tagging.tagger import Tagger
from matcher.taxonomy import Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def _test_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("skillmatch-cache")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, _test_cache_dir: Path) -> Iterator[None]:
    """Tests never see the developer's SKILLMATCH_* variables, nor write to their cache.

    SKILLMATCH_RELIABILITY_DIR stays: it is where robustness tests write their rows of the reliability table
    (tests/reliability_record.py), not a setting of the library.
    """
    import os

    for name in list(os.environ):
        if name.startswith("SKILLMATCH_") and name != "SKILLMATCH_RELIABILITY_DIR":
            monkeypatch.delenv(name)
    monkeypatch.setenv("SKILLMATCH_CACHE_DIR", str(_test_cache_dir))
    get_settings.cache_clear()
    get_service_settings.cache_clear()
    yield
    get_settings.cache_clear()
    get_service_settings.cache_clear()


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="session")
def lexicon(taxonomy: Taxonomy) -> SkillLexicon:
    return SkillLexicon(taxonomy)


@pytest.fixture(scope="session")
def tagger(taxonomy: Taxonomy) -> Tagger:
    return Tagger(taxonomy, settings=Settings())


def skill_ids(tagger_or_lexicon: Tagger | SkillLexicon, text: str) -> list[str]:
    """Skill ids found in ``text``, in order of first mention."""
    if isinstance(tagger_or_lexicon, Tagger):
        mentions = tagger_or_lexicon.mentions(text)
    else:
        mentions = tuple(tagger_or_lexicon.find(text))
    return list(dict.fromkeys(m.skill_id for m in mentions))
