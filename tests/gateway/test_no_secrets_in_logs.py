"""Secrets, keys and prompts never reach the logs, whatever the outcome of a request."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.servers import DEFAULT_MODEL, RunningGateway

pytestmark = pytest.mark.slow
PROMPT_MARKER = "Patient Jane Roe, SSN 078-05-1120"


def test_keys_secrets_and_prompts_stay_out_of_logs(
    gateway: RunningGateway, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    key = gateway.create_key("acme")
    headers = {"Authorization": f"Bearer {key}"}
    url = f"{gateway.base_url}/v1/chat/completions"
    body = {"model": DEFAULT_MODEL, "messages": [{"role": "user", "content": PROMPT_MARKER}], "max_tokens": 4}
    assert httpx.post(url, json=body, headers=headers, timeout=120).status_code == 200
    assert httpx.post(url, json=body, headers={"Authorization": f"Bearer {key[:-2]}xx"}).status_code == 401
    assert httpx.post(url, json={**body, "max_tokens": -1}, headers=headers).status_code == 400
    logged = caplog.text + "".join(capfd.readouterr())
    forbidden = [
        key,
        key.split("_")[2][:32],  # the secret part alone
        gateway.settings.secret("key_pepper").decode(),
        gateway.settings.secret("tenant_secret").decode(),
        PROMPT_MARKER,
        "078-05-1120",
    ]
    for value in forbidden:
        assert value not in logged
