"""Alembic environment: online migrations only, with the gateway's own engine settings (SQLite pragmas)."""

from __future__ import annotations

from alembic import context

from gateway.db.base import Base
from gateway.db.models import import_all_models
from gateway.db.session import make_engine

import_all_models()
url = context.config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("sqlalchemy.url is not set: run migrations through gateway.db.migrate")

engine = make_engine(url)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
