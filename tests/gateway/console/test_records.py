"""Search, detail, tenant fences and the audit trail of reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.auth.principal import Role
from tests.gateway.console.conftest import CANARY, Console, make_console

RECORDS = "/console/api/records"


def _search(
    console: Console, role: Role, tenants: list[str] | None = None, **params: str | int
) -> list[dict[str, Any]]:
    response = console.client.get(RECORDS, params=params, headers=console.auth(role, tenants))
    assert response.status_code == 200, response.text
    return list(response.json()["records"])


@pytest.fixture
def console_on_both(tmp_path: Path, database_url: str) -> Iterator[Console]:
    """The console over SQLite and over PostgreSQL (JSON member access differs between them)."""
    yield from make_console(tmp_path / "home", database_url=database_url)


def test_search_filters_and_pages(console_on_both: Console) -> None:
    console = console_on_both
    acme = [console.seed("acme") for _ in range(3)]
    globex = console.seed("globex", model="other-model", outcome="error", pii_counts={"US_SSN": 2})
    found = _search(console, Role.AUDITOR, event_type="request")
    assert [r["seq"] for r in found] == sorted([*acme, globex], reverse=True)
    assert [r["seq"] for r in _search(console, Role.AUDITOR, tenant="globex")] == [globex]
    assert [r["seq"] for r in _search(console, Role.AUDITOR, model="other-model")] == [globex]
    assert [r["seq"] for r in _search(console, Role.AUDITOR, outcome="error")] == [globex]
    assert [r["seq"] for r in _search(console, Role.AUDITOR, pii_type="US_SSN")] == [globex]
    assert [r["seq"] for r in _search(console, Role.AUDITOR, key_id="key-acme")] == sorted(acme, reverse=True)
    assert _search(console, Role.AUDITOR, since="2100-01-01T00:00:00Z") == []
    first = console.client.get(
        RECORDS, params={"event_type": "request", "limit": 2}, headers=console.auth(Role.AUDITOR)
    ).json()
    rest = _search(console, Role.AUDITOR, event_type="request", before_seq=first["next_before_seq"])
    assert [r["seq"] for r in first["records"] + rest] == sorted([*acme, globex], reverse=True)


def test_scoped_principal_sees_only_its_tenants(console: Console) -> None:
    mine, theirs = console.seed("acme"), console.seed("globex")
    seqs = {r["seq"] for r in _search(console, Role.COMPLIANCE_OFFICER, ["acme"])}
    assert mine in seqs and theirs not in seqs
    # Asking for the other tenant by filter does not widen the scope.
    assert _search(console, Role.COMPLIANCE_OFFICER, ["acme"], tenant="globex") == []


def test_foreign_record_is_404_and_a_denied_record(console: Console) -> None:
    theirs = console.seed("globex")
    officer = console.auth(Role.COMPLIANCE_OFFICER, ["acme"], subject="curious")
    for response in (
        console.client.get(f"{RECORDS}/{theirs}", headers=officer),
        console.client.post(f"{RECORDS}/{theirs}/reveal", json={"reason": "x" * 20}, headers=officer),
        console.client.get(f"{RECORDS}/999999", headers=officer),
    ):
        assert response.status_code == 404, response.text
        assert CANARY not in response.text
    denied = _search(console, Role.AUDITOR, event_type="console.denied")
    assert len(denied) == 3
    assert {r["actor"] for r in denied} == {"curious@bulwark-local"}
    assert {r["detail"]["record_seq"] for r in denied} == {theirs, 999999}
    # The owning tenant is named, so its own officers see the probe.
    assert sum(r["tenant_id"] == "globex" for r in denied) == 2


def test_headers_never_carry_bodies_and_reads_are_audited(console: Console) -> None:
    seq = console.seed("acme")
    response = console.client.get(f"{RECORDS}/{seq}", headers=console.auth(Role.AUDITOR, ["acme"]))
    assert response.status_code == 200
    assert response.json()["has_body"] is True
    assert CANARY not in response.text
    reads = _search(console, Role.AUDITOR, event_type="console.read")
    assert [r["detail"]["record_seq"] for r in reads] == [seq]
    assert len(_search(console, Role.AUDITOR, event_type="console.search")) >= 1
