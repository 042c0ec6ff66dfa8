"""Console benchmark: token verification, search/detail/reveal latency, export and verify over a ledger.

Seeds N request records (encrypted bodies, 5 tenants) through the ledger's own append path into SQLite
(or --database-url), then drives the real app in-process (ASGI, no sockets) with console tokens.

Run: .venv/bin/python bench/console_bench.py [--records 20000]
Prints a table and writes JSON to bench/results/console_bench.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.audit.components import key_ring
from gateway.audit.events import AuditEvent
from gateway.audit.ledger import append_events
from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token
from gateway.auth.trust import build_verifier
from gateway.db import migrate
from gateway.db.session import Database
from gateway.settings import Settings, load_settings

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"
TENANTS = ("st-mary", "harbor", "acme", "globex", "initech")
PII: tuple[dict[str, int], ...] = ({"PERSON": 1}, {"EMAIL_ADDRESS": 2}, {}, {"US_SSN": 1, "PERSON": 1})


def seed(settings: Settings, database_url: str, records: int) -> None:
    migrate.upgrade(database_url)
    database, keyring = Database(database_url), key_ring(settings)
    for start in range(0, records, 500):
        batch = [
            AuditEvent(
                event_type="request",
                outcome="ok" if n % 10 else "error",
                status_code=200 if n % 10 else 403,
                tenant_id=TENANTS[n % len(TENANTS)],
                key_id=f"key{n % 40}",
                model="smollm2-135m-instruct",
                pii_counts=PII[n % len(PII)],
                body={"request": {"messages": [{"role": "user", "content": f"prompt {n} " * 20}]}},
                body_mode="redacted",
            )
            for n in range(start, min(start + 500, records))
        ]
        with database.session() as session:
            append_events(session, batch, keyring)
    database.dispose()


def timed(action: Callable[[], object], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": sorted(samples)[int(0.95 * (len(samples) - 1))],
    }


def verify_rate(settings: Settings, token: str, count: int) -> float:
    async def run() -> float:
        async with httpx.AsyncClient() as http:
            verifier = build_verifier(settings, http)
            began = time.perf_counter()
            for _ in range(count):
                await verifier.verify(token)
            return count / (time.perf_counter() - began)

    return anyio.run(run)


def measure(client: TestClient, settings: Settings, records: int) -> dict[str, Any]:
    officer = issue_local_token(settings, "bench", [Role.COMPLIANCE_OFFICER])
    scoped = issue_local_token(settings, "bench", [Role.AUDITOR], ["acme"])
    auth = {"Authorization": f"Bearer {officer}"}

    def get(path: str, headers: dict[str, str] = auth, **params: Any) -> Any:
        response = client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response

    results: dict[str, Any] = {
        "records": records,
        "es256_verifications_per_s": verify_rate(settings, officer, 500),
    }
    results["search_first_page"] = timed(lambda: get("/console/api/records"), 30)
    results["search_tenant"] = timed(lambda: get("/console/api/records", tenant="acme"), 30)
    results["search_pii_type"] = timed(lambda: get("/console/api/records", pii_type="US_SSN"), 30)
    results["search_scoped_auditor"] = timed(
        lambda: get("/console/api/records", {"Authorization": f"Bearer {scoped}"}), 30
    )
    results["detail"] = timed(lambda: get("/console/api/records/1000"), 30)
    reveal = {"reason": "benchmark: reveal latency with decryption and audit"}
    results["reveal"] = timed(
        lambda: client.post("/console/api/records/1000/reveal", json=reveal, headers=auth), 20
    )
    results["stats_14d"] = timed(lambda: get("/console/api/stats"), 5)
    began = time.perf_counter()
    exported = get("/console/api/export", format="jsonl")
    results["export_jsonl_all"] = {
        "ms": (time.perf_counter() - began) * 1000,
        "records": exported.content.count(b"\n"),
        "bytes": len(exported.content),
    }
    began = time.perf_counter()
    verified = client.post("/console/api/integrity/verify", headers=auth).json()
    results["verify_run"] = {"ms": (time.perf_counter() - began) * 1000, "status": verified["status"]}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(home=Path(home), dev_mode=True, upstream_url="http://127.0.0.1:9")
        url = args.database_url or settings.resolved_database_url
        began = time.perf_counter()
        seed(settings, url, args.records)
        seeded_s = time.perf_counter() - began
        with TestClient(create_app(settings.model_copy(update={"database_url": url}))) as client:
            results = measure(client, settings, args.records)
    results |= {"seed_s": seeded_s, "database": url.split(":", 1)[0], "machine": platform.machine()}
    print(f"{'measure':28} {'value':>22}")
    for name, value in results.items():
        shown = (
            ", ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items())
            if isinstance(value, dict)
            else (f"{value:.1f}" if isinstance(value, float) else str(value))
        )
        print(f"{name:28} {shown:>22}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "console_bench.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
