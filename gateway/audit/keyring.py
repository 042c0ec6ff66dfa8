"""Per-tenant data keys: created on first use, rotated by count and age, unwrapped through the provider.

Every lookup reads the key row from the database, so a key shredded by another process is gone here at
once; only the unwrapping is memoized (keyed by the wrapped bytes, so a rewrap or shred is never masked).
"""

from __future__ import annotations

import secrets
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

    def key_for_append(self, session: Session, tenant_id: str, count: int, now: datetime) -> DataKey:
        """The tenant's current key for ``count`` new bodies, rotating first when it is full or old.

        Call inside the ledger's locked transaction: creation and counting are then serialized.
        """
        row = session.scalars(
            select(AuditDataKey)
            .where(AuditDataKey.tenant_id == tenant_id)
            .order_by(AuditDataKey.version.desc())
            .limit(1)
        ).first()
        if row is None or self._rotation_due(row, count, now):
            row = self._create(session, tenant_id, (row.version + 1) if row else 1, now)
        session.execute(
            update(AuditDataKey)
            .where(AuditDataKey.id == row.id)
            .values(records_encrypted=AuditDataKey.records_encrypted + count)
        )
        return DataKey(row.id, tenant_id, self._unwrap(row))

    def key_by_id(self, session: Session, key_id: str) -> DataKey | None:
        """The data key, or None once it was shredded (or deleted)."""
        row = session.get(AuditDataKey, key_id)
        return DataKey(row.id, row.tenant_id, self._unwrap(row)) if row is not None else None

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
            found = self.provider.unwrap(row.kek_id, bytes(row.wrapped_key), key_context(row.id, row.tenant_id))
            self._unwrapped[cache_key] = found
        return found
