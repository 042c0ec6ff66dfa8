"""Hot reload through a real gateway: a bad edit is refused and the old policy keeps deciding; a good
edit decides requests within 2 s, without a restart; every request's audit record names the version
``bulwark policy show --hash`` prints.

No engine is needed: every request here is decided (refused) by the policy before it is forwarded.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select
from typer.testing import CliRunner

from gateway.audit.models import AuditRecord
from gateway.cli.main import app
from tests.gateway.policy.policy_files import tenant_yaml, write_policy
from tests.servers import RunningGateway, free_port, running_gateway

LONG_PROMPT = "please summarise this discharge letter " * 5
RELOAD_DEADLINE_S = 2.0


def _ask(gateway: RunningGateway, key: str) -> httpx.Response:
    body = {"model": "smollm2-135m-instruct", "messages": [{"role": "user", "content": LONG_PROMPT}]}
    return httpx.post(
        f"{gateway.base_url}/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}
    )


def _cli_hash(policy_dir: Path) -> str:
    # The real command, run in-process: a subprocess would spend ~8 s importing the gateway each time.
    result = CliRunner().invoke(app, ["policy", "show", "--hash", "--dir", str(policy_dir)])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def _installed_cli_hash(policy_dir: Path) -> str:
    """Once, the command exactly as an operator types it (a separate process)."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "bulwark"), "policy", "show", "--hash", "--dir", str(policy_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip()


def _request_versions(gateway: RunningGateway) -> list[str | None]:
    query = (
        select(AuditRecord.policy_version)
        .where(AuditRecord.event_type == "request")
        .order_by(AuditRecord.seq)
    )
    with gateway.database.session() as session:
        return list(session.scalars(query))


def _wait_for_status(gateway: RunningGateway, key: str, status: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 10:
        if _ask(gateway, key).status_code == status:
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"status {status} never came")


def test_bad_edit_refused_good_edit_live_within_two_seconds(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    path = write_policy(
        policies, "tenants/clinic.yaml", tenant_yaml("clinic", "tokens: {max_input_tokens: 5}\n")
    )
    upstream = f"http://127.0.0.1:{free_port()}"  # never reached: the policy refuses first
    with running_gateway(tmp_path / "home", upstream, policy_dir=policies) as gateway:
        key = gateway.create_key("clinic")
        first = _ask(gateway, key)
        assert first.status_code == 400 and first.json()["error"]["code"] == "input_too_long"
        version_one = _cli_hash(policies)

        # A bad edit that would also loosen the input limit: refused, and the old limit still applies.
        path.write_text(tenant_yaml("clinic", "tokens: {max_input_tokens: 5000}\ncolour: red\n"))
        time.sleep(1.0)
        still = _ask(gateway, key)
        assert still.status_code == 400 and still.json()["error"]["code"] == "input_too_long"
        assert gateway.services.policy.store.current is not None
        assert gateway.services.policy.store.current.version == version_one

        # A good edit that withdraws the model: in force within the deadline, no restart.
        path.write_text(
            tenant_yaml("clinic", "tokens: {max_input_tokens: 5000}\n").replace(
                "allowed: [smollm2-135m-instruct]", "allowed: []"
            )
        )
        elapsed = _wait_for_status(gateway, key, 403)
        assert elapsed < RELOAD_DEADLINE_S, f"reload took {elapsed:.2f} s"
        version_two = _installed_cli_hash(policies)
        assert version_two != version_one

        versions = _request_versions(gateway)
        assert versions[0] == version_one and versions[1] == version_one
        assert versions[-1] == version_two
        assert set(versions) == {version_one, version_two}


def test_tenant_without_policy_is_refused(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    write_policy(policies, "tenants/clinic.yaml", tenant_yaml("clinic"))
    with running_gateway(
        tmp_path / "home", f"http://127.0.0.1:{free_port()}", policy_dir=policies
    ) as gateway:
        response = _ask(gateway, gateway.create_key("stranger"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "no_policy"


def test_unknown_model_is_404_and_a_served_but_withheld_model_403(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    write_policy(
        policies, "tenants/clinic.yaml", tenant_yaml("clinic").replace("[smollm2-135m-instruct]", "[]")
    )
    with running_gateway(
        tmp_path / "home", f"http://127.0.0.1:{free_port()}", policy_dir=policies
    ) as gateway:
        key = gateway.create_key("clinic")
        withheld = _ask(gateway, key)
        body = {"model": "gpt-9", "messages": [{"role": "user", "content": "hi"}]}
        unknown = httpx.post(
            f"{gateway.base_url}/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}
        )
    assert withheld.status_code == 403 and withheld.json()["error"]["code"] == "model_not_allowed"
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "model_not_found"


def test_invalid_set_at_start_refuses_everything_until_fixed(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    path = write_policy(policies, "tenants/clinic.yaml", tenant_yaml("clinic", "colour: red\n"))
    with running_gateway(
        tmp_path / "home", f"http://127.0.0.1:{free_port()}", policy_dir=policies
    ) as gateway:
        key = gateway.create_key("clinic")
        refused = _ask(gateway, key)
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "policy_unavailable"
        path.write_text(tenant_yaml("clinic", "tokens: {max_input_tokens: 5}\n"))
        assert _wait_for_status(gateway, key, 400) < RELOAD_DEADLINE_S
