"""One request, timed from the client's side: time to first token, gaps between tokens, usage, errors."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from gateway.benchmark.workloads import PlannedRequest


@dataclass
class RequestResult:
    started_s: float  # since the run started
    in_flight_at_start: int
    ok: bool = False
    error: str | None = None  # "http_429", "timeout", "connect", "protocol", ...
    ttft_s: float | None = None
    e2e_s: float = 0.0
    itl_s: list[float] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def tpot_s(self) -> float | None:
        """Time per output token after the first, the way vLLM's benchmark defines it."""
        if self.ttft_s is None or self.completion_tokens < 2:
            return None
        return (self.e2e_s - self.ttft_s) / (self.completion_tokens - 1)


def _read_usage(result: RequestResult, usage: dict[str, Any] | None) -> None:
    if not usage:
        return
    result.prompt_tokens = int(usage.get("prompt_tokens") or 0)
    result.completion_tokens = int(usage.get("completion_tokens") or 0)
    details = usage.get("prompt_tokens_details") or {}
    result.cached_tokens = int(details.get("cached_tokens") or 0)


def _has_output(chunk: dict[str, Any]) -> bool:
    for choice in chunk.get("choices") or []:
        delta = choice.get("delta") or {}
        if delta.get("content") or delta.get("tool_calls") or choice.get("text"):
            return True
    return False


async def _stream(
    client: httpx.AsyncClient, planned: PlannedRequest, result: RequestResult, t0: float
) -> None:
    last: float | None = None
    async with client.stream("POST", planned.path, json=planned.body) as response:
        if response.status_code != 200:
            await response.aread()
            result.error = f"http_{response.status_code}"
            return
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            chunk = json.loads(data)
            now = time.perf_counter()
            if _has_output(chunk):
                if last is None:
                    result.ttft_s = now - t0
                else:
                    result.itl_s.append(now - last)
                last = now
            _read_usage(result, chunk.get("usage"))
    result.ok = True


async def _unary(client: httpx.AsyncClient, planned: PlannedRequest, result: RequestResult) -> None:
    response = await client.post(planned.path, json=planned.body)
    if response.status_code != 200:
        result.error = f"http_{response.status_code}"
        return
    _read_usage(result, response.json().get("usage"))
    result.ok = True


async def send(
    client: httpx.AsyncClient, planned: PlannedRequest, started_s: float, in_flight: int
) -> RequestResult:
    result = RequestResult(started_s=started_s, in_flight_at_start=in_flight, tags=planned.tags)
    t0 = time.perf_counter()
    try:
        if planned.streams:
            await _stream(client, planned, result, t0)
        else:
            await _unary(client, planned, result)
    except httpx.TimeoutException:
        result.error = "timeout"
    except httpx.TransportError:
        result.error = "connection"
    except (json.JSONDecodeError, UnicodeDecodeError):
        result.error = "protocol"
    result.e2e_s = time.perf_counter() - t0
    if not result.ok:
        result.itl_s.clear()
        result.ttft_s = None
    return result
