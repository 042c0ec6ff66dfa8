"""A near-zero-cost OpenAI-compatible upstream: the baseline the gateway-overhead bench measures against.

A raw ASGI app (no framework) served by uvicorn, bound to 127.0.0.1:

  POST /v1/chat/completions   a fixed short completion with usage; with "stream": true, ten SSE content
                              chunks, a finish chunk, a usage chunk when stream_options.include_usage, [DONE]
  GET  /v1/models             the one model, ``stub-model``
  GET  /health                {"status": "ok"}

Every answer is built from bytes prepared at import, so the stub spends as little CPU per request as it can.
Run: .venv/bin/python bench/upstream_stub.py --port 9100
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MODEL = "stub-model"
WORDS = "Hello! This is a fixed reply from the stub upstream.".split(" ")  # ten SSE content chunks
USAGE = {"prompt_tokens": 12, "completion_tokens": len(WORDS), "total_tokens": 12 + len(WORDS)}
BASE = {"id": "chatcmpl-stub", "created": 1700000000, "model": MODEL}
JSON_HEADERS = [(b"content-type", b"application/json")]
SSE_HEADERS = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _event(value: object) -> bytes:
    return b"data: " + _json(value) + b"\n\n"


def _content_chunk(index: int, word: str) -> bytes:
    delta = {"role": "assistant", "content": word} if index == 0 else {"content": " " + word}
    choice = {"index": 0, "delta": delta, "finish_reason": None}
    return _event({**BASE, "object": "chat.completion.chunk", "choices": [choice]})


COMPLETION = _json(
    {
        **BASE,
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": " ".join(WORDS)},
            }
        ],
        "usage": USAGE,
    }
)
CONTENT_CHUNKS = [_content_chunk(index, word) for index, word in enumerate(WORDS)]
FINISH_CHUNK = _event(
    {
        **BASE,
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
    }
)
USAGE_CHUNK = _event({**BASE, "object": "chat.completion.chunk", "choices": [], "usage": USAGE})
DONE = b"data: [DONE]\n\n"
MODELS = _json(
    {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "stub"}]}
)
HEALTH = _json({"status": "ok"})
NOT_FOUND = _json({"error": {"message": "no such route", "type": "not_found"}})


async def _read_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += bytes(message.get("body", b""))
        if not message.get("more_body"):
            return body


async def _send_json(send: Send, status: int, payload: bytes) -> None:
    headers = [*JSON_HEADERS, (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _chat(receive: Receive, send: Send) -> None:
    request = json.loads(await _read_body(receive) or b"{}")
    if not request.get("stream"):
        await _send_json(send, 200, COMPLETION)
        return
    await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
    for chunk in CONTENT_CHUNKS:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    include_usage = (request.get("stream_options") or {}).get("include_usage")
    tail = FINISH_CHUNK + (USAGE_CHUNK if include_usage else b"") + DONE
    await send({"type": "http.response.body", "body": tail})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    route = (scope["method"], scope["path"])
    if route == ("POST", "/v1/chat/completions"):
        await _chat(receive, send)
    elif route == ("GET", "/v1/models"):
        await _send_json(send, 200, MODELS)
    elif route == ("GET", "/health"):
        await _send_json(send, 200, HEALTH)
    else:
        await _send_json(send, 404, NOT_FOUND)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=9100)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
