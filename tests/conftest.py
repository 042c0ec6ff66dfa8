"""Shared fixtures: real databases through the real migrations, a real engine, a real gateway."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from gateway.cli.engine_process import EngineProcess
from gateway.db import migrate
from gateway.db.session import Database
from tests.servers import DEFAULT_MODEL, MODEL_CACHE, RunningGateway, free_port, running_gateway

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bulwark.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"bulwark_test_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    migrate.upgrade(database_url)
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real engine with the real SmolLM2 model, as its own process, shared by the session."""
    engine = EngineProcess(
        model=DEFAULT_MODEL, host="127.0.0.1", port=free_port(), model_cache=MODEL_CACHE
    )
    engine.start(tmp_path_factory.mktemp("engine") / "engine.log")
    try:
        engine.wait_ready(timeout_s=600)
        yield engine.url
    finally:
        engine.stop()


@pytest.fixture
def gateway(tmp_path: Path, engine_url: str) -> Iterator[RunningGateway]:
    """A real gateway (uvicorn, free port, SQLite under a fresh BULWARK_HOME) in front of the real engine."""
    with running_gateway(tmp_path / "home", engine_url) as running:
        yield running
