from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from matcher.settings import Settings


def test_settings_read_skillmatch_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SKILLMATCH_TAXONOMY_DIR", str(tmp_path))
    monkeypatch.setenv("SKILLMATCH_FUZZY", "false")
    settings = Settings()
    assert settings.taxonomy_dir == tmp_path
    assert settings.fuzzy is False


def test_settings_empty_cache_dir_switches_caching_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLMATCH_CACHE_DIR", "")
    assert Settings().cache_dir is None


def test_settings_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SKILLMATCH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert Settings().cache_dir == tmp_path / "skillmatch"


def test_settings_names_in_any_case_and_arguments_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("skillmatch_fuzzy", "off")
    assert Settings().fuzzy is False
    assert Settings(fuzzy=True).fuzzy is True



def test_settings_refuse_an_argument_that_names_no_field() -> None:
    """A typo, or a service setting (``api.config.ServiceSettings``) given to the library, is an error."""
    with pytest.raises(ValidationError):
        Settings(port=9001)  # type: ignore[call-arg]
