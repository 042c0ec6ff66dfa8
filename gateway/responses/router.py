"""``POST /v1/responses``: the shared pipeline runs the translated chat request; this route turns its
answer into a Response object, or into the Responses event stream."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from gateway.chat.router import request_context
from gateway.errors import BulwarkError
from gateway.pipeline.stage import JsonObject
from gateway.responses.from_chat import ResponseShell, from_chat_completion
from gateway.responses.schemas import ResponsesRequest
from gateway.responses.stream_events import ResponseEventStream
from gateway.services import ServicesDep

router = APIRouter(prefix="/v1", tags=["openai"])
_RESPONSES_FIELDS = {"max_tokens": "max_output_tokens", "messages": "input", "response_format": "text.format"}
logger = logging.getLogger(__name__)


@router.post("/responses")
async def create_response(request: Request, services: ServicesDep) -> Response:
    ctx = request_context(request, "responses")
    try:
        reply = await services.pipeline(ctx)
    except BulwarkError as error:
        # Errors from the stages and the engine name chat fields; name the caller's field instead.
        error.param = _RESPONSES_FIELDS.get(error.param or "", error.param)
        raise
    # The validate stage keeps the request as sent; the pipeline only ever saw its chat translation.
    assert isinstance(ctx.request, ResponsesRequest)
    shell = ResponseShell(ctx.request)
    if reply.chunks is None:
        return JSONResponse(from_chat_completion(shell, reply.body or {}), status_code=reply.status_code)
    return StreamingResponse(
        _events(ResponseEventStream(shell), reply.chunks),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(stream: ResponseEventStream, chunks: AsyncIterator[JsonObject]) -> AsyncIterator[bytes]:
    for event in stream.opening():
        yield _sse(event)
    try:
        async for chunk in chunks:
            for event in stream.feed(chunk):
                yield _sse(event)
    except BulwarkError as error:
        # Headers are already sent: report the failure in-band, as the Responses API does.
        logger.warning("response stream ended with %s", error.code)
        yield _sse(stream.error(error.code, error.message, error.param))
        return
    for event in stream.closing():
        yield _sse(event)


def _sse(event: JsonObject) -> bytes:
    data = json.dumps(event, ensure_ascii=False)
    return f"event: {event['type']}\ndata: {data}\n\n".encode()
