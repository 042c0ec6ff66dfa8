"""A real app (lifespan, migrations, ledger) with the local issuer, and real records in its ledger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.audit.events import AuditEvent
from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token
from gateway.services import Services
from gateway.settings import Settings, load_settings

# Marks content that only a reveal may ever return.
CANARY = "zebra-lantern-7731"
UNUSED_UPSTREAM = "http://127.0.0.1:9"  # console routes never reach the engine


@dataclass
class Console:
    client: TestClient
    settings: Settings

    @property
    def services(self) -> Services:
        services = self.client.app.state.services  # type: ignore[attr-defined]
        assert isinstance(services, Services)
        return services

    def token(self, role: Role | None, tenants: list[str] | None = None, subject: str = "officer-1") -> str:
        return issue_local_token(self.settings, subject, [role] if role else [], tenants)

    def auth(
        self, role: Role | None, tenants: list[str] | None = None, subject: str = "officer-1"
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, tenants, subject)}"}

    def seed(self, tenant: str, prompt: str = CANARY, **fields: object) -> int:
        """Append one request record with an encrypted body through the gateway's own ledger writer."""
        event = AuditEvent(
            event_type="request",
            outcome="ok",
            tenant_id=tenant,
            key_id="key-" + tenant,
            status_code=200,
            endpoint="chat.completions",
            model="smollm2-135m-instruct",
            pii_counts={"PERSON": 1},
            body={"request": {"messages": [{"role": "user", "content": prompt}]}, "completion": "ok"},
            body_mode="full",
        )
        for name, value in fields.items():
            setattr(event, name, value)
        return self.services.audit_writer.write(event).seq


def make_console(home: Path, **overrides: object) -> Iterator[Console]:
    settings = load_settings(home=home, dev_mode=True, upstream_url=UNUSED_UPSTREAM, **overrides)
    # In-process ASGI client: the real app and its lifespan; only the socket is skipped.
    with TestClient(create_app(settings)) as client:
        yield Console(client, settings)


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    yield from make_console(tmp_path / "home")
