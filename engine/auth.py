"""Only the gateway may use the engine: a bearer token on every request except ``/health``.

Without it anyone who can reach the engine's port would bypass the gateway's keys, redaction, audit and
limits. The token is compared in constant time; a refusal says nothing about why.
"""

from __future__ import annotations

import hmac
import json

from starlette.types import ASGIApp, Receive, Scope, Send

# Liveness probes (orchestrators, `bulwark up`) carry no credentials and learn nothing but "up".
OPEN_PATHS = frozenset({"/health"})
_REFUSAL = json.dumps(
    {"error": {"message": "unauthorized", "type": "authentication_error", "param": None, "code": None}}
).encode()


class BearerTokenMiddleware:
    def __init__(self, app: ASGIApp, token: str) -> None:
        self._app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS or self._authorized(scope):
            await self._app(scope, receive, send)
            return
        headers = [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": _REFUSAL})

    def _authorized(self, scope: Scope) -> bool:
        presented = dict(scope["headers"]).get(b"authorization", b"")
        return hmac.compare_digest(presented, self._expected)
