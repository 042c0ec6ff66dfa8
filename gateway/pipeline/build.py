"""The one place the request pipeline is composed. Read top to bottom: outermost stage first."""

from __future__ import annotations

from gateway.audit.stage import AuditStage
from gateway.audit.writer import AuditWriter
from gateway.chat.validate import ValidateStage
from gateway.db.session import Database
from gateway.limits.enforce import EnforceLimitsStage
from gateway.pipeline.stage import Pipeline
from gateway.policy.resolve import ResolvePolicyStage
from gateway.policy.runtime import PolicyRuntime
from gateway.settings import Settings
from gateway.tenants.authenticate import AuthenticateStage
from gateway.upstream.client import EngineClient
from gateway.upstream.forward import ForwardStage
from gateway.upstream.route import RouteStage


def build_pipeline(
    settings: Settings,
    database: Database,
    audit_writer: AuditWriter,
    engine: EngineClient,
    policy: PolicyRuntime,
) -> Pipeline:
    return Pipeline(
        [
            AuditStage(audit_writer),
            AuthenticateStage(database, settings.secret("key_pepper")),
            ValidateStage(),
            ResolvePolicyStage(policy.store),
            EnforceLimitsStage(policy.limits),
            RouteStage(settings.secret("tenant_secret"), settings.upstream_url),
            ForwardStage(engine),
        ]
    )
