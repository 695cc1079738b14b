"""Alembic environment: runs the migrations online against ``sqlalchemy.url`` from our config."""

from __future__ import annotations

from alembic import context

from api.db import Base, make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "api.migrations.alembic_config sets sqlalchemy.url"

engine = make_engine(url)
try:
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
finally:
    engine.dispose()
