"""Rewrite the text of a streamed OpenAI response chunk by chunk, per choice and per text field.

A ``TextProcessor`` gets one stream of text deltas and returns what may be sent now; ``finish`` returns
the rest. ``rewrite_stream`` keeps one processor per (choice, field): the message content (or the
completion text), the ``refusal``, and the name and arguments of each streamed tool call, so none
reaches the client unseen. Streamed logprobs are dropped: they spell the text ahead of what a processor
has released (the redact stage refuses to ask for them). When a choice finishes, what its processors
still hold is sent in that same chunk; if the stream ends without a finish reason, a last chunk carries it.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

from gateway.pii.request_texts import TextSlot

JsonObject = dict[str, Any]
# (choice index, field name, tool-call index; -1 for the content / completion text and the refusal)
FieldKey = tuple[int, str, int]
_TOOL_FIELDS = ("name", "arguments")


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
            choice.pop("logprobs", None)
            index = int(choice.get("index") or 0)
            for (field, tool_index), slot in _fields(choice):
                processor = processors.setdefault((index, field, tool_index), make_processor())
                slot.write(await processor.feed(slot.read()))
            if choice.get("finish_reason") is not None:
                for key in sorted(k for k in processors if k[0] == index):
                    _append(choice, key, await processors.pop(key).finish())
                finished.add(index)
            last_chunk = chunk
        yield chunk
    for key, processor in sorted(processors.items()):
        rest = await processor.finish()
        if rest and last_chunk is not None and key[0] not in finished:
            yield _tail_chunk(last_chunk, key, rest)


def _fields(choice: JsonObject) -> list[tuple[tuple[str, int], TextSlot]]:
    """The text fields of one streamed choice, each as ((field, tool-call index), slot)."""
    if isinstance(choice.get("text"), str):
        return [(("text", -1), TextSlot(choice, "text"))]
    delta = choice.get("delta")
    if not isinstance(delta, dict):
        return []
    fields: list[tuple[tuple[str, int], TextSlot]] = [
        ((name, -1), TextSlot(delta, name))
        for name in ("content", "refusal")
        if isinstance(delta.get(name), str)
    ]
    for position, call in enumerate(delta.get("tool_calls") or []):
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            continue
        tool_index = int(call.get("index", position))
        for name in _TOOL_FIELDS:
            if isinstance(function.get(name), str):
                fields.append(((name, tool_index), TextSlot(function, name)))
    return fields


def _append(choice: JsonObject, key: FieldKey, text: str) -> None:
    if not text:
        return
    _, field, tool_index = key
    if field == "text":
        choice["text"] = str(choice.get("text") or "") + text
        return
    delta = choice.setdefault("delta", {})
    if tool_index < 0:
        delta[field] = str(delta.get(field) or "") + text
        return
    calls = delta.setdefault("tool_calls", [])
    calls.append({"index": tool_index, "function": {field: text}})


def _tail_chunk(template: JsonObject, key: FieldKey, text: str) -> JsonObject:
    chunk = {k: copy.deepcopy(v) for k, v in template.items() if k not in {"choices", "usage"}}
    choice: JsonObject = {"index": key[0], "finish_reason": None}
    if key[1] == "text":
        choice["text"] = ""
    else:
        choice["delta"] = {}
    _append(choice, key, text)
    chunk["choices"] = [choice]
    return chunk
