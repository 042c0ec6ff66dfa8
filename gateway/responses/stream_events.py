"""Chat completion chunks as the Responses API event stream.

The order is the one the ``openai`` SDK's stream accumulator checks: ``response.created`` and
``response.in_progress``; per output item ``response.output_item.added``, then its content part and
text deltas (a message) or argument deltas (a function call); at the end each item's ``...done``
events in output order, then ``response.completed`` (or ``response.incomplete``) with the usage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.responses.from_chat import (
    ResponseShell,
    function_call_item,
    item_status,
    message_item,
    new_id,
)

JsonObject = dict[str, Any]


@dataclass
class _OpenItem:
    item_id: str
    output_index: int
    text: str = ""  # the message text, or the function call's arguments so far
    call: JsonObject | None = None  # the chat tool call's id and name, for a function call item


class ResponseEventStream:
    def __init__(self, shell: ResponseShell) -> None:
        self._shell = shell
        self._sequence = 0
        self._message: _OpenItem | None = None
        self._calls: dict[int, _OpenItem] = {}  # by the chat tool call's index
        self._items = 0
        self._finish_reason: str | None = None
        self._usage: JsonObject | None = None

    def opening(self) -> list[JsonObject]:
        body = self._shell.body("in_progress", [])
        return [
            self._event("response.created", response=body),
            self._event("response.in_progress", response=body),
        ]

    def feed(self, chunk: JsonObject) -> list[JsonObject]:
        if chunk.get("usage"):
            self._usage = chunk["usage"]
        events: list[JsonObject] = []
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            if delta.get("content"):
                events += self._text_delta(str(delta["content"]))
            for call in delta.get("tool_calls") or []:
                events += self._call_delta(call)
            if choice.get("finish_reason"):
                self._finish_reason = str(choice["finish_reason"])
        return events

    def closing(self) -> list[JsonObject]:
        open_items = ([self._message] if self._message else []) + list(self._calls.values())
        events: list[JsonObject] = []
        output: list[JsonObject] = []
        for item in sorted(open_items, key=lambda it: it.output_index):
            done, finished = self._close(item)
            events += done
            output.append(finished)
        body = self._shell.finished(self._finish_reason, output, self._usage)
        kind = "response.completed" if body["status"] == "completed" else "response.incomplete"
        return [*events, self._event(kind, response=body)]

    def error(self, code: str | None, message: str, param: str | None) -> JsonObject:
        return self._event("error", code=code, message=message, param=param)

    def _text_delta(self, text: str) -> list[JsonObject]:
        events: list[JsonObject] = []
        item = self._message
        if item is None:
            item = self._message = _OpenItem(new_id("msg"), self._next_index())
            added = message_item(item.item_id, "", "in_progress") | {"content": []}
            events.append(
                self._event("response.output_item.added", output_index=item.output_index, item=added)
            )
            events.append(self._part_event("response.content_part.added", item, ""))
        item.text += text
        events.append(
            self._located("response.output_text.delta", item, content_index=0, delta=text, logprobs=[])
        )
        return events

    def _call_delta(self, call: JsonObject) -> list[JsonObject]:
        events: list[JsonObject] = []
        index = int(call.get("index") or 0)
        item = self._calls.get(index)
        if item is None:
            item = self._calls[index] = _OpenItem(new_id("fc"), self._next_index(), call=call)
            added = function_call_item(item.item_id, call, "in_progress") | {"arguments": ""}
            events.append(
                self._event("response.output_item.added", output_index=item.output_index, item=added)
            )
        arguments = (call.get("function") or {}).get("arguments") or ""
        if arguments:
            item.text += arguments
            events.append(self._located("response.function_call_arguments.delta", item, delta=arguments))
        return events

    def _close(self, item: _OpenItem) -> tuple[list[JsonObject], JsonObject]:
        status = item_status(self._finish_reason)
        if item.call is None:
            finished = message_item(item.item_id, item.text, status)
            events = [
                self._located(
                    "response.output_text.done", item, content_index=0, text=item.text, logprobs=[]
                ),
                self._part_event("response.content_part.done", item, item.text),
            ]
        else:
            call = item.call | {"function": {**(item.call.get("function") or {}), "arguments": item.text}}
            finished = function_call_item(item.item_id, call, status)
            events = [self._located("response.function_call_arguments.done", item, arguments=item.text)]
        events.append(self._event("response.output_item.done", output_index=item.output_index, item=finished))
        return events, finished

    def _part_event(self, kind: str, item: _OpenItem, text: str) -> JsonObject:
        part = {"type": "output_text", "text": text, "annotations": [], "logprobs": []}
        return self._located(kind, item, content_index=0, part=part)

    def _located(self, kind: str, item: _OpenItem, **fields: Any) -> JsonObject:
        return self._event(kind, item_id=item.item_id, output_index=item.output_index, **fields)

    def _event(self, kind: str, **fields: Any) -> JsonObject:
        event = {"type": kind, "sequence_number": self._sequence, **fields}
        self._sequence += 1
        return event

    def _next_index(self) -> int:
        self._items += 1
        return self._items - 1
