"""Builds the verifier from settings: the configured identity providers, plus the local issuer if enabled."""

from __future__ import annotations

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
            source = JwksUrl(config.jwks_url, http)
        trusted.append(TrustedIssuer(config.issuer, config.algorithms, source))
    if local_issuer_enabled(settings):
        if any(config.issuer == LOCAL_ISSUER for config in settings.jwt_issuers):
            raise ValueError(f"issuer {LOCAL_ISSUER!r} is reserved for the local signing key")
        key = local_token_key(settings)
        trusted.append(TrustedIssuer(LOCAL_ISSUER, (ALGORITHM,), StaticKeys([key.public_jwk()])))
    return TokenVerifier(trusted, settings.jwt_audience)


def jwks_http_client() -> httpx.AsyncClient:
    # The IdP is on the premises; no proxies from the environment, no redirects to elsewhere.
    return httpx.AsyncClient(timeout=JWKS_FETCH_TIMEOUT_S, trust_env=False, follow_redirects=False)
