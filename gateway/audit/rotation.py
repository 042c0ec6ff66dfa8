"""``rotate-kek``: rewrap every data key under the current key-encryption key. Records are never touched.

Production providers never make a KEK on their own: the operator adds the new KEK to the Secret (or the
HSM), points every replica at it, and then runs ``rotate-kek``, which rewraps every data key still under
an older KEK; replicas keep unwrapping both while the change rolls out, since each data key names its
KEK. The old KEK can be removed once no data key names it (the command says so).

Dev mode's key file rotates itself. Order matters for a crash: the new KEK is made current first (old
kept), then all data keys are rewrapped in one transaction together with the "audit.kek_rotated" record,
and only after that commit is the old KEK retired. A crash at any point leaves every data key unwrappable.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.audit.events import AuditEvent
from gateway.audit.key_provider import KeyProvider, SelfRotatingKeyProvider
from gateway.audit.keyring import key_context
from gateway.audit.ledger import lock_head
from gateway.audit.models import AuditDataKey
from gateway.audit.writer import add_record
from gateway.db.session import Database


@dataclass(frozen=True)
class KekRotation:
    old_kek_ids: tuple[str, ...]  # the KEKs that wrapped data keys before (none of them does now)
    new_kek_id: str
    keys_rewrapped: int


def rotate_kek(database: Database, provider: KeyProvider, actor: str) -> KekRotation:
    retiring = provider.rotate()[0] if isinstance(provider, SelfRotatingKeyProvider) else None
    current = provider.current_kek_id()
    with database.session() as session:
        lock_head(session)  # no writer can wrap a new key under a KEK read before this commit
        old_ids, count = _rewrap_stale(session, provider, current)
        add_record(
            session,
            AuditEvent(
                event_type="audit.kek_rotated",
                outcome="ok",
                actor=actor,
                detail={"old_kek_ids": list(old_ids), "new_kek_id": current, "keys_rewrapped": count},
            ),
        )
    if retiring is not None:
        assert isinstance(provider, SelfRotatingKeyProvider)
        provider.retire(retiring)
        old_ids = tuple(sorted({*old_ids, retiring}))
    return KekRotation(old_ids, current, count)


def _rewrap_stale(session: Session, provider: KeyProvider, current: str) -> tuple[tuple[str, ...], int]:
    rows = session.execute(
        select(AuditDataKey.id, AuditDataKey.tenant_id, AuditDataKey.kek_id, AuditDataKey.wrapped_key).where(
            AuditDataKey.kek_id != current
        )
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
    return tuple(sorted({row.kek_id for row in rows})), len(rows)
