"""Signed checkpoints: (ledger, sequence, hash, time) under Ed25519, appended to a JSONL file outside
the database. Someone who can rewrite the database cannot rewrite what was signed before."""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gateway.home import write_private_file

_TAIL_BYTES = 16 * 1024


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

    def to_line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")) + "\n"


def signed_payload(ledger_id: str, seq: int, chain_hash: str, time: str) -> bytes:
    fields = {"ledger_id": ledger_id, "seq": seq, "hash": chain_hash, "time": time}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def public_key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class CheckpointSigner:
    """The Ed25519 signing key, 0600 under BULWARK_HOME/secrets, with its public half beside it (.pub)."""

    def __init__(self, key_path: Path) -> None:
        if not key_path.exists():
            private = Ed25519PrivateKey.generate()
            pem = private.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            write_private_file(key_path, pem.decode())
        loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{key_path} does not hold an Ed25519 key")
        self._private = loaded
        self.public_key = loaded.public_key()
        self.key_id = public_key_id(self.public_key)
        public_path = public_key_path(key_path)
        if not public_path.exists():
            pem_public = self.public_key.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            write_private_file(public_path, pem_public.decode())

    def sign(self, ledger_id: str, seq: int, chain_hash: str, time: str) -> Checkpoint:
        signature = self._private.sign(signed_payload(ledger_id, seq, chain_hash, time))
        return Checkpoint(ledger_id, seq, chain_hash, time, self.key_id, base64.b64encode(signature).decode())


def public_key_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".pub")


def load_public_key(path: Path) -> Ed25519PublicKey:
    loaded = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError(f"{path} does not hold an Ed25519 public key")
    return loaded


def signature_valid(public_key: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.payload())
    except (InvalidSignature, ValueError):
        return False
    return True


class CheckpointSink:
    """Append-only JSONL. Appends hold an exclusive lock and are fsynced before they count."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def locked(self) -> Iterator[None]:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def append(self, checkpoint: Checkpoint) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, checkpoint.to_line().encode())  # one write: a crash leaves a whole line or none
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> list[Checkpoint | None]:
        """Every line in order; a line that does not parse as a checkpoint reads as None."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [_parse(line) for line in lines if line.strip()]

    def last(self) -> Checkpoint | None:
        """The newest well-formed checkpoint, read from the file's tail (the sink grows for years)."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read().decode("utf-8", errors="replace").splitlines()
        for line in reversed(tail):
            checkpoint = _parse(line)
            if checkpoint is not None:
                return checkpoint
        return None


def _parse(line: str) -> Checkpoint | None:
    try:
        data: Any = json.loads(line)
        return Checkpoint(
            ledger_id=str(data["ledger_id"]),
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            time=str(data["time"]),
            key_id=str(data["key_id"]),
            signature=str(data["signature"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
