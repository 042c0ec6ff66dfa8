"""Issue 13, finding 4: a base's ``locked`` fields are floors a tenant file or an API edit cannot loosen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.policy.issues import PolicySetInvalid
from tests.gateway.policy.policy_files import load, tenant_yaml, write_policy
from tests.servers import RunningGateway, free_port, running_gateway

BASE = """
description: floor
tokens: {max_tokens: 512}
pii:
  entities:
    US_SSN: {request: block, response: redact}
audit:
  retention_days: 2190
  store_bodies: redacted
locked: [audit.retention_days, audit.store_bodies, pii.entities.US_SSN, tokens.max_tokens]
"""
LOOSENED = """
extends: hipaa
tokens: {max_tokens: 4096}
pii:
  entities:
    US_SSN: {request: allow, response: allow}
audit:
  retention_days: 1
  store_bodies: none
"""


def test_a_tenant_file_cannot_loosen_a_locked_field(tmp_path: Path) -> None:
    write_policy(tmp_path, "base/hipaa.yaml", BASE)
    write_policy(tmp_path, "tenants/clinic.yaml", tenant_yaml("clinic", LOOSENED))
    with pytest.raises(PolicySetInvalid) as refused:
        load(tmp_path)
    found = {
        (issue.path.rsplit("/", 2)[-1], issue.line, issue.message.split(" ")[0])
        for issue in refused.value.issues
    }
    assert found == {
        ("clinic.yaml", 6, "tokens.max_tokens"),
        ("clinic.yaml", 9, "pii.entities.US_SSN"),
        ("clinic.yaml", 11, "audit.retention_days"),
        ("clinic.yaml", 12, "audit.store_bodies"),
    }
    assert all("locked by base 'hipaa'" in issue.message for issue in refused.value.issues)


def test_a_tenant_may_tighten_where_tighter_has_a_direction(tmp_path: Path) -> None:
    write_policy(tmp_path, "base/hipaa.yaml", BASE)
    tighter = "extends: hipaa\ntokens: {max_tokens: 100}\naudit: {retention_days: 3650}\n"
    write_policy(tmp_path, "tenants/clinic.yaml", tenant_yaml("clinic", tighter))
    policy = load(tmp_path).tenants["clinic"]
    assert (policy.tokens.max_tokens, policy.audit.retention_days) == (100, 3650)


def test_locked_names_real_fields_and_tenants_cannot_declare_it(tmp_path: Path) -> None:
    write_policy(tmp_path, "base/hipaa.yaml", "locked: [audit.retension_days, colour]\n")
    write_policy(tmp_path, "tenants/clinic.yaml", tenant_yaml("clinic", "locked: [audit]\n"))
    with pytest.raises(PolicySetInvalid) as refused:
        load(tmp_path)
    messages = " ".join(issue.message for issue in refused.value.issues)
    assert "'colour' is not a policy field" in messages
    assert "unknown key 'locked'" in messages


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[RunningGateway]:
    policies = tmp_path / "policies"
    write_policy(policies, "base/hipaa.yaml", BASE)
    write_policy(policies, "tenants/clinic.yaml", tenant_yaml("clinic", "extends: hipaa\n"))
    with running_gateway(
        tmp_path / "home", f"http://127.0.0.1:{free_port()}", policy_dir=policies
    ) as running:
        yield running


def test_a_tenant_admin_key_cannot_loosen_its_floor_through_the_api(gateway: RunningGateway) -> None:
    before = gateway.services.policy.store.current.version  # type: ignore[union-attr]
    admin_key = gateway.create_key("clinic", scopes=frozenset({"inference", "admin"}))
    with httpx.Client(base_url=gateway.base_url, headers={"Authorization": f"Bearer {admin_key}"}) as admin:
        refused = admin.put("/admin/policies/clinic", content=tenant_yaml("clinic", LOOSENED))
        assert refused.status_code == 422
        issues = refused.json()["error"]["issues"]
        assert any(
            issue.endswith(
                "tenants/clinic.yaml:11:19: audit.retention_days is locked by base 'hipaa' (may only be tightened; the base requires 2190)"
            )
            for issue in issues
        ), issues
        # Bases are not editable through the API at all: only a site administrator changes them, on disk.
        assert admin.put("/admin/policies/hipaa", content=BASE).status_code in (403, 404)
    assert gateway.services.policy.store.current.version == before  # type: ignore[union-attr]
