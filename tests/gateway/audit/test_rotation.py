"""KEK rotation rewraps every data key without touching a record; the old KEK is retired."""

from __future__ import annotations

import json

from sqlalchemy import select

from gateway.audit.models import AuditDataKey, AuditRecord
from gateway.audit.repository import read_body
from gateway.audit.rotation import rotate_kek
from tests.gateway.audit.conftest import Ledger, request_event


def test_rotate_kek_rewraps_keys_and_leaves_records_alone(ledger: Ledger) -> None:
    for n in range(6):
        ledger.writer.write(request_event(("acme", "globex", "initech")[n % 3], n))
    with ledger.database.session() as session:
        hashes_before = session.scalars(select(AuditRecord.hash).order_by(AuditRecord.seq)).all()
        wrapped_before = {
            row.id: row.wrapped_key
            for row in session.execute(select(AuditDataKey.id, AuditDataKey.wrapped_key))
        }
    [old_kek] = ledger.provider.kek_ids()

    result = rotate_kek(ledger.database, ledger.provider, "test")

    assert result.old_kek_ids == (old_kek,) and result.keys_rewrapped == 3
    assert ledger.provider.kek_ids() == [result.new_kek_id]  # the old KEK is gone from the key file
    assert old_kek not in ledger.provider.path.read_text()
    with ledger.database.session() as session:
        rows = session.execute(select(AuditDataKey.id, AuditDataKey.kek_id, AuditDataKey.wrapped_key)).all()
        assert {row.kek_id for row in rows} == {result.new_kek_id}
        assert all(wrapped_before[row.id] != row.wrapped_key for row in rows)
        hashes_after = session.scalars(select(AuditRecord.hash).order_by(AuditRecord.seq)).all()
        assert hashes_after[: len(hashes_before)] == hashes_before
        ledger.keyring._unwrapped.clear()  # prove it with a cold ring: unwrap through the new KEK only
        assert (
            read_body(session, ledger.keyring, "globex", 2)["request"]["messages"][0]["content"] == "hello 1"
        )
    ledger.writer.write(request_event("acme", 7))  # and appends continue under the new KEK
    ledger.checkpointer.checkpoint()
    assert ledger.verify().ok
    assert json.loads(ledger.provider.path.read_text())["current"] == result.new_kek_id


def test_kek_file_is_owner_only(ledger: Ledger) -> None:
    ledger.writer.write(request_event("acme", 1))
    assert ledger.provider.path.stat().st_mode & 0o777 == 0o600
    signing_key = ledger.checkpointer.signer
    assert signing_key.key_id
