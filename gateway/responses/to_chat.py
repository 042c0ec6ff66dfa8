"""A Responses API request as the chat completion request the pipeline and the engine understand.

``instructions`` becomes the first system message; message items become chat messages; a
``function_call`` item becomes a tool call on the assistant message before it (or a new one); a
``function_call_output`` item becomes a ``tool`` message. Anything the translation cannot carry is
refused with a 400 naming where it sits, never dropped.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gateway.chat.schemas import ChatCompletionRequest
from gateway.errors import InvalidRequest
from gateway.responses.schemas import (
    ITEM_TYPES,
    FunctionCallItem,
    FunctionCallOutputItem,
    FunctionTool,
    InputItem,
    ResponsesRequest,
    TextPart,
)

ModelT = TypeVar("ModelT", bound=BaseModel)

JsonObject = dict[str, Any]
_NO_STORE = "Bulwark keeps no responses (the audit ledger is not a response store); send the whole conversation in 'input'."
_NOT_SERVED: dict[str, tuple[object, str]] = {
    # field: (the one value that is served, why anything else is refused)
    "store": (False, _NO_STORE),
    "previous_response_id": (None, _NO_STORE),
    "conversation": (None, _NO_STORE),
    "background": (False, "Background responses are not served; send the request and wait, or stream it."),
    "include": ([], "No extra output data ('include') is served by this gateway."),
    "reasoning": (None, "The served models have no reasoning settings."),
    "truncation": ("disabled", "Only truncation='disabled' is served; over-long input is refused, not cut."),
}
_TEXT_PARTS = {"input_text", "output_text"}
_TOOL_CHOICES = {"none", "auto", "required"}


def chat_request(request: ResponsesRequest) -> JsonObject:
    """The chat completion body for ``request``, validated against the chat schema."""
    _refuse_not_served(request)
    messages = [{"role": "system", "content": request.instructions}] if request.instructions else []
    messages += _messages(request.input)
    body: JsonObject = {"model": request.model, "messages": messages}
    optional = {
        "max_tokens": request.max_output_tokens,
        "temperature": request.temperature,
        "top_p": request.top_p,
        "parallel_tool_calls": request.parallel_tool_calls,
        "tools": _tools(request.tools) if request.tools else None,
        "tool_choice": _tool_choice(request.tool_choice) if request.tool_choice is not None else None,
        "response_format": _response_format(request.text) if request.text else None,
    }
    body |= {name: value for name, value in optional.items() if value is not None}
    if request.stream:
        # Usage is always asked for: response.completed reports it.
        body |= {"stream": True, "stream_options": {"include_usage": True}}
    chat = ChatCompletionRequest.model_validate(body)
    return chat.model_dump(exclude_unset=True, exclude_none=True)


def _refuse_not_served(request: ResponsesRequest) -> None:
    for name, (served, why) in _NOT_SERVED.items():
        value = getattr(request, name)
        if value is not None and value != served:
            raise InvalidRequest(
                f"'{name}' is not supported here. {why}", param=name, code="unsupported_parameter"
            )


def _messages(items: str | list[JsonObject]) -> list[JsonObject]:
    if isinstance(items, str):
        return [{"role": "user", "content": items}]
    messages: list[JsonObject] = []
    for index, raw in enumerate(items):
        item = _input_item(raw, index)
        if isinstance(item, FunctionCallItem):
            call = {
                "id": item.call_id,
                "type": "function",
                "function": {"name": item.name, "arguments": item.arguments},
            }
            if messages and messages[-1]["role"] == "assistant":
                messages[-1].setdefault("tool_calls", []).append(call)
            else:
                messages.append({"role": "assistant", "tool_calls": [call]})
        elif isinstance(item, FunctionCallOutputItem):
            messages.append({"role": "tool", "tool_call_id": item.call_id, "content": item.output})
        else:
            messages.append({"role": item.role, "content": _content(item.content)})
    return messages


def _content(content: str | list[TextPart]) -> str | list[JsonObject]:
    if isinstance(content, str):
        return content
    return [{"type": "text", "text": part.text} for part in content]


def _input_item(raw: JsonObject, index: int) -> InputItem:
    where = f"input[{index}]"
    kind = raw.get("type", "message")
    schema = ITEM_TYPES.get(kind) if isinstance(kind, str) else None
    if schema is None:
        raise InvalidRequest(
            "This input item type is not supported; send message, function_call or function_call_output items.",
            param=f"{where}.type",
            code="unsupported_value",
        )
    parts = raw.get("content")
    for part_index, part in enumerate(parts if isinstance(parts, list) else []):
        if isinstance(part, dict) and part.get("type") not in _TEXT_PARTS:
            raise InvalidRequest(
                "Only text content parts (input_text, output_text) are supported: the served models read text.",
                param=f"{where}.content[{part_index}].type",
                code="unsupported_value",
            )
    return _validated(schema, raw, where)


def _validated(schema: type[ModelT], raw: object, where: str) -> ModelT:
    try:
        return schema.model_validate(raw)
    except ValidationError as error:
        # Location and rule only: the offending value may be personal data.
        first = error.errors(include_input=False, include_url=False)[0]
        path = where + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        raise InvalidRequest(
            f"Invalid value for '{path}': {first['msg']}.", param=path, code="invalid_value"
        ) from None


def _tools(tools: list[JsonObject]) -> list[JsonObject]:
    chat_tools = []
    for index, raw in enumerate(tools):
        if raw.get("type") != "function":
            raise InvalidRequest(
                "Only function tools are served: hosted tools (web search, file search, code interpreter, "
                "...) would reach outside the site.",
                param=f"tools[{index}].type",
                code="unsupported_value",
            )
        tool = _validated(FunctionTool, raw, f"tools[{index}]")
        chat_tools.append(
            {"type": "function", "function": tool.model_dump(exclude={"type"}, exclude_none=True)}
        )
    return chat_tools


def _tool_choice(choice: str | JsonObject) -> str | JsonObject:
    if isinstance(choice, str) and choice in _TOOL_CHOICES:
        return choice
    if isinstance(choice, dict) and choice.get("type") == "function" and set(choice) == {"type", "name"}:
        return {"type": "function", "function": {"name": choice["name"]}}
    raise InvalidRequest(
        "tool_choice must be 'none', 'auto', 'required' or {'type': 'function', 'name': ...}.",
        param="tool_choice",
        code="unsupported_value",
    )


def _response_format(text: JsonObject) -> JsonObject | None:
    extra = sorted(set(text) - {"format"})
    if extra:
        raise InvalidRequest(f"'text.{extra[0]}' is not supported here.", param=f"text.{extra[0]}")
    fmt = text.get("format")
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if fmt is None or kind == "text":
        return None
    if kind == "json_object":
        return {"type": "json_object"}
    if kind == "json_schema" and isinstance(fmt, dict):
        schema = {k: fmt[k] for k in ("name", "schema", "strict", "description") if k in fmt}
        return {"type": "json_schema", "json_schema": schema}
    raise InvalidRequest(
        "text.format must be text, json_object or json_schema.",
        param="text.format.type",
        code="unsupported_value",
    )
