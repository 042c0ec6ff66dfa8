"""The canonical header and the chain hash: the bytes that encryption binds to and the chain covers.

The header is rebuilt from the stored columns, so editing any column changes these bytes. JSON with
sorted keys and no whitespace; times as UTC with microseconds (what both SQLite and PostgreSQL keep).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

HEADER_FIELDS = (
    "seq",
    "created_at",
    "event_type",
    "outcome",
    "status_code",
    "request_id",
    "tenant_id",
    "key_id",
    "actor",
    "endpoint",
    "model",
    "policy_version",
    "stages",
    "pii_counts",
    "prompt_tokens",
    "completion_tokens",
    "latency_ms",
    "error_code",
    "detail",
    "body_mode",
    "data_key_id",
)
NO_BODY_DIGEST = ""


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_header(values: Mapping[str, Any]) -> bytes:
    header = {name: values[name] for name in HEADER_FIELDS}
    header["created_at"] = format_time(header["created_at"])
    return json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def genesis_hash(ledger_id: str) -> str:
    """The chain's anchor: binds the first record to this ledger, so a foreign chain never verifies."""
    return hashlib.sha256(b"bulwark-audit-genesis:" + ledger_id.encode()).hexdigest()


def body_digest(nonce: bytes, ciphertext: bytes) -> str:
    return hashlib.sha256(nonce + ciphertext).hexdigest()


def chain_hash(prev_hash: str, header: bytes, digest: str) -> str:
    """H(prev_hash || canonical header || H(ciphertext)).

    The ciphertext enters through its digest so that retention may delete a body (keeping the digest)
    without breaking the chain; tampering with a stored body still shows, as a digest mismatch.
    """
    hasher = hashlib.sha256()
    hasher.update(prev_hash.encode())
    hasher.update(b"\n")
    hasher.update(header)
    hasher.update(b"\n")
    hasher.update(digest.encode())
    return hasher.hexdigest()
