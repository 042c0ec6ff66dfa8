"""Reloads are all-or-nothing, audited either way, and recorded per tenant with who made them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from gateway.audit.writer import AuditWriter
from gateway.db import migrate
from gateway.db.session import Database
from gateway.policy.history import PolicyHistory
from gateway.policy.schema import ValidationOptions
from gateway.policy.store import PolicyStore
from tests.gateway.policy.policy_files import tenant_yaml, write_policy


@pytest.fixture
def history(sqlite_url: str) -> Iterator[PolicyHistory]:
    migrate.upgrade(sqlite_url)
    database = Database(sqlite_url)
    writer = AuditWriter(database)
    yield PolicyHistory(database, writer)
    writer.close()
    database.dispose()


def _audit_rows(history: PolicyHistory) -> list[tuple[str, str | None, str | None]]:
    with history._database.session() as session:
        query = select(AuditRecord.event_type, AuditRecord.actor, AuditRecord.policy_version).order_by(
            AuditRecord.seq
        )
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def test_valid_reload_swaps_and_records_who_changed_what(tmp_path: Path, history: PolicyHistory) -> None:
    path = write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t", "budgets: {tokens_per_day: 10}\n"))
    store = PolicyStore(tmp_path, ValidationOptions(), history)
    first = store.reload("startup")
    assert first.applied and store.current is not None and store.current.version == first.version
    path.write_text(tenant_yaml("t", "budgets: {tokens_per_day: 20}\n"))
    second = store.reload("key:abc")
    assert second.applied and second.previous_version == first.version
    assert second.changes == ["t: budgets.tokens_per_day: 10 -> 20"]
    assert store.current.tenants["t"].budgets.tokens_per_day == 20
    revisions = history.revisions("t")
    assert [(r.actor, r.version) for r in revisions] == [
        ("key:abc", second.version),
        ("startup", first.version),
    ]
    assert revisions[0].changes == ["budgets.tokens_per_day: 10 -> 20"]
    assert _audit_rows(history)[-1] == ("policy.reloaded", "key:abc", second.version)


def test_invalid_edit_is_refused_and_the_old_policy_stays(tmp_path: Path, history: PolicyHistory) -> None:
    path = write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t", "budgets: {tokens_per_day: 10}\n"))
    store = PolicyStore(tmp_path, ValidationOptions(), history)
    good = store.reload("startup")
    path.write_text(tenant_yaml("t", "budgets: {tokens_per_day: 0}\n"))
    refused = store.reload("file-watch")
    assert not refused.applied and refused.version == good.version
    assert [(i.line, i.column) for i in refused.issues] == [(5, 27)]
    assert store.current is not None and store.current.tenants["t"].budgets.tokens_per_day == 10
    assert _audit_rows(history)[-1] == ("policy.refused", "file-watch", good.version)


def test_a_refused_write_restores_the_file(tmp_path: Path, history: PolicyHistory) -> None:
    original = tenant_yaml("t")
    path = write_policy(tmp_path, "tenants/t.yaml", original)
    store = PolicyStore(tmp_path, ValidationOptions(), history)
    store.reload("startup")
    outcome = store.write_and_reload("tenants/t.yaml", "tenant: t\nname: T\ncolour: red\n", "key:abc")
    assert not outcome.applied
    assert path.read_text() == original
    created = store.write_and_reload("tenants/u.yaml", "tenant: x\nname: U\n", "key:abc")
    assert not created.applied and not (tmp_path / "tenants/u.yaml").exists()


class _BrokenRecorder:
    def record_applied(self, **_: object) -> None:
        raise OSError("disk full")

    def record_refused(self, **_: object) -> None:
        raise OSError("disk full")


def test_a_change_that_cannot_be_audited_does_not_take_effect(tmp_path: Path) -> None:
    write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t"))
    store = PolicyStore(tmp_path, ValidationOptions(), _BrokenRecorder())
    outcome = store.reload("startup")
    assert not outcome.applied and store.current is None


def test_replicas_and_restarts_record_each_change_once(tmp_path: Path, history: PolicyHistory) -> None:
    path = write_policy(tmp_path, "tenants/t.yaml", tenant_yaml("t"))
    write_policy(tmp_path, "tenants/u.yaml", tenant_yaml("u"))
    first, second = (PolicyStore(tmp_path, ValidationOptions(), history) for _ in range(2))
    first.reload("startup")
    second.reload("startup")
    path.write_text(tenant_yaml("t", "budgets: {tokens_per_day: 3}\n"))
    first.reload("key:abc")
    second.reload("file-watch")
    PolicyStore(tmp_path, ValidationOptions(), history).reload("startup")  # a restart
    assert [r.actor for r in history.revisions("t")] == ["key:abc", "startup"]
    assert [r.actor for r in history.revisions("u")] == ["startup"]
