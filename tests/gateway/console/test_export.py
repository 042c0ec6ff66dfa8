"""Export: headers only, JSONL or CSV, with a manifest signed by a key published at /console/api/jwks.json."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import pytest
from jose import jws
from jose.exceptions import JWSError

from gateway.auth.principal import Role
from tests.gateway.auth.idp import b64url
from tests.gateway.console.conftest import CANARY, Console


def _verified_manifest(console: Console, signed: str) -> dict[str, Any]:
    keys = console.client.get("/console/api/jwks.json", headers=console.auth(Role.AUDITOR)).json()["keys"]
    [key] = keys
    assert jws.get_unverified_header(signed)["typ"] == "bulwark-export-manifest"
    return dict(json.loads(jws.verify(signed, key, algorithms=["ES256"])))


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_is_signed_scoped_and_logged(console: Console, fmt: str) -> None:
    mine = [console.seed("acme") for _ in range(2)]
    console.seed("globex")
    response = console.client.get(
        "/console/api/export",
        params={"format": fmt, "event_type": "request"},
        headers=console.auth(Role.AUDITOR, ["acme"], subject="ines"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert CANARY not in response.text
    if fmt == "jsonl":
        rows = [json.loads(line) for line in response.text.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(int(row["seq"]) for row in rows) == mine
    manifest = _verified_manifest(console, response.headers["X-Bulwark-Manifest"])
    assert manifest["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert manifest["records"] == 2
    assert manifest["actor"] == "ines@bulwark-local"
    assert manifest["filters"] == {"event_type": "request"}
    logged = console.client.get(
        f"/console/api/records/{manifest['audit_seq']}", headers=console.auth(Role.AUDITOR)
    ).json()
    assert logged["event_type"] == "console.export"
    assert logged["tenant_id"] == "acme"  # the auditor's one tenant: its officers see the export
    assert logged["detail"]["sha256"] == manifest["sha256"]


def test_a_manifest_does_not_verify_for_altered_content(console: Console) -> None:
    console.seed("acme")
    response = console.client.get("/console/api/export", headers=console.auth(Role.AUDITOR))
    manifest = _verified_manifest(console, response.headers["X-Bulwark-Manifest"])
    altered = response.content.replace(b'"acme"', b'"other"')
    assert hashlib.sha256(altered).hexdigest() != manifest["sha256"]
    header, _payload, signature = response.headers["X-Bulwark-Manifest"].split(".")
    forged = json.dumps({**manifest, "records": 0}).encode()
    with pytest.raises(JWSError, match="Signature verification failed"):
        _verified_manifest(console, f"{header}.{b64url(forged)}.{signature}")


def test_csv_cells_cannot_carry_spreadsheet_formulas(console: Console) -> None:
    seq = console.seed("acme", actor='=HYPERLINK("http://evil.example","open")', model="@SUM(A1)")
    response = console.client.get(
        "/console/api/export", params={"format": "csv"}, headers=console.auth(Role.AUDITOR)
    )
    [row] = [row for row in csv.DictReader(io.StringIO(response.text)) if row["seq"] == str(seq)]
    assert row["actor"] == '\'=HYPERLINK("http://evil.example","open")'
    assert row["model"] == "'@SUM(A1)"
