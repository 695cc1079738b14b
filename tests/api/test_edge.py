"""api.edge: loopback names, and the uvicorn protocol's header deadline and per-client bound."""

from __future__ import annotations

import pytest

from api.edge import _split_host, is_loopback_host


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("app.localhost", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("[::1]", True),
        ("::1", True),
        ("localhost.attacker.example", False),
        ("127.0.0.1.attacker.example", False),
        ("10.0.0.1", False),
        ("attacker.example", False),
    ],
)
def test_edge_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    ("value", "split"),
    [
        ("localhost:8000", ("localhost", 8000)),
        ("LocalHost.", ("localhost", 80)),
        ("[::1]:8000", ("::1", 8000)),
        ("127.0.0.1", ("127.0.0.1", 80)),
        ("localhost:notaport", None),
        ("", None),
    ],
)
def test_edge_split_host(value: str, split: tuple[str, int] | None) -> None:
    assert _split_host(value, 80) == split
