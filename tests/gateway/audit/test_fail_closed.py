"""Fail closed: with a broken ledger the client gets 503 and the engine receives nothing.

The engine is replaced at the transport seam (httpx.MockTransport) because the point is to count what
would have reached it; the audit stage, writer, ledger and database are the real ones.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import httpx
import pytest
from sqlalchemy import func, select

from gateway.audit.kek_file import DevKekFile
from gateway.audit.keyring import DataKeyRing
from gateway.audit.models import AuditRecord
from gateway.audit.stage import AuditStage
from gateway.audit.writer import AuditWriter
from gateway.db import migrate
from gateway.db.session import Database
from gateway.errors import ServiceUnavailable
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, Pipeline, UpstreamReply
from gateway.policy.schema import AuditSection, TenantPolicy
from gateway.upstream.client import EngineClient
from gateway.upstream.forward import ForwardStage
from gateway.upstream.pools import UpstreamPools

ANSWER = {"choices": [{"message": {"role": "assistant", "content": "Paris."}}], "usage": {"prompt_tokens": 3}}


class _PolicyStandIn:
    """Sets the tenant policy's audit section the way resolve_policy would, without a policy directory."""

    name = "resolve_policy"

    def __init__(self, store_bodies: Literal["none", "redacted", "full"]) -> None:
        self._policy = TenantPolicy(tenant="acme", name="Acme", audit=AuditSection(store_bodies=store_bodies))

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        ctx.policy = self._policy
        return await call_next(ctx)


def _pipeline(
    writer: AuditWriter,
    on_engine_call: Callable[[], None],
    store_bodies: Literal["none", "redacted", "full"] = "redacted",
) -> tuple[Pipeline, list[int]]:
    calls: list[int] = []

    def engine(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        on_engine_call()
        return httpx.Response(200, json=ANSWER)

    client = EngineClient("http://engine", timeout_s=5, transport=httpx.MockTransport(engine))
    return Pipeline(
        [
            AuditStage(writer),
            _PolicyStandIn(store_bodies),
            ForwardStage(UpstreamPools.from_clients({"default": [client]})),
        ]
    ), calls


def _context() -> RequestContext:
    return RequestContext(
        request_id="req_1",
        endpoint="chat.completions",
        body={"model": "m", "messages": [{"role": "user", "content": "capital of France?"}]},
    )


def _keyring(folder: Path) -> DataKeyRing:
    return DataKeyRing(DevKekFile(folder / "kek.json"))


def _break(db_path: Path) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("DROP TABLE audit_chain_head")


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Database:
    url = f"sqlite:///{tmp_path / 'bulwark.db'}"
    migrate.upgrade(url)
    return Database(url)


def test_broken_ledger_refuses_before_forwarding(sqlite_db: Database, tmp_path: Path) -> None:
    writer = AuditWriter(sqlite_db, _keyring(tmp_path))
    pipeline, calls = _pipeline(writer, lambda: None)
    assert asyncio.run(pipeline(_context())).body == ANSWER  # healthy: answered and recorded
    _break(tmp_path / "bulwark.db")
    with pytest.raises(ServiceUnavailable) as refused:
        asyncio.run(pipeline(_context()))
    assert refused.value.status_code == 503 and refused.value.code == "audit_unavailable"
    assert len(calls) == 1  # the second request never reached the engine
    writer.close()


def test_unreachable_ledger_database_refuses_before_forwarding() -> None:
    database = Database("postgresql://postgres@127.0.0.1:1/nowhere")  # nothing listens on port 1
    writer = AuditWriter(database)
    pipeline, calls = _pipeline(writer, lambda: None)
    with pytest.raises(ServiceUnavailable):
        asyncio.run(pipeline(_context()))
    assert calls == []
    writer.close()
    database.dispose()


def test_record_failing_after_forward_withholds_the_answer(sqlite_db: Database, tmp_path: Path) -> None:
    """The ledger breaks while the engine works: the client gets 503, never an unrecorded answer."""
    writer = AuditWriter(sqlite_db, _keyring(tmp_path))
    pipeline, calls = _pipeline(writer, lambda: _break(tmp_path / "bulwark.db"))
    with pytest.raises(ServiceUnavailable):
        asyncio.run(pipeline(_context()))
    assert len(calls) == 1
    with sqlite3.connect(tmp_path / "bulwark.db") as connection:
        assert connection.execute("SELECT count(*) FROM audit_records").fetchone()[0] == 0
    writer.close()


def test_each_request_leaves_one_record(sqlite_db: Database, tmp_path: Path) -> None:
    writer = AuditWriter(sqlite_db, _keyring(tmp_path))
    pipeline, _ = _pipeline(writer, lambda: None)
    for _ in range(3):
        asyncio.run(pipeline(_context()))
    with sqlite_db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditRecord)) == 3
    writer.close()


@pytest.mark.parametrize("store_bodies", ["none", "redacted", "full"])
def test_policy_decides_whether_the_body_is_stored(
    sqlite_db: Database, tmp_path: Path, store_bodies: Literal["none", "redacted", "full"]
) -> None:
    writer = AuditWriter(sqlite_db, _keyring(tmp_path))
    pipeline, _ = _pipeline(writer, lambda: None, store_bodies)
    asyncio.run(pipeline(_context()))
    with sqlite_db.session() as session:
        record = session.scalars(select(AuditRecord)).one()
    assert record.body_mode == store_bodies
    assert (record.data_key_id is None) == (store_bodies == "none")
    writer.close()


def test_a_hanging_ledger_refuses_after_the_admission_timeout(sqlite_db: Database, tmp_path: Path) -> None:
    writer = AuditWriter(sqlite_db, _keyring(tmp_path))
    with sqlite3.connect(tmp_path / "bulwark.db", timeout=0) as blocker:
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock and never lets go
        with pytest.raises(TimeoutError):
            asyncio.run(writer.admit_async(timeout_s=0.3))
        blocker.rollback()
    writer.admit()  # the lock is gone: admitted again
    writer.close()
