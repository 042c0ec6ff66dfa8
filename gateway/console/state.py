"""What the console holds while the gateway runs, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from fastapi import FastAPI, Request

from gateway.audit.components import AuditPaths, audit_paths, key_ring
from gateway.audit.keyring import DataKeyRing
from gateway.auth.local_key import MANIFEST_KEY_NAME, LocalSigningKey
from gateway.auth.trust import build_verifier, jwks_http_client
from gateway.home import BulwarkHome
from gateway.settings import Settings


@dataclass
class ConsoleState:
    settings: Settings
    keyring: DataKeyRing  # opens bodies for reveals; the same KEK provider the ledger writes with
    manifest_key: LocalSigningKey  # signs export manifests
    audit_paths: AuditPaths
    http: httpx.AsyncClient  # fetches the identity provider's JWKS

    def approval_required(self, tenant_id: str) -> bool:
        tenants = self.settings.reveal_approval_tenants
        return "*" in tenants or tenant_id in tenants

    async def aclose(self) -> None:
        await self.http.aclose()


def start_console(app: FastAPI, settings: Settings) -> ConsoleState:
    http = jwks_http_client()
    app.state.token_verifier = build_verifier(settings, http)
    state = ConsoleState(
        settings=settings,
        keyring=key_ring(settings),
        manifest_key=LocalSigningKey.load_or_create(
            BulwarkHome(settings.home).secrets_dir / MANIFEST_KEY_NAME
        ),
        audit_paths=audit_paths(settings),
        http=http,
    )
    app.state.console = state
    return state


def get_console(request: Request) -> ConsoleState:
    state = request.app.state.console
    assert isinstance(state, ConsoleState)
    return state
