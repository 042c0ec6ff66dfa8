"""Role x endpoint matrix, generated from the app's OpenAPI schema.

Every operation the app publishes must have a declared access rule here (a new route without one fails
this test), and every caller is tried against every operation: allowed callers pass authorization,
everyone else gets 401 or 403. App API keys never reach /admin or the console API, JWTs never reach the
OpenAI surface, and only a compliance officer's reveal ever returns content.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

from gateway.auth.principal import Role
from gateway.tenants import service as tenant_service
from tests.gateway.console.conftest import CANARY, Console, make_console
from tests.servers import REPO

APP_KEY, ADMIN_KEY = "app_key", "admin_key"
ADMIN, OFFICER, AUDITOR, NO_ROLE, ANONYMOUS = "admin", "officer", "auditor", "no_role", "anonymous"
CALLERS = (ANONYMOUS, APP_KEY, ADMIN_KEY, ADMIN, OFFICER, AUDITOR, NO_ROLE)
EVERYONE = frozenset(CALLERS)
SIGNED_IN = frozenset({ADMIN, OFFICER, AUDITOR, NO_ROLE})
READERS = frozenset({OFFICER, AUDITOR})
STATUS = frozenset({ADMIN, OFFICER, AUDITOR})
API_KEYS = frozenset({APP_KEY, ADMIN_KEY})

# (method, path pattern) -> who may pass authorization. First match wins.
ACCESS: list[tuple[str, str, frozenset[str]]] = [
    ("*", r"/v1/.*", API_KEYS),
    ("GET", r"/(healthz|readyz)", EVERYONE),
    ("GET", r"/console/api/jwks\.json", STATUS),  # deny by default: sign in to fetch the manifest key
    ("GET", r"/console/api/me", SIGNED_IN),
    ("GET", r"/console/api/(records|records/\{seq\}|export)", READERS),
    ("POST", r"/console/api/records/\{seq\}/reveal", frozenset({OFFICER})),
    ("*", r"/console/api/reveal-requests.*", frozenset({OFFICER})),
    ("*", r"/console/api/(integrity|integrity/verify|stats)", STATUS),
    ("*", r"/console/api/keys.*", frozenset({ADMIN})),
    ("*", r"/admin/.*", frozenset({ADMIN_KEY, ADMIN})),  # admin API keys, and console admins (JWT)
]
# A tenant with a policy that allows the model, so an allowed API key gets past the policy stage too.
TENANT = "demo"
POLICIES = REPO / "policies"
# No engine runs behind this app: these answer 502/503, which is past authorization.
NEEDS_ENGINE = ("/v1/", "/readyz")
BODIES = {
    "/v1/chat/completions": {
        "model": "smollm2-135m-instruct",
        "messages": [{"role": "user", "content": "hi"}],
    },
    "/v1/completions": {"model": "smollm2-135m-instruct", "prompt": "hi"},
    "/console/api/records/{seq}/reveal": {"reason": "matrix test: checking access rules"},
    "/console/api/keys": {"tenant": TENANT},
    "/admin/policies/{tenant_id}": {},
}


def allowed(method: str, path: str) -> frozenset[str]:
    for rule_method, pattern, callers in ACCESS:
        if rule_method in ("*", method) and re.fullmatch(pattern, path):
            return callers
    raise AssertionError(f"{method} {path} has no declared access rule: add one to ACCESS")


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    # A copy of the checkout's policies: the matrix PUTs to /admin/policies, which writes policy files.
    root = tmp_path_factory.mktemp("matrix")
    shutil.copytree(POLICIES, root / "policies")
    # The matrix sends hundreds of refused calls from one address: lift the per-source failure limit
    # (tested in tests/gateway/test_auth_failures.py), or later rows would read 429, not their verdict.
    yield from make_console(
        root / "home", policy_dir=root / "policies", policy_watch=False, auth_failure_limit=100_000
    )


def _headers(console: Console) -> dict[str, dict[str, str]]:
    pepper = console.settings.secret("key_pepper")
    with console.services.database.session() as session:
        app_key = tenant_service.create_key(session, pepper, TENANT).key
        admin_key = tenant_service.create_key(
            session, pepper, TENANT, scopes=frozenset({"inference", "admin"})
        ).key
    bearer = {
        APP_KEY: app_key,
        ADMIN_KEY: admin_key,
        ADMIN: console.token(Role.ADMIN),
        OFFICER: console.token(Role.COMPLIANCE_OFFICER),
        AUDITOR: console.token(Role.AUDITOR),
        NO_ROLE: console.token(None),
    }
    return {ANONYMOUS: {}} | {
        caller: {"Authorization": f"Bearer {value}"} for caller, value in bearer.items()
    }


def _concrete(console: Console, path: str, seq: int) -> str:
    with console.services.database.session() as session:
        spare = tenant_service.create_key(session, console.settings.secret("key_pepper"), TENANT).record.id
    values = {"seq": str(seq), "request_id": "rr_0000000000000000", "key_id": spare, "tenant_id": TENANT}
    return re.sub(r"\{(\w+)\}", lambda match: values[match.group(1)], path)


def test_every_route_grants_exactly_its_declared_roles(console: Console) -> None:
    seq = console.seed(TENANT)
    headers = _headers(console)
    schema = console.client.app.openapi()  # type: ignore[attr-defined]
    operations = [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]
    assert len(operations) >= 20
    mismatches: list[str] = []
    content_seen: set[tuple[str, str, str]] = set()
    for method, path in operations:
        expected = allowed(method, path)
        url = _concrete(console, path, seq)
        for caller in CALLERS:
            response = console.client.request(method, url, headers=headers[caller], json=BODIES.get(path))
            passed = response.status_code not in (401, 403)
            if passed != (caller in expected):
                mismatches.append(
                    f"{caller:9} {method} {path}: {response.status_code}, expected allowed={caller in expected}"
                )
            if passed and response.status_code >= 500 and not path.startswith(NEEDS_ENGINE):
                mismatches.append(f"{caller:9} {method} {path}: server error {response.status_code}")
            if CANARY in response.text:
                content_seen.add((caller, method, path))
    assert not mismatches, "\n".join(mismatches)
    # Content leaves only through a compliance officer's reveal; the canary proves this check can fire.
    assert content_seen == {(OFFICER, "POST", "/console/api/records/{seq}/reveal")}
