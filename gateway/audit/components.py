"""Builds the ledger's parts from settings: one place for the key provider, signer, writer and scheduler.

Outside dev mode every key comes from a provider (``BULWARK_SECRETS_DIR`` files or a PKCS#11 token) and
nothing is created; dev mode creates its keys under ``BULWARK_HOME/secrets`` on first use.
"""

from __future__ import annotations

from datetime import timedelta

from gateway.audit.checkpointer import Checkpointer
from gateway.audit.checkpoints import CheckpointSigner
from gateway.audit.kek_file import DevKekFile, KekFile
from gateway.audit.key_provider import KeyProvider, KeyProviderError
from gateway.audit.keyring import DataKeyRing
from gateway.audit.retention import PurgeResult, RetentionLookup, purge_expired
from gateway.audit.scheduler import AuditScheduler
from gateway.audit.writer import AuditWriter
from gateway.db.session import Database
from gateway.policy.policy_set import PolicySet
from gateway.policy.store import PolicyStore
from gateway.secret_files import KEK_FILE, SIGNING_KEY_FILE
from gateway.settings import Settings

SCHEDULED_ACTOR = "scheduled purge"


def key_provider(settings: Settings) -> KeyProvider:
    if settings.kek_provider == "pkcs11":
        from gateway.audit.pkcs11_provider import Pkcs11KeyProvider  # the C library loads only when used

        module, token, kek = settings.pkcs11_module, settings.pkcs11_token_label, settings.pkcs11_kek_label
        if module is None or token is None or kek is None or settings.pkcs11_pin is None:
            raise KeyProviderError("BULWARK_KEK_PROVIDER=pkcs11 needs BULWARK_PKCS11_* settings")
        return Pkcs11KeyProvider(module, token, settings.pkcs11_pin.get_secret_value(), kek)
    path = settings.secret_files.path(KEK_FILE)
    provider = DevKekFile(path) if settings.dev_mode else KekFile(path)
    provider.current_kek_id()  # fail at start-up on a missing or malformed ring
    return provider


def key_ring(settings: Settings, provider: KeyProvider | None = None) -> DataKeyRing:
    return DataKeyRing(
        provider or key_provider(settings),
        max_records=settings.audit_data_key_max_records,
        max_age=timedelta(days=settings.audit_data_key_max_age_days),
    )


def checkpoint_signer(settings: Settings) -> CheckpointSigner:
    path = settings.secret_files.path(SIGNING_KEY_FILE)
    return CheckpointSigner.dev(path) if settings.dev_mode else CheckpointSigner.from_pem_file(path)


def checkpointer(settings: Settings, database: Database) -> Checkpointer:
    return Checkpointer(database, checkpoint_signer(settings))


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
    """What the running gateway holds: the batching writer, the background scheduler and the key ring
    (one provider per process: a PKCS#11 provider holds the token session)."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self._settings = settings
        self._database = database
        self.keyring = key_ring(settings)
        self.retention_days_for: RetentionLookup | None = None
        self.checkpointer = checkpointer(settings, database)
        self.scheduler = AuditScheduler(
            self.checkpointer,
            every_records=settings.audit_checkpoint_every_records,
            every_s=settings.audit_checkpoint_every_s,
            purge=self.purge_expired,
            purge_every_s=settings.audit_purge_every_s,
        )
        self.writer = AuditWriter(database, self.keyring, on_appended=self.scheduler.note_appended)

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
