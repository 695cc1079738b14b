"""The service's commands (`skillmatch serve`, `db`, `keys`): contract, one-line errors, the loopback rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from api.cli import main
from api.config import get_service_settings
from tests.api.conftest import fresh_postgres_database
from tests.conftest import REPO

COMMANDS = [["serve"], ["db", "upgrade"], ["db", "current"], ["keys", "create"], ["keys", "list"], ["keys", "revoke"]]


def invoke(*args: str, **env: str) -> Result:
    get_service_settings.cache_clear()  # each call reads the environment afresh, as a new process would
    return CliRunner().invoke(main, list(args), env=env)


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("skillmatch: error: ")
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite database (SKILLMATCH_DATA_DIR) for the commands."""
    monkeypatch.setenv("SKILLMATCH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced by a recorder: what `serve` would start, without starting it."""
    calls: list[dict[str, Any]] = []

    def fake_run(app: str, **kwargs: Any) -> None:
        calls.append({"app": app, "metrics_dir": os.environ.get("PROMETHEUS_MULTIPROC_DIR"), **kwargs})

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    return calls


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database (no schema) for this test only."""
    with fresh_postgres_database("skillmatch_cli") as url:
        yield url


def test_cli_every_service_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        result = invoke(*command, "--help")
        assert result.exit_code == 0, result.output
        assert "Example:" in result.output
        assert f"skillmatch {' '.join(command)}" in result.output
        assert f"skillmatch {' '.join(command)}" in readme


def test_cli_keys_create_prints_the_key_alone_on_the_last_line(data_dir: Path) -> None:
    result = invoke("keys", "create", "--owner", "careers-site")
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("sm_")
    assert len(key) > 40
    assert " " not in key
    assert result.stdout.strip() == key  # `KEY=$(skillmatch keys create ...)` captures just the key
    assert (data_dir / "skillmatch.db").exists()


def test_cli_keys_list_never_shows_the_key(data_dir: Path) -> None:
    first = invoke("keys", "create", "--owner", "alice").stdout.strip()
    second = invoke("keys", "create", "--owner", "bob").stdout.strip()
    table = invoke("keys", "list")
    assert table.exit_code == 0
    assert "alice" in table.output
    assert "bob" in table.output
    assert first[:10] in table.output
    assert first not in table.output
    assert second not in table.output
    records = json.loads(invoke("keys", "list", "--format", "json").stdout)
    assert [(r["owner"], r["prefix"], r["revoked"]) for r in records] == [
        ("alice", first[:10], None),
        ("bob", second[:10], None),
    ]
    assert {"id", "owner", "prefix", "created", "revoked"} == set(records[0])


def test_cli_keys_revoke_by_prefix_or_key(data_dir: Path) -> None:
    first = invoke("keys", "create", "--owner", "alice").stdout.strip()
    second = invoke("keys", "create", "--owner", "alice").stdout.strip()
    revoked = invoke("keys", "revoke", first[:10])
    assert revoked.exit_code == 0, revoked.output
    assert "revoked 1 key" in revoked.output
    assert invoke("keys", "revoke", second).exit_code == 0
    assert second not in invoke("keys", "revoke", second).output  # a whole key is never echoed
    records = json.loads(invoke("keys", "list", "--format", "json").stdout)
    assert all(r["revoked"] for r in records)
    error = one_line_error(invoke("keys", "revoke", first[:10]))
    assert "no active API key" in error
    assert "no active API key" in one_line_error(invoke("keys", "revoke", "sm_nothing"))


def test_cli_keys_create_refuses_an_empty_owner(data_dir: Path) -> None:
    assert "--owner" in one_line_error(invoke("keys", "create", "--owner", "  "))


def test_cli_db_upgrade_and_current_on_sqlite(data_dir: Path) -> None:
    from api import migrations

    head = migrations.head_revision("sqlite://")
    current = invoke("db", "current")
    assert current.exit_code == 0
    assert "none" in current.output
    assert "skillmatch db upgrade" in current.output
    upgraded = invoke("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert f"at revision {head} (head)" in upgraded.output
    assert invoke("db", "upgrade").exit_code == 0  # again: nothing to do
    assert f"at revision {head} (head)" in invoke("db", "current").output


def test_cli_postgres_schema_must_be_upgraded_explicitly(empty_postgres: str, served: list[dict[str, Any]]) -> None:
    env = {"SKILLMATCH_DATABASE_URL": empty_postgres}
    assert "run `skillmatch db upgrade`" in invoke("db", "current", **env).output
    assert "run `skillmatch db upgrade`" in one_line_error(invoke("serve", **env))
    assert "run `skillmatch db upgrade`" in one_line_error(invoke("keys", "create", "--owner", "x", **env))
    assert not served
    assert invoke("db", "upgrade", **env).exit_code == 0
    assert "(head)" in invoke("db", "current", **env).output
    assert invoke("keys", "create", "--owner", "x", **env).stdout.startswith("sm_")
    assert invoke("serve", **env).exit_code == 0
    assert len(served) == 1


def test_cli_unreachable_database_is_one_line_without_the_password(served: list[dict[str, Any]]) -> None:
    env = {"SKILLMATCH_DATABASE_URL": "postgresql+psycopg://app:s3cret-pw@127.0.0.1:1/nowhere"}
    for command in (["serve"], ["db", "upgrade"], ["keys", "list"]):
        error = one_line_error(invoke(*command, **env))
        assert "127.0.0.1:1" in error
        assert "s3cret-pw" not in error
    assert not served


def test_cli_serve_refuses_open_address_without_keys(data_dir: Path, served: list[dict[str, Any]]) -> None:
    for host in ("0.0.0.0", "::", "192.0.2.10", "example.org"):
        error = one_line_error(invoke("serve", "--host", host))
        assert "keys create" in error
        assert "--allow-open" in error
    assert one_line_error(invoke("serve", **{"SKILLMATCH_HOST": "0.0.0.0"}))
    assert not served
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert invoke("serve", "--host", host).exit_code == 0
    assert [call["host"] for call in served] == ["127.0.0.1", "localhost", "::1", "127.0.0.2"]


def test_cli_serve_open_address_when_allowed_or_once_a_key_exists(data_dir: Path, served: list[dict[str, Any]]) -> None:
    assert invoke("serve", "--host", "0.0.0.0", "--allow-open").exit_code == 0
    assert invoke("serve", **{"SKILLMATCH_HOST": "0.0.0.0", "SKILLMATCH_ALLOW_OPEN": "true"}).exit_code == 0
    assert invoke("keys", "create", "--owner", "ops").exit_code == 0
    assert invoke("serve", "--host", "0.0.0.0").exit_code == 0
    assert [call["host"] for call in served] == ["0.0.0.0"] * 3


def test_cli_serve_runs_the_app_factory_with_settings(
    data_dir: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke("serve", SKILLMATCH_PORT="9123", SKILLMATCH_WORKERS="2")
    assert result.exit_code == 0, result.output
    call = served[0]
    assert call["app"] == "api.main:create_app"
    assert call["factory"] is True
    assert (call["host"], call["port"], call["workers"]) == ("127.0.0.1", 9123, 2)
    assert call["access_log"] is False  # it would log query strings
    assert call["log_config"]["loggers"]["uvicorn.access"]["handlers"] == []
    # several workers: metrics summed through a fresh multiprocess folder, removed afterwards
    assert call["metrics_dir"]
    assert not Path(call["metrics_dir"]).exists()
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    assert (data_dir / "skillmatch.db").exists()  # SQLite migrated before the workers start
    assert invoke("serve", "--port", "8181", "--workers", "1").exit_code == 0
    assert (served[1]["port"], served[1]["workers"], served[1]["metrics_dir"]) == (8181, 1, None)


def test_cli_serve_bad_log_level_is_one_line(data_dir: Path, served: list[dict[str, Any]]) -> None:
    assert "log level" in one_line_error(invoke("serve", SKILLMATCH_LOG_LEVEL="loud"))
    assert not served


def test_cli_service_commands_import_nothing_heavy_until_run() -> None:
    """`skillmatch tag` goes through api.cli too: the service's imports must not slow it down."""
    code = (
        "import sys, api.cli; "
        "print([m for m in ('sqlalchemy', 'fastapi', 'uvicorn', 'alembic', 'prometheus_client', 'spacy') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
    library = "import sys, matcher.cli; print([m for m in sys.modules if m == 'api' or m.startswith('api.')])"
    out = subprocess.run(
        [sys.executable, "-c", library], capture_output=True, text=True, cwd=REPO, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"
