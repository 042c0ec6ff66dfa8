"""Under concurrent requests and rapid reloads, every request is decided by exactly one policy version,
and its audit record names that version: never a mix, never a stale label.

The policy flips between "model allowed" (the request is forwarded; the engine port is closed, so 502)
and "model withheld" (403 before forwarding). Each response must match the version in its audit row.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from gateway.policy.policy_set import load_policy_set
from gateway.policy.schema import ValidationOptions
from tests.gateway.policy.policy_files import tenant_yaml, write_policy
from tests.servers import free_port, running_gateway

OPEN = tenant_yaml("clinic")
CLOSED = OPEN.replace("allowed: [smollm2-135m-instruct]", "allowed: []")


def _version_of(root: Path, text: str) -> str:
    write_policy(root, "tenants/clinic.yaml", text)
    return load_policy_set(root, ValidationOptions()).version


def test_each_request_is_decided_and_labelled_by_one_version(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    open_version, closed_version = _version_of(scratch, OPEN), _version_of(scratch, CLOSED)
    policies = tmp_path / "policies"
    path = write_policy(policies, "tenants/clinic.yaml", OPEN)
    with running_gateway(
        tmp_path / "home", f"http://127.0.0.1:{free_port()}", policy_dir=policies
    ) as gateway:
        key = gateway.create_key("clinic")
        stop = threading.Event()

        def flip() -> None:
            for index in range(12):
                path.write_text(CLOSED if index % 2 == 0 else OPEN)
                time.sleep(0.3)  # longer than the watch step, so each state is reloaded
            stop.set()

        def ask(_: int) -> list[tuple[str, int]]:
            seen = []
            with httpx.Client(
                base_url=gateway.base_url, headers={"Authorization": f"Bearer {key}"}
            ) as client:
                while not stop.is_set():
                    body = {"model": "smollm2-135m-instruct", "messages": [{"role": "user", "content": "hi"}]}
                    response = client.post("/v1/chat/completions", json=body)
                    seen.append((response.headers["x-request-id"], response.status_code))
            return seen

        with ThreadPoolExecutor(max_workers=5) as pool:
            flipper = pool.submit(flip)
            answers = [pair for batch in pool.map(ask, range(4)) for pair in batch]
            flipper.result()
        query = select(AuditRecord.request_id, AuditRecord.policy_version).where(
            AuditRecord.event_type == "request"
        )
        with gateway.database.session() as session:
            versions = {row[0]: row[1] for row in session.execute(query)}
    expected = {502: open_version, 403: closed_version}
    assert {status for _, status in answers} == {403, 502}, "both versions should have decided requests"
    mismatched = [
        (rid, status, versions.get(rid)) for rid, status in answers if versions.get(rid) != expected[status]
    ]
    assert not mismatched, mismatched[:5]
