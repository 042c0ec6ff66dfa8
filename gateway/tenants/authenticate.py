"""Pipeline stage: API key -> tenant. Every failure is a 401 with an OpenAI-style body."""

from __future__ import annotations

import anyio

from gateway.db.session import Database
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply
from gateway.tenants.service import KeyIdentity, authenticate


class AuthenticateStage:
    name = "authenticate"

    def __init__(self, database: Database, pepper: bytes) -> None:
        self._database = database
        self._pepper = pepper

    def _lookup(self, presented: str | None) -> KeyIdentity:
        with self._database.session() as session:
            return authenticate(session, self._pepper, presented)

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        ctx.identity = await anyio.to_thread.run_sync(self._lookup, ctx.authorization)
        return await call_next(ctx)


def bearer_token(header_value: str | None) -> str | None:
    """The key from ``Authorization: Bearer <key>``; ``None`` when absent or another scheme."""
    if not header_value:
        return None
    scheme, _, token = header_value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
