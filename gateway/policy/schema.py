"""The tenant policy schema. Every section is strict: an unknown key is an error, never ignored.

Defaults fail closed: a policy that names no models allows none, and PII rules default to the strict
``PiiRules.default()``. Limits and budgets left unset are not enforced (a policy must say them).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from gateway.pii.rules import PiiRules

TENANT_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,62}$"
PositiveInt = Annotated[int, Field(gt=0, strict=True)]


class ValidationOptions(BaseModel):
    """What policies are checked against: the models and engine pools this gateway can serve."""

    model_config = ConfigDict(frozen=True)

    known_models: frozenset[str] = frozenset({"smollm2-135m-instruct", "all-minilm-l6-v2"})
    known_upstreams: frozenset[str] = frozenset({"default"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _require_known(value: str, known: frozenset[str], what: str, listed_as: str) -> str:
    if value not in known:
        raise ValueError(f"unknown {what} {value!r}: {listed_as} {', '.join(sorted(known))}")
    return value


def _known_model(model: str, info: ValidationInfo) -> str:
    return _require_known(model, _options(info).known_models, "model", "this gateway serves")


class ModelsSection(_Strict):
    allowed: list[Annotated[str, AfterValidator(_known_model)]] = Field(default_factory=list)


class TokenLimits(_Strict):
    max_tokens: PositiveInt | None = None  # cap on the completion tokens one request may ask for
    max_input_tokens: PositiveInt | None = None  # estimated prompt size above which a request is refused
    # A request asking for more than ``max_tokens``: refuse it (400), or lower it to the cap.
    on_exceed: Literal["reject", "clamp"] = "reject"
    # A chat over ``max_input_tokens``: refuse it (400), or drop its oldest turns (never system messages
    # nor the last message) until it fits. A plain completion prompt is never cut: always refused.
    on_input_exceed: Literal["reject", "clamp"] = "reject"


class RateLimit(_Strict):
    requests_per_minute: PositiveInt | None = None
    tokens_per_minute: PositiveInt | None = None
    concurrent_requests: PositiveInt | None = None


class RateLimits(_Strict):
    per_key: RateLimit = RateLimit()
    per_tenant: RateLimit = RateLimit()


class Budgets(_Strict):
    # Prompt plus completion tokens, per tenant, per UTC day / calendar month.
    tokens_per_day: PositiveInt | None = None
    tokens_per_month: PositiveInt | None = None


class AuditSection(_Strict):
    retention_days: Annotated[int, Field(ge=1, le=36500, strict=True)] = 2190  # HIPAA: six years
    store_bodies: Literal["none", "redacted", "full"] = "redacted"
    # Four eyes: a compliance officer's reveal of this tenant's bodies waits for a second officer's approval.
    reveal_requires_approval: bool = False


class PolicyBody(_Strict):
    description: str | None = None
    models: ModelsSection = ModelsSection()
    tokens: TokenLimits = TokenLimits()
    rate_limits: RateLimits = RateLimits()
    budgets: Budgets = Budgets()
    pii: PiiRules = Field(default_factory=PiiRules.default)
    audit: AuditSection = AuditSection()
    allow_streaming: bool = True
    upstream: str = "default"  # the engine pool this tenant's requests go to

    @field_validator("upstream")
    @classmethod
    def _known_upstream(cls, upstream: str, info: ValidationInfo) -> str:
        return _require_known(upstream, _options(info).known_upstreams, "upstream", "configured pools are")


class BasePolicy(PolicyBody):
    """A file in ``policies/base/``: shared rules (HIPAA, PCI) that tenant policies extend."""

    # Compliance floors: dotted fields ("audit.retention_days", "pii") the tenants extending this base
    # cannot loosen (see gateway.policy.floors). Not inherited: a tenant file never sets it.
    locked: list[str] = Field(default_factory=list)

    @field_validator("locked")
    @classmethod
    def _locked_fields_exist(cls, locked: list[str]) -> list[str]:
        # A misspelt entry would be a floor that silently does not exist.
        for path in locked:
            head = path.split(".", 1)[0]
            if head not in PolicyBody.model_fields or head == "description":
                raise ValueError(f"{path!r} is not a policy field")
        return locked


class TenantPolicy(PolicyBody):
    """A tenant's effective policy: its own file merged over the bases it extends."""

    tenant: Annotated[str, Field(pattern=TENANT_ID_PATTERN)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    extends: tuple[str, ...] = ()  # the resolved chain, most general first (informational)

    def allows_model(self, model: str) -> bool:
        return model in self.models.allowed


def _options(info: ValidationInfo) -> ValidationOptions:
    context: Any = info.context
    if isinstance(context, ValidationOptions):
        return context
    return ValidationOptions()
