"""Load (issue 8), the short form of ``benchmarks/soak_api.py``: the same code for 10 s against two workers.

Uploads, matches, reads and deletes from two owners' clients at once against ``skillmatch serve --workers 2`` on
a fresh PostgreSQL database: no error, no 5xx, no id of one owner in the other's answers, nothing lost. The 60 s
soak with the RSS verdict is the benchmark script; here RSS is only reported.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.api.conftest import POSTGRES_URL
from tests.conftest import REPO
from tests.reliability_record import record


def soak_module() -> ModuleType:
    """benchmarks/soak_api.py (a script, not a package), registered as a module: its dataclasses need that."""
    if "soak_api" in sys.modules:
        return sys.modules["soak_api"]
    spec = importlib.util.spec_from_file_location("soak_api", REPO / "benchmarks" / "soak_api.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak_api"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def postgres_server(request: pytest.FixtureRequest) -> str:
    """The server SKILLMATCH_TEST_POSTGRES_URL names (CI's), else our private one; the soak makes its database."""
    if POSTGRES_URL:
        return POSTGRES_URL
    return request.getfixturevalue("private_pg").url()


def test_mixed_load_on_two_workers_zero_errors_no_5xx_nothing_leaked_or_lost(postgres_server: str) -> None:
    soak = soak_module()
    result = soak.soak(postgres_server, seconds=10, workers=2, clients=4, warmup=1, sample_every=1)
    summary = "\n".join(result.lines())  # what the soak prints, shown when an assertion fails
    everything = [v for values in result.latencies.values() for v in values]
    p50, p99 = (soak.percentile(everything, q) * 1000 for q in (0.5, 0.99))
    rss = ", ".join(f"{first:.0f}->{last:.0f} MB" for first, last, _ in result.rss.values())
    record(
        "load/mixed_10s_2_workers",
        cases=result.requests,
        failed=result.failed,
        lost=result.lost,
        notes=f"skillmatch serve --workers 2 on PostgreSQL, 4 clients of two owners for 10 s (+1 s warm-up): "
        f"uploads (text, PDF), matches (ids, inline), reads, deletes, cross-owner probes; p50 {p50:.0f} ms, p99 "
        f"{p99:.0f} ms; {result.leaks} cross-owner leaks; worker RSS {rss}. The 60 s soak: benchmarks/soak_api.py",
    )
    assert result.errors == 0, summary
    assert result.server_errors == 0, summary
    assert result.leaks == 0, summary
    assert result.lost == 0, summary
    assert not result.log_problems, summary
    assert not result.restarted, summary
    assert result.requests > 100, summary  # it did run
    assert {"upload_resume_text", "upload_resume_pdf", "upload_job", "match_ids", "match_inline", "list",
            "delete"} <= set(result.latencies)  # fmt: skip
