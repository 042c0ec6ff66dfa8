"""Test helper: imports the gateway once, then forks one fresh gateway process per "start" line on stdin
and prints its pid. Each child is a whole gateway (its own lifespan, database connections, audit writer
and scheduler); the kill test SIGKILLs the children. Forking skips the ~10 s of imports (Presidio and
transformers) that 20 cold starts would otherwise cost on a 2-core machine.

Run: python -m tests.gateway.audit.forking_gateway PORT (settings from BULWARK_* variables).
"""

from __future__ import annotations

import os
import sys

import uvicorn

from gateway.app import create_app
from gateway.settings import load_settings


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(port: int) -> None:
    for line in sys.stdin:
        if line.strip() != "start":
            return
        _reap()
        pid = os.fork()
        if pid == 0:
            try:
                uvicorn.run(create_app(load_settings()), host="127.0.0.1", port=port, log_level="warning")
            finally:
                os._exit(0)
        print(pid, flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
