"""Runs the engine as a child process (``python -m engine serve``): the gateway never imports it."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from gateway.cli.context import python_module_command

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: the engine gets SIGTERM if the process that started it dies without stopping it."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class EngineStartError(RuntimeError):
    pass


class EngineProcess:
    def __init__(
        self,
        *,
        model: str,
        host: str,
        port: int,
        model_cache: Path,
        extra_args: tuple[str, ...] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.url = f"http://{host}:{port}"
        # Added to this process's environment for the child (e.g. OTEL_* for tracing); None: inherited.
        self._env = {**os.environ, **env} if env is not None else None
        self._command = python_module_command(
            "engine",
            "serve",
            "--model",
            model,
            "--host",
            host,
            "--port",
            str(port),
            "--model-cache",
            str(model_cache),
            # A child on loopback for `bulwark up` and tests: no token needed (production runs the
            # engine as its own service with --auth-token-file and TLS).
            "--dev-mode",
            *extra_args,
        )
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, log_path: Path | None = None) -> None:
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - lives with the child
        # Its own process group: Ctrl-C in the terminal reaches the gateway, which then stops the engine
        # in order instead of both dying at once.
        self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            self._command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            env=self._env,
        )

    def wait_ready(self, timeout_s: float = 600.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise EngineStartError(f"engine exited with code {self._process.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise EngineStartError(f"engine not ready after {timeout_s:.0f} s")

    def stop(self, grace_s: float = 15.0) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
