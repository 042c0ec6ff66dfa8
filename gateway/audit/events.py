"""What an audit record says, independent of how the ledger stores it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BODY_MODES = ("none", "redacted", "full")


@dataclass
class AuditEvent:
    event_type: str  # "request", "key.created", "key.revoked", "auth.failed", ...
    outcome: str  # "ok", "error", "denied", "blocked", ...
    request_id: str | None = None
    tenant_id: str | None = None
    key_id: str | None = None
    actor: str | None = None
    status_code: int | None = None
    endpoint: str | None = None
    model: str | None = None
    policy_version: str | None = None
    stages: list[str] = field(default_factory=list)
    pii_counts: dict[str, int] = field(default_factory=dict)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: int | None = None
    error_code: str | None = None
    # Clear, non-sensitive facts of an administrative event (what a purge covered, which keys a shred
    # destroyed). Stored unencrypted in the header, so never put content or PII here.
    detail: dict[str, Any] | None = None
    # Content (prompt, completion, findings). Encrypted under the tenant's data key; never logged.
    body: dict[str, Any] | None = None
    # How the body was stored, per the tenant's policy: "none", "redacted" or "full".
    body_mode: str = "full"
