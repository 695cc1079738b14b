"""Alembic migrations of the service's database, applied by ``skillmatch db upgrade``."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from matcher.errors import SkillmatchError


def alembic_config(url: str) -> Config:
    """A configuration that needs no alembic.ini: the scripts ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(files("api") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision``; safe to run again."""
    command.upgrade(alembic_config(url), revision)


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision(engine.url.render_as_string(hide_password=False))


def prepare(database: Engine, url: str, *, migrate: bool | None) -> None:
    """What the server and ``skillmatch keys`` do at start: migrate (``migrate``, by default SQLite only, which
    must need no set-up) or check the schema is current (PostgreSQL is changed deliberately)."""
    if migrate is None:
        migrate = database.url.get_backend_name() == "sqlite"
    if migrate:
        upgrade(url)
    elif not is_current(database):
        raise SkillmatchError(
            f"the database schema at {database.url.render_as_string(hide_password=True)} is not current "
            f"({current_revision(database) or 'empty'}, head {head_revision(url)}): run `skillmatch db upgrade`",
            code="database_not_migrated",
        )
