"""Integrity status for the console badge: chain head, last signed checkpoint, last verify run.

A verify run started from the console is itself appended to the ledger ("audit.verify" with the result in
its clear detail), so "the last verify run" is read back from the tamper-evident ledger, not from a file
or memory that could be edited to say "ok".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from gateway.audit.checkpoints import TrustedKeys, last_checkpoint, signature_valid
from gateway.audit.events import AuditEvent
from gateway.audit.ledger import read_head
from gateway.audit.models import AuditRecord
from gateway.audit.verify import verify_ledger
from gateway.audit.writer import AuditWriter
from gateway.db.session import Database

VERIFY_EVENT = "audit.verify"


class CheckpointOut(BaseModel):
    seq: int
    time: str
    key_id: str
    signature_valid: bool


class VerifyRunOut(BaseModel):
    seq: int  # the ledger record of the run
    at: datetime
    actor: str | None
    ok: bool
    detail: dict[str, Any] | None


class IntegrityOut(BaseModel):
    status: str  # verified | fault | unverified
    head_seq: int
    last_checkpoint: CheckpointOut | None
    last_verify: VerifyRunOut | None


def _last_checkpoint(database: Database, trusted: TrustedKeys) -> CheckpointOut | None:
    with database.session() as session:
        checkpoint = last_checkpoint(session)
    if checkpoint is None:
        return None
    valid = signature_valid(trusted, checkpoint)
    return CheckpointOut(
        seq=checkpoint.seq, time=checkpoint.time, key_id=checkpoint.key_id, signature_valid=valid
    )


def integrity_status(database: Database, trusted: TrustedKeys) -> IntegrityOut:
    with database.session() as session:
        head = read_head(session)
        run = session.scalars(
            select(AuditRecord)
            .where(AuditRecord.event_type == VERIFY_EVENT)
            .order_by(AuditRecord.seq.desc())
            .limit(1)
        ).first()
    last_verify = (
        VerifyRunOut(
            seq=run.seq, at=run.created_at, actor=run.actor, ok=run.outcome == "ok", detail=run.detail
        )
        if run is not None
        else None
    )
    checkpoint = _last_checkpoint(database, trusted)
    if last_verify is None:
        status = "unverified"
    elif not last_verify.ok or (checkpoint is not None and not checkpoint.signature_valid):
        status = "fault"
    else:
        status = "verified"
    return IntegrityOut(
        status=status, head_seq=head.last_seq, last_checkpoint=checkpoint, last_verify=last_verify
    )


def run_verify(database: Database, trusted: TrustedKeys, writer: AuditWriter, actor: str) -> IntegrityOut:
    """Verify the whole ledger now (checkpoints of every replica) and append the result."""
    report = verify_ledger(database, trusted)
    fault = report.fault
    detail: dict[str, Any] = {
        "records": report.records,
        "checkpoints": report.checkpoints,
        # The newest checkpoint this run verified: everything up to it is signed and intact.
        "verified_checkpoint_seq": report.signed_through,
    }
    if fault is not None:
        detail |= {"fault_seq": fault.seq, "fault_kind": fault.kind}
    writer.write(
        AuditEvent(
            event_type=VERIFY_EVENT, outcome="ok" if report.ok else "fault", actor=actor, detail=detail
        )
    )
    return integrity_status(database, trusted)
