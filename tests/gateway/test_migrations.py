"""The real migrations, up and down, on SQLite and PostgreSQL; the models match what they build."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from gateway.db import migrate
from gateway.db.base import Base
from gateway.db.models import import_all_models
from gateway.db.session import make_engine


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    migrate.upgrade(database_url)
    assert {"tenants", "api_keys", "audit_records"} <= _tables(database_url)
    migrate.downgrade(database_url)
    assert _tables(database_url) == set()
    migrate.upgrade(database_url)
    assert {"tenants", "api_keys", "audit_records"} <= _tables(database_url)


def test_models_match_migrated_schema(database_url: str) -> None:
    migrate.upgrade(database_url)
    import_all_models()
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
