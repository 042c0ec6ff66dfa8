"""Everything one request carries through the pipeline. Stages read and fill it; nothing else is shared."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gateway.tenants.service import KeyIdentity

if TYPE_CHECKING:
    from gateway.policy.schema import TenantPolicy


@dataclass
class RequestContext:
    request_id: str
    endpoint: str  # "chat.completions", "completions", "embeddings", "responses" or "models"
    authorization: str | None = None  # the presented API key; never logged or stored
    source: str = "unknown"  # the client's address, for per-source limits on failed authentication
    read_body: Callable[[], Awaitable[bytes]] | None = None
    started_at: float = field(default_factory=time.monotonic)

    # Filled by stages, in pipeline order.
    identity: KeyIdentity | None = None
    body: dict[str, Any] = field(default_factory=dict)  # validated OpenAI request; redact rewrites it
    # The validated request as the client sent it (for /v1/responses, before its chat translation);
    # it holds unredacted text, so nothing forwards, logs or audits it.
    request: Any = None
    model: str | None = None
    stream: bool = False
    # The tenant's effective policy (set by resolve_policy); the import is for type checking only, so
    # this module does not depend on the policy domain at run time.
    policy: TenantPolicy | None = None
    policy_version: str | None = None
    stages_run: list[str] = field(default_factory=list)
    pii_counts: dict[str, int] = field(default_factory=dict)
    # The redact stage stored pseudonyms for this request: only then can the answer hold one to restore.
    pseudonymized: bool = False
    cache_salt: str | None = None
    upstream_pool: str = "default"  # the policy's engine pool (set by route)
    affinity_key: str | None = None  # tenant + digest of the prompt's leading block (set by route)
    upstream_url: str | None = None  # the replica that answered (set by forward)

    # Filled on the way out.
    forwarded_body: dict[str, Any] | None = None  # exactly what the engine received
    usage: dict[str, Any] | None = None
    completion_parts: list[str] = field(default_factory=list)  # as the engine wrote it
    # The answer as it left scan_response (model PII redacted, the caller's pseudonyms not yet restored)
    # and as the client received it; the audit body stores one of them, never the engine's raw text.
    redacted_completion_parts: list[str] = field(default_factory=list)
    client_completion_parts: list[str] = field(default_factory=list)

    @property
    def tenant_id(self) -> str | None:
        return self.identity.tenant_id if self.identity else None

    @property
    def key_id(self) -> str | None:
        return self.identity.key_id if self.identity else None

    def elapsed_ms(self) -> int:
        return int((time.monotonic() - self.started_at) * 1000)

    def count_pii(self, entity_type: str, count: int = 1) -> None:
        self.pii_counts[entity_type] = self.pii_counts.get(entity_type, 0) + count
