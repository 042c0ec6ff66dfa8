"""Pipeline stage: read and validate the request body. Runs after authentication, inside the audit
stage, so a malformed or oversized request is refused with a clear 4xx and still audited."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gateway.chat.schemas import REQUEST_SCHEMAS, UNSERVED, SamplingFields
from gateway.embeddings.schemas import EmbeddingRequest
from gateway.errors import InvalidRequest
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply
from gateway.responses.schemas import ResponsesRequest
from gateway.responses.to_chat import chat_request

OpenAIRequest = SamplingFields | EmbeddingRequest | ResponsesRequest
SCHEMAS: dict[str, type[OpenAIRequest]] = {
    **REQUEST_SCHEMAS,
    "embeddings": EmbeddingRequest,
    "responses": ResponsesRequest,
}


class ValidateStage:
    name = "validate"

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        schema = SCHEMAS.get(ctx.endpoint)
        if schema is not None and ctx.read_body is not None:
            raw = await ctx.read_body()
            try:
                request = schema.model_validate_json(raw)
                ctx.body = _upstream_body(request)
            except ValidationError as error:
                raise _invalid_request(error) from None
            ctx.request = request
            ctx.model = request.model
            ctx.stream = request.stream
        return await call_next(ctx)


def _upstream_body(request: OpenAIRequest) -> dict[str, Any]:
    """What the stages after this one redact, limit and forward: a Responses request as chat."""
    if isinstance(request, ResponsesRequest):
        return chat_request(request)
    return request.model_dump(exclude_unset=True, exclude_none=True)


def _invalid_request(error: ValidationError) -> InvalidRequest:
    """Describe the first problem by location and rule; never echo the offending value (it may be PII)."""
    first = error.errors(include_input=False, include_url=False)[0]
    if first["type"] == "json_invalid":
        return InvalidRequest(
            "We could not parse the JSON body of your request. Send a valid JSON object.",
            code="invalid_json",
        )
    location = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden" and location in UNSERVED:
        return InvalidRequest(
            f"'{location}' is not supported by Bulwark: {UNSERVED[location]}.",
            param=location,
            code="unsupported_parameter",
        )
    if first["type"] == "extra_forbidden":
        return InvalidRequest(
            f"Unrecognized request argument supplied: {location}",
            param=location,
            code="unknown_parameter",
        )
    if first["type"] == "missing":
        return InvalidRequest(
            f"Missing required parameter: '{location}'.",
            param=location,
            code="missing_required_parameter",
        )
    message = f"Invalid value for '{location}': {first['msg']}." if location else f"{first['msg']}."
    return InvalidRequest(message, param=location or None, code="invalid_value")
