"""A real HTTP server (uvicorn on loopback) that answers like a broken or hostile OpenAI-compatible engine.

It stands in for the engine only where the real one cannot be made to misbehave on demand: the last user
message names the behaviour (``huge``, ``trickle``, ``huge-stream``, ``ok``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

HUGE_BYTES = 64 * 1024


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-x",
        "object": "chat.completion",
        "created": 0,
        "model": "smollm2-135m-instruct",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }


def _chunk(content: str) -> bytes:
    event = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
             "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]}  # fmt: skip
    return b"data: " + json.dumps(event).encode() + b"\n\n"


async def _trickle() -> AsyncIterator[bytes]:
    while True:  # never idle long enough for a read timeout, never done
        await asyncio.sleep(0.2)
        yield b": keep-alive\n\n"


async def _huge_stream() -> AsyncIterator[bytes]:
    for _ in range(200):
        yield _chunk("x" * 1024)


async def chat(request: Request) -> Response:
    body = await request.json()
    mode = body["messages"][-1]["content"]
    if mode == "huge":
        return JSONResponse(_completion("x" * HUGE_BYTES))
    if mode == "trickle":
        return StreamingResponse(_trickle(), media_type="application/json")
    if mode == "huge-stream":
        return StreamingResponse(_huge_stream(), media_type="text/event-stream")
    return JSONResponse(_completion("fine"))


async def health(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"]), Route("/health", health)])
