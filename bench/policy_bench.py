"""Policy and limits costs: loading a policy set, one admission check, and edit-to-enforcement time.

    .venv/bin/python bench/policy_bench.py [--tenants 200] [--checks 2000] [--reloads 10]

- load: read + merge + validate the shipped policies/ and a synthetic set of N tenants (median ms).
- admit+settle: one request's full limit round trip (2 rpm, 2 tpm, 2 concurrency rules, 2 budgets),
  in-process and on the Redis at 127.0.0.1:6379 (p50 / p99 microseconds, sequential).
- reload: write a tenant file, time until the watcher has put the new version in force (median ms).
Writes JSON to bench/results/policy_bench.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.limits.backend import LimitBackend
from gateway.limits.memory import InProcessLimits
from gateway.limits.redis_backend import RedisLimits
from gateway.limits.rules import plan_admission
from gateway.policy.policy_set import load_policy_set
from gateway.policy.schema import TenantPolicy, ValidationOptions
from gateway.policy.store import PolicyStore
from gateway.policy.watcher import PolicyReloader

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = ValidationOptions()
LIMITED = """tenant: {t}
name: Tenant {t}
extends: hipaa
rate_limits:
  per_key: {{requests_per_minute: 1000000, tokens_per_minute: 100000000, concurrent_requests: 1000}}
  per_tenant: {{requests_per_minute: 1000000, tokens_per_minute: 100000000, concurrent_requests: 1000}}
budgets: {{tokens_per_day: 1000000000, tokens_per_month: 1000000000}}
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def synthetic_set(root: Path, tenants: int) -> None:
    (root / "base").mkdir(parents=True)
    (root / "tenants").mkdir()
    (root / "base/hipaa.yaml").write_text((ROOT / "policies/base/hipaa.yaml").read_text())
    for index in range(tenants):
        (root / f"tenants/t{index}.yaml").write_text(LIMITED.format(t=f"t{index}"))


def time_load(root: Path, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        load_policy_set(root, OPTIONS)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


async def time_checks(backend: LimitBackend, policy: TenantPolicy, checks: int) -> tuple[float, float]:
    runs = []
    for index in range(checks):
        admission = plan_admission(policy, policy.tenant, "key1", f"lease-{index}")
        started = time.perf_counter()
        assert await backend.admit(admission) is None
        await backend.settle(admission, tokens=50)
        runs.append((time.perf_counter() - started) * 1e6)
    await backend.aclose()
    return percentile(runs, 0.5), percentile(runs, 0.99)


async def time_reloads(root: Path, reloads: int) -> float:
    store = PolicyStore(root, OPTIONS)
    store.reload("bench")
    reloader = PolicyReloader(store)
    reloader.start(watch=True)
    await asyncio.sleep(0.5)
    runs = []
    path = root / "tenants/t0.yaml"
    for index in range(reloads):
        before = store.current.version if store.current else None
        started = time.perf_counter()
        path.write_text(
            LIMITED.format(t="t0").replace("1000000000, tokens_per_month", f"{index + 1}, tokens_per_month")
        )
        while (store.current.version if store.current else None) == before:
            await asyncio.sleep(0.005)
        runs.append((time.perf_counter() - started) * 1000)
    await reloader.aclose()
    return statistics.median(runs)


async def run(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "policies"
        synthetic_set(root, args.tenants)
        results: dict[str, object] = {
            "load_shipped_ms": round(time_load(ROOT / "policies"), 2),
            f"load_{args.tenants}_tenants_ms": round(time_load(root), 1),
        }
        policy = load_policy_set(root, OPTIONS).tenants["t1"]
        memory = await time_checks(InProcessLimits(), policy, args.checks)
        redis = await time_checks(
            RedisLimits("redis://127.0.0.1:6379/0", prefix=f"bulwark-bench:{secrets.token_hex(4)}:"),
            policy,
            args.checks,
        )
        results["admit_settle_memory_us_p50_p99"] = [round(v) for v in memory]
        results["admit_settle_redis_us_p50_p99"] = [round(v) for v in redis]
        results["edit_to_enforced_ms_median"] = round(await time_reloads(root, args.reloads), 1)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--reloads", type=int, default=10)
    args = parser.parse_args()
    results = asyncio.run(run(args))
    print(f"{'measure':<40} value")
    for name, value in results.items():
        print(f"{name:<40} {value}")
    out = ROOT / "bench/results/policy_bench.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
