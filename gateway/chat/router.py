"""The OpenAI surface. Thin: build the request context, run the pipeline, shape the response."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from gateway.errors import BulwarkError
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import JsonObject, UpstreamReply
from gateway.services import ServicesDep
from gateway.tenants.authenticate import bearer_token

router = APIRouter(prefix="/v1", tags=["openai"])
logger = logging.getLogger(__name__)


def request_context(request: Request, endpoint: str) -> RequestContext:
    return RequestContext(
        request_id=request.state.request_id,
        endpoint=endpoint,
        authorization=bearer_token(request.headers.get("authorization")),
        source=request.client.host if request.client else "unknown",
        read_body=request.body,
    )


@router.post("/chat/completions")
async def chat_completions(request: Request, services: ServicesDep) -> Response:
    return _shape(await services.pipeline(request_context(request, "chat.completions")))


@router.post("/completions")
async def completions(request: Request, services: ServicesDep) -> Response:
    return _shape(await services.pipeline(request_context(request, "completions")))


@router.post("/embeddings")
async def embeddings(request: Request, services: ServicesDep) -> Response:
    return _shape(await services.pipeline(request_context(request, "embeddings")))


@router.get("/models")
async def models(request: Request, services: ServicesDep) -> Response:
    return _shape(await services.pipeline(request_context(request, "models")))


def _shape(reply: UpstreamReply) -> Response:
    if reply.chunks is None:
        return JSONResponse(reply.body, status_code=reply.status_code)
    return StreamingResponse(
        _server_sent_events(reply.chunks),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _server_sent_events(chunks: AsyncIterator[JsonObject]) -> AsyncIterator[bytes]:
    try:
        async for chunk in chunks:
            yield b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n"
    except BulwarkError as error:
        # Headers are already sent: report the failure in-band, the way OpenAI streams do.
        logger.warning("stream ended with %s", error.code)
        yield b"data: " + json.dumps(error.body()).encode() + b"\n\n"
        return
    yield b"data: [DONE]\n\n"
