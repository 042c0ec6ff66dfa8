"""Server behaviour that depends on the engine behind it: salted prefix cache, 429, disconnects."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from tests.engine.conftest import MODEL_CACHE, REPO, RunningEngine, free_port

pytestmark = pytest.mark.slow
MODEL = "smollm2-135m-instruct"


def long_prompt() -> str:
    # A fresh nonce first, so no earlier test has this prefix cached.
    record = "Patient reports mild chest pain after exercise, resolved with rest. " * 81
    return f"Case {uuid.uuid4().hex}. {record}"


def cached_tokens(base_url: str, prompt: str, **extra: object) -> tuple[int, int]:
    body = {"model": MODEL, "prompt": prompt, "max_tokens": 1, "temperature": 0} | extra
    headers = {"X-Cache-Salt": "tenant-a", "X-Tenant": "tenant-a"}
    response = httpx.post(f"{base_url}/v1/completions", json=body, headers=headers, timeout=120)
    assert response.status_code == 200, response.text
    usage = response.json()["usage"]
    return usage["prompt_tokens"], usage["prompt_tokens_details"]["cached_tokens"]


def test_prefix_cache_is_isolated_by_cache_salt(running_engine: RunningEngine) -> None:
    url, prompt = running_engine.base_url, long_prompt()
    prompt_tokens, first = cached_tokens(url, prompt, cache_salt="tenant-a")
    assert prompt_tokens >= 1000
    assert first == 0
    assert cached_tokens(url, prompt, cache_salt="tenant-a")[1] >= 960
    assert cached_tokens(url, prompt, cache_salt="tenant-b")[1] == 0
    # Salt-looking headers are never taken as the salt (cached_tokens sends X-Cache-Salt: tenant-a) ...
    assert cached_tokens(url, prompt)[1] == 0
    # ... and `user`, a per-end-user field this engine does not serve, is refused rather than keyed on.
    refused = httpx.post(f"{url}/v1/completions", json={"model": MODEL, "prompt": prompt, "user": "tenant-a"})
    assert (refused.status_code, refused.json()["error"]["param"]) == (400, "user")


def test_full_queue_is_429_with_retry_after(running_engine: RunningEngine) -> None:
    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=running_engine.base_url, timeout=300) as client:
            body = {"model": MODEL, "prompt": "Count to ten:", "max_tokens": 4, "ignore_eos": True}
            return await asyncio.gather(*(client.post("/v1/completions", json=body) for _ in range(16)))

    responses = asyncio.run(burst())
    refused = [r for r in responses if r.status_code == 429]
    assert refused, [r.status_code for r in responses]
    assert all(r.headers["retry-after"] == "1" for r in refused)
    assert refused[0].json()["error"]["type"] == "rate_limit_error"
    assert {r.status_code for r in responses} <= {200, 429}


def test_disconnected_stream_frees_its_blocks(running_engine: RunningEngine) -> None:
    url = running_engine.base_url
    body = {
        "model": MODEL,
        "prompt": "Tell a long story:",
        "max_tokens": 2000,
        "ignore_eos": True,
        "stream": True,
    }
    with httpx.stream("POST", f"{url}/v1/completions", json=body, timeout=60) as response:
        lines = response.iter_lines()
        assert next(lines).startswith("data: ")
        assert _metric(url, "bulwark_engine_requests_running") == 1
    deadline = time.monotonic() + 20
    while _metric(url, "bulwark_engine_requests_running") != 0:
        assert time.monotonic() < deadline, "aborted request still running"
        time.sleep(0.1)
    assert _metric(url, "bulwark_engine_kv_cache_usage_ratio") == 0.0


def _metric(base_url: str, name: str) -> float:
    text = httpx.get(f"{base_url}/metrics").text
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, name
    return float(match.group(1))


def test_python_m_engine_serve_starts_and_serves() -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "engine",
        "serve",
        "--model",
        MODEL,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--model-cache",
        str(MODEL_CACHE),
        "--kv-cache-gb",
        "0.1",
        "--max-num-seqs",
        "2",
        "--block-size",
        "32",
        "--dtype",
        "float32",
        "--dev-mode",  # loopback test: no gateway token (outside dev mode the engine refuses to start)
    ]
    process = subprocess.Popen(command, cwd=REPO, env=os.environ | {"PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, "engine exited"
            assert time.monotonic() < deadline, "engine never became healthy"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        models = httpx.get(f"http://127.0.0.1:{port}/v1/models").json()
        assert [m["id"] for m in models["data"]] == [MODEL, "all-minilm-l6-v2"]  # the embedding model too
    finally:
        process.terminate()
        # uvicorn shuts down cleanly, then re-raises SIGTERM so the exit status says why.
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
