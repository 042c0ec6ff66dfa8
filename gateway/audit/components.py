"""Builds the ledger's parts from settings: one place for paths, key provider, writer and scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from gateway.audit.checkpointer import Checkpointer
from gateway.audit.checkpoints import CheckpointSigner, CheckpointSink, public_key_path
from gateway.audit.key_provider import LocalKeyFileProvider
from gateway.audit.keyring import DataKeyRing
from gateway.audit.retention import PurgeResult, RetentionLookup, purge_expired
from gateway.audit.scheduler import AuditScheduler
from gateway.audit.writer import AuditWriter
from gateway.db.session import Database
from gateway.home import BulwarkHome
from gateway.policy.policy_set import PolicySet
from gateway.policy.store import PolicyStore
from gateway.settings import Settings

KEK_FILE = "audit-kek.json"
SIGNING_KEY_FILE = "audit-signing.pem"
SCHEDULED_ACTOR = "scheduled purge"


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
    return Checkpointer(
        database, CheckpointSigner(paths.signing_key), CheckpointSink(paths.checkpoints), writer
    )


def policy_set_retention(policy_set: PolicySet) -> RetentionLookup:
    def days(tenant_id: str) -> int | None:
        policy = policy_set.get(tenant_id)
        return policy.audit.retention_days if policy is not None else None

    return days


def policy_store_retention(store: PolicyStore) -> RetentionLookup:
    """Follows hot reloads: each purge reads the policy set in force at that moment."""

    def days(tenant_id: str) -> int | None:
        current = store.current
        return policy_set_retention(current)(tenant_id) if current is not None else None

    return days


class AuditLedger:
    """What the running gateway holds: the batching writer and the background scheduler."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self._settings = settings
        self._database = database
        self.keyring = key_ring(settings)
        self.retention_days_for: RetentionLookup | None = None
        signer = checkpointer(settings, database)
        self.scheduler = AuditScheduler(
            signer,
            every_records=settings.audit_checkpoint_every_records,
            every_s=settings.audit_checkpoint_every_s,
            purge=self.purge_expired,
            purge_every_s=settings.audit_purge_every_s,
        )
        self.writer = AuditWriter(database, self.keyring, on_appended=self.scheduler.note_appended)
        signer.writer = self.writer

    def follow_policy(self, store: PolicyStore) -> None:
        """Take each tenant's retention from its policy (``audit.retention_days``)."""
        self.retention_days_for = policy_store_retention(store)

    def purge_expired(self) -> list[PurgeResult]:
        return purge_expired(
            self._database, self._settings.audit_retention_days, SCHEDULED_ACTOR, self.retention_days_for
        )

    def close(self) -> None:
        self.scheduler.stop()
        self.writer.close()


def start_ledger(settings: Settings, database: Database) -> AuditLedger:
    ledger = AuditLedger(settings, database)
    ledger.scheduler.start()
    return ledger
