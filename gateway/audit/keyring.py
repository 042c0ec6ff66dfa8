"""Per-tenant data keys: created on first use, rotated by count and age, unwrapped through the provider.

Every lookup reads the key row from the database, so a key shredded by another process is gone here at
once; only the unwrapping is memoized (keyed by the wrapped bytes, so a rewrap or shred is never masked).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.audit import crypto
from gateway.audit.key_provider import KeyProvider
from gateway.audit.models import AuditDataKey

SYSTEM_TENANT = "_system"  # owner of bodies of events that belong to no tenant


@dataclass(frozen=True)
class DataKey:
    id: str
    tenant_id: str
    key: bytes


def key_context(key_id: str, tenant_id: str) -> bytes:
    """Associated data of a wrapped key: a wrapped key copied to another row or tenant fails to unwrap."""
    return f"bulwark-audit-dek:{key_id}:{tenant_id}".encode()


class DataKeyRing:
    def __init__(
        self, provider: KeyProvider, *, max_records: int = 1_000_000, max_age: timedelta = timedelta(days=90)
    ) -> None:
        self.provider = provider
        self.max_records = max_records
        self.max_age = max_age
        self._unwrapped: dict[tuple[str, bytes], bytes] = {}

    def keys_for_append(
        self, session: Session, counts: Mapping[str, int], now: datetime
    ) -> dict[str, DataKey]:
        """Each tenant's current key for ``counts[tenant]`` new bodies, rotating first when full or old.

        Call inside the ledger's locked transaction: creation and counting are then serialized, and two
        statements serve the whole batch whatever the number of tenants.
        """
        latest: dict[str, AuditDataKey] = {}
        for row in session.scalars(select(AuditDataKey).where(AuditDataKey.tenant_id.in_(list(counts)))):
            if row.tenant_id not in latest or row.version > latest[row.tenant_id].version:
                latest[row.tenant_id] = row
        keys: dict[str, DataKey] = {}
        counted: list[dict[str, object]] = []
        for tenant_id, count in sorted(counts.items()):
            current = latest.get(tenant_id)
            if current is None or self._rotation_due(current, count, now):
                row = self._create(session, tenant_id, (current.version + 1) if current else 1, now)
            else:
                row = current
            counted.append({"id": row.id, "records_encrypted": row.records_encrypted + count})
            keys[tenant_id] = DataKey(row.id, tenant_id, self._unwrap(row))
        session.execute(update(AuditDataKey), counted)
        return keys

    def key_by_id(self, session: Session, key_id: str) -> DataKey | None:
        """The data key, or None once it was shredded (or deleted)."""
        row = session.get(AuditDataKey, key_id)
        if row is None:
            # Shredded elsewhere: drop this process's unwrapped copy too, not only the database row.
            for cached in [cached for cached in self._unwrapped if cached[0] == key_id]:
                del self._unwrapped[cached]
            return None
        return DataKey(row.id, row.tenant_id, self._unwrap(row))

    def _rotation_due(self, row: AuditDataKey, count: int, now: datetime) -> bool:
        return row.records_encrypted + count > self.max_records or now - row.created_at > self.max_age

    def _create(self, session: Session, tenant_id: str, version: int, now: datetime) -> AuditDataKey:
        key_id = f"dk_{secrets.token_hex(12)}"
        data_key = crypto.new_key()
        kek_id, wrapped = self.provider.wrap(data_key, key_context(key_id, tenant_id))
        row = AuditDataKey(
            id=key_id,
            tenant_id=tenant_id,
            version=version,
            kek_id=kek_id,
            wrapped_key=wrapped,
            created_at=now,
            records_encrypted=0,
        )
        session.add(row)
        session.flush()
        self._unwrapped[(key_id, wrapped)] = data_key
        return row

    def _unwrap(self, row: AuditDataKey) -> bytes:
        cache_key = (row.id, bytes(row.wrapped_key))
        found = self._unwrapped.get(cache_key)
        if found is None:
            found = self.provider.unwrap(
                row.kek_id, bytes(row.wrapped_key), key_context(row.id, row.tenant_id)
            )
            self._unwrapped[cache_key] = found
        return found
