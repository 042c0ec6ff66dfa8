"""Everything the PII stages share, built once at start-up: analyzer, redactor, vault, time limit.

Analysis runs in a worker thread so one long prompt does not stall the event loop, under a time limit.
If it raises or runs out of time the request fails closed: ``ServiceUnavailable`` (503), nothing
forwarded. Error messages name no values; the exception type alone is logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import anyio

from gateway.errors import InvalidRequest, ServiceUnavailable
from gateway.pii.analyzer import Finding, PiiAnalyzer
from gateway.pii.pseudonyms import Pseudonymizer
from gateway.pii.redaction import Redaction, Redactor
from gateway.pii.rules import Direction, PiiRules
from gateway.pii.scan import scan_text
from gateway.pii.vault import PseudonymVault, RedisPseudonymVault, Vault

if TYPE_CHECKING:
    from gateway.pipeline.context import RequestContext
    from gateway.settings import Settings

logger = logging.getLogger(__name__)


class PiiBlocked(InvalidRequest):
    code = "pii_blocked"


class PiiService:
    def __init__(
        self,
        analyzer: PiiAnalyzer,
        tenant_secret: bytes,
        vault: Vault,
        timeout_s: float = 10.0,
    ) -> None:
        self.analyzer = analyzer
        self.redactor = Redactor(Pseudonymizer(tenant_secret))
        self.vault = vault
        self.timeout_s = timeout_s

    @classmethod
    def from_settings(cls, settings: Settings) -> PiiService:
        """Loads the spaCy model (seconds): call it once, at start-up, off the event loop."""
        secret = settings.secret("tenant_secret")
        vault: Vault = (
            RedisPseudonymVault(settings.redis_url, secret, ttl_s=settings.pii_vault_ttl_s)
            if settings.redis_url
            else PseudonymVault(ttl_s=settings.pii_vault_ttl_s)
        )
        return cls(PiiAnalyzer(settings.pii_spacy_model), secret, vault, timeout_s=settings.pii_timeout_s)

    async def remember(self, tenant_id: str, key_id: str, originals: dict[str, str]) -> None:
        """Store pseudonyms for ``restore``. If the vault is down the request is refused (503): the
        caller would get placeholders back, and the rule is to fail closed rather than half-work."""
        try:
            await self.vault.store_many(tenant_id, key_id, originals)
        except Exception as error:  # noqa: BLE001 - any vault failure refuses the request
            logger.error("pseudonym vault store failed: %s", type(error).__name__)
            raise ServiceUnavailable(
                "The pseudonym vault is unavailable; the request was not forwarded."
            ) from None

    async def aclose(self) -> None:
        await self.vault.aclose()

    @staticmethod
    def rules_for(ctx: RequestContext) -> PiiRules:
        policy = ctx.policy
        return policy.pii if policy is not None else PiiRules.default()

    async def scan_many(self, texts: list[str], rules: PiiRules, direction: Direction) -> list[list[Finding]]:
        """Findings for each text, computed off the event loop; 503 on any failure or timeout."""

        def run() -> list[list[Finding]]:
            return [scan_text(self.analyzer, text, rules, direction) for text in texts]

        try:
            with anyio.fail_after(self.timeout_s):
                # abandon_on_cancel: on timeout we answer 503 at once; the thread finishes on its own.
                return await anyio.to_thread.run_sync(run, abandon_on_cancel=True)
        except TimeoutError:
            logger.error("pii analysis timed out after %.1fs", self.timeout_s)
        except Exception as error:  # noqa: BLE001 - any detector failure must fail closed, not leak
            logger.error("pii analysis failed: %s", type(error).__name__)
        raise ServiceUnavailable("PII analysis is unavailable; the request was not forwarded.")

    def apply(
        self, text: str, findings: list[Finding], rules: PiiRules, direction: Direction, tenant_id: str
    ) -> Redaction:
        return self.redactor.apply(text, findings, rules, direction, tenant_id)

    def refuse_blocked(self, blocked_types: set[str]) -> None:
        if blocked_types:
            names = ", ".join(sorted(blocked_types))
            raise PiiBlocked(f"The request contains data this tenant's policy blocks: {names}.")
