"""Signed checkpoints: (ledger, sequence, hash, time) under Ed25519, stored in ``audit_checkpoints``.

Every replica signs into the one table with the key id of the site's signing key, so ``bulwark audit
verify`` checks the whole ledger whoever wrote it. The signing key lives outside the database (a mounted
secret): someone who can rewrite the database cannot forge what was signed before, and verify needs only
public keys. Trust is by key id: a checkpoint whose key id the verifier was not given is a fault.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditCheckpoint
from gateway.home import create_private_file_once

TrustedKeys = Mapping[str, Ed25519PublicKey]  # key id -> public key


@dataclass(frozen=True)
class Checkpoint:
    ledger_id: str
    seq: int
    hash: str
    time: str
    key_id: str
    signature: str

    def payload(self) -> bytes:
        return signed_payload(self.ledger_id, self.seq, self.hash, self.time)


def signed_payload(ledger_id: str, seq: int, chain_hash: str, time: str) -> bytes:
    fields = {"ledger_id": ledger_id, "seq": seq, "hash": chain_hash, "time": time}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def public_key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class CheckpointSigner:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self.public_key = private_key.public_key()
        self.key_id = public_key_id(self.public_key)

    @classmethod
    def from_pem_file(cls, path: Path) -> CheckpointSigner:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return cls(loaded)

    @classmethod
    def dev(cls, path: Path) -> CheckpointSigner:
        """Dev mode only: create the key (0600) on first use."""
        if not path.exists():
            create_private_file_once(path, new_signing_key_pem())
        return cls.from_pem_file(path)

    def trusted(self) -> dict[str, Ed25519PublicKey]:
        return {self.key_id: self.public_key}

    def sign(self, ledger_id: str, seq: int, chain_hash: str, time: str) -> Checkpoint:
        signature = self._private.sign(signed_payload(ledger_id, seq, chain_hash, time))
        return Checkpoint(ledger_id, seq, chain_hash, time, self.key_id, base64.b64encode(signature).decode())


def new_signing_key_pem() -> str:
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode()


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A PEM public key, or the public half of a PEM private key."""
    data = path.read_bytes()
    loaded: object
    if b"PRIVATE KEY" in data:
        private = serialization.load_pem_private_key(data, password=None)
        loaded = private.public_key() if isinstance(private, Ed25519PrivateKey) else None
    else:
        loaded = serialization.load_pem_public_key(data)
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return loaded


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode()


def signature_valid(trusted: TrustedKeys, checkpoint: Checkpoint) -> bool:
    public_key = trusted.get(checkpoint.key_id)
    if public_key is None:
        return False
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.payload())
    except (InvalidSignature, ValueError):
        return False
    return True


def store_checkpoint(session: Session, checkpoint: Checkpoint) -> None:
    session.add(
        AuditCheckpoint(
            ledger_id=checkpoint.ledger_id,
            seq=checkpoint.seq,
            hash=checkpoint.hash,
            signed_time=checkpoint.time,
            key_id=checkpoint.key_id,
            signature=checkpoint.signature,
        )
    )


def read_checkpoints(session: Session) -> list[Checkpoint]:
    """Every checkpoint in the order it was stored."""
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id))
    return [_checkpoint(row) for row in rows]


def last_checkpoint(session: Session) -> Checkpoint | None:
    row = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()
    return _checkpoint(row) if row is not None else None


def _checkpoint(row: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(row.ledger_id, row.seq, row.hash, row.signed_time, row.key_id, row.signature)
