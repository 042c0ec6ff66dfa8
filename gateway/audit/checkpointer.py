"""Signs a checkpoint of the chain head when there is something new to cover.

A checkpoint is itself an administrative event: the "audit.checkpoint" record is appended first and the
signature covers that record, so the head is exactly checkpointed afterwards and an idle ledger signs
nothing new. Record and checkpoint row commit in one transaction that holds the ledger's append lock (the
chain-head row), so replicas signing at the same moment are serialized by the database itself.

A signature must never launder a rewritten ledger: before signing, the newest stored checkpoint must still
match its record, and the newest one this process signed must still be there. Otherwise it refuses,
loudly, and the next verify names the damage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.canonical import format_time
from gateway.audit.checkpoints import (
    Checkpoint,
    CheckpointSigner,
    last_checkpoint,
    signature_valid,
    store_checkpoint,
)
from gateway.audit.events import AuditEvent
from gateway.audit.ledger import LedgerError, lock_head, read_head
from gateway.audit.models import AuditRecord
from gateway.audit.writer import add_record
from gateway.db.base import utc_now
from gateway.db.session import Database

logger = logging.getLogger(__name__)


@dataclass
class Checkpointer:
    database: Database
    signer: CheckpointSigner
    _signed_last: Checkpoint | None = field(default=None, init=False)

    def last_checkpointed_seq(self) -> int:
        with self.database.session() as session:
            last = last_checkpoint(session)
        return last.seq if last is not None else 0

    def checkpoint(self, actor: str = "gateway") -> Checkpoint | None:
        """Sign the head if records were appended since the last checkpoint; None when idle."""
        with self.database.session() as session:  # a cheap idle check before taking the append lock
            if _covers(last_checkpoint(session), *_head_position(session)):
                return None
        with self.database.session() as session:
            head = lock_head(session)  # the first statement writes: SQLite takes its write lock at once
            last = last_checkpoint(session)
            if _covers(last, head.ledger_id, head.last_seq):
                return None  # another replica signed while this one waited for the lock
            self._refuse_if_rewritten(session, last)
            event = AuditEvent(
                event_type="audit.checkpoint",
                outcome="ok",
                actor=actor,
                detail={"previous_checkpoint_seq": last.seq if last else 0, "key_id": self.signer.key_id},
            )
            appended = add_record(session, event)
            checkpoint = self.signer.sign(head.ledger_id, appended.seq, appended.hash, format_time(utc_now()))
            store_checkpoint(session, checkpoint)
        self._signed_last = checkpoint
        # Ids and hashes only: shipped logs keep a copy of each signed head outside the database.
        logger.info(
            "audit checkpoint signed: seq=%d hash=%s key_id=%s",
            checkpoint.seq,
            checkpoint.hash,
            checkpoint.key_id,
        )
        return checkpoint

    def _refuse_if_rewritten(self, session: Session, last: Checkpoint | None) -> None:
        mine = self._signed_last
        if mine is not None and (last is None or last.seq < mine.seq):
            logger.critical("audit checkpoint %d signed here is gone from the database", mine.seq)
            raise LedgerError(f"checkpoint {mine.seq} signed by this process was removed; not signing")
        if last is None:
            return
        forged = last.key_id == self.signer.key_id and not signature_valid(self.signer.trusted(), last)
        if forged or session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == last.seq)) != last.hash:
            logger.critical("audit record %d no longer matches its signed checkpoint", last.seq)
            raise LedgerError(f"record {last.seq} differs from its signed checkpoint; not signing")


def _head_position(session: Session) -> tuple[str, int]:
    head = read_head(session)
    return head.ledger_id, head.last_seq


def _covers(last: Checkpoint | None, ledger_id: str, head_seq: int) -> bool:
    return last is not None and last.ledger_id == ledger_id and last.seq >= head_seq
