"""The one place the request pipeline is composed. Read top to bottom: outermost stage first."""

from __future__ import annotations

from gateway.audit.stage import AuditStage
from gateway.audit.writer import AuditWriter
from gateway.auth.failed_attempts import FailedAuthTracker
from gateway.chat.validate import ValidateStage
from gateway.limits.enforce import EnforceLimitsStage
from gateway.pii.redact_stage import RedactStage
from gateway.pii.response_stage import ResponseScanStage
from gateway.pii.restore_stage import RestoreStage
from gateway.pii.service import PiiService
from gateway.pipeline.stage import Pipeline, PipelineObserver
from gateway.policy.resolve import ResolvePolicyStage
from gateway.policy.runtime import PolicyRuntime
from gateway.settings import Settings
from gateway.tenants.authenticate import AuthenticateStage
from gateway.tenants.key_cache import KeyAuthenticator
from gateway.upstream.forward import ForwardStage
from gateway.upstream.pools import UpstreamPools
from gateway.upstream.route import RouteStage


def build_pipeline(
    settings: Settings,
    keys: KeyAuthenticator,
    audit_writer: AuditWriter,
    upstreams: UpstreamPools,
    policy: PolicyRuntime,
    pii: PiiService,
    auth_failures: FailedAuthTracker,
    observer: PipelineObserver | None = None,
) -> Pipeline:
    return Pipeline(
        [
            # Outside audit: a refused key is counted per source and recorded in aggregate, so a flood
            # of bad keys never takes the ledger's write lock once per request.
            AuthenticateStage(keys, auth_failures),
            AuditStage(audit_writer),
            ValidateStage(),
            ResolvePolicyStage(policy.store),
            EnforceLimitsStage(policy.limits),
            # On the way out the reply meets scan_response before restore: the model's own PII is
            # redacted, then the caller's pseudonyms are put back (originals are never re-scanned).
            RestoreStage(pii.vault),
            ResponseScanStage(pii),
            RedactStage(pii),
            RouteStage(settings.secret("tenant_secret"), upstreams),
            ForwardStage(upstreams),
        ],
        observer,  # a span and a latency sample per stage (gateway.telemetry)
    )
