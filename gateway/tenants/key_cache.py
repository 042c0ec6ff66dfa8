"""API key rows read recently, so a busy key costs no database read (and no thread hop) per request.

A row is trusted for ``ttl_s`` after it was read: a key revoked or expired elsewhere (the CLI, another
gateway replica) is refused everywhere within that time, and a revocation through this process's console
drops the row here at once. Only the row is kept (the secret's keyed digest, never a presented secret),
and every request still checks its presented secret against that digest and the expiry, so a cached row
can never let a wrong key in. Unknown keys are not kept: a flood of random ids cannot fill the cache,
and refusals are counted per source instead (``gateway.auth.failed_attempts``).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

import anyio

from gateway.db.session import Database
from gateway.tenants.service import KeyIdentity, StoredKey, check_presented, parse_presented, stored_key

DEFAULT_TTL_S = 1.0
MAX_KEYS = 10_000


class KeyAuthenticator:
    def __init__(
        self,
        database: Database,
        pepper: bytes,
        *,
        ttl_s: float = DEFAULT_TTL_S,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._pepper = pepper
        self._ttl_s = ttl_s
        self._max_keys = max_keys
        self._clock = clock
        self._rows: OrderedDict[str, tuple[float, StoredKey]] = OrderedDict()

    async def authenticate(self, presented: str | None, *, cached: bool = True) -> KeyIdentity:
        """The caller's identity; raises ``AuthenticationFailed`` for a missing, wrong, revoked or
        expired key. ``cached=False`` always reads the row (and keeps nothing)."""
        parsed = parse_presented(presented)
        stored = self._fresh(parsed.public_id) if cached else None
        if stored is None:
            read_at = self._clock()  # before the read: a row is never trusted past ttl_s of its reading
            stored = await anyio.to_thread.run_sync(self._read, parsed.public_id)
            if stored is not None and cached:
                self._keep(parsed.public_id, read_at, stored)
        return check_presented(stored, self._pepper, parsed)

    def forget(self, key_id: str) -> None:
        """Drop a key's row (revoked through this process): its next request reads the database. Safe
        from any thread (one dict operation); everything else runs on the event loop."""
        self._rows.pop(key_id, None)

    def _fresh(self, public_id: str) -> StoredKey | None:
        entry = self._rows.get(public_id)
        if entry is None:
            return None
        read_at, stored = entry
        if self._clock() - read_at >= self._ttl_s:
            self._rows.pop(public_id, None)
            return None
        return stored

    def _read(self, public_id: str) -> StoredKey | None:
        with self._database.session() as session:
            return stored_key(session, public_id)

    def _keep(self, public_id: str, read_at: float, stored: StoredKey) -> None:
        if self._ttl_s <= 0:
            return
        self._rows[public_id] = (read_at, stored)
        self._rows.move_to_end(public_id)
        while len(self._rows) > self._max_keys:
            self._rows.popitem(last=False)
