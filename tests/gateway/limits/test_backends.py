"""Both counter stores admit exactly up to each limit, take all slots or none, and count tokens."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from gateway.errors import ServiceUnavailable
from gateway.limits.backend import LimitBackend
from gateway.limits.redis_backend import RedisLimits
from gateway.limits.rules import Admission, BudgetRule, Rule

pytestmark = pytest.mark.anyio


def _lease() -> str:
    return secrets.token_hex(6)


async def test_requests_per_minute_admits_exactly_the_limit(limits: LimitBackend) -> None:
    rule = Rule("t:key:k:rpm", 3, "requests per minute for this API key")
    outcomes = [await limits.admit(Admission(_lease(), requests=(rule,))) for _ in range(5)]
    assert [o is None for o in outcomes] == [True, True, True, False, False]
    denial = outcomes[3]
    assert denial is not None and denial.rule == rule
    assert 1 <= denial.retry_after_s <= 60


async def test_a_refused_request_takes_no_slot_anywhere(limits: LimitBackend) -> None:
    tenant_rpm = Rule("t:tenant:rpm", 10, "requests per minute for this tenant")
    key_rpm = Rule("t:key:k:rpm", 1, "requests per minute for this API key")
    assert await limits.admit(Admission(_lease(), requests=(key_rpm, tenant_rpm))) is None
    for _ in range(3):
        assert await limits.admit(Admission(_lease(), requests=(key_rpm, tenant_rpm))) is not None
    # Only the one admitted request counted against the tenant: 9 more fit.
    other_key = Rule("t:key:other:rpm", 100, "requests per minute for this API key")
    admitted = [await limits.admit(Admission(_lease(), requests=(other_key, tenant_rpm))) for _ in range(10)]
    assert sum(o is None for o in admitted) == 9


async def test_concurrency_slots_are_freed_when_settled(limits: LimitBackend) -> None:
    slot = Rule("t:tenant:conc", 2, "concurrent requests for this tenant")
    first, second, third = (Admission(_lease(), concurrency=(slot,)) for _ in range(3))
    assert await limits.admit(first) is None
    assert await limits.admit(second) is None
    denial = await limits.admit(third)
    assert denial is not None and denial.retry_after_s == 1
    await limits.settle(first, tokens=0)
    assert await limits.admit(third) is None


async def test_tokens_per_minute_counts_settled_tokens(limits: LimitBackend) -> None:
    tpm = Rule("t:tenant:tpm", 100, "tokens per minute for this tenant")
    first = Admission(_lease(), tokens=(tpm,))
    assert await limits.admit(first) is None
    await limits.settle(first, tokens=60)
    second = Admission(_lease(), tokens=(tpm,))
    assert await limits.admit(second) is None  # 60 < 100: admitted
    await limits.settle(second, tokens=50)
    denial = await limits.admit(Admission(_lease(), tokens=(tpm,)))
    assert denial is not None and denial.rule == tpm


async def test_budget_is_refused_once_spent_with_the_reset_time(limits: LimitBackend) -> None:
    daily = BudgetRule(f"t:budget:day:{_lease()}", 100, "daily token budget", "day", 3600)
    for tokens in (40, 59):
        admission = Admission(_lease(), budgets=(daily,))
        assert await limits.admit(admission) is None
        await limits.settle(admission, tokens=tokens)
    last = Admission(_lease(), budgets=(daily,))
    assert await limits.admit(last) is None  # 99 spent: still under
    await limits.settle(last, tokens=30)
    denial = await limits.admit(Admission(_lease(), budgets=(daily,)))
    assert denial is not None and denial.is_budget and denial.retry_after_s == 3600


@pytest.mark.redis
async def test_unreachable_redis_refuses_instead_of_admitting() -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    backend = RedisLimits("redis://127.0.0.1:1/0", timeout_s=0.5)
    rule = Rule("t:tenant:rpm", 1000, "requests per minute for this tenant")
    with pytest.raises(ServiceUnavailable) as refused:
        await backend.admit(Admission(_lease(), requests=(rule,)))
    assert refused.value.status_code == 503
    await backend.aclose()


async def test_concurrent_admissions_never_exceed_the_limit(limits: LimitBackend) -> None:
    rpm = Rule("t:tenant:rpm", 10, "requests per minute for this tenant")
    slots = Rule("t:tenant:conc", 7, "concurrent requests for this tenant")
    outcomes = await asyncio.gather(
        *(limits.admit(Admission(_lease(), requests=(rpm,), concurrency=(slots,))) for _ in range(50))
    )
    assert sum(outcome is None for outcome in outcomes) == 7  # the tighter of the two rules
