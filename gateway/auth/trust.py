"""Builds the verifier from settings: the configured identity providers, plus the local issuer if enabled."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

from gateway.auth.issuer_config import LOCAL_ISSUER
from gateway.auth.jwks import JwksFile, JwksUrl, KeySource, StaticKeys
from gateway.auth.local_key import ALGORITHM
from gateway.auth.tokens import local_issuer_enabled, local_token_key
from gateway.auth.verify import TokenVerifier, TrustedIssuer
from gateway.settings import Settings

JWKS_FETCH_TIMEOUT_S = 5.0


def build_verifier(settings: Settings, http: httpx.AsyncClient) -> TokenVerifier:
    trusted: list[TrustedIssuer] = []
    for config in settings.jwt_issuers:
        source: KeySource
        if config.jwks_file is not None:
            source = JwksFile(config.jwks_file)
        else:
            assert config.jwks_url is not None
            check_jwks_url(config.jwks_url, dev_mode=settings.dev_mode)
            source = JwksUrl(config.jwks_url, http)
        trusted.append(
            TrustedIssuer(config.issuer, config.algorithms, source, config.all_tenants_without_claim)
        )
    if local_issuer_enabled(settings):
        if any(config.issuer == LOCAL_ISSUER for config in settings.jwt_issuers):
            raise ValueError(f"issuer {LOCAL_ISSUER!r} is reserved for the local signing key")
        key = local_token_key(settings)
        # The local issuer's tokens are minted on this host by `bulwark users token`, whose operator
        # chooses the scope; a token it signs without tenants is site-wide by design.
        local_keys = StaticKeys([key.public_jwk()])
        trusted.append(TrustedIssuer(LOCAL_ISSUER, (ALGORITHM,), local_keys, all_tenants_without_claim=True))
    return TokenVerifier(trusted, settings.jwt_audience)


def check_jwks_url(url: str, *, dev_mode: bool) -> None:
    """Signing keys fetched over plain HTTP could be swapped on the wire: https, or loopback in dev mode."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and dev_mode and _is_loopback(parts.hostname or ""):
        return
    raise ValueError(f"JWKS URL for a trusted issuer must use https: {parts.scheme}://{parts.hostname}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def jwks_http_client() -> httpx.AsyncClient:
    # The IdP is on the premises; no proxies from the environment, no redirects to elsewhere.
    return httpx.AsyncClient(timeout=JWKS_FETCH_TIMEOUT_S, trust_env=False, follow_redirects=False)
