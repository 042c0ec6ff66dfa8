"""``/admin/policies`` through a real gateway: admin scope, own tenant only, dry run, history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token
from tests.gateway.policy.policy_files import tenant_yaml, write_policy
from tests.servers import RunningGateway, free_port, running_gateway

ADMIN = frozenset({"inference", "admin"})


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[RunningGateway]:
    policies = tmp_path / "policies"
    write_policy(policies, "tenants/clinic.yaml", tenant_yaml("clinic", "budgets: {tokens_per_day: 1000}\n"))
    write_policy(policies, "tenants/bank.yaml", tenant_yaml("bank"))
    upstream = f"http://127.0.0.1:{free_port()}"  # requests here are refused before forwarding
    with running_gateway(tmp_path / "home", upstream, policy_dir=policies) as running:
        yield running


def _client(gateway: RunningGateway, key: str) -> httpx.Client:
    return httpx.Client(base_url=gateway.base_url, headers={"Authorization": f"Bearer {key}"})


def test_admin_scope_is_required_and_limited_to_its_tenant(gateway: RunningGateway) -> None:
    with _client(gateway, gateway.create_key("clinic")) as plain:
        assert plain.get("/admin/policies").json()["error"]["code"] == "admin_scope_required"
    with _client(gateway, gateway.create_key("clinic", scopes=ADMIN)) as admin:
        listed = admin.get("/admin/policies").json()
        assert [entry["tenant"] for entry in listed["data"]] == ["clinic"]
        assert admin.get("/admin/policies/bank").status_code == 403
        assert admin.put("/admin/policies/bank", content=tenant_yaml("bank")).status_code == 403
    assert httpx.get(f"{gateway.base_url}/admin/policies").status_code == 401


def test_get_returns_effective_policy_and_source(gateway: RunningGateway) -> None:
    with _client(gateway, gateway.create_key("clinic", scopes=ADMIN)) as admin:
        body = admin.get("/admin/policies/clinic").json()
    assert body["effective"]["budgets"]["tokens_per_day"] == 1000
    assert body["source"].startswith("tenant: clinic")
    assert body["version"] == gateway.services.policy.store.current.version  # type: ignore[union-attr]


def test_dry_run_previews_without_applying(gateway: RunningGateway) -> None:
    store = gateway.services.policy.store
    before = store.current.version  # type: ignore[union-attr]
    edited = tenant_yaml("clinic", "budgets: {tokens_per_day: 5}\n")
    with _client(gateway, gateway.create_key("clinic", scopes=ADMIN)) as admin:
        preview = admin.put("/admin/policies/clinic", params={"dry_run": "true"}, content=edited).json()
    assert preview["applied"] is False and preview["diff"] == ["budgets.tokens_per_day: 1000 -> 5"]
    assert preview["effective"]["budgets"]["tokens_per_day"] == 5
    assert store.current.version == before  # type: ignore[union-attr]
    assert "1000" in (store.root / "tenants/clinic.yaml").read_text()


def test_invalid_put_lists_problems_by_line_and_changes_nothing(gateway: RunningGateway) -> None:
    before = gateway.services.policy.store.current.version  # type: ignore[union-attr]
    admin_key = gateway.create_key("clinic", scopes=ADMIN)
    with _client(gateway, admin_key) as admin:
        refused = admin.put(
            "/admin/policies/clinic", content="tenant: clinic\nname: C\nbudgets: {tokens_per_day: -1}\n"
        )
    assert refused.status_code == 422
    issues = refused.json()["error"]["issues"]
    assert len(issues) == 1 and issues[0].endswith(
        "tenants/clinic.yaml:3:27: budgets.tokens_per_day: Input should be greater than 0"
    )
    assert gateway.services.policy.store.current.version == before  # type: ignore[union-attr]
    query = select(AuditRecord.actor, AuditRecord.policy_version).where(
        AuditRecord.event_type == "policy.refused"
    )
    with gateway.database.session() as session:
        refusals = list(session.execute(query))
    assert [tuple(row) for row in refusals] == [(f"key:{admin_key.split('_')[1]}", before)]


def test_put_applies_at_once_and_history_says_who(gateway: RunningGateway) -> None:
    user_key, admin_key = gateway.create_key("clinic"), gateway.create_key("clinic", scopes=ADMIN)
    with _client(gateway, admin_key) as admin:
        withdrawn = tenant_yaml("clinic").replace("allowed: [smollm2-135m-instruct]", "allowed: []")
        applied = admin.put("/admin/policies/clinic", content=withdrawn).json()
        assert applied["applied"] is True
        assert 'models.allowed: ["smollm2-135m-instruct"] -> []' in applied["diff"]
        history = admin.get("/admin/policies/clinic/history").json()["data"]
    admin_key_id = admin_key.split("_")[1]  # bwk_<public id>_<secret>
    assert history[0]["actor"] == f"key:{admin_key_id}" and history[0]["version"] == applied["version"]
    assert history[-1]["actor"] == "startup"
    with _client(gateway, user_key) as user:
        asked = user.post(
            "/v1/chat/completions",
            json={"model": "smollm2-135m-instruct", "messages": [{"role": "user", "content": "hi"}]},
        )
    assert asked.status_code == 403 and asked.json()["error"]["code"] == "model_not_allowed"


def test_console_admins_are_limited_by_their_tenant_claim(gateway: RunningGateway) -> None:
    site_wide = issue_local_token(gateway.settings, "ops", [Role.ADMIN])
    clinic_only = issue_local_token(gateway.settings, "clinic-ops", [Role.ADMIN], tenants=["clinic"])
    officer = issue_local_token(gateway.settings, "officer", [Role.COMPLIANCE_OFFICER])
    with _client(gateway, site_wide) as admin:
        assert [e["tenant"] for e in admin.get("/admin/policies").json()["data"]] == ["bank", "clinic"]
        edited = tenant_yaml("bank", "budgets: {tokens_per_day: 9}\n")
        assert admin.put("/admin/policies/bank", content=edited).json()["applied"] is True
        assert admin.get("/admin/policies/bank/history").json()["data"][0]["actor"].startswith("ops@")
    with _client(gateway, clinic_only) as admin:
        assert admin.get("/admin/policies/bank").status_code == 403
        assert admin.get("/admin/policies/clinic").status_code == 200
    with _client(gateway, officer) as other_role:
        assert other_role.get("/admin/policies").json()["error"]["code"] == "role_not_allowed"
    with _client(gateway, "not-a-valid-token") as nobody:
        assert nobody.get("/admin/policies").status_code == 401
