"""Deny by default: every route the app serves refuses a caller without credentials (issue 13).

The routes are enumerated from the app itself, so a route added later is covered without editing this
test. Open by design: liveness/readiness, and the console's static page and assets (HTML/JS/CSS with
no data; a browser cannot send a bearer token when it navigates, so the page signs in, then calls the
API). The OpenAPI docs exist only in dev mode.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount

from gateway.app import create_app
from gateway.settings import load_settings
from tests.secrets_dir import write_secrets_dir
from tests.servers import TEST_POLICY_DIR

OPEN = {"/healthz", "/readyz"}
STATIC_SHELL = {"/console", "/console/", "/console/static"}
DEV_DOCS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def served_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) for every route, through included routers and mounts."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from served_routes(included.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Mount):
            yield "GET", prefix + route.path
        else:
            for method in sorted(set(route.methods or ()) - {"HEAD"}):
                yield method, prefix + route.path


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _app(tmp_path: Path, **overrides: object) -> FastAPI:
    settings = load_settings(
        home=tmp_path / "home", policy_dir=TEST_POLICY_DIR, upstream_url="http://127.0.0.1:9", **overrides
    )
    return create_app(settings)


def test_every_route_but_health_requires_credentials(tmp_path: Path) -> None:
    # With a metrics token /metrics is guarded like the rest (without one it refuses every scrape, 403).
    app = _app(tmp_path, dev_mode=True, auth_failure_limit=100_000, metrics_token=secrets.token_urlsafe(32))
    routes = sorted(set(served_routes(app.routes)))
    guarded = [(m, p) for m, p in routes if p not in OPEN | STATIC_SHELL | DEV_DOCS]
    assert len(guarded) >= 20, routes  # the enumeration really found the API
    forged = {"Authorization": "Bearer " + secrets.token_urlsafe(24)}
    with TestClient(app) as client:
        for method, path in guarded:
            for headers in ({}, forged):
                response = client.request(method, _concrete(path), headers=headers, json={})
                assert response.status_code == 401, (method, path, headers, response.text)
                assert response.json()["error"]["type"] == "authentication_error"
        for path in OPEN:
            assert client.get(path).status_code in (200, 503)  # readiness: no engine listens here


def test_api_docs_are_served_only_in_dev_mode(tmp_path: Path) -> None:
    # Production mode needs its whole key material mounted (it never generates any).
    mounted = write_secrets_dir(tmp_path / "secrets")
    production = {
        path for _, path in served_routes(_app(tmp_path, dev_mode=False, secrets_dir=mounted).routes)
    }
    assert not production & DEV_DOCS
    assert production - STATIC_SHELL - DEV_DOCS  # the API itself is still there
