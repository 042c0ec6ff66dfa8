"""Issue 13, finding 2: a flood of bad keys neither fills the ledger nor locks out tenants.

The real app and ledger in process (TestClient). Nothing listens upstream: a valid key's request reaches
the forward stage and gets 502, which proves it passed authentication and audit while the flood was on.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from gateway.app import create_app
from gateway.audit.models import AuditRecord
from gateway.db.session import Database
from gateway.settings import load_settings
from gateway.tenants import service as tenant_service
from tests.servers import TEST_POLICY_DIR

UNUSED_UPSTREAM = "http://127.0.0.1:9"
FLOOD = 200
LIMIT = 20


def _rows(database: Database, event_type: str | None = None) -> list[AuditRecord]:
    with database.session() as session:
        query = select(AuditRecord)
        if event_type is not None:
            query = query.where(AuditRecord.event_type == event_type)
        return list(session.scalars(query))


def test_bad_key_flood_is_limited_per_source_and_recorded_in_aggregate(tmp_path: Path) -> None:
    settings = load_settings(
        home=tmp_path / "home",
        dev_mode=True,
        upstream_url=UNUSED_UPSTREAM,
        policy_dir=TEST_POLICY_DIR,
        auth_failure_limit=LIMIT,
        auth_failure_window_s=3600,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        database = app.state.services.database
        with database.session() as session:
            good = tenant_service.create_key(session, settings.secret("key_pepper"), "acme", name="t").key
        before = len(_rows(database))
        statuses = [
            client.get("/v1/models", headers={"Authorization": f"Bearer bwk_nope_{i:04d}"}).status_code
            for i in range(FLOOD)
        ]
        assert statuses.count(401) == LIMIT and statuses.count(429) == FLOOD - LIMIT
        assert len(_rows(database)) == before  # no ledger row per refused attempt
        # A tenant with a valid key is not locked out by the flood (same address, even).
        served = client.get("/v1/models", headers={"Authorization": f"Bearer {good}"})
        assert served.status_code == 502  # authenticated and audited; nothing listens upstream
        assert len(_rows(database, "request")) == 1
        # The console's sign-in has its own budget per source.
        assert client.get("/console/api/me").status_code == 401
    database = Database(settings.resolved_database_url)
    try:
        [api] = _rows(database, "api.auth_failed")
        [console] = _rows(database, "console.auth_failed")
    finally:
        database.dispose()
    assert api.detail is not None and console.detail is not None
    assert (api.detail["count"], api.detail["refused"], api.detail["source"]) == (
        LIMIT,
        FLOOD - LIMIT,
        "testclient",
    )
    assert api.detail["window_s"] == 3600 and api.detail["window_start"]
    assert console.detail["count"] == 1
    assert not any("bwk_nope" in str(record.detail) for record in (api, console))
