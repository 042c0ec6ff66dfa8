"""The text an OpenAI response (or one streamed chunk) carries to the client, for the audit body.

Content or completion text, refusal, and tool calls (name and arguments), for every choice, in order.
Two stages read it: ``scan_response`` (the redacted answer) and ``audit`` (what the client received).
"""

from __future__ import annotations

from typing import Any

JsonObject = dict[str, Any]


def reply_text(reply: JsonObject) -> str:
    pieces: list[str] = []
    for choice in reply.get("choices") or []:
        if not isinstance(choice, dict):
            continue
        if isinstance(choice.get("text"), str):
            pieces.append(choice["text"])
        message = choice.get("message") if isinstance(choice.get("message"), dict) else choice.get("delta")
        if isinstance(message, dict):
            pieces.extend(_message_text(message))
    return "".join(pieces)


def _message_text(message: JsonObject) -> list[str]:
    pieces: list[str] = []
    for field in ("content", "refusal"):
        value = message.get(field)
        if isinstance(value, str):
            pieces.append(value)
        elif isinstance(value, list):
            pieces.extend(str(p.get("text") or "") for p in value if isinstance(p, dict))
    for call in message.get("tool_calls") or []:
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict):
            pieces.extend(str(function.get(k) or "") for k in ("name", "arguments"))
    return pieces
