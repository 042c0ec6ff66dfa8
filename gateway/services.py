"""Everything wired at start-up, handed to routes through one typed dependency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from gateway.audit.writer import AuditWriter
from gateway.auth.failed_attempts import FailedAuthTracker
from gateway.db.session import Database
from gateway.pipeline.stage import Pipeline
from gateway.policy.runtime import PolicyRuntime
from gateway.settings import Settings
from gateway.telemetry.runtime import TelemetryRuntime
from gateway.tenants.key_cache import KeyAuthenticator
from gateway.upstream.pools import UpstreamPools


@dataclass
class Services:
    settings: Settings
    database: Database
    audit_writer: AuditWriter
    upstreams: UpstreamPools  # engine pools; in-flight counts per replica for metrics
    keys: KeyAuthenticator  # API keys, their rows cached briefly; a revocation here drops its row
    pipeline: Pipeline
    policy: PolicyRuntime
    telemetry: TelemetryRuntime
    auth_failures: FailedAuthTracker


async def get_services(request: Request) -> Services:
    # async: FastAPI runs a plain ``def`` dependency on its thread pool, a thread hop per request.
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
