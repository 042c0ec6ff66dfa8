"""OpenAI-compatible HTTP API over the async engine, plus /health and /metrics."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from opentelemetry.trace import NoOpTracer, Tracer
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from engine.async_engine import AsyncEngine
from engine.auth import BearerTokenMiddleware
from engine.completions import CompletionRun, chat_choice, text_choice
from engine.embedding_api import EmbeddingRequest, create_embeddings, model_card
from engine.embeddings import EmbeddingModel
from engine.errors import EngineError, InvalidRequestError, ModelNotFoundError, error_body
from engine.metrics import EngineMetrics
from engine.protocol import ChatCompletionRequest, CompletionRequest
from engine.text_stream import Decoder

RequestT = TypeVar("RequestT", bound=BaseModel)
ChunkMaker = Callable[[CompletionRun, str | None, str | None], dict[str, Any]]


@dataclass
class EngineService:
    """Everything the routes need, wired once at start-up."""

    engine: AsyncEngine
    tokenizer: Any
    model_name: str
    max_model_len: int
    metrics: EngineMetrics
    default_chat_max_tokens: int = 1024
    default_completion_max_tokens: int = 16
    embedder: EmbeddingModel | None = None
    tracer: Tracer = field(default_factory=NoOpTracer)  # engine.telemetry's, when tracing is on


async def _parse(request: Request, model: type[RequestT]) -> RequestT:
    try:
        payload = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidRequestError("the request body is not valid JSON") from exc
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(p) for p in first["loc"]) or None
        raise InvalidRequestError(f"{param or 'body'}: {first['msg']}", param=param) from exc


def _check_model(service: EngineService, name: str) -> None:
    if name != service.model_name:
        raise ModelNotFoundError(f"the model {name!r} does not exist", param="model", code="model_not_found")


def _start(
    service: EngineService, prompt_ids: list[int], body: ChatCompletionRequest | CompletionRequest
) -> CompletionRun:
    if not prompt_ids:
        raise InvalidRequestError("the prompt is empty", param="prompt")
    room = service.max_model_len - len(prompt_ids)
    is_chat = isinstance(body, ChatCompletionRequest)
    default = service.default_chat_max_tokens if is_chat else service.default_completion_max_tokens
    params = body.sampling_params(default_max_tokens=min(default, max(room, 1)))
    if len(prompt_ids) + params.max_tokens > service.max_model_len:
        raise InvalidRequestError(
            f"prompt ({len(prompt_ids)} tokens) plus max_tokens ({params.max_tokens}) exceeds "
            f"the model's context of {service.max_model_len} tokens",
            param="max_tokens",
            code="context_length_exceeded",
        )
    # The salt comes only from the body's cache_salt field: never headers or other fields.
    outputs = service.engine.generate(prompt_ids, params, salt=body.cache_salt or "")
    decoder: Decoder = service.tokenizer
    return CompletionRun(outputs, decoder, params.stop, service.metrics, service.tracer)


async def _sse(run: CompletionRun, make_chunk: ChunkMaker, include_usage: bool) -> AsyncIterator[str]:
    first = make_chunk(run, "", None)
    yield f"data: {json.dumps(first)}\n\n"
    async for delta in run.deltas():
        if delta.text or delta.finish_reason:
            chunk = make_chunk(run, delta.text or None, delta.finish_reason)
            if include_usage:
                chunk["usage"] = None
            yield f"data: {json.dumps(chunk)}\n\n"
    if include_usage:
        last = make_chunk(run, None, None) | {"choices": [], "usage": run.usage.body()}
        yield f"data: {json.dumps(last)}\n\n"
    yield "data: [DONE]\n\n"


def _envelope(run: CompletionRun, service: EngineService, kind: str, prefix: str) -> dict[str, Any]:
    return {
        "id": f"{prefix}-{run.response_id}",
        "object": kind,
        "created": run.created,
        "model": service.model_name,
    }


def _routes(app: FastAPI, service: EngineService) -> None:
    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> Response:
        body = await _parse(request, ChatCompletionRequest)
        _check_model(service, body.model)
        messages = [{"role": m.role, "content": m.text()} for m in body.messages]
        text = service.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        run = _start(service, service.tokenizer.encode(text, add_special_tokens=False), body)

        def chunk(r: CompletionRun, text: str | None, reason: str | None) -> dict[str, Any]:
            choice = chat_choice(text, reason, delta=True)
            if text == "" and reason is None:
                choice["delta"] = {"role": "assistant", "content": ""}
            return _envelope(r, service, "chat.completion.chunk", "chatcmpl") | {"choices": [choice]}

        if body.stream:
            return _event_stream(_sse(run, chunk, body.include_usage))
        content, reason = await run.full_text()
        return JSONResponse(
            _envelope(run, service, "chat.completion", "chatcmpl")
            | {"choices": [chat_choice(content, reason, delta=False)], "usage": run.usage.body()}
        )

    @app.post("/v1/completions")
    async def completions(request: Request) -> Response:
        body = await _parse(request, CompletionRequest)
        _check_model(service, body.model)
        prompt = body.prompt_text()
        run = _start(service, service.tokenizer.encode(prompt), body)
        echo = prompt if body.echo else ""

        def chunk(r: CompletionRun, text: str | None, reason: str | None) -> dict[str, Any]:
            choice = text_choice(echo if text == "" and reason is None else text or "", reason)
            return _envelope(r, service, "text_completion", "cmpl") | {"choices": [choice]}

        if body.stream:
            return _event_stream(_sse(run, chunk, body.include_usage))
        text, reason = await run.full_text()
        return JSONResponse(
            _envelope(run, service, "text_completion", "cmpl")
            | {"choices": [text_choice(echo + text, reason)], "usage": run.usage.body()}
        )


def _embedding_routes(app: FastAPI, service: EngineService) -> None:
    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> Response:
        body = await _parse(request, EmbeddingRequest)
        return JSONResponse(await create_embeddings(body, service.embedder))


def _info_routes(app: FastAPI, service: EngineService) -> None:
    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        card = {
            "id": service.model_name,
            "object": "model",
            "created": 0,
            "owned_by": "bulwark",
            "max_model_len": service.max_model_len,
        }
        cards = [card] + ([model_card(service.embedder)] if service.embedder else [])
        return {"object": "list", "data": cards}

    @app.get("/health")
    async def health() -> JSONResponse:
        if service.engine.is_running:
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "unavailable"}, status_code=503)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(service.metrics.render(), media_type="text/plain; version=0.0.4")


def _event_stream(chunks: AsyncIterator[str]) -> StreamingResponse:
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(chunks, media_type="text/event-stream", headers=headers)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EngineError)
    async def engine_error(_: Request, exc: EngineError) -> JSONResponse:
        headers = {"Retry-After": "1"} if exc.status_code == 429 else None
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = error_body(str(exc.detail), "invalid_request_error")
        return JSONResponse(body, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, __: Exception) -> JSONResponse:
        # No details: internal messages could carry prompt text.
        return JSONResponse(error_body("internal engine error", "server_error"), status_code=500)


def create_app(service: EngineService, auth_token: str | None = None) -> FastAPI:
    """The app owns the engine thread's lifetime through its lifespan; ``auth_token``: required bearer."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if not service.engine.is_running:
            service.engine.start()
        yield
        service.engine.stop()

    app = FastAPI(title="Bulwark engine", lifespan=lifespan)
    _routes(app, service)
    _embedding_routes(app, service)
    _info_routes(app, service)
    _error_handlers(app)
    if auth_token is not None:
        app.add_middleware(BearerTokenMiddleware, token=auth_token)
    return app
