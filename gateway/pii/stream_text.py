"""Rewrite the text of a streamed OpenAI response chunk by chunk, per choice.

A ``TextProcessor`` gets each choice's text deltas and returns what may be sent now; ``finish`` returns
the rest when that choice ends. ``rewrite_stream`` applies one processor per choice index, and if the
engine's stream ends without a finish reason it sends a last chunk with whatever was still held back.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

JsonObject = dict[str, Any]


class TextProcessor(Protocol):
    async def feed(self, delta: str) -> str: ...

    async def finish(self) -> str: ...


async def rewrite_stream(
    chunks: AsyncIterator[JsonObject], make_processor: Callable[[], TextProcessor]
) -> AsyncIterator[JsonObject]:
    processors: dict[int, TextProcessor] = {}
    finished: set[int] = set()
    last_chunk: JsonObject | None = None
    async for chunk in chunks:
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict):
                continue
            index = int(choice.get("index") or 0)
            processor = processors.setdefault(index, make_processor())
            text = await processor.feed(_read(choice))
            if choice.get("finish_reason") is not None:
                text += await processor.finish()
                finished.add(index)
            _write(choice, text)
            last_chunk = chunk
        yield chunk
    for index, processor in sorted(processors.items()):
        if index not in finished and last_chunk is not None:
            rest = await processor.finish()
            if rest:
                yield _tail_chunk(last_chunk, index, rest)


def _read(choice: JsonObject) -> str:
    if isinstance(choice.get("text"), str):
        return str(choice["text"])
    delta = choice.get("delta")
    if isinstance(delta, dict) and isinstance(delta.get("content"), str):
        return str(delta["content"])
    return ""


def _write(choice: JsonObject, text: str) -> None:
    if "text" in choice:
        choice["text"] = text
        return
    delta = choice.get("delta")
    if isinstance(delta, dict) and (text or isinstance(delta.get("content"), str)):
        delta["content"] = text


def _tail_chunk(template: JsonObject, index: int, text: str) -> JsonObject:
    chunk = {k: copy.deepcopy(v) for k, v in template.items() if k not in {"choices", "usage"}}
    if template.get("object") == "text_completion":
        choice: JsonObject = {"index": index, "text": text, "finish_reason": None}
    else:
        choice = {"index": index, "delta": {"content": text}, "finish_reason": None}
    chunk["choices"] = [choice]
    return chunk
