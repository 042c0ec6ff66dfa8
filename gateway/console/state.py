"""What the console holds while the gateway runs, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from fastapi import FastAPI, Request

from gateway.audit.components import AuditPaths, audit_paths, key_ring
from gateway.audit.keyring import DataKeyRing
from gateway.auth.local_key import MANIFEST_KEY_NAME, LocalSigningKey
from gateway.auth.trust import build_verifier, jwks_http_client
from gateway.console.integrity import run_verify
from gateway.console.verify_schedule import VerifySchedule
from gateway.home import BulwarkHome
from gateway.policy.store import PolicyStore
from gateway.services import Services
from gateway.settings import Settings

SCHEDULED_ACTOR = "gateway (scheduled verify)"


@dataclass
class ConsoleState:
    settings: Settings
    keyring: DataKeyRing  # opens bodies for reveals; the same KEK provider the ledger writes with
    manifest_key: LocalSigningKey  # signs export manifests
    audit_paths: AuditPaths
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
    paths = audit_paths(settings)
    http = jwks_http_client()
    app.state.token_verifier = build_verifier(settings, http)
    schedule = VerifySchedule(
        lambda: run_verify(services.database, paths, services.audit_writer, SCHEDULED_ACTOR),
        settings.console_verify_every_s,
    )
    state = ConsoleState(
        settings=settings,
        keyring=key_ring(settings),
        manifest_key=LocalSigningKey.load_or_create(
            BulwarkHome(settings.home).secrets_dir / MANIFEST_KEY_NAME
        ),
        audit_paths=paths,
        http=http,
        verify_schedule=schedule,
        policies=services.policy.store,
    )
    app.state.console = state
    schedule.start()
    return state


def get_console(request: Request) -> ConsoleState:
    state = request.app.state.console
    assert isinstance(state, ConsoleState)
    return state
