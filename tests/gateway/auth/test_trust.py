"""Where keys come from (JWKS file and URL), which issuers are trusted, and the local issuer's CLI."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from gateway.app import create_app
from gateway.auth.issuer_config import IssuerConfig
from gateway.auth.jwks import JwksUrl
from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token
from gateway.auth.trust import build_verifier
from gateway.cli.main import app as bulwark
from gateway.cli.up import print_welcome
from gateway.settings import Settings, load_settings
from tests.gateway.auth.conftest import ISSUER, UNUSED_UPSTREAM
from tests.gateway.auth.idp import RsaKey, TestIdentityProvider


class JwksServer:
    """A real HTTP server for the IdP's JWKS; ``document`` can be swapped to simulate a key rotation."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        self.hits = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.hits += 1
                body = json.dumps(owner.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks"

    def __enter__(self) -> JwksServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    with JwksServer() as server:
        yield server


def _client(tmp_path: Path, **overrides: Any) -> TestClient:
    settings = load_settings(home=tmp_path / "home", dev_mode=True, upstream_url=UNUSED_UPSTREAM, **overrides)
    return TestClient(create_app(settings))


def test_keys_from_a_jwks_url(tmp_path: Path, idp: TestIdentityProvider, jwks_server: JwksServer) -> None:
    jwks_server.document = idp.jwks()
    config = IssuerConfig(issuer=ISSUER, jwks_url=jwks_server.url)
    with _client(tmp_path, jwt_issuers=[config]) as client:
        headers = {"Authorization": f"Bearer {idp.token(['auditor'])}"}
        assert client.get("/console/api/me", headers=headers).status_code == 200
        assert client.get("/console/api/me", headers=headers).status_code == 200
        assert jwks_server.hits == 1  # cached, not fetched per request
        jwks_server.server.shutdown()  # the IdP goes away: cached keys still work, unknown kids fail closed
        other = idp.sign(idp.claims(["auditor"]), key=RsaKey.generate("rotated"))
        assert client.get("/console/api/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_an_unknown_kid_refetches_a_rotated_key_set(
    idp: TestIdentityProvider, jwks_server: JwksServer
) -> None:
    jwks_server.document = idp.jwks()
    rotated = RsaKey.generate("idp-key-2")

    async def fetch_twice() -> tuple[set[str], set[str]]:
        async with httpx.AsyncClient() as http:
            source = JwksUrl(jwks_server.url, http, min_refresh_s=0)
            before = set(await source.keys())
            jwks_server.document = {"keys": [idp.key.public_jwk(), rotated.public_jwk()]}
            cached = set(await source.keys())
            assert cached == before  # no refresh asked: the cache answers
            return before, set(await source.keys(refresh=True))

    assert anyio.run(fetch_twice) == ({idp.key.kid}, {idp.key.kid, rotated.kid})


@pytest.mark.parametrize(
    "config",
    [
        {"issuer": ISSUER, "jwks_file": "/etc/jwks.json", "algorithms": ["HS256"]},
        {"issuer": ISSUER, "jwks_file": "/etc/jwks.json", "algorithms": ["none"]},
        {"issuer": ISSUER, "jwks_file": "/etc/jwks.json", "algorithms": []},
        {"issuer": ISSUER},
        {"issuer": ISSUER, "jwks_file": "/etc/jwks.json", "jwks_url": "http://idp/jwks"},
    ],
)
def test_unsafe_issuer_configs_are_refused_at_start(config: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        IssuerConfig.model_validate(config)


def test_issuers_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(
        "BULWARK_JWT_ISSUERS", json.dumps([{"issuer": ISSUER, "jwks_file": str(tmp_path / "j.json")}])
    )
    [config] = Settings().jwt_issuers
    assert (config.issuer, config.algorithms) == (ISSUER, ("RS256", "ES256"))


def test_local_tokens_are_refused_when_the_local_issuer_is_off(tmp_path: Path) -> None:
    with _client(tmp_path, jwt_local_issuer=False) as client:
        settings = client.app.state.services.settings  # type: ignore[attr-defined]
        token = issue_local_token(settings, "someone", [Role.ADMIN])
        assert client.get("/console/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_users_token_cli_signs_a_token_the_gateway_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BULWARK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BULWARK_DEV_MODE", "1")
    result = CliRunner().invoke(
        bulwark, ["users", "token", "--role", "auditor", "--tenant", "acme", "--ttl", "30m"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    settings = load_settings()

    async def verify() -> tuple[frozenset[Role], frozenset[str] | None]:
        async with httpx.AsyncClient() as http:
            principal = await build_verifier(settings, http).verify(token)
        return principal.roles, principal.tenants

    assert anyio.run(verify) == (frozenset({Role.AUDITOR}), frozenset({"acme"}))
    too_long = CliRunner().invoke(bulwark, ["users", "token", "--role", "admin", "--ttl", "2d"])
    assert too_long.exit_code == 2


def test_bulwark_up_prints_a_console_login(capsys: pytest.CaptureFixture[str]) -> None:
    print_welcome("http://127.0.0.1:8000", "bwk_key", "smollm2-135m-instruct", "eyJ.console.token")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/console" in out
    assert "eyJ.console.token" in out
