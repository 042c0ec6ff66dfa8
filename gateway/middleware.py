"""ASGI middleware as plain classes: request id, body-size limit. (Tracing: ``gateway.telemetry``.)"""

from __future__ import annotations

import re
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.errors import PayloadTooLarge

_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
REQUEST_ID_HEADER = b"x-request-id"


class RequestIdMiddleware:
    """Give every request an id (the client's, if well-formed) and echo it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = dict(scope["headers"]).get(REQUEST_ID_HEADER, b"").decode("latin-1")
        request_id = offered if _CLIENT_REQUEST_ID.match(offered) else f"req_{secrets.token_hex(12)}"
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER, request_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_id)


class BodySizeLimitMiddleware:
    """Refuse bodies over ``max_bytes`` while they are read, not after buffering them.

    It raises from inside ``receive``, so the error surfaces where the endpoint reads the body: inside the
    pipeline, where the audit stage records it like any other refused request.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        received = 0
        too_large = PayloadTooLarge(f"Request body is larger than the limit of {self.max_bytes} bytes.")

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
                raise too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large
            return message

        await self.app(scope, limited_receive, send)
