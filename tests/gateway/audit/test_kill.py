"""SIGKILL a real gateway process under load, 20 times: every request the client saw answered has its
record, and verify passes over everything that survived.

The gateway is the real one (``create_app`` under uvicorn in its own process: real pipeline, real
SQLite with synchronous=FULL, real audit writer, checkpoints every 0.5 s), forked from a pre-imported
parent so 20 restarts do not pay 20 cold imports. The engine is a tiny local HTTP stub that
answers at once: the real model would make 20 restarts under load take many minutes, and what is under
test is the gateway's ledger, not generation.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from gateway.audit.components import checkpoint_signer
from gateway.audit.models import AuditRecord
from gateway.audit.verify import verify_ledger
from gateway.db import migrate
from gateway.db.session import Database
from gateway.settings import load_settings
from gateway.tenants import service as tenant_service
from tests.servers import free_port

KILLS = 20
CLIENTS = 6
MODEL = "smollm2-135m-instruct"
ANSWER = {
    "id": "cmpl-stub",
    "object": "chat.completion",
    "created": 0,
    "model": MODEL,
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris."}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
}


class _StubEngine(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._reply({"status": "ok", "data": [{"id": MODEL, "object": "model"}], "object": "list"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self._reply(ANSWER)

    def _reply(self, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            return  # the gateway was killed mid-request


@contextmanager
def stub_engine() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubEngine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class Load:
    """Clients hammering the gateway across restarts; remembers every answer they actually received."""

    def __init__(self, base_url: str, key: str) -> None:
        self.base_url, self.key = base_url, key
        self.answered: dict[str, int] = {}
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(CLIENTS)]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self) -> None:
        body = {
            "model": MODEL,
            "messages": [{"role": "user", "content": "Capital of France?"}],
            "max_tokens": 8,
        }
        with httpx.Client(timeout=10) as client:
            while not self._stop.is_set():
                request_id = f"kill-{uuid.uuid4().hex}"
                headers = {"Authorization": f"Bearer {self.key}", "X-Request-ID": request_id}
                try:
                    response = client.post(f"{self.base_url}/v1/chat/completions", json=body, headers=headers)
                except httpx.HTTPError:
                    time.sleep(0.02)  # the gateway is down or was killed mid-request: not answered
                    continue
                self.answered[request_id] = response.status_code


class GatewayLauncher:
    """Forks real gateway processes from one pre-imported parent (see forking_gateway.py for why)."""

    def __init__(self, home: Path, port: int, upstream: str, log: Path) -> None:
        env = {
            **os.environ,
            "BULWARK_HOME": str(home),
            "BULWARK_DEV_MODE": "1",
            "BULWARK_UPSTREAM_URL": upstream,
            "BULWARK_AUDIT_CHECKPOINT_EVERY_S": "0.5",
            "BULWARK_AUDIT_CHECKPOINT_EVERY_RECORDS": "50",
            "BULWARK_POLICY_WATCH": "0",
        }
        command = [sys.executable, "-m", "tests.gateway.audit.forking_gateway", str(port)]
        with log.open("ab") as output:
            self._parent = subprocess.Popen(
                command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=output
            )
        self.port = port

    def start(self) -> int:
        assert self._parent.stdin is not None and self._parent.stdout is not None
        self._parent.stdin.write(b"start\n")
        self._parent.stdin.flush()
        pid = int(self._parent.stdout.readline() or b"0")
        assert pid > 0, "the launcher died; see gateway.log"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return pid
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "gateway did not start"
            time.sleep(0.05)

    def close(self) -> None:
        assert self._parent.stdin is not None
        self._parent.stdin.close()
        self._parent.wait(timeout=30)


@pytest.mark.slow
def test_sigkill_under_load_loses_no_answered_record(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path, dev_mode=True)
    migrate.upgrade(settings.resolved_database_url)
    database = Database(settings.resolved_database_url)
    with database.session() as session:
        key = tenant_service.create_key(session, settings.secret("key_pepper"), "demo").key
    port = free_port()
    rng = random.Random(20261124)
    with stub_engine() as upstream, Load(f"http://127.0.0.1:{port}", key) as load:
        launcher = GatewayLauncher(tmp_path, port, upstream, tmp_path / "gateway.log")
        try:
            for _ in range(KILLS):
                pid = launcher.start()
                time.sleep(rng.uniform(0.3, 1.2))
                os.kill(pid, signal.SIGKILL)
        finally:
            launcher.close()
        answered = dict(load.answered)
    with database.session() as session:
        query = select(AuditRecord.request_id, AuditRecord.status_code).where(
            AuditRecord.event_type == "request"
        )
        recorded = {row.request_id: row.status_code for row in session.execute(query)}
    statuses = Counter(answered.values())
    assert len(answered) > 100, f"too little load to mean anything: {statuses}"
    missing = [request_id for request_id in answered if request_id not in recorded]
    assert missing == [], f"{len(missing)} answered requests have no record"
    assert all(recorded[request_id] == status for request_id, status in answered.items())
    report = verify_ledger(database, checkpoint_signer(settings).trusted())
    database.dispose()
    assert report.ok, report.faults[:3]
    assert report.checkpoints >= KILLS
    print(f"answered {len(answered)} {dict(statuses)}, ledger records {report.records}")
