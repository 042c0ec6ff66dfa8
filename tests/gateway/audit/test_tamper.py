"""The tamper suite: a real ledger (requests of three tenants, a legitimate purge, a legitimate shred,
checkpoints on a cadence) is copied, one class of tampering is applied to the copy, and verify must name
the fault class and its sequence number. The untouched copy verifies clean. The signed checkpoints live in
the same database (every replica signs into it); only the public key comes from outside.

The tampering runs as an attacker with write access to the database file would: triggers dropped first.
"""

from __future__ import annotations

import base64
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import delete, insert, select, update

from gateway.audit import retention
from gateway.audit.canonical import canonical_header, chain_hash, genesis_hash
from gateway.audit.checkpoints import CheckpointSigner, public_key_id
from gateway.audit.events import AuditEvent
from gateway.audit.models import AuditBody, AuditChainHead, AuditRecord
from gateway.audit.verify import VerifyReport, verify_ledger
from gateway.db import migrate
from gateway.db.base import utc_now
from gateway.db.session import Database
from tests.gateway.audit.conftest import build_ledger, request_event

TENANTS = ("acme", "globex", "initech")


TRIGGERS = (
    "audit_records_no_update",
    "audit_records_no_delete",
    "audit_bodies_no_update",
    "audit_checkpoints_no_update",
    "audit_checkpoints_no_delete",
)


@dataclass
class LedgerCopy:
    db_path: Path
    public_key: Ed25519PublicKey

    def sql(self, *statements: str, params: tuple[Any, ...] = ()) -> None:
        with sqlite3.connect(self.db_path) as connection:
            for trigger in TRIGGERS:
                connection.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            for statement in statements:
                connection.execute(statement, params)

    def verify(self) -> VerifyReport:
        database = Database(f"sqlite:///{self.db_path}")
        try:
            return verify_ledger(database, {public_key_id(self.public_key): self.public_key})
        finally:
            database.dispose()


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ledger")
    url = f"sqlite:///{folder / 'bulwark.db'}"
    migrate.upgrade(url)
    database = Database(url)
    ledger = build_ledger(database, folder)
    for n in range(60):
        ledger.writer.write(request_event(TENANTS[n % 3], n, body=n % 10 != 9))
        if n % 20 == 19:
            ledger.checkpointer.checkpoint()
    ledger.writer.write(AuditEvent(event_type="key.created", outcome="ok", tenant_id="acme", actor="cli"))
    with database.session() as session:
        retention.set_retention(session, "initech", 0, "test")
    retention.purge_expired(database, 3650, "test")  # initech's bodies go, legitimately
    with database.session() as session:
        retention.shred(session, "globex", "test")  # globex's keys go, legitimately
    for n in range(60, 66):
        ledger.writer.write(request_event(TENANTS[n % 3], n))
    ledger.checkpointer.checkpoint()
    ledger.writer.close()
    database.dispose()
    return folder


@pytest.fixture
def copy(original: Path, tmp_path: Path) -> LedgerCopy:
    shutil.copy(original / "bulwark.db", tmp_path / "bulwark.db")
    signer = CheckpointSigner.from_pem_file(original / "secrets" / "audit-signing.pem")
    return LedgerCopy(tmp_path / "bulwark.db", signer.public_key)


def _last_seq(copy: LedgerCopy) -> int:
    with sqlite3.connect(copy.db_path) as connection:
        return int(connection.execute("SELECT max(seq) FROM audit_records").fetchone()[0])


def _seq_where(copy: LedgerCopy, condition: str) -> int:
    with sqlite3.connect(copy.db_path) as connection:
        query = f"SELECT min(seq) FROM audit_records WHERE {condition}"  # noqa: S608 - fixed test strings
        return int(connection.execute(query).fetchone()[0])


def _checkpoint_rows(copy: LedgerCopy) -> list[tuple[Any, ...]]:
    with sqlite3.connect(copy.db_path) as connection:
        return connection.execute(
            "SELECT ledger_id, seq, hash, signed_time, key_id, signature FROM audit_checkpoints ORDER BY id"
        ).fetchall()


def _insert_checkpoint(copy: LedgerCopy, row: tuple[Any, ...]) -> None:
    copy.sql(
        "INSERT INTO audit_checkpoints (ledger_id, seq, hash, signed_time, key_id, signature) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        params=row,
    )


def _assert_fault(copy: LedgerCopy, kind: str, seq: int) -> None:
    fault = copy.verify().fault
    assert fault is not None, f"verify missed {kind}"
    assert (fault.kind, fault.seq) == (kind, seq)


def test_untouched_ledger_verifies_clean(copy: LedgerCopy) -> None:
    report = copy.verify()
    assert report.ok, report.faults
    assert report.records == _last_seq(copy) and report.checkpoints == 4


def test_flipped_body_byte(copy: LedgerCopy) -> None:
    with sqlite3.connect(copy.db_path) as connection:
        ciphertext = bytearray(
            connection.execute("SELECT ciphertext FROM audit_bodies WHERE seq = 5").fetchone()[0]
        )
    ciphertext[7] ^= 0x01
    copy.sql("UPDATE audit_bodies SET ciphertext = ? WHERE seq = 5", params=(bytes(ciphertext),))
    _assert_fault(copy, "body_mismatch", 5)


def test_flipped_header_byte(copy: LedgerCopy) -> None:
    copy.sql("UPDATE audit_records SET request_id = 'X' || substr(request_id, 2) WHERE seq = 7")
    _assert_fault(copy, "hash_mismatch", 7)


def test_edited_field(copy: LedgerCopy) -> None:
    copy.sql("UPDATE audit_records SET status_code = 403, outcome = 'denied' WHERE seq = 12")
    _assert_fault(copy, "hash_mismatch", 12)


def test_deleted_row(copy: LedgerCopy) -> None:
    copy.sql("DELETE FROM audit_bodies WHERE seq = 30", "DELETE FROM audit_records WHERE seq = 30")
    _assert_fault(copy, "gap", 30)


def test_swapped_rows(copy: LedgerCopy) -> None:
    copy.sql(
        "UPDATE audit_records SET seq = -1 WHERE seq = 10",
        "UPDATE audit_records SET seq = 10 WHERE seq = 11",
        "UPDATE audit_records SET seq = 11 WHERE seq = -1",
    )
    _assert_fault(copy, "hash_mismatch", 10)


def test_ciphertext_moved_to_another_row(copy: LedgerCopy) -> None:
    copy.sql("DELETE FROM audit_bodies WHERE seq = 4", "UPDATE audit_bodies SET seq = 4 WHERE seq = 1")
    _assert_fault(copy, "body_missing", 1)


def test_body_deleted_without_purge_record(copy: LedgerCopy) -> None:
    seq = _seq_where(copy, "tenant_id = 'acme' AND body_digest != ''")
    copy.sql("DELETE FROM audit_bodies WHERE seq = ?", params=(seq,))
    _assert_fault(copy, "body_missing", seq)


def test_data_key_deleted_without_shred_record(copy: LedgerCopy) -> None:
    seq = _seq_where(copy, "tenant_id = 'acme' AND data_key_id IS NOT NULL")
    copy.sql("DELETE FROM audit_data_keys WHERE tenant_id = 'acme'")
    _assert_fault(copy, "key_missing", seq)


def test_truncated_tail_with_head_fixed_up(copy: LedgerCopy) -> None:
    last = _last_seq(copy)
    copy.sql(
        "DELETE FROM audit_records WHERE seq > ?",
        "DELETE FROM audit_bodies WHERE seq > ?",
        params=(last - 3,),
    )
    copy.sql(
        "UPDATE audit_chain_head SET last_seq = ?, last_hash = "
        "(SELECT hash FROM audit_records WHERE seq = ?)",
        params=(last - 3, last - 3),
    )
    _assert_fault(copy, "truncated", last - 2)


def test_naive_insert_after_the_tail(copy: LedgerCopy) -> None:
    last = _last_seq(copy)
    copy.sql(
        "INSERT INTO audit_records SELECT ? , created_at, event_type, outcome, status_code, request_id, "
        "tenant_id, key_id, actor, endpoint, model, policy_version, stages, pii_counts, prompt_tokens, "
        "completion_tokens, latency_ms, error_code, detail, body_mode, data_key_id, body_digest, hash "
        "FROM audit_records WHERE seq = 3",
        params=(last + 1,),
    )
    _assert_fault(copy, "hash_mismatch", last + 1)


def test_inserted_row_with_the_whole_chain_rewritten(copy: LedgerCopy) -> None:
    """The strongest attacker: inserts a record mid-ledger and recomputes every later hash and the head.
    Only the signed checkpoints outside the database can catch this."""
    _rewrite_chain(copy, lambda rows: [*rows[:24], {**rows[23], "request_id": "forged"}, *rows[24:]])
    fault = copy.verify().fault
    assert fault is not None and fault.kind == "checkpoint_mismatch"
    first_checkpoint_after_insert = next(row[1] for row in _checkpoint_rows(copy) if row[1] >= 25)
    assert fault.seq == first_checkpoint_after_insert
    assert "rewritten after sequence 21" in fault.detail  # the last checkpoint that still matched


def test_forged_checkpoint(copy: LedgerCopy) -> None:
    ledger_id, seq, chain, time, key_id, _ = _checkpoint_rows(copy)[-1]
    forged = base64.b64encode(Ed25519PrivateKey.generate().sign(b"forged")).decode()
    _insert_checkpoint(copy, (ledger_id, seq + 1, chain, time, key_id, forged))
    _assert_fault(copy, "checkpoint_signature", seq + 1)


def test_checkpoint_signed_by_an_untrusted_key(copy: LedgerCopy) -> None:
    """An attacker's own key signs a checkpoint of a rewritten head: its key id is not trusted."""
    ledger_id, seq, chain, time, _, _ = _checkpoint_rows(copy)[-1]
    rogue = CheckpointSigner(Ed25519PrivateKey.generate()).sign(ledger_id, seq + 1, chain, time)
    _insert_checkpoint(copy, (ledger_id, seq + 1, chain, time, rogue.key_id, rogue.signature))
    fault = copy.verify().fault
    assert fault is not None and (fault.kind, fault.seq) == ("checkpoint_signature", seq + 1)
    assert "untrusted key id" in fault.detail


def test_edited_checkpoint(copy: LedgerCopy) -> None:
    seq = _checkpoint_rows(copy)[1][1]
    copy.sql("UPDATE audit_checkpoints SET hash = ? WHERE seq = ?", params=("0" * 64, seq))
    _assert_fault(copy, "checkpoint_signature", seq)


def test_replayed_checkpoint(copy: LedgerCopy) -> None:
    replayed = _checkpoint_rows(copy)[1]
    _insert_checkpoint(copy, replayed)
    _assert_fault(copy, "checkpoint_replay", replayed[1])


def _rewrite_chain(copy: LedgerCopy, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> None:
    copy.sql("SELECT 1")  # drop the triggers
    database = Database(f"sqlite:///{copy.db_path}")
    with database.session() as session:
        head = session.get(AuditChainHead, 1)
        assert head is not None
        columns = AuditRecord.__table__.columns
        rows = [dict(row._mapping) for row in session.execute(select(*columns).order_by(AuditRecord.seq))]
        bodies = {b.seq: (b.nonce, b.ciphertext) for b in session.scalars(select(AuditBody))}
        for row in rows:
            row["_body"] = bodies.get(row["seq"])
        rows = change(rows)
        session.execute(delete(AuditBody))
        session.execute(delete(AuditRecord))
        prev = genesis_hash(head.ledger_id)
        for seq, row in enumerate(rows, start=1):
            row["seq"], row["created_at"] = seq, row["created_at"] or utc_now()
            prev = row["hash"] = chain_hash(prev, canonical_header(row), row["body_digest"])
            body = row.pop("_body")
            session.execute(insert(AuditRecord).values(**row))
            if body is not None:
                session.execute(insert(AuditBody).values(seq=seq, nonce=body[0], ciphertext=body[1]))
        session.execute(update(AuditChainHead).values(last_seq=len(rows), last_hash=prev))
    database.dispose()
