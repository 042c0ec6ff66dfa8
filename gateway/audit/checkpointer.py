"""Signs a checkpoint of the chain head when there is something new to cover.

A checkpoint is itself an administrative event: the "audit.checkpoint" record is appended first and the
signature covers that record, so the head is exactly checkpointed afterwards and an idle ledger signs
nothing new. The sink lock keeps checkpoints in order when several processes share one sink.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.audit.canonical import format_time
from gateway.audit.checkpoints import Checkpoint, CheckpointSigner, CheckpointSink
from gateway.audit.events import AuditEvent
from gateway.audit.ledger import read_head
from gateway.audit.writer import AuditWriter, add_record
from gateway.db.base import utc_now
from gateway.db.session import Database


@dataclass
class Checkpointer:
    database: Database
    signer: CheckpointSigner
    sink: CheckpointSink
    writer: AuditWriter | None = None  # the gateway's batching writer; the CLI appends directly

    def last_checkpointed_seq(self) -> int:
        last = self.sink.last()
        return last.seq if last is not None else 0

    def checkpoint(self, actor: str = "gateway") -> Checkpoint | None:
        """Sign the head if records were appended since the last checkpoint; None when idle."""
        with self.sink.locked():
            with self.database.session() as session:
                head = read_head(session)
            last = self.sink.last()
            if last is not None and last.seq >= head.last_seq and last.ledger_id == head.ledger_id:
                return None
            event = AuditEvent(
                event_type="audit.checkpoint",
                outcome="ok",
                actor=actor,
                detail={"previous_checkpoint_seq": last.seq if last else 0, "key_id": self.signer.key_id},
            )
            if self.writer is not None:
                appended = self.writer.write(event)
            else:
                with self.database.session() as session:
                    appended = add_record(session, event)
            checkpoint = self.signer.sign(head.ledger_id, appended.seq, appended.hash, format_time(utc_now()))
            self.sink.append(checkpoint)
            return checkpoint
