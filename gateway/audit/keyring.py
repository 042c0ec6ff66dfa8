"""Per-tenant data keys: created on first use, rotated by count and age, unwrapped through the provider.

Every lookup reads the key row from the database, so a key shredded by another process is gone here at
once; only the unwrapping is memoized (keyed by the wrapped bytes, so a rewrap or shred is never masked).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session

from gateway.audit import crypto
from gateway.audit.key_provider import KeyProvider
from gateway.audit.models import AuditDataKey
from gateway.db.base import table_of

SYSTEM_TENANT = "_system"  # owner of bodies of events that belong to no tenant


@dataclass(frozen=True)
class DataKey:
    id: str
    tenant_id: str
    key: bytes


def key_context(key_id: str, tenant_id: str) -> bytes:
    """Associated data of a wrapped key: a wrapped key copied to another row or tenant fails to unwrap."""
    return f"bulwark-audit-dek:{key_id}:{tenant_id}".encode()


@dataclass(frozen=True)
class _KeyRow:
    """A data key's row as read with Core (the ORM's identity map is overhead for a per-batch read)."""

    id: str
    tenant_id: str
    version: int
    kek_id: str
    wrapped_key: bytes
    created_at: datetime
    records_encrypted: int


_KEYS = table_of(AuditDataKey)
_LATEST_KEYS = select(_KEYS).where(_KEYS.c.tenant_id.in_(bindparam("tenants", expanding=True)))
_KEY_BY_ID = select(_KEYS).where(_KEYS.c.id == bindparam("key_id"))
_COUNT_RECORDS = (
    update(_KEYS).where(_KEYS.c.id == bindparam("key_id")).values(records_encrypted=bindparam("new_count"))
)
_INSERT_KEY = insert(_KEYS)


class DataKeyRing:
    def __init__(
        self, provider: KeyProvider, *, max_records: int = 1_000_000, max_age: timedelta = timedelta(days=90)
    ) -> None:
        self.provider = provider
        self.max_records = max_records
        self.max_age = max_age
        self._unwrapped: dict[tuple[str, bytes], bytes] = {}

    def keys_for_append(
        self, connection: Session | Connection, counts: Mapping[str, int], now: datetime
    ) -> dict[str, DataKey]:
        """Each tenant's current key for ``counts[tenant]`` new bodies, rotating first when full or old.

        Call inside the ledger's locked transaction: creation and counting are then serialized, and two
        statements serve the whole batch whatever the number of tenants.
        """
        latest: dict[str, _KeyRow] = {}
        for found in connection.execute(_LATEST_KEYS, {"tenants": list(counts)}):
            row = _KeyRow(**found._mapping)
            if row.tenant_id not in latest or row.version > latest[row.tenant_id].version:
                latest[row.tenant_id] = row
        keys: dict[str, DataKey] = {}
        counted: list[dict[str, object]] = []
        for tenant_id, count in sorted(counts.items()):
            current = latest.get(tenant_id)
            if current is None or self._rotation_due(current, count, now):
                row = self._create(connection, tenant_id, (current.version + 1) if current else 1, now)
            else:
                row = current
            counted.append({"key_id": row.id, "new_count": row.records_encrypted + count})
            keys[tenant_id] = DataKey(row.id, tenant_id, self._unwrap(row))
        connection.execute(_COUNT_RECORDS, counted)
        return keys

    def key_by_id(self, session: Session, key_id: str) -> DataKey | None:
        """The data key, or None once it was shredded (or deleted)."""
        found = session.execute(_KEY_BY_ID, {"key_id": key_id}).one_or_none()
        if found is None:
            # Shredded elsewhere: drop this process's unwrapped copy too, not only the database row.
            for cached in [cached for cached in self._unwrapped if cached[0] == key_id]:
                del self._unwrapped[cached]
            return None
        row = _KeyRow(**found._mapping)
        return DataKey(row.id, row.tenant_id, self._unwrap(row))

    def _rotation_due(self, row: _KeyRow, count: int, now: datetime) -> bool:
        return row.records_encrypted + count > self.max_records or now - row.created_at > self.max_age

    def _create(
        self, connection: Session | Connection, tenant_id: str, version: int, now: datetime
    ) -> _KeyRow:
        key_id = f"dk_{secrets.token_hex(12)}"
        data_key = crypto.new_key()
        kek_id, wrapped = self.provider.wrap(data_key, key_context(key_id, tenant_id))
        row = _KeyRow(key_id, tenant_id, version, kek_id, wrapped, now, 0)
        connection.execute(_INSERT_KEY, [asdict(row)])
        self._unwrapped[(key_id, wrapped)] = data_key
        return row

    def _unwrap(self, row: _KeyRow) -> bytes:
        cache_key = (row.id, bytes(row.wrapped_key))
        found = self._unwrapped.get(cache_key)
        if found is None:
            found = self.provider.unwrap(
                row.kek_id, bytes(row.wrapped_key), key_context(row.id, row.tenant_id)
            )
            self._unwrapped[cache_key] = found
        return found
