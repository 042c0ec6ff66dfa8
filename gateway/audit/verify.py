"""``bulwark audit verify``: proves the ledger is whole, or names the first bad sequence number.

Checks, in one pass in sequence order: no gaps; every hash recomputed from the stored header, the body
digest and the previous hash; every stored body matches its digest; every missing body is covered by a
later purge record of its tenant; every data key a record names exists or was destroyed by a shred
record; the checkpoints' signatures (by key id), order and ledger; each checkpointed hash matches; nothing
was cut from the tail. The checkpoints are read from the database, where every replica signs them. Needs
no key material: only the public keys of the signing keys it trusts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from gateway.audit.canonical import NO_BODY_DIGEST, body_digest, canonical_header, chain_hash, format_time
from gateway.audit.canonical import genesis_hash as ledger_genesis
from gateway.audit.checkpoints import Checkpoint, TrustedKeys, read_checkpoints, signature_valid
from gateway.audit.ledger import ChainHead, read_head
from gateway.audit.models import AuditBody, AuditDataKey, AuditRecord
from gateway.audit.tenant_controls import tampered_tenants
from gateway.db.session import Database

PAGE = 2000


@dataclass(frozen=True)
class Fault:
    seq: int
    kind: str  # gap, hash_mismatch, body_mismatch, body_missing, body_unexpected, key_missing, truncated,
    # head_mismatch, checkpoint_signature, checkpoint_replay, checkpoint_foreign, checkpoint_malformed,
    # checkpoint_mismatch, tenant_control_mismatch
    detail: str


@dataclass
class VerifyReport:
    records: int = 0
    checkpoints: int = 0
    signed_through: int = 0  # the newest checkpointed sequence; records after it are chained, not yet signed
    faults: list[Fault] = field(default_factory=list)

    @property
    def fault(self) -> Fault | None:
        return min(self.faults, key=lambda fault: fault.seq) if self.faults else None

    @property
    def ok(self) -> bool:
        return not self.faults


@dataclass
class _PurgeMarkers:
    """One tenant's purge records in sequence order, with the latest cut-off from each onwards, so a
    missing body is checked in O(log n) however many hourly purges years of retention have left."""

    seqs: list[int] = field(default_factory=list)
    cutoffs: list[str] = field(default_factory=list)

    def add(self, seq: int, cutoff: str) -> None:
        self.seqs.append(seq)
        self.cutoffs.append(cutoff)

    def finish(self) -> None:
        for index in range(len(self.cutoffs) - 2, -1, -1):
            self.cutoffs[index] = max(self.cutoffs[index], self.cutoffs[index + 1])

    def cover(self, seq: int, created: str) -> bool:
        """A purge recorded after ``seq`` whose cut-off is later than the record's time."""
        index = bisect_right(self.seqs, seq)
        return index < len(self.seqs) and created < self.cutoffs[index]


@dataclass
class _Coverage:
    purges: dict[str, _PurgeMarkers] = field(default_factory=dict)  # by tenant
    shredded: dict[str, int] = field(default_factory=dict)  # key id -> seq of its shred record
    live_keys: set[str] = field(default_factory=set)

    def body_purged(self, row: Row[Any]) -> bool:
        markers = self.purges.get(row.tenant_id or "")
        return markers is not None and markers.cover(row.seq, format_time(row.created_at))

    def key_accounted(self, row: Row[Any]) -> bool:
        key_id = row.data_key_id
        return key_id is None or key_id in self.live_keys or self.shredded.get(key_id, 0) > row.seq


def verify_ledger(database: Database, trusted: TrustedKeys) -> VerifyReport:
    report = VerifyReport()
    with database.session() as session:
        head = read_head(session)
        checkpoints = read_checkpoints(session)
        report.checkpoints = len(checkpoints)
        signed = _check_checkpoints(report, checkpoints, trusted, head.ledger_id)
        coverage = _coverage(session)
        last_seq, last_hash = _walk_chain(session, report, head, coverage, signed)
        _check_orphan_bodies(session, report)
        for tenant in tampered_tenants(session):
            message = f"tenant {tenant}: legal hold or retention differs from the ledger's records"
            report.faults.append(Fault(last_seq + 1, "tenant_control_mismatch", message))
    report.records = last_seq
    report.signed_through = max(signed, default=0)
    beyond = [seq for seq in signed if seq > last_seq]
    if beyond or head.last_seq > last_seq:
        report.faults.append(Fault(last_seq + 1, "truncated", "records after the last one were removed"))
    elif head.last_seq < last_seq or (last_seq and head.last_hash != last_hash):
        report.faults.append(Fault(head.last_seq + 1, "head_mismatch", "records beyond the chain head"))
    return report


def _check_checkpoints(
    report: VerifyReport, checkpoints: list[Checkpoint], trusted: TrustedKeys, ledger_id: str
) -> dict[int, str]:
    signed: dict[int, str] = {}
    previous: Checkpoint | None = None
    for checkpoint in checkpoints:
        if not signature_valid(trusted, checkpoint):
            detail = "bad signature" if checkpoint.key_id in trusted else "signed by an untrusted key id"
            report.faults.append(Fault(checkpoint.seq, "checkpoint_signature", detail))
            continue
        if checkpoint.ledger_id != ledger_id:
            report.faults.append(Fault(checkpoint.seq, "checkpoint_foreign", "signed for another ledger"))
            continue
        if previous is not None and (checkpoint.seq <= previous.seq or checkpoint.time < previous.time):
            report.faults.append(Fault(checkpoint.seq, "checkpoint_replay", "out of order or repeated"))
            continue
        signed[checkpoint.seq] = checkpoint.hash
        previous = checkpoint
    return signed


def _coverage(session: Session) -> _Coverage:
    coverage = _Coverage(live_keys=set(session.scalars(select(AuditDataKey.id))))
    markers = session.execute(
        select(AuditRecord.seq, AuditRecord.event_type, AuditRecord.tenant_id, AuditRecord.detail)
        .where(AuditRecord.event_type.in_(("audit.purge", "audit.shred")))
        .order_by(AuditRecord.seq)
    )
    for seq, event_type, tenant_id, detail in markers:
        detail = detail or {}
        if event_type == "audit.purge" and tenant_id:
            coverage.purges.setdefault(tenant_id, _PurgeMarkers()).add(seq, str(detail.get("cutoff", "")))
        elif event_type == "audit.shred":
            for key_id in detail.get("key_ids", []):
                coverage.shredded[str(key_id)] = seq
    for tenant_markers in coverage.purges.values():
        tenant_markers.finish()
    return coverage


def _walk_chain(
    session: Session, report: VerifyReport, head: ChainHead, coverage: _Coverage, signed: dict[int, str]
) -> tuple[int, str]:
    expected, prev_hash = 1, ledger_genesis(head.ledger_id)
    for row in _rows(session):
        if row.seq != expected:
            report.faults.append(Fault(expected, "gap", f"sequence jumps to {row.seq}"))
            expected = row.seq
        fault = _row_fault(row, prev_hash, coverage, signed)
        if fault is not None:
            report.faults.append(fault)
        prev_hash, expected = row.hash, expected + 1
    return expected - 1, prev_hash


def _row_fault(row: Row[Any], prev_hash: str, coverage: _Coverage, signed: dict[int, str]) -> Fault | None:
    header = canonical_header(dict(row._mapping))
    if chain_hash(prev_hash, header, row.body_digest) != row.hash:
        return Fault(row.seq, "hash_mismatch", "header, body digest or link does not match the hash")
    if row.ciphertext is not None:
        if row.body_digest == NO_BODY_DIGEST:
            return Fault(row.seq, "body_unexpected", "a body where the record has none")
        if body_digest(bytes(row.nonce), bytes(row.ciphertext)) != row.body_digest:
            return Fault(row.seq, "body_mismatch", "the stored body is not the one chained")
    elif row.body_digest != NO_BODY_DIGEST and not coverage.body_purged(row):
        return Fault(row.seq, "body_missing", "a body was deleted without a purge record")
    if not coverage.key_accounted(row):
        return Fault(row.seq, "key_missing", "its data key was deleted without a shred record")
    if row.seq in signed and signed[row.seq] != row.hash:
        earlier = [seq for seq in signed if seq < row.seq]
        since = f"; the chain was rewritten after sequence {max(earlier, default=0)}"
        return Fault(row.seq, "checkpoint_mismatch", "differs from the signed checkpoint" + since)
    return None


def _rows(session: Session) -> Iterator[Row[Any]]:
    columns = [*AuditRecord.__table__.columns, AuditBody.nonce, AuditBody.ciphertext]
    after = 0
    while True:
        page = session.execute(
            select(*columns)
            .outerjoin(AuditBody, AuditBody.seq == AuditRecord.seq)
            .where(AuditRecord.seq > after)
            .order_by(AuditRecord.seq)
            .limit(PAGE)
        ).all()
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].seq


def _check_orphan_bodies(session: Session, report: VerifyReport) -> None:
    orphan = session.scalars(
        select(AuditBody.seq)
        .outerjoin(AuditRecord, AuditRecord.seq == AuditBody.seq)
        .where(AuditRecord.seq.is_(None))
        .order_by(AuditBody.seq)
        .limit(1)
    ).first()
    if orphan is not None:
        report.faults.append(Fault(orphan, "body_unexpected", "a body with no record"))
