"""A gateway as its own OS process (``python -m gateway.cli.main serve``), for tests that need real
replicas or real signals. Output goes to a log file in the test's directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.servers import REPO, free_port, wait_until_serving


@contextmanager
def gateway_process(
    home: Path, log: Path, environ: Mapping[str, str] | None = None, /, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``env`` are settings (``policy_dir=...`` becomes BULWARK_POLICY_DIR); ``environ`` other variables."""
    port = free_port()
    variables = {**os.environ, **(environ or {}), "BULWARK_HOME": str(home), "BULWARK_DEV_MODE": "1"}
    variables.update({f"BULWARK_{name.upper()}": value for name, value in env.items()})
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway.cli.main", "serve", "--port", str(port)],
            cwd=REPO,
            env=variables,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url, process, log=log)
        yield base_url, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
