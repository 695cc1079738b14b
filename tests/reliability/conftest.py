"""Fixtures of the reliability tests: the API test app (``client`` on SQLite and PostgreSQL) and the samples.

The app fixtures are the API tests' own (``tests/api/conftest.py``), imported so that pytest registers them here
too; the reliability tests build on them rather than on a second way of starting the app.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import (  # noqa: F401  (fixtures, registered by being imported)
    _session_client,
    client,
    database_url,
    matcher_engine,
    postgres_url,
)
from tests.reliability.live import PrivatePostgres, private_postgres


@pytest.fixture(scope="session")
def private_pg() -> Iterator[PrivatePostgres]:
    """A PostgreSQL server of our own (initdb in a temporary folder, a free port) that tests may stop and start;
    skipped with the reason where initdb is absent, failed in CI (``CI`` set)."""
    with private_postgres() as server:
        yield server
