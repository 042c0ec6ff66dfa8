"""Pipeline stage: API key -> tenant. Every failure is a 401 with an OpenAI-style body."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from gateway.auth.failed_attempts import FailedAuthTracker
from gateway.errors import AuthenticationFailed
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply
from gateway.tenants.key_cache import KeyAuthenticator
from gateway.tenants.key_format import parse_key
from gateway.tenants.service import KeyIdentity


class AuthenticateStage:
    name = "authenticate"

    def __init__(self, keys: KeyAuthenticator, failures: FailedAuthTracker) -> None:
        self._keys = keys
        self._failures = failures

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        ctx.identity = await authenticate_counted(
            self._failures, ctx.source, ctx.endpoint, ctx.authorization, self._keys.authenticate
        )
        return await call_next(ctx)


async def authenticate_counted(
    failures: FailedAuthTracker,
    source: str,
    endpoint: str,
    presented: str | None,
    lookup: Callable[[str | None], Awaitable[KeyIdentity]],
) -> KeyIdentity:
    """Authenticate under the per-source failure limit. A blocked source is refused (429) before any work
    unless it presents a well-formed key (checksum valid), so a tenant behind the same address as an
    attacker keeps working while garbage keys cost nothing; their refusals never touch the ledger."""
    blocked = failures.is_blocked(source, "api")
    if blocked and (presented is None or parse_key(presented) is None):
        raise failures.refuse(source, "api")
    try:
        return await lookup(presented)
    except AuthenticationFailed as refused:
        if blocked:
            raise failures.refuse(source, "api") from None
        failures.record(source, "api", refused.code or "invalid_api_key", endpoint)
        raise


def bearer_token(header_value: str | None) -> str | None:
    """The key from ``Authorization: Bearer <key>``; ``None`` when absent or another scheme."""
    if not header_value:
        return None
    scheme, _, token = header_value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
