"""Counters shared by every gateway replica, in Redis. Each check-and-take is one Lua script call.

If Redis cannot be reached the request is refused with 503: a limit that silently stops counting is a
limit that does not exist.
"""

from __future__ import annotations

import logging

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from gateway.errors import ServiceUnavailable
from gateway.limits.redis_scripts import ADMIT, SETTLE
from gateway.limits.rules import WINDOW_MS, Admission, Denial, Rule

logger = logging.getLogger(__name__)
LEASE_TTL_MS = 15 * 60_000
BUDGET_TTL_MARGIN_S = 86_400  # keep a spent budget a day past its period, for inspection


class RedisLimits:
    def __init__(self, url: str, prefix: str = "bulwark:limits:", timeout_s: float = 2.0) -> None:
        self._redis = aioredis.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, decode_responses=True
        )
        self._prefix = prefix
        self._admit = self._redis.register_script(ADMIT)
        self._settle = self._redis.register_script(SETTLE)

    async def admit(self, admission: Admission) -> Denial | None:
        rules: list[Rule] = [
            *admission.requests,
            *admission.tokens,
            *admission.concurrency,
            *admission.budgets,
        ]
        args: list[str | int] = [
            len(admission.requests),
            len(admission.tokens),
            len(admission.concurrency),
            len(admission.budgets),
            admission.lease,
            WINDOW_MS,
            LEASE_TTL_MS,
            *(rule.limit for rule in rules),
        ]
        if not rules:
            return None
        try:
            index, retry_ms = await self._admit(keys=[self._prefix + r.counter for r in rules], args=args)
        except (RedisError, OSError) as error:
            logger.error("rate-limit store unavailable: %s", type(error).__name__)
            raise ServiceUnavailable(
                "The rate-limit store is unavailable, so the request was not admitted.",
                code="limits_unavailable",
            ) from error
        if int(index) == 0:
            return None
        rule = rules[int(index) - 1]
        retry_s = getattr(rule, "resets_in_s", 1) if int(retry_ms) < 0 else max(1, -(-int(retry_ms) // 1000))
        return Denial(rule, int(retry_s))

    async def settle(self, admission: Admission, tokens: int) -> None:
        keys = [
            self._prefix + r.counter for r in (*admission.tokens, *admission.concurrency, *admission.budgets)
        ]
        if not keys:
            return
        budget_ttls = [b.resets_in_s + BUDGET_TTL_MARGIN_S for b in admission.budgets]
        args: list[str | int] = [
            len(admission.tokens),
            len(admission.concurrency),
            len(admission.budgets),
            admission.lease,
            max(0, tokens),
            WINDOW_MS,
            *budget_ttls,
        ]
        try:
            await self._settle(keys=keys, args=args)
        except (RedisError, OSError) as error:
            # The response already went out; slots expire on their own after LEASE_TTL_MS.
            logger.error("could not settle a request's limits: %s", type(error).__name__)

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    async def aclose(self) -> None:
        await self._redis.aclose()
