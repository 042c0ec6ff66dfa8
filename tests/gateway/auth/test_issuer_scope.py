"""An identity provider's token scopes explicitly (issue 13, findings 3 and 7).

No ``tenants`` claim means no tenant unless the issuer's config says otherwise, and signing keys are
never fetched over plain HTTP (loopback in dev mode excepted).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.auth.issuer_config import IssuerConfig
from gateway.auth.trust import check_jwks_url
from gateway.settings import load_settings
from tests.gateway.auth.conftest import ISSUER, UNUSED_UPSTREAM
from tests.gateway.auth.idp import TestIdentityProvider

ME = "/console/api/me"


def _app(tmp_path: Path, config: IssuerConfig) -> TestClient:
    settings = load_settings(
        home=tmp_path / "home", dev_mode=True, upstream_url=UNUSED_UPSTREAM, jwt_issuers=[config]
    )
    return TestClient(create_app(settings))


def test_a_token_without_tenants_claim_sees_no_tenant(tmp_path: Path, idp: TestIdentityProvider) -> None:
    with _app(tmp_path, idp.config()) as client:
        headers = {"Authorization": f"Bearer {idp.token(['compliance_officer'])}"}
        me = client.get(ME, headers=headers)
        assert me.status_code == 200
        assert me.json()["tenants"] == []
        scoped = {"Authorization": f"Bearer {idp.token(['compliance_officer'], tenants=['acme'])}"}
        assert client.get(ME, headers=scoped).json()["tenants"] == ["acme"]


def test_an_issuer_may_explicitly_make_claimless_tokens_site_wide(
    tmp_path: Path, idp: TestIdentityProvider
) -> None:
    config = IssuerConfig(issuer=ISSUER, jwks_file=idp.jwks_path, all_tenants_without_claim=True)
    with _app(tmp_path, config) as client:
        headers = {"Authorization": f"Bearer {idp.token(['compliance_officer'])}"}
        assert client.get(ME, headers=headers).json()["tenants"] is None


@pytest.mark.parametrize(
    ("url", "dev_mode", "allowed"),
    [
        ("https://idp.hospital.internal/jwks", False, True),
        ("http://idp.hospital.internal/jwks", False, False),
        ("http://idp.hospital.internal/jwks", True, False),
        ("http://127.0.0.1:8080/jwks", False, False),
        ("http://127.0.0.1:8080/jwks", True, True),
        ("http://localhost/jwks", True, True),
        ("ftp://idp.hospital.internal/jwks", True, False),
    ],
)
def test_jwks_urls_must_be_https_except_loopback_in_dev(url: str, dev_mode: bool, allowed: bool) -> None:
    if allowed:
        check_jwks_url(url, dev_mode=dev_mode)
    else:
        with pytest.raises(ValueError, match="https"):
            check_jwks_url(url, dev_mode=dev_mode)


def test_gateway_refuses_to_start_with_a_plain_http_jwks_url(tmp_path: Path) -> None:
    config = IssuerConfig(issuer=ISSUER, jwks_url="http://idp.hospital.internal/jwks")
    with pytest.raises(ValueError, match="https"), _app(tmp_path, config):
        pass
