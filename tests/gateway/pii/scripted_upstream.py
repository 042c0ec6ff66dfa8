"""An OpenAI-compatible upstream that records each request and answers with PII in every field.

A stand-in at the network seam, on purpose: the real engine (SmolLM2) cannot be made to write a refusal,
a tool call, or logprobs carrying a given SSN, and these tests must prove each of those fields is
screened on the way back. What the gateway sends and how it parses the answer are real.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

SSN, NAME = "219-09-9999", "Maria Garcia"
MODEL_TEXT = f"Patient {NAME}, SSN {SSN}, was seen today."
# The same text cut into tokens, the SSN and the name split across several of them.
TOKENS = ["Patient", " Maria", " Gar", "cia", ", SSN ", "219", "-09", "-9999", ", was seen today."]


class ScriptedUpstream:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.url = ""
        routes = [
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/completions", self._completions, methods=["POST"]),
        ]
        self.app = Starlette(routes=routes)

    async def _chat(self, request: Request) -> Response:
        body = await self._record(request)
        if body.get("stream"):
            return _sse(_chat_chunks())
        message = {
            "role": "assistant",
            "content": MODEL_TEXT,
            "refusal": f"I will not repeat {SSN}.",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": f"notify {NAME}", "arguments": json.dumps({"ssn": SSN})},
                }
            ],
        }
        logprobs = {"content": [_entry(t) for t in TOKENS]}
        choice = {"index": 0, "message": message, "logprobs": logprobs, "finish_reason": "stop"}
        return JSONResponse({"id": "c1", "object": "chat.completion", "choices": [choice]})

    async def _completions(self, request: Request) -> Response:
        body = await self._record(request)
        if body.get("stream"):
            return _sse(_completion_chunks())
        logprobs = {"tokens": TOKENS, "token_logprobs": [-0.1] * len(TOKENS), "top_logprobs": None}
        choice = {"index": 0, "text": MODEL_TEXT, "logprobs": logprobs, "finish_reason": "stop"}
        return JSONResponse({"id": "t1", "object": "text_completion", "choices": [choice]})

    async def _record(self, request: Request) -> dict[str, Any]:
        body: dict[str, Any] = json.loads(await request.body())
        self.received.append(body)
        return body


def _entry(token: str) -> dict[str, Any]:
    alternatives = [{"token": token, "logprob": -0.1, "bytes": list(token.encode())}]
    return {"token": token, "logprob": -0.1, "bytes": list(token.encode()), "top_logprobs": alternatives}


def _chat_chunks() -> list[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return {"id": "c1", "object": "chat.completion.chunk", "choices": [choice]}

    call = {
        "index": 0,
        "id": "call_1",
        "type": "function",
        "function": {"name": f"notify {NAME}", "arguments": ""},
    }
    return [
        *(chunk({"content": token}) for token in TOKENS),
        *(chunk({"refusal": part}) for part in ("No: ", SSN[:5], SSN[5:], ".")),
        chunk({"tool_calls": [call]}),
        *(
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": part}}]})
            for part in ('{"ssn": "', SSN[:6], SSN[6:] + '"}')
        ),
        chunk({}, "stop"),
    ]


def _completion_chunks() -> list[dict[str, Any]]:
    texts = [*TOKENS, ""]
    return [
        {
            "id": "t1",
            "object": "text_completion",
            "choices": [{"index": 0, "text": text, "finish_reason": "stop" if i == len(texts) - 1 else None}],
        }
        for i, text in enumerate(texts)
    ]


def _sse(chunks: list[dict[str, Any]]) -> StreamingResponse:
    async def events() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield f"data: {json.dumps(chunk)}\n\n".encode()
        yield b"data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")
