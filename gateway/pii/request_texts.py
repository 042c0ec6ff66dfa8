"""Every piece of free text in an OpenAI request, read and written back by one list of slots.

Chat: each message's content (string or text parts) whatever its role (system, developer, user,
assistant, tool: tool results are messages too), the ``name`` of a message, the names and arguments of
assistant tool calls, ``user``, ``stop``, each tool's name, description and JSON-schema texts, the
function ``tool_choice`` names, and the ``response_format`` schema's name, description and schema texts.
Completions: the prompt, ``suffix``, ``stop`` and ``user``. Embeddings: every input (the vector of a
redacted text is what the caller gets back). /v1/responses arrives here already translated to chat. A
field left out here would reach the engine
unscreened, so the schema refuses unknown fields (and non-text content parts such as images: they cannot
be screened, so they are refused, never passed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# JSON-schema keywords whose string values are free text (or example data) a client writes.
_SCHEMA_TEXT_KEYS = frozenset({"description", "title", "default", "const", "examples", "enum"})


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
    slots = _strings(body, "user") + _strings(body, "stop")
    if endpoint == "completions":
        return _strings(body, "prompt") + _strings(body, "suffix") + slots
    if endpoint == "embeddings":
        return _strings(body, "input") + slots
    for message in body.get("messages") or []:
        if not isinstance(message, dict):
            continue
        slots.extend(content_slots(message, "content"))
        slots.extend(_strings(message, "name"))
        slots.extend(tool_call_slots(message))
    for tool in body.get("tools") or []:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict):
            slots.extend(_strings(function, "name") + _strings(function, "description"))
            slots.extend(schema_slots(function.get("parameters")))
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and isinstance(choice.get("function"), dict):
        slots.extend(_strings(choice["function"], "name"))
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and isinstance(response_format.get("json_schema"), dict):
        json_schema = response_format["json_schema"]
        slots.extend(_strings(json_schema, "name") + _strings(json_schema, "description"))
        slots.extend(schema_slots(json_schema.get("schema")))
    return slots


def content_slots(holder: dict[str, Any], key: str) -> list[TextSlot]:
    """A string field, or the ``text`` of each part when it is a list of content parts."""
    content = holder.get(key)
    if isinstance(content, str):
        return [TextSlot(holder, key)]
    if isinstance(content, list):
        return [
            TextSlot(part, "text")
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        ]
    return []


def tool_call_slots(message: dict[str, Any]) -> list[TextSlot]:
    slots: list[TextSlot] = []
    for call in message.get("tool_calls") or []:
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict):
            slots.extend(_strings(function, "name") + _strings(function, "arguments"))
    return slots


def schema_slots(schema: Any) -> list[TextSlot]:
    """The free-text values anywhere in a JSON schema: descriptions, titles, defaults, examples, enums.
    Property names stay as they are: they are the structure the model must answer in."""
    slots: list[TextSlot] = []
    if isinstance(schema, list):
        for item in schema:
            slots.extend(schema_slots(item))
    elif isinstance(schema, dict):
        for key, value in schema.items():
            if key in _SCHEMA_TEXT_KEYS:
                slots.extend(_strings(schema, key))
            if isinstance(value, dict | list):
                slots.extend(schema_slots(value))
    return slots


def _strings(holder: dict[str, Any], key: str) -> list[TextSlot]:
    """A string field, or each string item when the field is a list (``stop``, ``prompt``, ``enum``)."""
    value = holder.get(key)
    if isinstance(value, str):
        return [TextSlot(holder, key)]
    if isinstance(value, list):
        return [TextSlot(value, i) for i, item in enumerate(value) if isinstance(item, str)]
    return []
