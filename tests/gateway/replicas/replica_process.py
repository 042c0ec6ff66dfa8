"""Gateway replicas as real OS processes (``python -m gateway.cli.main serve``) in production mode:
nothing is generated, every key comes from the environment and mounted files. Started together and
waited for together, since each spends most of a cold start importing Presidio and spaCy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import REPO, free_port, wait_until_serving

START_TIMEOUT_S = 300  # two cold starts at once on a loaded 2-core machine


@contextmanager
def replicas(logs_dir: Path, settings: dict[str, dict[str, str]]) -> Iterator[dict[str, str]]:
    """``settings``: replica name -> its BULWARK_* values (lower-case names). Yields name -> base URL."""
    started: dict[str, tuple[str, subprocess.Popen[bytes], Path]] = {}
    try:
        for name, values in settings.items():
            port = free_port()
            env = {**os.environ, "BULWARK_DEV_MODE": "0"}
            env.update({f"BULWARK_{key.upper()}": value for key, value in values.items()})
            log = logs_dir / f"{name}.log"
            with log.open("ab") as output:
                process = subprocess.Popen(
                    [sys.executable, "-m", "gateway.cli.main", "serve", "--port", str(port)],
                    cwd=REPO,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started[name] = (f"http://127.0.0.1:{port}", process, log)
        for url, process, log in started.values():
            wait_until_serving(url, process, timeout_s=START_TIMEOUT_S, log=log)
        yield {name: url for name, (url, _, _) in started.items()}
    finally:
        for _, process, _ in started.values():
            process.send_signal(signal.SIGTERM)
        for _, process, _ in started.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
