"""Rewrite the text of a streamed OpenAI response chunk by chunk, per choice and per text field.

A ``TextProcessor`` gets one stream of text deltas and returns what may be sent now; ``finish`` returns
the rest. ``rewrite_stream`` keeps one processor per (choice, field): the message content (or the
completion text) and the arguments of each streamed tool call, so neither reaches the client unseen.
When a choice finishes, what its processors still hold is sent in that same chunk; if the stream
ends without a finish reason, a last chunk carries it.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

from gateway.pii.request_texts import TextSlot

JsonObject = dict[str, Any]
# (choice index, tool-call index or None for the content / completion text)
FieldKey = tuple[int, int | None]


class TextProcessor(Protocol):
    async def feed(self, delta: str) -> str: ...

    async def finish(self) -> str: ...


async def rewrite_stream(
    chunks: AsyncIterator[JsonObject], make_processor: Callable[[], TextProcessor]
) -> AsyncIterator[JsonObject]:
    processors: dict[FieldKey, TextProcessor] = {}
    finished: set[int] = set()
    last_chunk: JsonObject | None = None
    async for chunk in chunks:
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict):
                continue
            index = int(choice.get("index") or 0)
            for tool_index, slot in _fields(choice):
                processor = processors.setdefault((index, tool_index), make_processor())
                slot.write(await processor.feed(slot.read()))
            if choice.get("finish_reason") is not None:
                for key in sorted((k for k in processors if k[0] == index), key=_field_order):
                    _append(choice, key[1], await processors.pop(key).finish())
                finished.add(index)
            last_chunk = chunk
        yield chunk
    for key, processor in sorted(processors.items(), key=lambda item: _field_order(item[0])):
        rest = await processor.finish()
        if rest and last_chunk is not None and key[0] not in finished:
            yield _tail_chunk(last_chunk, key, rest)


def _field_order(key: FieldKey) -> tuple[int, int]:
    """Content (None) before tool call 0, 1, ...: None and ints do not compare."""
    return key[0], -1 if key[1] is None else key[1]


def _fields(choice: JsonObject) -> list[tuple[int | None, TextSlot]]:
    """The text fields of one streamed choice, each as (tool-call index or None, slot)."""
    if isinstance(choice.get("text"), str):
        return [(None, TextSlot(choice, "text"))]
    delta = choice.get("delta")
    if not isinstance(delta, dict):
        return []
    fields: list[tuple[int | None, TextSlot]] = []
    if isinstance(delta.get("content"), str):
        fields.append((None, TextSlot(delta, "content")))
    for position, call in enumerate(delta.get("tool_calls") or []):
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            fields.append((int(call.get("index", position)), TextSlot(function, "arguments")))
    return fields


def _append(choice: JsonObject, tool_index: int | None, text: str) -> None:
    if not text:
        return
    if tool_index is None:
        if "text" in choice:
            choice["text"] = str(choice.get("text") or "") + text
        else:
            delta = choice.setdefault("delta", {})
            delta["content"] = str(delta.get("content") or "") + text
        return
    calls = choice.setdefault("delta", {}).setdefault("tool_calls", [])
    calls.append({"index": tool_index, "function": {"arguments": text}})


def _tail_chunk(template: JsonObject, key: FieldKey, text: str) -> JsonObject:
    chunk = {k: copy.deepcopy(v) for k, v in template.items() if k not in {"choices", "usage"}}
    choice: JsonObject = {"index": key[0], "finish_reason": None}
    if template.get("object") == "text_completion":
        choice["text"] = ""
    else:
        choice["delta"] = {}
    _append(choice, key[1], text)
    chunk["choices"] = [choice]
    return chunk
