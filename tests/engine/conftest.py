"""One real engine (real SmolLM2 weights, real uvicorn on a free port) shared by the session."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from engine.config import EngineConfig
from engine.server import EngineService, create_app
from engine.service import build_service

REPO = Path(__file__).resolve().parents[2]
MODEL_CACHE = REPO / ".cache" / "models"


@dataclass
class RunningEngine:
    base_url: str
    service: EngineService


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def engine_config() -> EngineConfig:
    # Small queues so the 429 path is reachable with a handful of concurrent requests.
    return EngineConfig(
        model_cache=MODEL_CACHE, dtype="float32", max_num_seqs=4, max_waiting=4, kv_cache_gb=0.25
    )


@pytest.fixture(scope="session")
def running_engine(engine_config: EngineConfig) -> Iterator[RunningEngine]:
    service = build_service(engine_config)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(service), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline, "engine server did not start"
        time.sleep(0.05)
    yield RunningEngine(base_url=f"http://127.0.0.1:{port}", service=service)
    server.should_exit = True
    thread.join(timeout=30)
