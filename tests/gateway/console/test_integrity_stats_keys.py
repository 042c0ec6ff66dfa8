"""Integrity status and verify runs, usage charts data, and key management for admins."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from gateway.audit.components import checkpointer
from gateway.auth.principal import Role
from gateway.console.state import SCHEDULED_ACTOR
from tests.gateway.console.conftest import Console, make_console


def test_integrity_unverified_then_verified_then_fault(console: Console) -> None:
    auth = console.auth(Role.ADMIN)
    console.seed("acme")
    assert console.client.get("/console/api/integrity", headers=auth).json()["status"] == "unverified"
    signed = checkpointer(console.settings, console.services.database).checkpoint()
    assert signed is not None
    verified = console.client.post("/console/api/integrity/verify", headers=auth).json()
    assert verified["status"] == "verified"
    assert (
        verified["last_verify"]["ok"] is True
        and verified["last_verify"]["actor"] == "officer-1@bulwark-local"
    )
    assert verified["head_seq"] >= verified["last_verify"]["seq"]
    assert verified["last_checkpoint"]["seq"] == signed.seq
    assert verified["last_checkpoint"]["signature_valid"] is True
    assert verified["last_verify"]["detail"]["verified_checkpoint_seq"] == signed.seq
    # Tamper with a stored header behind the gateway's back (the append-only trigger dropped first).
    path = console.settings.resolved_database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER audit_records_no_update")
        raw.execute("UPDATE audit_records SET model = 'tampered' WHERE event_type = 'request'")
    fault = console.client.post("/console/api/integrity/verify", headers=auth).json()
    assert fault["status"] == "fault"
    assert fault["last_verify"]["detail"]["fault_kind"] == "hash_mismatch"


def test_stats_count_requests_pii_and_blocked(console: Console) -> None:
    console.seed("acme")
    console.seed("acme", pii_counts={"PERSON": 2, "US_SSN": 1})
    console.seed("globex", outcome="error", status_code=403, error_code="model_not_allowed", pii_counts={})
    console.seed("acme", event_type="key.created")  # not a request: not counted
    stats = console.client.get("/console/api/stats", headers=console.auth(Role.AUDITOR)).json()
    per_tenant = {row["tenant_id"]: row["count"] for row in stats["requests"]}
    assert per_tenant == {"acme": 2, "globex": 1}
    assert stats["pii_by_type"] == {"PERSON": 3, "US_SSN": 1}
    assert [(row["tenant_id"], row["count"]) for row in stats["blocked"]] == [("globex", 1)]
    assert stats["blocked_by_code"] == {"model_not_allowed": 1}
    scoped = console.client.get("/console/api/stats", headers=console.auth(Role.AUDITOR, ["globex"])).json()
    assert {row["tenant_id"] for row in scoped["requests"]} == {"globex"}


def test_admin_creates_lists_and_revokes_keys(console: Console) -> None:
    admin = console.auth(Role.ADMIN, ["acme"], subject="root")
    created = console.client.post("/console/api/keys", json={"tenant": "acme", "name": "ehr"}, headers=admin)
    assert created.status_code == 201, created.text
    issued = created.json()
    assert issued["key"].startswith("bwk_") and issued["scopes"] == ["inference"]
    listed = console.client.get("/console/api/keys", headers=admin).json()
    assert [key["id"] for key in listed] == [issued["id"]]
    assert "key" not in listed[0]  # the secret is shown once, at creation
    revoked = console.client.post(f"/console/api/keys/{issued['id']}/revoke", headers=admin).json()
    assert revoked["revoked_at"] is not None
    # The key no longer authenticates anywhere.
    models = console.client.get("/v1/models", headers={"Authorization": f"Bearer {issued['key']}"})
    assert models.status_code == 401
    events = console.client.get(
        "/console/api/records", params={"tenant": "acme"}, headers=console.auth(Role.AUDITOR)
    ).json()["records"]
    assert [(e["event_type"], e["actor"]) for e in events if e["event_type"].startswith("key.")] == [
        ("key.revoked", "root@bulwark-local"),
        ("key.created", "root@bulwark-local"),
    ]


def test_scoped_admin_cannot_touch_other_tenants(console: Console) -> None:
    other = console.client.post(
        "/console/api/keys", json={"tenant": "globex"}, headers=console.auth(Role.ADMIN)
    ).json()
    scoped = console.auth(Role.ADMIN, ["acme"])
    assert (
        console.client.post("/console/api/keys", json={"tenant": "globex"}, headers=scoped).status_code == 403
    )
    assert console.client.post(f"/console/api/keys/{other['id']}/revoke", headers=scoped).status_code == 404
    assert console.client.get("/console/api/keys", headers=scoped).json() == []


def test_scheduled_verification_appends_its_runs(tmp_path: Path) -> None:
    for console in make_console(tmp_path / "home", console_verify_every_s=0.2):
        auth = console.auth(Role.AUDITOR)
        deadline = time.monotonic() + 20
        status = console.client.get("/console/api/integrity", headers=auth).json()
        while status["last_verify"] is None and time.monotonic() < deadline:
            time.sleep(0.1)
            status = console.client.get("/console/api/integrity", headers=auth).json()
        assert status["status"] == "verified", status
        assert status["last_verify"]["actor"] == SCHEDULED_ACTOR
