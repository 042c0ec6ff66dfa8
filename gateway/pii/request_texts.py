"""Every piece of free text in an OpenAI request, read and written back by one list of slots.

Chat (and /v1/responses, already translated to chat): each message's content (string or text parts)
whatever its role (system, developer, user, assistant, tool), the ``name`` of a message, and the
arguments of assistant tool calls. Completions: the prompt. Embeddings: every input (the vector of a
redacted text is what the caller gets back). A field left out here would reach the engine unscreened,
so the schemas refuse unknown fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Endpoints whose answers carry generated text (scanned, pseudonyms restored); embeddings carry vectors.
TEXT_ANSWERS = frozenset({"chat.completions", "completions", "responses"})


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
        return _string_or_list_slots(body, "prompt")
    if endpoint == "embeddings":
        return _string_or_list_slots(body, "input")
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


def _string_or_list_slots(body: dict[str, Any], key: str) -> list[TextSlot]:
    value = body.get(key)
    if isinstance(value, str):
        return [TextSlot(body, key)]
    if isinstance(value, list):
        return [TextSlot(value, i) for i, item in enumerate(value) if isinstance(item, str)]
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
