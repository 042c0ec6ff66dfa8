"""TLS on the gateway's two hops: the HTTPS it serves, and how it reaches the engine.

The engine is verified against the site's CA (``BULWARK_UPSTREAM_CA_FILE``), never the public trust store:
an engine certificate bought from a public CA, or issued for some other host, is not one of ours. A client
certificate (mutual TLS) and a bearer token prove the gateway to the engine, so nothing else on the network
can use the engine to bypass keys, redaction, audit and limits.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any

from gateway.settings import Settings, SettingsError


@dataclass(frozen=True)
class UpstreamTls:
    """What the engine client needs: how to verify the engine, and how to prove itself to it."""

    verify: ssl.SSLContext | bool
    headers: dict[str, str]


def upstream_tls(settings: Settings) -> UpstreamTls:
    verify: ssl.SSLContext | bool = True
    if settings.upstream_ca_file is not None:
        context = ssl.create_default_context(cafile=str(settings.upstream_ca_file))
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if settings.upstream_client_certfile is not None:
            context.load_cert_chain(
                str(settings.upstream_client_certfile),
                str(settings.upstream_client_keyfile) if settings.upstream_client_keyfile else None,
            )
        verify = context
    headers: dict[str, str] = {}
    if settings.upstream_token is not None:
        headers["Authorization"] = f"Bearer {settings.upstream_token.get_secret_value()}"
    return UpstreamTls(verify=verify, headers=headers)


def server_tls_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's keyword arguments for HTTPS; empty when the gateway serves plain HTTP."""
    if (settings.ssl_certfile is None) != (settings.ssl_keyfile is None):
        raise SettingsError("BULWARK_SSL_CERTFILE and BULWARK_SSL_KEYFILE must be set together")
    if settings.ssl_certfile is None:
        return {}
    return {"ssl_certfile": str(settings.ssl_certfile), "ssl_keyfile": str(settings.ssl_keyfile)}
