"""What the console holds while the gateway runs, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import FastAPI, Request

from gateway.audit.components import checkpoint_signer
from gateway.audit.keyring import DataKeyRing
from gateway.auth.local_key import MANIFEST_KEY_NAME, LocalSigningKey
from gateway.auth.trust import build_verifier, jwks_http_client
from gateway.console.integrity import run_verify
from gateway.console.verify_schedule import VerifySchedule
from gateway.home import BulwarkHome
from gateway.policy.store import PolicyStore
from gateway.secret_files import MANIFEST_KEY_FILE
from gateway.services import Services
from gateway.settings import Settings

SCHEDULED_ACTOR = "gateway (scheduled verify)"


@dataclass
class ConsoleState:
    settings: Settings
    keyring: DataKeyRing  # opens bodies for reveals; the same KEK provider the ledger writes with
    manifest_key: LocalSigningKey  # signs export manifests
    checkpoint_keys: dict[str, Ed25519PublicKey]  # the checkpoint signing keys verify trusts, by key id
    http: httpx.AsyncClient  # fetches the identity provider's JWKS
    verify_schedule: VerifySchedule

    policies: PolicyStore  # the tenant's policy can demand a second officer's approval

    def approval_required(self, tenant_id: str) -> bool:
        """Site-wide setting or the tenant's policy (``audit.reveal_requires_approval``): either suffices."""
        tenants = self.settings.reveal_approval_tenants
        if "*" in tenants or tenant_id in tenants:
            return True
        policy_set = self.policies.current
        policy = policy_set.get(tenant_id) if policy_set is not None else None
        return policy is not None and policy.audit.reveal_requires_approval

    async def aclose(self) -> None:
        await self.verify_schedule.aclose()
        await self.http.aclose()


def start_console(app: FastAPI, settings: Settings) -> ConsoleState:
    """Call from the lifespan, after ``app.state.services`` is set (inside the running event loop)."""
    services = app.state.services
    assert isinstance(services, Services)
    trusted = checkpoint_signer(settings).trusted()
    keyring = services.audit_writer.keyring
    assert keyring is not None  # the gateway's writer always encrypts
    http = jwks_http_client()
    app.state.token_verifier = build_verifier(settings, http)
    schedule = VerifySchedule(
        lambda: run_verify(services.database, trusted, services.audit_writer, SCHEDULED_ACTOR),
        settings.console_verify_every_s,
    )
    state = ConsoleState(
        settings=settings,
        keyring=keyring,
        manifest_key=_manifest_key(settings),
        checkpoint_keys=trusted,
        http=http,
        verify_schedule=schedule,
        policies=services.policy.store,
    )
    app.state.console = state
    schedule.start()
    return state


def _manifest_key(settings: Settings) -> LocalSigningKey:
    """Dev mode creates it; elsewhere it is mounted like every other key, so all replicas sign alike."""
    if settings.dev_mode:
        return LocalSigningKey.load_or_create(BulwarkHome(settings.home).secrets_dir / MANIFEST_KEY_NAME)
    return LocalSigningKey(settings.secret_files.path(MANIFEST_KEY_FILE).read_bytes())  # checked at start


def get_console(request: Request) -> ConsoleState:
    state = request.app.state.console
    assert isinstance(state, ConsoleState)
    return state
