"""Issue 13, finding 5: legal hold and retention are protected like the ledger. Changes are chained
records; purge and shred obey the ledger, not the table; a direct database edit is caught by verify."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from gateway.audit import retention
from tests.gateway.audit.conftest import Ledger, request_event


def test_a_database_edit_cannot_lift_a_hold_and_verify_reports_it(ledger: Ledger) -> None:
    ledger.writer.write(request_event("acme", 1))
    with ledger.database.session() as session:
        retention.set_retention(session, "acme", 3650, "officer")
        retention.set_legal_hold(session, "acme", True, "officer")
    ledger.checkpointer.checkpoint()
    assert ledger.verify().ok  # honest changes: the table agrees with the ledger
    with ledger.database.session() as session:  # the insider, straight into the database
        session.execute(
            text(
                "UPDATE audit_tenant_controls SET legal_hold = false, retention_days = 0 WHERE tenant_id = 'acme'"
            )
        )
    assert retention.purge_expired(ledger.database, 3650, "scheduler") == []  # evidence stays
    with pytest.raises(retention.LegalHold), ledger.database.session() as session:
        retention.shred(session, "acme", "scheduler")
    faults = ledger.verify().faults
    assert [(fault.kind, "acme" in fault.detail) for fault in faults] == [("tenant_control_mismatch", True)]


def test_a_row_inserted_behind_the_ledgers_back_is_reported(ledger: Ledger) -> None:
    ledger.writer.write(request_event("globex", 1))
    with ledger.database.session() as session:
        session.execute(
            text(
                "INSERT INTO audit_tenant_controls (tenant_id, retention_days, legal_hold) VALUES ('globex', 0, false)"
            )
        )
    assert retention.purge_expired(ledger.database, 3650, "scheduler") == []  # 0 days came from nowhere
    assert [fault.kind for fault in ledger.verify().faults] == ["tenant_control_mismatch"]
