"""Counters for a single gateway process (the embedded default). Several replicas need Redis."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque

from gateway.limits.rules import WINDOW_MS, Admission, Denial

LEASE_TTL_MS = 15 * 60_000  # a slot a crashed request never released frees itself


class InProcessLimits:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: defaultdict[str, deque[float]] = defaultdict(deque)
        self._tokens: defaultdict[str, deque[tuple[float, int]]] = defaultdict(deque)
        self._token_totals: defaultdict[str, int] = defaultdict(int)  # running sum of ``_tokens``
        self._leases: defaultdict[str, dict[str, float]] = defaultdict(dict)
        self._budgets: defaultdict[str, int] = defaultdict(int)

    async def admit(self, admission: Admission) -> Denial | None:
        now = time.monotonic() * 1000
        with self._lock:
            denial = self._first_denial(admission, now)
            if denial is None:
                for rule in admission.requests:
                    self._requests[rule.counter].append(now)
                for rule in admission.concurrency:
                    self._leases[rule.counter][admission.lease] = now + LEASE_TTL_MS
            return denial

    async def settle(self, admission: Admission, tokens: int) -> None:
        now = time.monotonic() * 1000
        with self._lock:
            for rule in admission.concurrency:
                self._leases[rule.counter].pop(admission.lease, None)
            if tokens <= 0:
                return
            for rule in admission.tokens:
                self._tokens[rule.counter].append((now, tokens))
                self._token_totals[rule.counter] += tokens
            for budget in admission.budgets:
                self._budgets[budget.counter] += tokens

    async def aclose(self) -> None:
        return None

    def _first_denial(self, admission: Admission, now: float) -> Denial | None:
        for rule in admission.requests:
            window = self._requests[rule.counter]
            while window and window[0] <= now - WINDOW_MS:
                window.popleft()
            if len(window) >= rule.limit:
                return Denial(rule, _seconds(window[0] + WINDOW_MS - now))
        for rule in admission.tokens:
            spent = self._tokens[rule.counter]
            while spent and spent[0][0] <= now - WINDOW_MS:
                self._token_totals[rule.counter] -= spent.popleft()[1]
            if self._token_totals[rule.counter] >= rule.limit:
                return Denial(rule, _seconds(spent[0][0] + WINDOW_MS - now))
        for rule in admission.concurrency:
            leases = self._leases[rule.counter]
            for lease, expiry in list(leases.items()):
                if expiry <= now:
                    del leases[lease]
            if len(leases) >= rule.limit:
                return Denial(rule, 1)
        for budget in admission.budgets:
            if self._budgets[budget.counter] >= budget.limit:
                return Denial(budget, budget.resets_in_s)
        return None


def _seconds(milliseconds: float) -> int:
    return max(1, math.ceil(milliseconds / 1000))
