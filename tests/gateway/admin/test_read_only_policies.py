"""Policies mounted read-only (a ConfigMap managed from git): an API edit is refused with a 409 and an
OpenAI-style body, not a 500, and nothing changes. The directory really is a read-only bind mount."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.gateway.policy.policy_files import tenant_yaml, write_policy
from tests.servers import RunningGateway, free_port, running_gateway

ADMIN = frozenset({"inference", "admin"})


@pytest.fixture
def read_only_policies(tmp_path: Path) -> Iterator[Path]:
    source = tmp_path / "source"
    write_policy(source, "tenants/clinic.yaml", tenant_yaml("clinic"))
    mounted = tmp_path / "mounted"
    mounted.mkdir()
    bind = subprocess.run(["mount", "--bind", str(source), str(mounted)], capture_output=True, check=False)
    if bind.returncode != 0:
        pytest.skip(f"a read-only bind mount needs root (CI runs as root): {bind.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mounted)], check=True, capture_output=True)
        yield mounted
    finally:
        subprocess.run(["umount", str(mounted)], check=True, capture_output=True)


@pytest.fixture
def gateway(tmp_path: Path, read_only_policies: Path) -> Iterator[RunningGateway]:
    upstream = f"http://127.0.0.1:{free_port()}"  # nothing is forwarded in this test
    with running_gateway(tmp_path / "home", upstream, policy_dir=read_only_policies) as running:
        yield running


def test_an_api_edit_of_read_only_policies_is_a_409(
    gateway: RunningGateway, read_only_policies: Path
) -> None:
    before = (read_only_policies / "tenants/clinic.yaml").read_text()
    key = gateway.create_key("clinic", scopes=ADMIN)
    edit = tenant_yaml("clinic", "budgets: {tokens_per_day: 1000}\n")
    with httpx.Client(base_url=gateway.base_url, headers={"Authorization": f"Bearer {key}"}) as admin:
        refused = admin.put("/admin/policies/clinic", content=edit)
        preview = admin.put("/admin/policies/clinic", params={"dry_run": "true"}, content=edit)
        listed = admin.get("/admin/policies")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "policy_read_only" and error["type"] == "invalid_request_error"
    assert "read-only" in error["message"] and "BULWARK_POLICY_DIR" in error["message"]
    assert preview.status_code == 200 and preview.json()["applied"] is False  # a preview writes nothing
    assert listed.status_code == 200
    assert (read_only_policies / "tenants/clinic.yaml").read_text() == before
