"""The compliance console in Chromium, over real records from a real run through the gateway and engine.

Sign in with a token, search, open a record, reveal it with a reason, find the reveal in the log, export
the search, verify the ledger, and read the charts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token
from tests.servers import DEFAULT_MODEL, RunningGateway, running_gateway

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TENANT = "acme"  # the shared test gateway's tenant (tests/policies): its policy allows the model
MARKER = "zebra-lantern"
PROMPT = f"My name is John Smith and my email is john.smith@example.com. Repeat the word {MARKER}."
REASON = "Complaint 4411: check what the model was sent"


def _run_traffic(gateway: RunningGateway) -> int:
    """Two real requests: one answered by the model, one refused by policy. Returns the answered one's seq."""
    key = gateway.create_key(TENANT)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=gateway.base_url, headers=headers, timeout=120) as client:
        answered = client.post(
            "/v1/chat/completions",
            json={"model": DEFAULT_MODEL, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": 8},
        )
        assert answered.status_code == 200, answered.text
        refused = client.post(
            "/v1/chat/completions", json={"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
        )
        assert refused.status_code in (400, 403, 404), refused.text
    with gateway.database.session() as session:
        record = session.scalars(
            select(AuditRecord).where(AuditRecord.event_type == "request", AuditRecord.outcome == "ok")
        ).one()
        return record.seq


def _sign_in(page: Page, gateway: RunningGateway, token: str) -> None:
    page.goto(f"{gateway.base_url}/console")
    page.fill("#token", token)
    page.click("#sign-in-button")


def _search(page: Page, event_type: str) -> None:
    page.fill("#search-form [name=event_type]", event_type)
    page.click("#search-button")


def test_officer_searches_reveals_sees_the_reveal_logged_and_exports(
    page: Page, gateway: RunningGateway
) -> None:
    seq = _run_traffic(gateway)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    token = issue_local_token(gateway.settings, "dana", [Role.COMPLIANCE_OFFICER], [TENANT])
    _sign_in(page, gateway, token)
    expect(page.locator("#identity")).to_contain_text("dana · compliance_officer · acme")
    expect(page.locator("#integrity-badge")).to_contain_text("integrity:")

    _search(page, "request")
    expect(page.locator("#records tbody tr")).to_have_count(2)
    row = page.locator(f'#records tbody tr[data-seq="{seq}"]')
    expect(row).to_contain_text(TENANT)
    expect(row).to_contain_text(DEFAULT_MODEL)
    row.click()
    expect(page.locator("#detail-seq")).to_have_text(f"#{seq}")
    expect(page.locator("#detail-fields")).not_to_contain_text(MARKER)  # headers only until a reveal

    page.fill("#reveal-reason", REASON)
    page.click("#reveal-button")
    expect(page.locator("#revealed-body")).to_contain_text(MARKER)
    expect(page.locator("#revealed-body")).not_to_contain_text("john.smith@example.com")  # stored redacted
    status = page.locator("#reveal-status")
    expect(status).to_contain_text("logged as audit record #")
    reveal_seq = int(re.findall(r"#(\d+)", status.inner_text())[-1])

    _search(page, "console.reveal")
    logged = page.locator(f'#records tbody tr[data-seq="{reveal_seq}"]')
    expect(logged).to_contain_text("dana@bulwark-local")
    expect(logged).to_contain_text(TENANT)

    with page.expect_download() as download:
        page.click("#export-jsonl")
    expect(page.locator("#export-status")).to_contain_text("signed manifest")
    exported = [json.loads(line) for line in open(download.value.path(), encoding="utf-8")]  # noqa: SIM115
    assert [row["seq"] for row in exported] == [reveal_seq]
    assert MARKER not in json.dumps(exported)  # exports carry headers, never bodies
    # Everything the console loaded came from the gateway itself (the export is a local blob).
    outside = [url for url in requested if not url.startswith((gateway.base_url + "/", "blob:"))]
    assert requested and not outside, outside


def test_integrity_and_charts_show_the_real_ledger(page: Page, gateway: RunningGateway) -> None:
    seq = _run_traffic(gateway)
    with gateway.database.session() as session:
        pii_types = sorted(session.get_one(AuditRecord, seq).pii_counts)
    assert pii_types, "the PII stage found nothing in the prompt"
    _sign_in(page, gateway, issue_local_token(gateway.settings, "ines", [Role.AUDITOR]))
    expect(page.locator("#reveal-form")).to_be_hidden()  # auditors never see the reveal flow
    page.click('nav button[data-tab="integrity"]')
    page.click("#verify-now")
    expect(page.locator("#integrity-badge")).to_have_text("integrity: verified")
    expect(page.locator("#integrity-fields")).to_contain_text("OK at")
    page.click('nav button[data-tab="charts"]')
    expect(page.locator("#chart-requests svg")).to_contain_text(TENANT)
    for pii_type in pii_types:
        expect(page.locator("#chart-pii svg")).to_contain_text(pii_type)
    expect(page.locator("#chart-blocked svg")).to_contain_text(TENANT)


def test_a_forged_token_does_not_sign_in(page: Page, gateway: RunningGateway) -> None:
    token = issue_local_token(gateway.settings, "mallory", [Role.AUDITOR])
    header, payload, signature = token.split(".")
    _sign_in(page, gateway, f"{header}.{payload}x.{signature}")
    expect(page.locator("#sign-in-error")).to_contain_text("Sign-in failed")
    expect(page.locator("#app")).to_be_hidden()


def test_a_second_officer_approves_before_the_reveal(
    page: Page, browser: Browser, engine_url: str, tmp_path: Path
) -> None:
    with running_gateway(tmp_path / "home", engine_url, reveal_approval_tenants=[TENANT]) as gateway:
        seq = _run_traffic(gateway)
        _sign_in(page, gateway, issue_local_token(gateway.settings, "dana", [Role.COMPLIANCE_OFFICER]))
        _search(page, "request")
        page.locator(f'#records tbody tr[data-seq="{seq}"]').click()
        page.fill("#reveal-reason", REASON)
        page.click("#reveal-button")
        expect(page.locator("#reveal-status")).to_contain_text("A second officer must approve")
        expect(page.locator("#revealed-body")).to_be_hidden()

        second = browser.new_context()
        try:
            lee = second.new_page()
            _sign_in(lee, gateway, issue_local_token(gateway.settings, "lee", [Role.COMPLIANCE_OFFICER]))
            lee.click('nav button[data-tab="requests"]')
            request_row = lee.locator("#reveal-requests tbody tr", has_text=REASON)
            expect(request_row).to_contain_text("dana@bulwark-local")
            request_row.get_by_role("button", name="Approve").click()
            expect(request_row).to_contain_text("approved")
        finally:
            second.close()

        page.click("#reveal-button")
        expect(page.locator("#revealed-body")).to_contain_text(MARKER)


def test_admin_creates_and_revokes_a_key(page: Page, gateway: RunningGateway) -> None:
    _sign_in(page, gateway, issue_local_token(gateway.settings, "root", [Role.ADMIN]))
    expect(page.locator('nav button[data-tab="records"]')).to_be_hidden()  # admins never read records
    page.click('nav button[data-tab="keys"]')
    page.fill("#key-form [name=tenant]", TENANT)
    page.fill("#key-form [name=name]", "ehr-integration")
    page.click("#key-form button[type=submit]")
    expect(page.locator("#new-key")).to_contain_text("bwk_")
    key = page.locator("#new-key").inner_text().split()[-1]
    row = page.locator("#keys tbody tr", has_text="ehr-integration")
    expect(row).to_contain_text("active")
    models = httpx.get(
        f"{gateway.base_url}/v1/models", headers={"Authorization": f"Bearer {key}"}, timeout=60
    )
    assert models.status_code == 200, models.text
    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("revoked")
    models = httpx.get(
        f"{gateway.base_url}/v1/models", headers={"Authorization": f"Bearer {key}"}, timeout=60
    )
    assert models.status_code == 401
