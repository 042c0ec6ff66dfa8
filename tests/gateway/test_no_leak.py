"""The no-leak scan (issue 13): after a run seeded with PII, secrets and keys, none of them appears in
the logs, in any clear database column, in error bodies, or on any other surface a gateway exposes
(metrics and traces register themselves in ``SURFACES`` when they exist)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import inspect, text

from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token
from tests.servers import DEFAULT_MODEL, RunningGateway

pytestmark = pytest.mark.slow
SSN = "078-05-1120"
NAME = "Marguerite Okonkwo-Vance"
EMAIL = "m.okonkwo.vance@example.org"
PROMPT = f"Patient {NAME}, SSN {SSN}, email {EMAIL}, asks about her discharge letter."
REASON = f"Complaint by {NAME} about her discharge letter, case reviewed"
# Columns that hold ciphertext or wrapped keys: opaque by design, never searched as text.
SEALED_COLUMNS = {
    ("audit_bodies", "nonce"),
    ("audit_bodies", "ciphertext"),
    ("audit_data_keys", "wrapped_key"),
}
# Extra surfaces checked the same way once they exist (a 404 means "not built"): metrics, trace exports.
SURFACES: dict[str, Callable[[RunningGateway], httpx.Response]] = {
    "/metrics": lambda gateway: httpx.get(f"{gateway.base_url}/metrics", timeout=30),
}


def _clear_columns(gateway: RunningGateway) -> str:
    engine = gateway.database.engine
    dumped: list[str] = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            columns = [
                c["name"]
                for c in inspect(engine).get_columns(table)
                if (table, c["name"]) not in SEALED_COLUMNS
            ]
            quoted = ", ".join(f'"{name}"' for name in columns)
            for row in connection.execute(text(f'SELECT {quoted} FROM "{table}"')):  # noqa: S608 - names from the schema
                dumped.append(" ".join(str(value) for value in row))
    return "\n".join(dumped)


def test_seeded_pii_secrets_and_keys_leak_nowhere(
    gateway: RunningGateway, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    key = gateway.create_key("acme")
    officer = issue_local_token(gateway.settings, "officer", [Role.COMPLIANCE_OFFICER])
    bodies: list[str] = []

    def send(method: str, path: str, token: str | None, **kwargs: object) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.request(method, f"{gateway.base_url}{path}", headers=headers, timeout=120, **kwargs)  # type: ignore[arg-type]
        bodies.append(response.text)
        return response

    chat = {"model": DEFAULT_MODEL, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": 4}
    assert send("POST", "/v1/chat/completions", key, json=chat).status_code == 200
    send("POST", "/v1/chat/completions", key[:-2] + "xx", json=chat)  # a bad key
    send("POST", "/v1/chat/completions", key, json={**chat, "max_tokens": -1})  # a bad request
    send("POST", "/v1/chat/completions", key, json={**chat, "model": PROMPT})  # PII in a wrong field
    send("GET", "/console/api/me", officer[:-4] + "AAAA")  # a forged console token
    records = send("GET", "/console/api/records", officer, params={"event_type": "request"}).json()["records"]
    send("POST", f"/console/api/records/{records[0]['seq']}/reveal", officer, json={"reason": REASON})
    errors = "\n".join(body for body in bodies[1:5])
    surfaces = {
        "logs": caplog.text + "".join(capfd.readouterr()),
        "database": _clear_columns(gateway),
        "error bodies": errors,
    }
    for path, read in SURFACES.items():
        response = read(gateway)
        if response.status_code != 404:
            surfaces[path] = response.text
    seeded = {
        "API key": key,
        "API key secret": key.split("_")[2][:32],
        "console token": officer,
        "key pepper": gateway.settings.secret("key_pepper").decode(),
        "tenant secret": gateway.settings.secret("tenant_secret").decode(),
        "SSN": SSN,
        "name": NAME,
        "email": EMAIL,
    }
    for surface, content in surfaces.items():
        for what, value in seeded.items():
            assert value not in content, f"{what} found in {surface}"
