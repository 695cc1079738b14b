from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.config import ServiceSettings
from matcher.settings import Settings, settings_error


def test_config_service_settings_extend_the_librarys_and_read_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """``ServiceSettings`` extends the library's: it reads its own variables the same way; the library's ignores
    them."""
    monkeypatch.setenv("SKILLMATCH_CORS_ORIGINS", '["https://a.example", "https://b.example"]')
    monkeypatch.setenv("SKILLMATCH_PORT", "9001")
    service = ServiceSettings()
    assert service.cors_origins == ["https://a.example", "https://b.example"]
    assert service.port == 9001
    assert service.fuzzy is True  # the library's fields, read alike
    assert not hasattr(Settings(), "port")
    monkeypatch.setenv("SKILLMATCH_CORS_ORIGINS", "https://a.example")
    with pytest.raises(ValidationError) as raised:
        ServiceSettings()
    line = settings_error(raised.value)
    assert line.startswith("invalid setting SKILLMATCH_CORS_ORIGINS: ")
    assert "JSON" in line
    assert "\n" not in line
