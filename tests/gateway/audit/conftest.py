"""A real ledger for audit tests: migrated database, dev KEK file, Ed25519 signer, checkpoints in the DB."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from gateway.audit.checkpointer import Checkpointer
from gateway.audit.checkpoints import CheckpointSigner
from gateway.audit.events import AuditEvent
from gateway.audit.kek_file import DevKekFile
from gateway.audit.keyring import DataKeyRing
from gateway.audit.verify import VerifyReport, verify_ledger
from gateway.audit.writer import AuditWriter
from gateway.db.session import Database


@dataclass
class Ledger:
    database: Database
    keyring: DataKeyRing
    writer: AuditWriter
    checkpointer: Checkpointer
    provider: DevKekFile

    def verify(self) -> VerifyReport:
        return verify_ledger(self.database, self.checkpointer.signer.trusted())


def request_event(tenant: str, n: int, *, body: bool = True) -> AuditEvent:
    return AuditEvent(
        event_type="request",
        outcome="ok",
        request_id=f"req_{tenant}_{n}",
        tenant_id=tenant,
        key_id=f"key_{tenant}",
        status_code=200,
        endpoint="chat.completions",
        model="smollm2-135m-instruct",
        stages=["audit", "authenticate", "forward"],
        pii_counts={"PERSON": n % 3},
        prompt_tokens=10 + n,
        completion_tokens=5,
        latency_ms=12,
        body={"request": {"messages": [{"role": "user", "content": f"hello {n}"}]}, "completion": "hi"}
        if body
        else None,
    )


def build_ledger(database: Database, folder: Path, **ring_options: object) -> Ledger:
    provider = DevKekFile(folder / "secrets" / "audit-kek.json")
    keyring = DataKeyRing(provider, **ring_options)  # type: ignore[arg-type]
    writer = AuditWriter(database, keyring)
    signer = CheckpointSigner.dev(folder / "secrets" / "audit-signing.pem")
    checkpointer = Checkpointer(database, signer)
    return Ledger(database, keyring, writer, checkpointer, provider)


@pytest.fixture
def ledger(database: Database, tmp_path: Path) -> Iterator[Ledger]:
    built = build_ledger(database, tmp_path, max_age=timedelta(days=90))
    yield built
    built.writer.close()
