"""``rotate-kek``: rewrap every data key under a new key-encryption key. Records are never touched.

Order matters for a crash: the new KEK is made current first (old kept), then all data keys are rewrapped
in one transaction together with the "audit.kek_rotated" record, and only after that commit is the old
KEK retired. A crash at any point leaves every data key unwrappable.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.audit.events import AuditEvent
from gateway.audit.key_provider import KeyProvider
from gateway.audit.keyring import key_context
from gateway.audit.ledger import lock_head
from gateway.audit.models import AuditDataKey
from gateway.audit.writer import add_record
from gateway.db.session import Database


@dataclass(frozen=True)
class KekRotation:
    old_kek_id: str
    new_kek_id: str
    keys_rewrapped: int


def rotate_kek(database: Database, provider: KeyProvider, actor: str) -> KekRotation:
    old_id, new_id = provider.rotate()
    with database.session() as session:
        lock_head(session)  # no writer can wrap a new key under a KEK read before this commit
        count = _rewrap_all(session, provider)
        add_record(
            session,
            AuditEvent(
                event_type="audit.kek_rotated",
                outcome="ok",
                actor=actor,
                detail={"old_kek_id": old_id, "new_kek_id": new_id, "keys_rewrapped": count},
            ),
        )
    provider.retire(old_id)
    return KekRotation(old_id, new_id, count)


def _rewrap_all(session: Session, provider: KeyProvider) -> int:
    rows = session.execute(
        select(AuditDataKey.id, AuditDataKey.tenant_id, AuditDataKey.kek_id, AuditDataKey.wrapped_key)
    ).all()
    for row in rows:
        context = key_context(row.id, row.tenant_id)
        data_key = provider.unwrap(row.kek_id, bytes(row.wrapped_key), context)
        kek_id, wrapped = provider.wrap(data_key, context)
        session.execute(
            update(AuditDataKey)
            .where(AuditDataKey.id == row.id)
            .values(kek_id=kek_id, wrapped_key=wrapped)
            .execution_options(synchronize_session=False)
        )
    return len(rows)
