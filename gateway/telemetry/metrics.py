"""The gateway's Prometheus metrics, on a registry the app owns.

Labels carry tenant ids, served model names, stage names, error codes, entity types and upstream URLs:
never a key, a prompt, a completion or a PII value. With ``PROMETHEUS_MULTIPROC_DIR`` set (several
uvicorn workers) prometheus-client keeps values in files there and ``render`` merges every worker's.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # what the engine serves too; every Prometheus reads it
_STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)
_TOKEN_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_COMMIT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)


def _multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "bulwark_gateway_requests",
            "Requests through the pipeline, by tenant, model and outcome ('ok' or the error code)",
            ["tenant", "model", "endpoint", "outcome"],
            registry=r,
        )
        self.stage_seconds = Histogram(
            "bulwark_gateway_stage_duration_seconds",
            "Time spent in a pipeline stage itself (inner stages excluded), up to the reply's start",
            ["stage", "tenant", "outcome"],
            buckets=_STAGE_BUCKETS,
            registry=r,
        )
        self.time_to_first_token = Histogram(
            "bulwark_gateway_time_to_first_token_seconds",
            "From the request's arrival to the first streamed token the client receives",
            ["tenant", "model"],
            buckets=_TOKEN_BUCKETS,
            registry=r,
        )
        self.inter_token_latency = Histogram(
            "bulwark_gateway_inter_token_latency_seconds",
            "Between consecutive streamed chunks the client receives",
            ["tenant", "model"],
            buckets=_TOKEN_BUCKETS,
            registry=r,
        )
        self.pii_findings = Counter(
            "bulwark_gateway_pii_findings",
            "PII found in requests, by entity type and the action the tenant's policy took",
            ["tenant", "entity_type", "action"],
            registry=r,
        )
        self.policy_denials = Counter(
            "bulwark_gateway_policy_denials",
            "Requests a tenant's policy refused, by reason (error code)",
            ["tenant", "reason"],
            registry=r,
        )
        self.limit_hits = Counter(
            "bulwark_gateway_limit_hits",
            "Requests refused by a rate limit or token budget, by reason (error code)",
            ["tenant", "reason"],
            registry=r,
        )
        self.audit_commit_seconds = Histogram(
            "bulwark_gateway_audit_commit_seconds",
            "One audit ledger transaction (a batch of records), from begin to commit",
            buckets=_COMMIT_BUCKETS,
            registry=r,
        )
        self.audit_queue_depth = Gauge(
            "bulwark_gateway_audit_queue_depth",
            "Audit records and admission probes waiting for the writer after its last commit",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.upstream_in_flight = Gauge(
            "bulwark_gateway_upstream_in_flight",
            "Requests open to an upstream engine (until the response body is closed)",
            ["upstream"],
            registry=r,
            multiprocess_mode="livesum",
        )
        self.upstream_errors = Counter(
            "bulwark_gateway_upstream_errors",
            "Upstream failures: transport errors by exception type, or 'status_5xx'",
            ["upstream", "reason"],
            registry=r,
        )

    def audit_committed(self, seconds: float, queued: int) -> None:
        self.audit_commit_seconds.observe(seconds)
        self.audit_queue_depth.set(queued)

    def render(self) -> bytes:
        directory = _multiprocess_dir()
        if directory is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=directory)  # type: ignore[no-untyped-call]
        return generate_latest(merged)
