"""Reveal: officers only, with a reason, logged before the body is returned; optional second approval."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.auth.principal import Role
from tests.gateway.console.conftest import CANARY, Console, make_console

REASON = "Patient complaint #4411: verify what was sent to the model"


def _reveal(console: Console, seq: int, auth: dict[str, str], **payload: object):
    return console.client.post(
        f"/console/api/records/{seq}/reveal", json={"reason": REASON, **payload}, headers=auth
    )


def _events(console: Console, event_type: str) -> list[dict[str, Any]]:
    response = console.client.get(
        "/console/api/records", params={"event_type": event_type}, headers=console.auth(Role.AUDITOR)
    )
    return list(response.json()["records"])


def test_officer_reveals_with_reason_and_the_reveal_is_logged(console: Console) -> None:
    seq = console.seed("acme")
    response = _reveal(console, seq, console.auth(Role.COMPLIANCE_OFFICER, ["acme"], subject="dana"))
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"  # PHI: no browser or proxy copy
    result = response.json()
    assert result["status"] == "revealed"
    assert result["body"]["request"]["messages"][0]["content"] == CANARY
    [logged] = _events(console, "console.reveal")
    assert logged["seq"] == result["audit_seq"]
    assert logged["actor"] == "dana@bulwark-local"
    assert logged["tenant_id"] == "acme"
    assert logged["detail"]["record_seq"] == seq
    assert logged["has_body"] is True  # the reason, encrypted
    assert REASON not in str(logged)  # never in the clear header
    # The reason is itself revealable, by an officer, from the reveal's own record.
    reason = _reveal(console, logged["seq"], console.auth(Role.COMPLIANCE_OFFICER, ["acme"])).json()
    assert reason["body"] == {"reason": REASON}


def test_auditor_cannot_reveal(console: Console) -> None:
    seq = console.seed("acme")
    response = _reveal(console, seq, console.auth(Role.AUDITOR, ["acme"]))
    assert response.status_code == 403
    assert CANARY not in response.text
    assert [e["error_code"] for e in _events(console, "console.denied")] == ["role_not_allowed"]


@pytest.mark.parametrize("reason", ["", "too short"])
def test_reveal_needs_a_reason(console: Console, reason: str) -> None:
    seq = console.seed("acme")
    response = console.client.post(
        f"/console/api/records/{seq}/reveal",
        json={"reason": reason},
        headers=console.auth(Role.COMPLIANCE_OFFICER),
    )
    assert response.status_code == 400
    assert _events(console, "console.reveal") == []


@pytest.fixture
def approving_console(tmp_path: Path) -> Iterator[Console]:
    yield from make_console(tmp_path / "home", reveal_approval_tenants=["acme"])


def test_second_officer_must_approve(approving_console: Console) -> None:
    console = approving_console
    seq = console.seed("acme")
    dana = console.auth(Role.COMPLIANCE_OFFICER, ["acme"], subject="dana")
    lee = console.auth(Role.COMPLIANCE_OFFICER, ["acme"], subject="lee")
    pending = _reveal(console, seq, dana).json()
    assert pending["status"] == "pending_approval" and pending["body"] is None
    request_id = pending["request_id"]
    assert _reveal(console, seq, dana).json() == {**pending, "audit_seq": None}  # no duplicate request
    # Without approval, naming the request does not help; nor can dana approve her own request.
    assert _reveal(console, seq, dana, request_id=request_id).status_code == 403
    approve = f"/console/api/reveal-requests/{request_id}/approve"
    assert console.client.post(approve, headers=dana).status_code == 403
    assert console.client.post(approve, headers=lee).status_code == 200
    # Lee approved; only dana, who asked, can use it, and only once.
    assert _reveal(console, seq, lee, request_id=request_id).status_code == 403
    # Asking again finds dana's approved request by itself (the console sends no request id).
    revealed = _reveal(console, seq, dana)
    assert revealed.status_code == 200, revealed.text
    assert revealed.json()["body"]["request"]["messages"][0]["content"] == CANARY
    assert revealed.json()["request_id"] == request_id
    assert _reveal(console, seq, dana, request_id=request_id).status_code == 403
    kinds = [e["event_type"] for e in _events(console, "console.reveal_requested")]
    kinds += [e["event_type"] for e in _events(console, "console.reveal_approved")]
    assert kinds == ["console.reveal_requested", "console.reveal_approved"]
    outcomes = sorted(e["outcome"] for e in _events(console, "console.reveal"))
    assert outcomes == ["denied", "denied", "denied", "ok"]


def test_other_tenants_need_no_approval(approving_console: Console) -> None:
    seq = approving_console.seed("globex")
    response = _reveal(approving_console, seq, approving_console.auth(Role.COMPLIANCE_OFFICER))
    assert response.json()["status"] == "revealed"


def test_a_tenant_policy_can_require_a_second_officer(tmp_path: Path) -> None:
    policies = tmp_path / "policies" / "tenants"
    policies.mkdir(parents=True)
    (policies / "acme.yaml").write_text(
        "tenant: acme\nname: Acme\nmodels:\n  allowed: [smollm2-135m-instruct]\n"
        "audit:\n  reveal_requires_approval: true\n"
    )
    (policies / "globex.yaml").write_text("tenant: globex\nname: Globex\n")
    for console in make_console(tmp_path / "home", policy_dir=tmp_path / "policies"):
        officer = console.auth(Role.COMPLIANCE_OFFICER)
        assert _reveal(console, console.seed("acme"), officer).json()["status"] == "pending_approval"
        assert _reveal(console, console.seed("globex"), officer).json()["status"] == "revealed"
