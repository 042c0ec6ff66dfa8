"""The contract every counter store (in-process, Redis) fulfils."""

from __future__ import annotations

from typing import Protocol

from gateway.limits.rules import Admission, Denial


class LimitBackend(Protocol):
    async def admit(self, admission: Admission) -> Denial | None:
        """Check every rule and, only if all pass, take the request's slots, all at once.

        Raises ``ServiceUnavailable`` when the store cannot answer: never admit unchecked.
        """
        ...

    async def settle(self, admission: Admission, tokens: int) -> None:
        """Count the request's tokens against its windows and budgets and free its slots."""
        ...

    async def aclose(self) -> None: ...
