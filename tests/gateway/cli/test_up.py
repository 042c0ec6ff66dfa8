"""`bulwark up` as a new user runs it: the printed key works with the README's snippets, Ctrl-C stops all."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import MODEL_CACHE, REPO, free_port

pytestmark = pytest.mark.slow
README_BASE_URL = "http://127.0.0.1:8000"


def _readme_block(language: str, containing: str) -> str:
    blocks: list[str] = re.findall(rf"```{language}\n(.*?)```", (REPO / "README.md").read_text(), re.DOTALL)
    return next(block for block in blocks if containing in block)


def _read_until(process: subprocess.Popen[str], marker: str, timeout_s: float) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    seen = ""
    deadline = time.monotonic() + timeout_s
    while marker not in seen:
        assert time.monotonic() < deadline, f"no {marker!r} in output: {seen[-2000:]}"
        assert process.poll() is None, f"bulwark up exited: {seen[-2000:]}"
        if selector.select(timeout=1):
            # Raw reads: a buffered readline() can strand the marker in Python's buffer, where select() never sees it.
            seen += os.read(process.stdout.fileno(), 65536).decode(errors="replace")
    return seen


def test_up_prints_a_working_key_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    home = tmp_path / "home"
    # Share the test model cache so the model is converted once per machine, as under ~/.bulwark.
    (home / "models").parent.mkdir(parents=True)
    (home / "models").symlink_to(MODEL_CACHE, target_is_directory=True)
    port, engine_port = free_port(), free_port()
    env = {**os.environ, "BULWARK_HOME": str(home), "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gateway.cli.main",
            "up",
            "--port",
            str(port),
            "--engine-port",
            str(engine_port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        banner = _read_until(process, "Press Ctrl-C", timeout_s=600)
        key = re.search(r"export BULWARK_API_KEY=(bwk_\S+)", banner)
        assert key is not None, banner
        base_url = f"http://127.0.0.1:{port}"
        snippet_env = {**env, "BULWARK_API_KEY": key.group(1)}
        python_snippet = _readme_block("python", "OpenAI(").replace(README_BASE_URL, base_url)
        answer = subprocess.run(
            [sys.executable, "-c", python_snippet],
            env=snippet_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.strip()
        curl_snippet = _readme_block("sh", "curl ").replace(README_BASE_URL, base_url)
        curl = subprocess.run(
            ["bash", "-c", curl_snippet], env=snippet_env, capture_output=True, text=True, timeout=300
        )
        assert '"chat.completion"' in curl.stdout, curl.stdout + curl.stderr
        assert stat_mode(home) == 0o700
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0
    stopped = subprocess.run(["pgrep", "-f", f"--port {engine_port}"], capture_output=True, text=True)
    assert stopped.stdout.strip() == "", "the engine outlived bulwark up"


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777
