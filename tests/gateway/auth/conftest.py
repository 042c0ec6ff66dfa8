"""An app with a site IdP (JWKS file) trusted for console sign-in; no engine is needed for these routes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.settings import load_settings
from tests.gateway.auth.idp import TestIdentityProvider

ISSUER = "https://idp.hospital.internal/realms/staff"
# Nothing listens here: console routes never reach the engine.
UNUSED_UPSTREAM = "http://127.0.0.1:9"


@pytest.fixture
def idp(tmp_path: Path) -> TestIdentityProvider:
    return TestIdentityProvider(ISSUER, tmp_path / "jwks.json")


@pytest.fixture
def client(tmp_path: Path, idp: TestIdentityProvider) -> Iterator[TestClient]:
    # In-process ASGI client: the real app, lifespan, migrations and ledger; only the socket is skipped.
    settings = load_settings(
        home=tmp_path / "home", dev_mode=True, upstream_url=UNUSED_UPSTREAM, jwt_issuers=[idp.config()]
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client
