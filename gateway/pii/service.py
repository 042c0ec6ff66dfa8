"""Everything the PII stages share, built once at start-up: analyzer, redactor, vault, time limit.

Analysis runs on a fixed pool of worker threads (``gateway.pii.workers``) so one long prompt does not
stall the event loop: a full pool answers 429, text over the policy's ``max_input_chars`` 413, and a
failure or timeout fails closed with ``ServiceUnavailable`` (503), nothing forwarded, the timed-out work
stopped rather than abandoned. Error messages name no values; the exception type alone is logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from gateway.errors import InvalidRequest, PayloadTooLarge, RateLimited, ServiceUnavailable
from gateway.pii.analyzer import Finding, PiiAnalyzer
from gateway.pii.entity_types import BUILTIN_ENTITY_TYPES
from gateway.pii.pseudonyms import Pseudonymizer
from gateway.pii.redaction import Redaction, Redactor
from gateway.pii.rules import Direction, PiiRules
from gateway.pii.scan import scan_text
from gateway.pii.vault import PseudonymVault, RedisPseudonymVault, Vault
from gateway.pii.workers import AnalysisPool, CancelFlag

if TYPE_CHECKING:
    from gateway.pipeline.context import RequestContext
    from gateway.settings import Settings

logger = logging.getLogger(__name__)
SCREENABLE_TYPES = sorted(
    BUILTIN_ENTITY_TYPES
)  # every type a rule can name (custom ones come with the rules)


class PiiBlocked(InvalidRequest):
    code = "pii_blocked"


class PiiService:
    def __init__(
        self,
        analyzer: PiiAnalyzer,
        tenant_secret: bytes,
        vault: Vault,
        timeout_s: float = 10.0,
        workers: int = 4,
        max_waiting: int = 32,
    ) -> None:
        self.analyzer = analyzer
        self.redactor = Redactor(Pseudonymizer(tenant_secret))
        self.vault = vault
        self.timeout_s = timeout_s
        self.pool = AnalysisPool(workers, max_waiting)

    @classmethod
    def from_settings(cls, settings: Settings) -> PiiService:
        """Loads the spaCy model (seconds): call it once, at start-up, off the event loop."""
        secret = settings.secret("tenant_secret")
        vault: Vault = (
            RedisPseudonymVault(settings.redis_url, secret, ttl_s=settings.pii_vault_ttl_s)
            if settings.redis_url
            else PseudonymVault(ttl_s=settings.pii_vault_ttl_s)
        )
        return cls(
            PiiAnalyzer(settings.pii_spacy_model),
            secret,
            vault,
            timeout_s=settings.pii_timeout_s,
            workers=settings.pii_workers,
            max_waiting=settings.pii_max_waiting,
        )

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
        self.pool.shutdown()
        await self.vault.aclose()

    @staticmethod
    def rules_for(ctx: RequestContext) -> PiiRules:
        policy = ctx.policy
        return policy.pii if policy is not None else PiiRules.default()

    def screens(self, rules: PiiRules, direction: Direction) -> bool:
        """Whether ``rules`` look for anything in ``direction``; with every type allowed nothing runs."""
        return bool(rules.wanted_types(SCREENABLE_TYPES, direction))

    async def scan_many(self, texts: list[str], rules: PiiRules, direction: Direction) -> list[list[Finding]]:
        """Findings for each text, computed on the pool; 413 over the policy's size, 429 when the pool is
        full, 503 on any failure or timeout."""
        if sum(len(text) for text in texts) > rules.max_input_chars:
            raise PayloadTooLarge(
                f"The text to screen for PII exceeds this tenant's limit of {rules.max_input_chars} characters.",
                code="pii_input_too_large",
            )

        def run(flag: CancelFlag) -> list[list[Finding]]:
            found = []
            for text in texts:
                flag.checkpoint()  # a timed-out request stops here instead of running on unseen
                found.append(scan_text(self.analyzer, text, rules, direction))
            return found

        try:
            return await self.pool.run(run, self.timeout_s)
        except RateLimited:
            logger.warning("pii analysis at capacity")
            raise
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
