"""Signs a checkpoint of the chain head when there is something new to cover.

A checkpoint is itself an administrative event: the "audit.checkpoint" record is appended first and the
signature covers that record, so the head is exactly checkpointed afterwards and an idle ledger signs
nothing new. Record and checkpoint row commit in one transaction that holds the ledger's append lock (the
chain-head row), so replicas signing at the same moment are serialized by the database itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gateway.audit.canonical import format_time
from gateway.audit.checkpoints import Checkpoint, CheckpointSigner, last_checkpoint, store_checkpoint
from gateway.audit.events import AuditEvent
from gateway.audit.ledger import lock_head, read_head
from gateway.audit.writer import add_record
from gateway.db.base import utc_now
from gateway.db.session import Database

logger = logging.getLogger(__name__)


@dataclass
class Checkpointer:
    database: Database
    signer: CheckpointSigner

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
            event = AuditEvent(
                event_type="audit.checkpoint",
                outcome="ok",
                actor=actor,
                detail={"previous_checkpoint_seq": last.seq if last else 0, "key_id": self.signer.key_id},
            )
            appended = add_record(session, event)
            checkpoint = self.signer.sign(head.ledger_id, appended.seq, appended.hash, format_time(utc_now()))
            store_checkpoint(session, checkpoint)
        # Ids and hashes only: shipped logs keep a copy of each signed head outside the database.
        logger.info(
            "audit checkpoint signed: seq=%d hash=%s key_id=%s",
            checkpoint.seq,
            checkpoint.hash,
            checkpoint.key_id,
        )
        return checkpoint


def _head_position(session: Session) -> tuple[str, int]:
    head = read_head(session)
    return head.ledger_id, head.last_seq


def _covers(last: Checkpoint | None, ledger_id: str, head_seq: int) -> bool:
    return last is not None and last.ledger_id == ledger_id and last.seq >= head_seq
