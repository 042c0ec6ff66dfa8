"""``bulwark audit`` end to end through the real CLI: verify (clean, then tampered), shred under hold,
rotate-kek. State under a fresh BULWARK_HOME, SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway.audit.components import start_ledger
from gateway.cli.main import app
from gateway.db import migrate
from gateway.db.session import Database
from gateway.settings import load_settings
from tests.gateway.audit.conftest import request_event


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BULWARK_HOME", str(tmp_path))
    monkeypatch.setenv("BULWARK_DEV_MODE", "1")
    settings = load_settings()
    migrate.upgrade(settings.resolved_database_url)
    database = Database(settings.resolved_database_url)
    ledger = start_ledger(settings, database)
    for n in range(8):
        ledger.writer.write(request_event(("acme", "globex")[n % 2], n))
    ledger.close()  # a clean stop signs the tail
    database.dispose()
    return tmp_path


def test_verify_passes_then_names_the_tampered_sequence(home: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(app, ["audit", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "OK: 9 records" in clean.output and "signed through sequence 9" in clean.output
    with sqlite3.connect(home / "bulwark.db") as connection:
        connection.execute("DROP TRIGGER audit_records_no_update")
        connection.execute("UPDATE audit_records SET tenant_id = 'globex' WHERE seq = 3")
    tampered = runner.invoke(app, ["audit", "verify", "--all"])
    assert tampered.exit_code == 1
    assert "FAULT at sequence 3: hash_mismatch" in tampered.output


def test_shred_is_refused_under_legal_hold_and_rotate_kek_keeps_verify_clean(home: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["audit", "hold", "--tenant", "acme"]).exit_code == 0
    refused = runner.invoke(app, ["audit", "shred", "--tenant", "acme", "--yes"])
    assert refused.exit_code == 1 and "legal hold" in refused.output
    assert runner.invoke(app, ["audit", "hold", "--tenant", "acme", "--release"]).exit_code == 0
    shredded = runner.invoke(app, ["audit", "shred", "--tenant", "acme", "--yes"])
    assert shredded.exit_code == 0, shredded.output
    rotated = runner.invoke(app, ["audit", "rotate-kek"])
    assert rotated.exit_code == 0 and "1 data key(s) rewrapped" in rotated.output  # globex's; acme's are gone
    purged = runner.invoke(app, ["audit", "purge"])  # retention from the shipped policies: nothing is due
    assert purged.exit_code == 0 and "Nothing past retention" in purged.output, purged.output
    final = runner.invoke(app, ["audit", "verify"])
    assert final.exit_code == 0, final.output
