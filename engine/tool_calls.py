"""Tool calls in the model's text: how tools are announced, how calls are written, parsed and streamed.

SmolLM2's chat template has no tools section, so the tools go into the system message in the
Hermes format (the one SmolLM2-1.7B-Instruct was trained on): signatures inside ``<tools></tools>``,
each call as ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>``. Assistant tool calls and
``tool`` results in the conversation are rendered back in the same format, so a round trip reads
the way the model wrote it.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from engine.grammar import json_schema

OPEN, CLOSE = "<tool_call>", "</tool_call>"
_CALL = re.compile(re.escape(OPEN) + r"\s*(.*?)\s*" + re.escape(CLOSE), re.DOTALL)
TOOLS_PREAMBLE = (
    "You may call one or more functions to assist with the user query. You are provided with "
    "function signatures within <tools></tools> XML tags:\n<tools>\n{tools}\n</tools>\n"
    "For each function call, return a json object with the function name and arguments within "
    '<tool_call></tool_call> XML tags:\n<tool_call>\n{{"name": <function-name>, "arguments": '
    "<args-json-object>}}\n</tool_call>"
)


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: str
    id: str = field(default_factory=lambda: f"call_{uuid.uuid4().hex[:24]}")

    def body(self, index: int | None = None) -> dict[str, Any]:
        call: dict[str, Any] = {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }
        return call if index is None else {"index": index, **call}


def tools_system_block(tools: list[dict[str, Any]]) -> str:
    return TOOLS_PREAMBLE.format(tools="\n".join(json.dumps(t, ensure_ascii=False) for t in tools))


def render_call(name: str, arguments: str) -> str:
    """An assistant's earlier call, written the way the model writes one."""
    try:
        parsed: Any = json.loads(arguments)
    except json.JSONDecodeError:
        parsed = arguments
    return f"{OPEN}\n{json.dumps({'name': name, 'arguments': parsed}, ensure_ascii=False)}\n{CLOSE}"


def call_grammar(functions: list[dict[str, Any]]) -> str:
    """Lark for exactly one call to one of the functions, arguments valid for its parameters schema."""
    choices = [
        {
            "type": "object",
            "properties": {
                "name": {"const": f["name"]},
                "arguments": f.get("parameters") or {"type": "object"},
            },
            "required": ["name", "arguments"],
            "additionalProperties": False,
        }
        for f in functions
    ]
    schema = choices[0] if len(choices) == 1 else {"anyOf": choices}
    return f'call: "{OPEN}\\n" %json {json.dumps(json_schema(schema))} "\\n{CLOSE}"'


def parse_tool_calls(text: str, names: set[str]) -> tuple[str | None, list[ToolCall]]:
    """Split generated text into content and the well-formed calls to known functions."""
    calls: list[ToolCall] = []
    for match in _CALL.finditer(text):
        call = _parse_call(match.group(1), names)
        if call is None:
            return text, []  # a malformed call: show the text as it is rather than guess
        calls.append(call)
    if not calls:
        return text, []
    rest = _CALL.sub("", text).strip()
    return rest or None, calls


def _parse_call(raw: str, names: set[str]) -> ToolCall | None:
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError:
        return None
    if not isinstance(payload, dict) or payload.get("name") not in names:
        return None
    arguments = payload.get("arguments", {})
    if not isinstance(arguments, dict):
        return None
    return ToolCall(str(payload["name"]), json.dumps(arguments, ensure_ascii=False))


class ToolCallStream:
    """Streams content as it comes; holds a call back until it closes, then yields it whole."""

    def __init__(self, names: set[str]) -> None:
        self._names = names
        self._buffer = ""
        self.calls: list[ToolCall] = []

    def push(self, text: str) -> tuple[str, list[ToolCall]]:
        """Add generated text; return (content safe to show, calls completed by it)."""
        self._buffer += text
        content, calls = "", []
        while True:
            start = self._buffer.find(OPEN)
            if start < 0:
                keep = _partial_open_tag(self._buffer)
                content += self._buffer[: len(self._buffer) - keep]
                self._buffer = self._buffer[len(self._buffer) - keep :]
                break
            content += self._buffer[:start]
            end = self._buffer.find(CLOSE, start)
            if end < 0:
                self._buffer = self._buffer[start:]
                break
            block, self._buffer = self._buffer[start : end + len(CLOSE)], self._buffer[end + len(CLOSE) :]
            _, parsed = parse_tool_calls(block, self._names)
            content += "" if parsed else block
            calls.extend(parsed)
        self.calls.extend(calls)
        return (content.strip() if self.calls else content), calls

    def flush(self) -> str:
        """At the end, an unclosed call is only text."""
        rest, self._buffer = self._buffer, ""
        return rest


def _partial_open_tag(text: str) -> int:
    """How many trailing characters could still become ``<tool_call>``."""
    for size in range(min(len(OPEN) - 1, len(text)), 0, -1):
        if OPEN.startswith(text[-size:]):
            return size
    return 0
