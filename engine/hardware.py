"""Documented defaults read from the machine: the CPU's bf16 support and its physical cores.

bf16 is only fast where the CPU has instructions for it (AVX512-BF16 or AMX-BF16). Without them
torch emulates it: on an AVX2-only EPYC, bf16 prefill measured ~5x slower than fp32 and bf16 at 16
concurrent requests 2.4x slower (FIELD-NOTES, 2026-12-01). Threads: one per physical core the
process may run on; SMT siblings share a core's FMA units and only add contention.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_BF16_FLAGS = {"avx512_bf16", "amx_bf16"}


@cache
def cpu_flags() -> frozenset[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def cpu_has_native_bf16() -> bool:
    return bool(_BF16_FLAGS & cpu_flags())


def default_dtype(device: str) -> str:
    if device.startswith("cuda") or cpu_has_native_bf16():
        return "bfloat16"
    return "float32"


def physical_cores() -> int:
    """Distinct (package, core) pairs among the CPUs this process may run on."""
    cpus = os.sched_getaffinity(0)
    cores = set()
    for cpu in cpus:
        topology = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            package = (topology / "physical_package_id").read_text().strip()
            core = (topology / "core_id").read_text().strip()
        except OSError:
            return len(cpus)
        cores.add((package, core))
    return max(len(cores), 1)


def intra_op_threads(configured: int | None) -> int:
    """An explicit setting, else the operator's OMP_NUM_THREADS, else the physical cores."""
    if configured:
        return configured
    from_env = os.environ.get("OMP_NUM_THREADS", "")
    return int(from_env) if from_env.isdigit() and int(from_env) > 0 else physical_cores()
