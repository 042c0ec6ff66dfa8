"""OpenAI-compatible HTTP API over the async engine, plus /health and /metrics."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from opentelemetry.trace import NoOpTracer, Tracer
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from engine.async_engine import AsyncEngine
from engine.auth import BearerTokenMiddleware
from engine.chat import plan_chat
from engine.chat_response import delta_choices, message_choice
from engine.completions import CompletionRun, text_choice
from engine.embedding_api import EmbeddingRequest, create_embeddings, model_card
from engine.embeddings import EmbeddingModel
from engine.errors import EngineError, InvalidRequestError, ModelNotFoundError, error_body
from engine.grammar import Grammar, GrammarCompiler
from engine.logprobs import TokenText, completion_logprobs
from engine.metrics import EngineMetrics
from engine.protocol import REFUSED, ChatCompletionRequest, CompletionRequest
from engine.sampling_params import SamplingParams
from engine.text_stream import Decoder

RequestT = TypeVar("RequestT", bound=BaseModel)
GenerationRequest = ChatCompletionRequest | CompletionRequest
Envelope = Callable[[CompletionRun], dict[str, Any]]


@dataclass
class EngineService:
    """Everything the routes need, wired once at start-up."""

    engine: AsyncEngine
    tokenizer: Any
    model_name: str
    max_model_len: int
    metrics: EngineMetrics
    grammars: GrammarCompiler
    default_chat_max_tokens: int = 1024
    default_completion_max_tokens: int = 16
    embedder: EmbeddingModel | None = None
    tracer: Tracer = field(default_factory=NoOpTracer)  # engine.telemetry's, when tracing is on


async def _parse(request: Request, model: type[RequestT]) -> RequestT:
    try:
        payload = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidRequestError("the request body is not valid JSON") from exc
    refused = [k for k in REFUSED if isinstance(payload, dict) and payload.get(k) is not None]
    if refused:
        name = refused[0]
        raise InvalidRequestError(
            f"'{name}' is not supported by this engine: {REFUSED[name]}",
            param=name,
            code="unsupported_parameter",
        )
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(p) for p in first["loc"]) or None
        if first["type"] == "extra_forbidden":
            message = f"Unrecognized request argument supplied: {param}"
            raise InvalidRequestError(message, param=param, code="unknown_parameter") from exc
        raise InvalidRequestError(f"{param or 'body'}: {first['msg']}", param=param) from exc


def _check_model(service: EngineService, name: str) -> None:
    if name != service.model_name:
        raise ModelNotFoundError(f"the model {name!r} does not exist", param="model", code="model_not_found")


def _params(service: EngineService, body: GenerationRequest, room: int) -> SamplingParams:
    is_chat = isinstance(body, ChatCompletionRequest)
    default = service.default_chat_max_tokens if is_chat else service.default_completion_max_tokens
    try:
        params = body.sampling_params(default_max_tokens=min(default, max(room, 1)))
    except ValueError:
        raise InvalidRequestError("logit_bias keys must be token ids", param="logit_bias") from None
    vocab = len(service.tokenizer)
    if any(not 0 <= token < vocab for token, _ in params.logit_bias):
        raise InvalidRequestError(f"logit_bias token ids must be below {vocab}", param="logit_bias")
    return params


def _start(
    service: EngineService, prompt_ids: list[int], body: GenerationRequest, grammar: Grammar | None = None
) -> CompletionRun:
    if not prompt_ids:
        raise InvalidRequestError("the prompt is empty", param="prompt")
    params = replace(_params(service, body, service.max_model_len - len(prompt_ids)), grammar=grammar)
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


async def _sse(
    run: CompletionRun, choices: AsyncIterator[dict[str, Any]], envelope: Envelope, include_usage: bool
) -> AsyncIterator[str]:
    async for choice in choices:
        chunk = envelope(run) | {"choices": [choice]}
        if include_usage:
            chunk["usage"] = None
        yield f"data: {json.dumps(chunk)}\n\n"
    if include_usage:
        last = envelope(run) | {"choices": [], "usage": run.usage.body()}
        yield f"data: {json.dumps(last)}\n\n"
    yield "data: [DONE]\n\n"


def _envelope(service: EngineService, kind: str, prefix: str) -> Envelope:
    def envelope(run: CompletionRun) -> dict[str, Any]:
        return {
            "id": f"{prefix}-{run.response_id}",
            "object": kind,
            "created": run.created,
            "model": service.model_name,
        }

    return envelope


async def _text_choices(
    run: CompletionRun, echo: str, tokenizer: TokenText, logprobs: bool
) -> AsyncIterator[dict[str, Any]]:
    yield text_choice(echo, None)
    offset = len(echo)
    async for delta in run.deltas():
        if delta.text or delta.finish_reason:
            choice = text_choice(delta.text, delta.finish_reason)
            if logprobs:
                choice["logprobs"] = completion_logprobs(list(delta.logprobs), tokenizer, offset)
            offset += len(delta.text)
            yield choice


def _routes(app: FastAPI, service: EngineService) -> None:
    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> Response:
        body = await _parse(request, ChatCompletionRequest)
        _check_model(service, body.model)
        plan = plan_chat(body, service.tokenizer, service.grammars)
        prompt_ids = service.tokenizer.encode(plan.prompt, add_special_tokens=False)
        run = _start(service, prompt_ids, body, plan.grammar)
        envelope = _envelope(service, "chat.completion.chunk", "chatcmpl")
        logprobs = bool(body.logprobs)
        if body.stream:
            choices = delta_choices(run, plan, service.tokenizer, logprobs)
            return _event_stream(_sse(run, choices, envelope, body.include_usage))
        choice = message_choice(await run.whole(), plan, service.tokenizer, logprobs)
        return JSONResponse(
            envelope(run) | {"object": "chat.completion", "choices": [choice], "usage": run.usage.body()}
        )

    @app.post("/v1/completions")
    async def completions(request: Request) -> Response:
        body = await _parse(request, CompletionRequest)
        _check_model(service, body.model)
        if body.echo and body.logprobs is not None:
            raise InvalidRequestError("logprobs of echoed prompt tokens are not supported", param="logprobs")
        prompt = body.prompt_text()
        run = _start(service, service.tokenizer.encode(prompt), body)
        echo = prompt if body.echo else ""
        envelope = _envelope(service, "text_completion", "cmpl")
        logprobs = body.logprobs is not None
        if body.stream:
            return _event_stream(
                _sse(run, _text_choices(run, echo, service.tokenizer, logprobs), envelope, body.include_usage)
            )
        whole = await run.whole()
        choice = text_choice(echo + whole.text, whole.finish_reason)
        if logprobs:
            choice["logprobs"] = completion_logprobs(list(whole.logprobs), service.tokenizer, 0)
        return JSONResponse(envelope(run) | {"choices": [choice], "usage": run.usage.body()})


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
