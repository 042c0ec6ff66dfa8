"""The gateway-overhead bench's servers: the upstream stub and one `bulwark serve`, as real processes.

The gateway runs in dev mode on SQLite under a temporary BULWARK_HOME, audit on, in front of the stub, with
two bench tenants: ``bench-nopii`` (every PII rule ``allow``) and ``bench-pii`` (``extends: hipaa``, the
shipped HIPAA rules untouched). Every process started here is stopped when the `with` block ends, on an
exception or Ctrl-C too.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BULWARK = Path(sys.executable).parent / "bulwark"
TENANT_POLICIES = {
    "bench-nopii": """tenant: bench-nopii
name: Bench without PII analysis
models: {allowed: [stub-model]}
tokens: {max_tokens: 512, on_exceed: clamp}
pii: {default_rule: {request: allow, response: allow}}
audit: {retention_days: 30, store_bodies: redacted}
""",
    "bench-pii": """tenant: bench-pii
name: Bench with the shipped HIPAA PII rules
extends: hipaa
models: {allowed: [stub-model]}
tokens: {max_tokens: 512, on_exceed: clamp}
""",
}


@dataclass(frozen=True)
class Servers:
    """Ports, process ids and API keys of the running stub and gateway."""

    stub_port: int
    stub_pid: int
    gateway_port: int
    gateway_pid: int
    keys: dict[str, str]  # tenant -> bwk_ key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_policies(policy_dir: Path) -> None:
    shutil.copytree(REPO / "policies" / "base", policy_dir / "base")
    (policy_dir / "tenants").mkdir()
    for tenant, text in TENANT_POLICIES.items():
        (policy_dir / "tenants" / f"{tenant}.yaml").write_text(text)


def gateway_env(work: Path, stub_port: int) -> dict[str, str]:
    return os.environ | {
        # the shared venv may hold an editable install of another checkout: run this one's gateway
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "BULWARK_HOME": str(work / "home"),
        "BULWARK_DEV_MODE": "1",
        "BULWARK_POLICY_DIR": str(work / "policies"),
        "BULWARK_UPSTREAM_URL": f"http://127.0.0.1:{stub_port}",
        # the shipped bases name the model `bulwark up` serves; the gateway refuses a policy naming a model
        # it does not serve, so it lists that one too (only stub-model is ever asked for)
        "BULWARK_SERVED_MODELS": '["stub-model", "smollm2-135m-instruct"]',
    }


def create_key(env: dict[str, str], tenant: str) -> str:
    command = [str(BULWARK), "keys", "create", "--tenant", tenant, "--name", "bench"]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=120)
    found = re.search(r"bwk_[A-Za-z0-9_\-]+", output.stdout + output.stderr)
    if found is None:
        raise RuntimeError(f"no bwk_ key in the output of {' '.join(command)}")
    return found.group(0)


def wait_http(url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as answer:  # noqa: S310 (our loopback URL)
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout_s:.0f} s:\n{log.read_text()[-2000:]}")


@contextlib.contextmanager
def started(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process whose output goes to `log`; terminated (then killed) when the block ends."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_servers(work: Path) -> Iterator[Servers]:
    """Stub and gateway started in `work` (a temporary directory); both stopped on the way out."""
    write_policies(work / "policies")
    stub_port, gateway_port = free_port(), free_port()
    env = gateway_env(work, stub_port)
    subprocess.run(
        [str(BULWARK), "policy", "check", str(work / "policies")], env=env, check=True, timeout=120
    )
    keys = {tenant: create_key(env, tenant) for tenant in TENANT_POLICIES}
    stub_command = [sys.executable, str(REPO / "bench" / "upstream_stub.py"), "--port", str(stub_port)]
    gateway_command = [str(BULWARK), "serve", "--port", str(gateway_port)]
    with (
        started(stub_command, env, work / "stub.log") as stub,
        started(gateway_command, env, work / "gateway.log") as gateway,
    ):
        wait_http(f"http://127.0.0.1:{stub_port}/health", stub, work / "stub.log", 30)
        wait_http(f"http://127.0.0.1:{gateway_port}/readyz", gateway, work / "gateway.log", 180)
        yield Servers(stub_port, stub.pid, gateway_port, gateway.pid, keys)
