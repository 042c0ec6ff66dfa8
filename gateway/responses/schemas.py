"""The Responses API request Bulwark accepts, and the input items it understands.

Items in ``input`` are checked one by one by their ``type`` (see ``to_chat``), so an unsupported item
or content part is refused with the exact place it sits, e.g. ``input[2].content[0].type``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from gateway.chat.schemas import PositiveInt, Probability, StrictModel, Temperature

Role = Literal["user", "assistant", "system", "developer"]


class TextPart(StrictModel):
    type: Literal["input_text", "output_text"]
    text: str
    # Present when an earlier answer's items are sent back; they describe that answer, not this request.
    annotations: list[Any] | None = None
    logprobs: list[Any] | None = None


class MessageItem(StrictModel):
    type: Literal["message"] = "message"
    role: Role
    content: str | list[TextPart]
    id: str | None = None
    status: str | None = None


class FunctionCallItem(StrictModel):
    type: Literal["function_call"]
    call_id: Annotated[str, Field(min_length=1)]
    name: Annotated[str, Field(min_length=1, max_length=64)]
    arguments: str
    id: str | None = None
    status: str | None = None


class FunctionCallOutputItem(StrictModel):
    type: Literal["function_call_output"]
    call_id: Annotated[str, Field(min_length=1)]
    output: str
    id: str | None = None
    status: str | None = None


InputItem = MessageItem | FunctionCallItem | FunctionCallOutputItem
ITEM_TYPES: dict[str, type[InputItem]] = {
    "message": MessageItem,
    "function_call": FunctionCallItem,
    "function_call_output": FunctionCallOutputItem,
}


class FunctionTool(StrictModel):
    type: Literal["function"]
    name: Annotated[str, Field(min_length=1, max_length=64)]
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class ResponsesRequest(StrictModel):
    model: Annotated[str, Field(min_length=1, max_length=200)]
    input: str | Annotated[list[dict[str, Any]], Field(min_length=1)]
    instructions: str | None = None
    max_output_tokens: PositiveInt | None = None
    temperature: Temperature | None = None
    top_p: Probability | None = None
    stream: bool = False
    # Checked entry by entry: only function tools are served (no hosted tools: nothing leaves the site).
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    text: dict[str, Any] | None = None  # {"format": {...}} becomes the chat request's response_format
    metadata: dict[str, str] | None = None  # echoed in the Response object, as OpenAI does
    # Known Responses fields that Bulwark does not serve; declared so the refusal can say why.
    store: bool | None = None
    previous_response_id: str | None = None
    conversation: Any = None
    background: bool | None = None
    include: list[str] | None = None
    reasoning: dict[str, Any] | None = None
    truncation: str | None = None
