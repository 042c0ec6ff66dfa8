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

from gateway.audit.checkpoints import CheckpointSink, load_public_key, signature_valid
from gateway.audit.components import AuditPaths
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


def _last_checkpoint(paths: AuditPaths) -> CheckpointOut | None:
    checkpoint = CheckpointSink(paths.checkpoints).last()
    if checkpoint is None:
        return None
    valid = paths.public_key.exists() and signature_valid(load_public_key(paths.public_key), checkpoint)
    return CheckpointOut(
        seq=checkpoint.seq, time=checkpoint.time, key_id=checkpoint.key_id, signature_valid=valid
    )


def integrity_status(database: Database, paths: AuditPaths) -> IntegrityOut:
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
    checkpoint = _last_checkpoint(paths)
    if last_verify is None:
        status = "unverified"
    elif not last_verify.ok or (checkpoint is not None and not checkpoint.signature_valid):
        status = "fault"
    else:
        status = "verified"
    return IntegrityOut(
        status=status, head_seq=head.last_seq, last_checkpoint=checkpoint, last_verify=last_verify
    )


def run_verify(database: Database, paths: AuditPaths, writer: AuditWriter, actor: str) -> IntegrityOut:
    """Verify the whole ledger now and append the result; checkpoints need the signer's public key."""
    checkpoints = CheckpointSink(paths.checkpoints).read()
    if paths.public_key.exists():
        report = verify_ledger(database, checkpoints, load_public_key(paths.public_key))
        fault = report.fault
        ok = report.ok
        detail: dict[str, Any] = {
            "records": report.records,
            "checkpoints": report.checkpoints,
            # The newest checkpoint this run verified: everything up to it is signed and intact.
            "verified_checkpoint_seq": report.signed_through,
        }
        if fault is not None:
            detail |= {"fault_seq": fault.seq, "fault_kind": fault.kind}
    else:
        # No checkpoint was ever signed on this home: nothing can vouch for the chain yet.
        ok, detail = False, {"fault_kind": "no_checkpoint_key"}
    writer.write(
        AuditEvent(event_type=VERIFY_EVENT, outcome="ok" if ok else "fault", actor=actor, detail=detail)
    )
    return integrity_status(database, paths)
