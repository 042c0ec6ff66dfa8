"""What one request must pass to be admitted, derived from its tenant's policy.

Counters are named ``{<tenant>}:key:<key id>:...`` or ``{<tenant>}:tenant:...``; backends add their
own prefix. Every window is a sliding minute; budgets are per UTC day and calendar month.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from gateway.policy.schema import RateLimit, TenantPolicy

WINDOW_MS = 60_000
Period = Literal["day", "month"]


@dataclass(frozen=True)
class Rule:
    counter: str
    limit: int
    label: str  # for the caller: "requests per minute for this API key"


@dataclass(frozen=True)
class BudgetRule(Rule):
    period: Period
    resets_in_s: int  # seconds until the period ends


@dataclass(frozen=True)
class Admission:
    """One request's claims. ``lease`` identifies its concurrency slots and request-window entries."""

    lease: str
    requests: tuple[Rule, ...] = ()  # each admitted request adds 1 to a sliding minute window
    tokens: tuple[Rule, ...] = ()  # admitted while under the limit; actual tokens added afterwards
    concurrency: tuple[Rule, ...] = ()  # a slot held until the response ends
    budgets: tuple[BudgetRule, ...] = ()  # admitted while under the budget; tokens added afterwards


@dataclass(frozen=True)
class Denial:
    rule: Rule
    retry_after_s: int

    @property
    def is_budget(self) -> bool:
        return isinstance(self.rule, BudgetRule)


def _scope_rules(prefix: str, who: str, limits: RateLimit) -> tuple[list[Rule], list[Rule], list[Rule]]:
    requests, tokens, slots = [], [], []
    if limits.requests_per_minute is not None:
        requests.append(Rule(f"{prefix}:rpm", limits.requests_per_minute, f"requests per minute for {who}"))
    if limits.tokens_per_minute is not None:
        tokens.append(Rule(f"{prefix}:tpm", limits.tokens_per_minute, f"tokens per minute for {who}"))
    if limits.concurrent_requests is not None:
        slots.append(Rule(f"{prefix}:conc", limits.concurrent_requests, f"concurrent requests for {who}"))
    return requests, tokens, slots


def plan_admission(
    policy: TenantPolicy, tenant_id: str, key_id: str, lease: str, now: datetime | None = None
) -> Admission:
    now = now or datetime.now(UTC)
    # "{tenant}" is a Redis Cluster hash tag: one request's counters share a slot, so the single Lua
    # script that checks them all stays legal on a cluster too.
    tag = f"{{{tenant_id}}}"
    key_rules = _scope_rules(f"{tag}:key:{key_id}", "this API key", policy.rate_limits.per_key)
    tenant_rules = _scope_rules(f"{tag}:tenant", "this tenant", policy.rate_limits.per_tenant)
    budgets = []
    if policy.budgets.tokens_per_day is not None:
        budgets.append(
            BudgetRule(
                f"{tag}:budget:day:{now:%Y-%m-%d}",
                policy.budgets.tokens_per_day,
                "daily token budget",
                "day",
                _seconds_to_next_day(now),
            )
        )
    if policy.budgets.tokens_per_month is not None:
        budgets.append(
            BudgetRule(
                f"{tag}:budget:month:{now:%Y-%m}",
                policy.budgets.tokens_per_month,
                "monthly token budget",
                "month",
                _seconds_to_next_month(now),
            )
        )
    return Admission(
        lease=lease,
        requests=tuple(key_rules[0] + tenant_rules[0]),
        tokens=tuple(key_rules[1] + tenant_rules[1]),
        concurrency=tuple(key_rules[2] + tenant_rules[2]),
        budgets=tuple(budgets),
    )


def _seconds_to_next_day(now: datetime) -> int:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, 86_400 - int((now - midnight).total_seconds()))


def _seconds_to_next_month(now: datetime) -> int:
    days = calendar.monthrange(now.year, now.month)[1]
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return max(1, days * 86_400 - int((now - start).total_seconds()))
