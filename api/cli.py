"""The installed ``skillmatch`` command: the library's commands (:mod:`matcher.cli`) plus the service's own.

``serve`` runs the HTTP API under uvicorn, ``db`` applies the Alembic migrations, ``keys`` manages API keys. They
live here because the library never imports ``api``; ``python -m matcher`` stays the library-only command.
Imports of the service (SQLAlchemy, FastAPI, uvicorn) happen inside the commands, so ``skillmatch tag`` starts as
fast as before. Errors are one line, ``skillmatch: error: <message>``, and exit status 1.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from api.config import ServiceSettings, get_service_settings
from matcher import cli as library_cli
from matcher.cli import _one_line_errors, taxonomy_dir_option
from matcher.errors import SkillmatchError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine as DatabaseEngine

__all__ = ["main"]

#: the library's commands and the service's, on settings that hold both (the library's group stays library-only)
main = library_cli.command_group(get_service_settings)
for _command in library_cli.main.commands.values():
    main.add_command(_command)


def _settings(ctx: click.Context) -> ServiceSettings:
    settings = ctx.obj
    assert isinstance(settings, ServiceSettings), "the service's commands run under api.cli.main"
    return settings


def _shown_url(url: str) -> str:
    """The database URL as it may be printed: password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


@contextmanager
def _database(settings: ServiceSettings, *, prepare: bool = True) -> Iterator[DatabaseEngine]:
    """The service's database; with ``prepare``, its schema migrated (SQLite, or SKILLMATCH_MIGRATE_ON_START=true)
    or checked to be current (PostgreSQL), as the server does at start. Database failures become one line."""
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from api import migrations
    from api.db import make_engine

    url = settings.effective_database_url
    timeout_s = settings.db_timeout_s
    try:
        database = make_engine(url, timeout_s=timeout_s)
        try:
            if prepare:
                migrations.prepare(database, url, migrate=settings.migrate_on_start)
            yield database
        finally:
            database.dispose()
    except (SQLAlchemyError, CommandError) as exc:
        raise SkillmatchError(f"database {_shown_url(url)}: {_first_line(exc)}", code="database_unavailable") from exc


def _check_address(host: str, port: int) -> None:
    """Refuse at once, in one line, an address we cannot listen on (uvicorn would start the app first, then log
    the failure and exit with status 3). A port taken between this check and uvicorn's bind still fails there."""
    import socket  # serve's imports stay in serve: `skillmatch tag` starts without them

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            why = (exc.strerror or str(exc)).lower()
            raise SkillmatchError(f"cannot listen on {host}:{port}: {why}", code="address_in_use") from None


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost: it may resolve to anything
        return False


@main.command()
@taxonomy_dir_option
@click.option("--host", default=None, help="Address to bind [default: SKILLMATCH_HOST, else 127.0.0.1].")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="[default: SKILLMATCH_PORT, else 8000]")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Processes [default: SKILLMATCH_WORKERS, 1].")
@click.option(
    "--allow-open",
    is_flag=True,
    default=False,
    help="Bind a non-loopback address even while no API key exists (SKILLMATCH_ALLOW_OPEN=true): anyone who "
    "can reach the port may upload.",
)
@click.pass_context
@_one_line_errors
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None, allow_open: bool) -> None:
    """Serve the HTTP API (uvicorn) on the database SKILLMATCH_DATABASE_URL (default: a SQLite file).

    SQLite is migrated at start; a PostgreSQL schema must be current (`skillmatch db upgrade`). While no API
    key exists the server refuses any address but loopback, unless --allow-open. With several workers,
    /metrics sums them through PROMETHEUS_MULTIPROC_DIR (a fresh temporary folder when unset).

    Example: skillmatch serve --port 8000 --workers 2
    """
    settings = _settings(ctx)
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    from api.log import logging_config

    log_config = logging_config(settings.log_level)
    with _database(settings) as database:
        from sqlalchemy.orm import Session

        from api.security import any_key_exists

        with Session(database) as session:
            keys_exist = any_key_exists(session)
    if not keys_exist and not _is_loopback(host) and not (allow_open or settings.allow_open):
        raise SkillmatchError(
            f"no API key exists, so the server binds only to loopback, not {host}: create one with "
            "`skillmatch keys create --owner NAME`, or pass --allow-open (SKILLMATCH_ALLOW_OPEN=true)",
            code="open_bind_refused",
        )
    _check_address(host, port)
    # the workers build their settings from the environment: pass on what the command line changed
    if settings.taxonomy_dir is not None:
        os.environ["SKILLMATCH_TAXONOMY_DIR"] = str(settings.taxonomy_dir)
    get_service_settings.cache_clear()
    import shutil
    import tempfile

    metrics_dir = None
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        metrics_dir = tempfile.mkdtemp(prefix="skillmatch-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    import uvicorn

    try:
        uvicorn.run(
            "api.main:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=log_config,
            access_log=False,  # it would log query strings; the app logs one line per request instead
            server_header=False,
            limit_concurrency=settings.limit_concurrency,
            # uvicorn's httptools protocol plus a header deadline, a per-client connection bound and /healthz
            # answered whatever the load (api.edge)
            http="api.edge:GuardedHttpToolsProtocol",
        )
    finally:
        if metrics_dir:
            os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
            shutil.rmtree(metrics_dir, ignore_errors=True)


@main.group()
def db() -> None:
    """The service's database schema (Alembic migrations) at SKILLMATCH_DATABASE_URL."""


@db.command("upgrade")
@click.pass_context
@_one_line_errors
def db_upgrade(ctx: click.Context) -> None:
    """Apply every pending migration (safe to run again); prints the revision reached.

    The database is SKILLMATCH_DATABASE_URL, else the SQLite file in SKILLMATCH_DATA_DIR.

    Example: SKILLMATCH_DATABASE_URL=postgresql+psycopg://app@db.internal/skillmatch skillmatch db upgrade
    """
    from api import migrations

    settings = _settings(ctx)
    with _database(settings, prepare=False) as database:
        migrations.upgrade(settings.effective_database_url)
        revision = migrations.current_revision(database)
    click.echo(f"{_shown_url(settings.effective_database_url)}: at revision {revision} (head)")


@db.command("current")
@click.pass_context
@_one_line_errors
def db_current(ctx: click.Context) -> None:
    """Print the database's schema revision and whether it is the latest one (changes nothing).

    Example: skillmatch db current
    """
    from api import migrations

    settings = _settings(ctx)
    url = settings.effective_database_url
    with _database(settings, prepare=False) as database:
        revision = migrations.current_revision(database)
        head = migrations.head_revision(url)
    if revision == head:
        click.echo(f"{_shown_url(url)}: at revision {revision} (head)")
    else:
        click.echo(f"{_shown_url(url)}: at revision {revision or 'none'}, head is {head}: run `skillmatch db upgrade`")


@main.group()
def keys() -> None:
    """API keys: stored hashed, shown once; as soon as one exists every /v1 request needs one."""


@keys.command("create")
@click.option("--owner", required=True, help="Who the key is for: a key sees only its owner's documents.")
@click.pass_context
@_one_line_errors
def keys_create(ctx: click.Context, owner: str) -> None:
    """Create an API key for OWNER; the key is printed alone on the last line and never shown again.

    Use it as `Authorization: Bearer KEY`. Several keys may share an owner (and its documents).

    Example: skillmatch keys create --owner careers-site
    """
    from sqlalchemy.orm import Session

    from api.security import create_key

    name = owner.strip()
    if not name or len(name) > 200:
        raise SkillmatchError("--owner must be 1 to 200 characters", code="invalid_owner")
    with _database(_settings(ctx)) as database, Session(database) as session:
        key = create_key(session, name)
        session.commit()
    click.echo(
        f"created an API key for owner {name!r} (prefix {key[:10]}); store it now, it is not shown again:",
        err=True,
    )
    click.echo(key)


@keys.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@_one_line_errors
def keys_list(ctx: click.Context, fmt: str) -> None:
    """Every API key: id, owner, prefix, created, revoked (never the key itself).

    Example: skillmatch keys list --format json
    """
    from sqlalchemy.orm import Session

    from api.security import list_keys

    with _database(_settings(ctx)) as database, Session(database) as session:
        rows = list_keys(session)
    records = [
        {
            "id": k.id,
            "owner": k.owner,
            "prefix": k.prefix,
            "created": k.created_at.isoformat(timespec="seconds"),
            "revoked": k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else None,
        }
        for k in rows
    ]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2))
        return
    click.echo(f"{'id':>4}  {'owner':<24} {'prefix':<12} {'created':<25} revoked")
    for r in records:
        click.echo(f"{r['id']:>4}  {r['owner']:<24} {r['prefix']:<12} {r['created']:<25} {r['revoked'] or '-'}")


@keys.command("revoke")
@click.argument("key_or_prefix")
@click.pass_context
@_one_line_errors
def keys_revoke(ctx: click.Context, key_or_prefix: str) -> None:
    """Revoke a key, given in full or by the prefix `keys list` shows; it stops working at once.

    Revoking the last key does not reopen the API: /v1 still needs a (valid) key.

    Example: skillmatch keys revoke sm_Ab12Cd3
    """
    from sqlalchemy.orm import Session

    from api.security import revoke_key

    shown = key_or_prefix[:10]  # never echo a whole key
    with _database(_settings(ctx)) as database, Session(database) as session:
        count = revoke_key(session, key_or_prefix.strip())
        session.commit()
    if count == 0:
        raise SkillmatchError(f"no active API key matches {shown!r} (see `skillmatch keys list`)", code="not_found")
    click.echo(f"revoked {count} key(s) with prefix {shown}")


if __name__ == "__main__":
    sys.exit(main(prog_name="skillmatch"))
