"""Schemathesis against the gateway's own OpenAPI schema, once per credential set (issue 13).

A real gateway (uvicorn) in front of the real engine; a policy that caps completions at a few tokens so
generated requests stay fast. For every operation and every caller (none, app key, auditor, compliance
officer, admin): no 5xx, responses that match the schema, and error bodies that carry no internals and
none of the seeded secrets. Few examples per operation, so the whole run stays short.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token
from gateway.settings import load_settings
from tests.servers import RunningGateway, running_gateway

pytestmark = pytest.mark.slow
ROLES = {"auditor": Role.AUDITOR, "compliance_officer": Role.COMPLIANCE_OFFICER, "admin": Role.ADMIN}
CALLERS = ["none", "app_key", *ROLES]
# What an error body must never carry: stack traces, library internals, SQL.
INTERNALS = ("Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "SELECT ", "httpx.", "pydantic_core")
POLICY = """tenant: acme
name: Acme (fuzz)
models:
  allowed: [smollm2-135m-instruct]
tokens: {max_tokens: 4, on_exceed: clamp, max_input_tokens: 256}
"""


def _schema() -> Any:
    # The schema is the app's own; building it needs no lifespan (no database, model or engine).
    with tempfile.TemporaryDirectory() as home:
        app = create_app(load_settings(home=Path(home), dev_mode=True))
        return schemathesis.openapi.from_dict(app.openapi())


schema = _schema()


@pytest.fixture(scope="module")
def fuzz_gateway(tmp_path_factory: pytest.TempPathFactory, engine_url: str) -> Iterator[RunningGateway]:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "policies" / "tenants").mkdir(parents=True)
    (root / "policies" / "tenants" / "acme.yaml").write_text(POLICY)
    with running_gateway(root / "home", engine_url, policy_dir=root / "policies") as gateway:
        yield gateway


@pytest.fixture(scope="module")
def credentials(fuzz_gateway: RunningGateway) -> dict[str, dict[str, str]]:
    settings = fuzz_gateway.settings
    found: dict[str, dict[str, str]] = {"none": {}}
    found["app_key"] = {"Authorization": f"Bearer {fuzz_gateway.create_key('acme')}"}
    for name, role in ROLES.items():
        found[name] = {"Authorization": f"Bearer {issue_local_token(settings, 'fuzz', [role])}"}
    return found


def no_internals_in_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code < 400:
        return None
    text = response.text
    for marker in INTERNALS:
        assert marker not in text, f"error body carries {marker!r}"
    return None


@pytest.mark.parametrize("caller", CALLERS)
@schema.parametrize()  # type: ignore[untyped-decorator]  # schemathesis ships no types for it
@hypothesis.settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)
def test_gateway_api_conforms_for_every_caller(
    case: Any, caller: str, fuzz_gateway: RunningGateway, credentials: dict[str, dict[str, str]]
) -> None:
    headers = credentials[caller]
    response = case.call(base_url=fuzz_gateway.base_url, headers=headers, timeout=60)
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, no_internals_in_errors],
        headers=headers,
    )
    # Nothing a caller presented ever comes back in an error body.
    if response.status_code >= 400 and headers:
        assert headers["Authorization"].split(" ", 1)[1] not in response.text
