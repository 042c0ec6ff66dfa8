"""Every piece of free text in an OpenAI request, read and written back by one list of slots.

Chat: each message's content (string or text parts) whatever its role (system, developer, user,
assistant, tool), the ``name`` of a message, and the arguments of assistant tool calls. Completions: the
prompt. A field left out here would reach the engine unscreened, so the schema refuses unknown fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TextSlot:
    """Where one text lives: a container (dict or list) and the key or index in it."""

    container: dict[str, Any] | list[Any]
    key: str | int

    def read(self) -> str:
        return str(self.container[self.key])  # type: ignore[index]

    def write(self, value: str) -> None:
        self.container[self.key] = value  # type: ignore[index]


def request_slots(endpoint: str, body: dict[str, Any]) -> list[TextSlot]:
    if endpoint == "completions":
        return _prompt_slots(body)
    slots: list[TextSlot] = []
    for message in body.get("messages") or []:
        if not isinstance(message, dict):
            continue
        slots.extend(_content_slots(message))
        if isinstance(message.get("name"), str):
            slots.append(TextSlot(message, "name"))
        for call in message.get("tool_calls") or []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                slots.append(TextSlot(function, "arguments"))
    return slots


def _content_slots(holder: dict[str, Any]) -> list[TextSlot]:
    content = holder.get("content")
    if isinstance(content, str):
        return [TextSlot(holder, "content")]
    if isinstance(content, list):
        return [
            TextSlot(part, "text")
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        ]
    return []


def _prompt_slots(body: dict[str, Any]) -> list[TextSlot]:
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        return [TextSlot(body, "prompt")]
    if isinstance(prompt, list):
        return [TextSlot(prompt, i) for i, item in enumerate(prompt) if isinstance(item, str)]
    return []


def response_slots(body: dict[str, Any]) -> list[TextSlot]:
    """Generated text in a non-streaming response: message content, tool-call arguments, or text."""
    slots: list[TextSlot] = []
    for choice in body.get("choices") or []:
        if not isinstance(choice, dict):
            continue
        if isinstance(choice.get("text"), str):
            slots.append(TextSlot(choice, "text"))
        message = choice.get("message")
        if isinstance(message, dict):
            slots.extend(_content_slots(message))
            for call in message.get("tool_calls") or []:
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                    slots.append(TextSlot(function, "arguments"))
    return slots
