"""api.services: the analysis cache's byte budget and owner scope; the analysis deadline."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any, cast

import pytest

from api.services import BYTES_AT_LEAST, BYTES_PER_CHAR, AnalysisCache, Services, analysis_size
from matcher.engine import Analysed
from matcher.errors import ParseTimeout
from matcher.parsing import ParseLimits, parse_document


def _analysed(chars: int) -> Analysed:
    return cast(Analysed, SimpleNamespace(document=SimpleNamespace(text="x" * chars)))


def test_services_analysis_size_is_the_estimate() -> None:
    assert analysis_size(_analysed(1000)) == BYTES_AT_LEAST + 1000 * BYTES_PER_CHAR


def test_services_cache_evicts_the_oldest_past_its_byte_budget() -> None:
    cache = AnalysisCache(size=100, max_bytes=4 * analysis_size(_analysed(10_000)))
    for n in range(6):
        cache.put((1, "resume", str(n), "", False), _analysed(10_000))
    assert len(cache) == 4
    assert cache.bytes == 4 * analysis_size(_analysed(10_000))
    assert cache.get((1, "resume", "0", "", False)) is None
    assert cache.get((1, "resume", "5", "", False)) is not None


def test_services_cache_keeps_nothing_over_a_quarter_of_its_budget() -> None:
    cache = AnalysisCache(size=100, max_bytes=2**20)
    cache.put((1, "job", "big", "", False), _analysed(10_000))  # 0.46 MB > 0.25 MiB
    assert len(cache) == 0
    assert cache.bytes == 0


def test_services_cache_keys_start_with_the_owner() -> None:
    one = Services.cache_key(b"same bytes", owner_id=1, kind="resume", filename="cv.md", personal_data=True)
    two = Services.cache_key(b"same bytes", owner_id=2, kind="resume", filename="cv.md", personal_data=True)
    assert one != two
    assert one[1:] == two[1:]


def test_services_analysis_past_the_parse_deadline_is_a_parse_timeout() -> None:
    def slow_analyse(document: Any, **options: Any) -> Any:
        while True:
            time.sleep(0.001)

    engine = SimpleNamespace(analyse=slow_analyse)
    services = cast(Services, SimpleNamespace(engine=engine, limits=ParseLimits(timeout_s=0.3)))
    document = parse_document(b"Skills\nPython\n")
    started = time.monotonic()
    with pytest.raises(ParseTimeout) as caught:
        Services.analyse_document(services, document, kind="resume", filename="cv.md", personal_data=False)
    assert caught.value.message == "analysing the text took longer than 0.3 s"
    assert time.monotonic() - started < 0.6
