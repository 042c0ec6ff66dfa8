"""The OpenAI request bodies Bulwark accepts. Unknown fields are refused, as OpenAI does, so nothing
reaches the engine that the redaction stage has not seen.

The fields here are checked for type and range only and passed on: whether a value is served is the
upstream's call (a vLLM pool may serve ``n=4`` or ``reasoning_effort``; Bulwark's engine refuses what it
does not serve with a 400 naming the field, and the gateway passes that 400 through). OpenAI fields that
no on-premises upstream serves, or that would carry text the redaction stage does not screen, are
refused here by name (``UNSERVED``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PositiveInt = Annotated[int, Field(ge=1)]
Temperature = Annotated[float, Field(ge=0, le=2)]
Probability = Annotated[float, Field(ge=0, le=1)]
Penalty = Annotated[float, Field(ge=-2, le=2)]
Stop = str | Annotated[list[str], Field(max_length=4)]
Choices = Annotated[int, Field(ge=1, le=128)]
LogitBias = dict[str, Annotated[float, Field(ge=-100, le=100)]]

# OpenAI fields refused by the gateway itself, and why (the validate stage names them in its 400).
UNSERVED = {
    "store": "completions are never stored with a provider",
    "metadata": "completions are never stored with a provider",
    "service_tier": "service tiers are a hosted-provider feature",
    "modalities": "audio output is not served",
    "audio": "audio output is not served",
    "prediction": "predicted outputs are not served",
    "web_search_options": "nothing leaves the premises",
    "functions": "use tools",
    "function_call": "use tool_choice",
}


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TextPart(StrictModel):
    type: Literal["text"]
    text: str


class ToolCallFunction(StrictModel):
    name: str
    arguments: str


class ToolCall(StrictModel):
    id: str
    type: Literal["function"]
    function: ToolCallFunction


class ChatMessage(StrictModel):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None


class StreamOptions(StrictModel):
    include_usage: bool = False


class SamplingFields(StrictModel):
    model: Annotated[str, Field(min_length=1, max_length=200)]
    max_tokens: PositiveInt | None = None
    temperature: Temperature | None = None
    top_p: Probability | None = None
    top_k: Annotated[int, Field(ge=-1)] | None = None
    n: Choices | None = None
    stream: bool = False
    stream_options: StreamOptions | None = None
    stop: Stop | None = None
    seed: int | None = None
    presence_penalty: Penalty | None = None
    frequency_penalty: Penalty | None = None
    logit_bias: LogitBias | None = None
    user: str | None = None


class ChatCompletionRequest(SamplingFields):
    messages: Annotated[list[ChatMessage], Field(min_length=1)]
    max_completion_tokens: PositiveInt | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None
    logprobs: bool | None = None
    top_logprobs: Annotated[int, Field(ge=0, le=20)] | None = None
    parallel_tool_calls: bool | None = None
    reasoning_effort: Literal["none", "minimal", "low", "medium", "high"] | None = None


class CompletionRequest(SamplingFields):
    # Token-id prompts are refused: they cannot be screened for PII.
    prompt: str | Annotated[list[str], Field(min_length=1, max_length=1)]
    echo: bool | None = None
    logprobs: Annotated[int, Field(ge=0, le=5)] | None = None
    suffix: str | None = None
    best_of: Choices | None = None


REQUEST_SCHEMAS: dict[str, type[SamplingFields]] = {
    "chat.completions": ChatCompletionRequest,
    "completions": CompletionRequest,
}
