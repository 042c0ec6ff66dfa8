"""A pass-through HTTP proxy between the gateway and the real engine that records what it forwards.

Not a fake: every request goes to the real engine and its real answer (streamed or not) comes back
unchanged. It exists so a test can assert on exactly what the engine received.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route


class RecordingProxy:
    def __init__(self, upstream_url: str) -> None:
        self.upstream_url = upstream_url.rstrip("/")
        self.received: list[dict[str, Any]] = []
        self.url = ""  # where the proxy listens, set once it is served
        self.app = Starlette(routes=[Route("/{path:path}", self._forward, methods=["GET", "POST"])])

    def bodies_sent_to(self, path: str) -> list[dict[str, Any]]:
        return [entry["body"] for entry in self.received if entry["path"] == path]

    async def _forward(self, request: Request) -> Response:
        raw = await request.body()
        path = "/" + request.path_params["path"]
        if raw:
            self.received.append({"path": path, "body": json.loads(raw)})
        client = httpx.AsyncClient(base_url=self.upstream_url, timeout=300)
        upstream = client.build_request(
            request.method, path, content=raw, headers={"content-type": "application/json"}
        )
        response = await client.send(upstream, stream=True)

        async def body() -> AsyncIterator[bytes]:
            try:
                async for part in response.aiter_raw():
                    yield part
            finally:
                await response.aclose()
                await client.aclose()

        headers = {"content-type": response.headers.get("content-type", "application/json")}
        return StreamingResponse(body(), status_code=response.status_code, headers=headers)
