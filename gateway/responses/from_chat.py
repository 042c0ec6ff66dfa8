"""A chat completion answer as a Responses API ``Response`` object: the message text becomes a message
item with one ``output_text`` part, each tool call a ``function_call`` item (``call_id`` is the chat
tool call's id, so the caller's ``function_call_output`` finds its way back)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from gateway.responses.schemas import ResponsesRequest

JsonObject = dict[str, Any]
# Chat finish reasons that leave the response incomplete, and the reason the Responses API gives.
_INCOMPLETE = {"length": "max_output_tokens", "content_filter": "content_filter"}


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(16)}"


def message_item(item_id: str, text: str, status: str) -> JsonObject:
    part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
    return {"id": item_id, "type": "message", "role": "assistant", "status": status, "content": [part]}


def function_call_item(item_id: str, call: JsonObject, status: str) -> JsonObject:
    function = call.get("function") or {}
    return {
        "id": item_id,
        "type": "function_call",
        "call_id": str(call.get("id") or new_id("call")),
        "name": str(function.get("name") or ""),
        "arguments": str(function.get("arguments") or ""),
        "status": status,
    }


def response_usage(usage: JsonObject | None) -> JsonObject | None:
    if not usage:
        return None
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    return {
        "input_tokens": usage.get("prompt_tokens", 0),
        "input_tokens_details": {"cached_tokens": cached, "cache_write_tokens": 0},
        "output_tokens": usage.get("completion_tokens", 0),
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": usage.get("total_tokens", 0),
    }


def item_status(finish_reason: str | None) -> str:
    return "incomplete" if finish_reason in _INCOMPLETE else "completed"


@dataclass
class ResponseShell:
    """The parts of a Response object that echo the request; one per response, streamed or not."""

    request: ResponsesRequest
    id: str = field(default_factory=lambda: new_id("resp"))
    created_at: int = field(default_factory=lambda: int(time.time()))

    def body(self, status: str, output: list[JsonObject], usage: JsonObject | None = None) -> JsonObject:
        request = self.request
        return {
            "id": self.id,
            "object": "response",
            "created_at": self.created_at,
            "status": status,
            "error": None,
            "incomplete_details": None,
            "instructions": request.instructions,
            "max_output_tokens": request.max_output_tokens,
            "model": request.model,
            "output": output,
            "parallel_tool_calls": request.parallel_tool_calls is not False,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "tool_choice": request.tool_choice or "auto",
            "tools": request.tools or [],
            "text": request.text or {"format": {"type": "text"}},
            "metadata": request.metadata or {},
            "store": False,
            "truncation": "disabled",
            "usage": response_usage(usage),
        }

    def finished(
        self, finish_reason: str | None, output: list[JsonObject], usage: JsonObject | None
    ) -> JsonObject:
        reason = _INCOMPLETE.get(finish_reason or "")
        body = self.body("incomplete" if reason else "completed", output, usage)
        if reason:
            body["incomplete_details"] = {"reason": reason}
        return body


def from_chat_completion(shell: ResponseShell, completion: JsonObject) -> JsonObject:
    """The Response object for a non-streamed chat completion."""
    choices = completion.get("choices") or [{}]
    choice = choices[0]
    message = choice.get("message") or {}
    status = item_status(choice.get("finish_reason"))
    output: list[JsonObject] = []
    if message.get("content"):
        output.append(message_item(new_id("msg"), str(message["content"]), status))
    for call in message.get("tool_calls") or []:
        output.append(function_call_item(new_id("fc"), call, status))
    return shell.finished(choice.get("finish_reason"), output, completion.get("usage"))
