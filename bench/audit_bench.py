"""Audit ledger throughput: records/s committed on SQLite (WAL, synchronous=FULL) and PostgreSQL.

Scenarios, each with realistic request records (header + AES-GCM-encrypted body):
- sequential: one caller, each write waits for its own commit (the fsync-bound floor);
- concurrent: N callers through one batching writer (what a busy gateway does);
- then verify: records/s that ``bulwark audit verify`` checks.

Usage: .venv/bin/python bench/audit_bench.py [--records 4000] [--callers 32] [--no-postgres]
Prints a table and writes bench/results/audit_bench.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import secrets
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

from gateway.audit.checkpoints import CheckpointSigner
from gateway.audit.events import AuditEvent
from gateway.audit.kek_file import DevKekFile
from gateway.audit.keyring import DataKeyRing
from gateway.audit.verify import verify_ledger
from gateway.audit.writer import AuditWriter
from gateway.db import migrate
from gateway.db.session import Database

RESULTS = Path(__file__).resolve().parent / "results" / "audit_bench.json"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def event(n: int) -> AuditEvent:
    return AuditEvent(
        event_type="request",
        outcome="ok",
        request_id=f"req_{n:08d}",
        tenant_id=f"tenant{n % 8}",
        key_id="bwk_bench",
        status_code=200,
        endpoint="chat.completions",
        model="smollm2-135m-instruct",
        policy_version="v" * 16,
        stages=["audit", "authenticate", "validate", "resolve_policy", "redact", "route", "forward"],
        pii_counts={"PERSON": 1, "US_SSN": 1},
        prompt_tokens=120,
        completion_tokens=40,
        latency_ms=850,
        body={
            "request": {
                "messages": [{"role": "user", "content": "Summarize the discharge note for <PERSON_1>. " * 8}]
            },
            "completion": "The patient was discharged in stable condition. " * 4,
        },
    )


def run_writes(database: Database, keyring: DataKeyRing, records: int, callers: int) -> float:
    writer = AuditWriter(database, keyring)
    writer.write(event(0))  # warm: the data keys exist, the connection is open
    per_caller = records // callers

    def caller(index: int) -> None:
        for n in range(per_caller):
            writer.write(event(index * per_caller + n))

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(callers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    writer.close()
    return per_caller * callers / elapsed


def bench_backend(name: str, url: str, folder: Path, records: int, callers: int) -> dict[str, Any]:
    migrate.upgrade(url)
    database = Database(url)
    keyring = DataKeyRing(DevKekFile(folder / f"{name}-kek.json"))
    sequential = run_writes(database, keyring, max(records // 8, 200), 1)
    concurrent = run_writes(database, keyring, records, callers)
    signer = CheckpointSigner.dev(folder / f"{name}-signing.pem")
    started = time.perf_counter()
    report = verify_ledger(database, signer.trusted())
    verify_rate = report.records / (time.perf_counter() - started)
    database.dispose()
    assert report.ok, report.faults[:3]
    return {
        "backend": name,
        "sequential_records_per_s": round(sequential),
        "concurrent_records_per_s": round(concurrent),
        "callers": callers,
        "verify_records_per_s": round(verify_rate),
        "records_verified": report.records,
    }


def postgres_database() -> tuple[str, str]:
    name = f"bulwark_bench_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_postgres(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=4000)
    parser.add_argument("--callers", type=int, default=32)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    rows = []
    # Under the repository (a real disk, like BULWARK_HOME), never tmpfs: fsync must cost what it costs.
    cache = Path(__file__).resolve().parents[1] / ".cache"
    cache.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        folder = Path(tmp)
        rows.append(
            bench_backend("sqlite", f"sqlite:///{folder / 'bench.db'}", folder, args.records, args.callers)
        )
        if not args.no_postgres:
            name, url = postgres_database()
            try:
                rows.append(bench_backend("postgresql", url, folder, args.records, args.callers))
            finally:
                drop_postgres(name)
    header = (
        f"{'backend':<12}{'sequential rec/s':>18}{'concurrent rec/s':>18}{'callers':>9}{'verify rec/s':>14}"
    )
    print(header)
    for row in rows:
        print(
            f"{row['backend']:<12}{row['sequential_records_per_s']:>18}{row['concurrent_records_per_s']:>18}"
            f"{row['callers']:>9}{row['verify_records_per_s']:>14}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps({"machine": platform.platform(), "records": args.records, "results": rows}, indent=2)
        + "\n"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
