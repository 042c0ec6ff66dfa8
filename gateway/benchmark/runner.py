"""One benchmark run: ask the server what it serves, send the workload, and return the report."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from typing import Any

import httpx
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gateway.benchmark import machine
from gateway.benchmark.driver import Load, run_load
from gateway.benchmark.measure import RequestResult
from gateway.benchmark.stats import per_request, summarize
from gateway.benchmark.workloads import WorkloadSpec, plan


@dataclasses.dataclass(frozen=True)
class Target:
    base_url: str  # up to and including /v1
    api_key: str | None = None
    timeout_s: float = 600.0

    def client(self, concurrency_hint: int) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        limits = httpx.Limits(max_connections=max(16, concurrency_hint * 2))
        # trust_env=False: a benchmark of an on-prem server must not wander through a proxy.
        return httpx.AsyncClient(
            base_url=self.base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(self.timeout_s, connect=10.0),
            limits=limits,
            trust_env=False,
        )


async def _models(client: httpx.AsyncClient) -> Any:
    try:
        response = await client.get("/models")
    except httpx.HTTPError as error:
        return {"error": type(error).__name__}
    if response.status_code != 200:
        return {"error": f"http_{response.status_code}"}
    return response.json()


def _progress(load: Load, quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("ok {task.fields[ok]} · errors {task.fields[errors]}"),
        TimeElapsedColumn(),
        disable=quiet,
        transient=True,
    )


async def run_async(target: Target, spec: WorkloadSpec, load: Load, quiet: bool = False) -> dict[str, Any]:
    concurrency_hint = load.concurrency or int(load.rate or 1) * 4
    async with target.client(concurrency_hint) as client:
        models = await _models(client)
        load_before = machine.load_average()
        with _progress(load, quiet) as progress:
            task = progress.add_task(f"{spec.name} · {load.describe()}", total=load.requests, ok=0, errors=0)
            counts = {"ok": 0, "errors": 0}

            def on_result(result: RequestResult) -> None:
                counts["ok" if result.ok else "errors"] += 1
                progress.update(task, advance=1, ok=counts["ok"], errors=counts["errors"])

            results, wall_s = await run_load(client, plan(spec), load, on_result)
    return {
        "kind": "bulwark-bench",
        "version": 1,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "target": {"base_url": target.base_url, "authenticated": target.api_key is not None},
        "server_models": models,
        "workload": {**dataclasses.asdict(spec), "prompts_file": str(spec.prompts_file or "") or None},
        "load": dataclasses.asdict(load),
        "machine": {**machine.describe(), "load_average_before": load_before},
        "summary": summarize(results, wall_s),
        "samples": per_request(results),
    }


def run(target: Target, spec: WorkloadSpec, load: Load, quiet: bool = False) -> dict[str, Any]:
    return asyncio.run(run_async(target, spec, load, quiet))
