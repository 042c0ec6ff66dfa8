"""Export a search as JSONL or CSV, headers only, with a signed manifest.

The manifest (a compact JWS, ES256, ``typ`` bulwark-export-manifest) names who exported what, when, with
which filters, how many records, and the SHA-256 of the exact bytes delivered, plus the ledger record
that logs the export. Anyone with the public key from ``/console/api/jwks.json`` can check a file later.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from gateway.auth.principal import Principal
from gateway.console import queries
from gateway.console.schemas import RecordHeader
from gateway.db.base import utc_now

ExportFormat = Literal["jsonl", "csv"]
MAX_EXPORT_RECORDS = 50_000
MANIFEST_TYPE = "bulwark-export-manifest"
CSV_FIELDS = tuple(RecordHeader.model_fields)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    export_id: str
    content: bytes
    records: int
    sha256: str
    filters: dict[str, Any]


def collect(session: Session, principal: Principal, wanted: queries.RecordFilter) -> list[RecordHeader]:
    headers: list[RecordHeader] = []
    before: int | None = None
    while len(headers) < MAX_EXPORT_RECORDS:
        page = queries.search(session, principal, wanted, before_seq=before, limit=queries.MAX_PAGE)
        headers.extend(RecordHeader.of(record) for record in page)
        if len(page) < queries.MAX_PAGE:
            break
        before = page[-1].seq
    return headers[:MAX_EXPORT_RECORDS]


def render(headers: list[RecordHeader], fmt: ExportFormat) -> bytes:
    if fmt == "jsonl":
        return "".join(header.model_dump_json() + "\n" for header in headers).encode()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for header in headers:
        row = header.model_dump(mode="json")
        writer.writerow(
            {k: _csv_cell(json.dumps(v) if isinstance(v, dict | list) else v) for k, v in row.items()}
        )
    return out.getvalue().encode()


def _csv_cell(value: object) -> object:
    """Defuse spreadsheet formulas: a cell a client or IdP controls must not run when the file is opened."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def build_export(
    session: Session, principal: Principal, wanted: queries.RecordFilter, fmt: ExportFormat
) -> ExportFile:
    headers = collect(session, principal, wanted)
    content = render(headers, fmt)
    filters = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(wanted).items() if v}
    return ExportFile(
        export_id=f"ex_{secrets.token_hex(8)}",
        content=content,
        records=len(headers),
        sha256=hashlib.sha256(content).hexdigest(),
        filters=filters,
    )


def manifest(export: ExportFile, principal: Principal, fmt: ExportFormat, audit_seq: int) -> dict[str, Any]:
    return {
        "export_id": export.export_id,
        "created_at": utc_now().isoformat(),
        "actor": principal.actor,
        "format": fmt,
        "records": export.records,
        "sha256": export.sha256,
        "filters": export.filters,
        "audit_seq": audit_seq,
    }
