"""Outside dev mode the gateway process refuses to start without its KEK provider, names what is
missing, and writes no key file anywhere: `bulwark serve` as an operator would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.secrets_dir import snapshot, write_secrets_dir
from tests.servers import REPO, free_port


def test_serve_refuses_without_a_kek_and_writes_no_key_file(tmp_path: Path) -> None:
    mounted = write_secrets_dir(tmp_path / "secrets", with_kek=False)  # everything but the KEK
    before = snapshot(tmp_path)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "BULWARK_HOME": str(tmp_path / "home"),
        "BULWARK_SECRETS_DIR": str(mounted),
    }
    started = subprocess.run(
        [sys.executable, "-m", "gateway.cli.main", "serve", "--port", str(free_port())],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert started.returncode == 2, started.stdout + started.stderr
    message = " ".join(started.stderr.split())  # rich wraps long lines
    assert "Refusing to start" in message
    assert "audit-kek.json is missing from BULWARK_SECRETS_DIR" in message
    assert "BULWARK_KEK_PROVIDER" in message
    assert snapshot(tmp_path) == before
