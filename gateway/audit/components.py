"""Builds the ledger's parts from settings: one place for paths, key provider, writer and scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from gateway.audit.checkpointer import Checkpointer
from gateway.audit.checkpoints import CheckpointSigner, CheckpointSink, public_key_path
from gateway.audit.key_provider import LocalKeyFileProvider
from gateway.audit.keyring import DataKeyRing
from gateway.audit.retention import purge_expired
from gateway.audit.scheduler import AuditScheduler
from gateway.audit.writer import AuditWriter
from gateway.db.session import Database
from gateway.home import BulwarkHome
from gateway.settings import Settings

KEK_FILE = "audit-kek.json"
SIGNING_KEY_FILE = "audit-signing.pem"


@dataclass(frozen=True)
class AuditPaths:
    kek: Path
    signing_key: Path
    checkpoints: Path

    @property
    def public_key(self) -> Path:
        return public_key_path(self.signing_key)


def audit_paths(settings: Settings) -> AuditPaths:
    home = BulwarkHome(settings.home)
    return AuditPaths(
        kek=home.secrets_dir / KEK_FILE,
        signing_key=home.secrets_dir / SIGNING_KEY_FILE,
        checkpoints=settings.audit_checkpoint_path or settings.home / "audit-checkpoints.jsonl",
    )


def key_ring(settings: Settings) -> DataKeyRing:
    return DataKeyRing(
        LocalKeyFileProvider(audit_paths(settings).kek),
        max_records=settings.audit_data_key_max_records,
        max_age=timedelta(days=settings.audit_data_key_max_age_days),
    )


def checkpointer(settings: Settings, database: Database, writer: AuditWriter | None = None) -> Checkpointer:
    paths = audit_paths(settings)
    return Checkpointer(database, CheckpointSigner(paths.signing_key), CheckpointSink(paths.checkpoints), writer)


@dataclass
class AuditLedger:
    """What the running gateway holds: the batching writer and the background scheduler."""

    keyring: DataKeyRing
    writer: AuditWriter
    scheduler: AuditScheduler

    def close(self) -> None:
        self.scheduler.stop()
        self.writer.close()


def start_ledger(settings: Settings, database: Database) -> AuditLedger:
    keyring = key_ring(settings)
    signer = checkpointer(settings, database)
    scheduler = AuditScheduler(
        signer,
        every_records=settings.audit_checkpoint_every_records,
        every_s=settings.audit_checkpoint_every_s,
        purge=lambda: purge_expired(database, settings.audit_retention_days, "scheduled purge"),
        purge_every_s=settings.audit_purge_every_s,
    )
    writer = AuditWriter(database, keyring, on_appended=scheduler.note_appended)
    signer.writer = writer
    scheduler.start()
    return AuditLedger(keyring, writer, scheduler)
