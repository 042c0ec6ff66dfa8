"""Issue 13, finding 7: a tenant-scoped user cannot run a full-ledger verify, and a reveal request's
reason (which may name a patient) is never stored in a clear database column."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from gateway.auth.principal import Role
from tests.gateway.console.conftest import Console, make_console

REASON = "Complaint from patient Marguerite Okonkwo-Vance about her discharge letter"
VERIFY = "/console/api/integrity/verify"


def test_tenant_scoped_users_cannot_verify_the_whole_ledger(console: Console) -> None:
    for role in (Role.AUDITOR, Role.COMPLIANCE_OFFICER, Role.ADMIN):
        scoped = console.client.post(VERIFY, headers=console.auth(role, ["acme"]))
        assert scoped.status_code == 403, role
        assert scoped.json()["error"]["code"] == "site_wide_only"
    assert console.client.post(VERIFY, headers=console.auth(Role.AUDITOR)).status_code == 200
    denied = console.client.get(
        "/console/api/records",
        params={"event_type": "console.denied"},
        headers=console.auth(Role.AUDITOR),
    ).json()["records"]
    assert len(denied) == 3


@pytest.fixture
def approving_console(tmp_path: Path) -> Iterator[Console]:
    yield from make_console(tmp_path / "home", reveal_approval_tenants=["acme"])


def test_reveal_reason_is_sealed_in_the_ledger_not_a_clear_column(approving_console: Console) -> None:
    console = approving_console
    seq = console.seed("acme")
    dana = console.auth(Role.COMPLIANCE_OFFICER, ["acme"], subject="dana")
    lee = console.auth(Role.COMPLIANCE_OFFICER, ["acme"], subject="lee")
    asked = console.client.post(f"/console/api/records/{seq}/reveal", json={"reason": REASON}, headers=dana)
    assert asked.json()["status"] == "pending_approval"
    with console.services.database.session() as session:
        rows = session.execute(text("SELECT * FROM console_reveal_requests")).all()
    assert len(rows) == 1
    assert not any("Okonkwo" in str(value) for value in rows[0])
    listed = console.client.get("/console/api/reveal-requests", headers=lee).json()
    assert [request["reason"] for request in listed] == [REASON]  # the approver still reads it
