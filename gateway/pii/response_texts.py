"""Every piece of generated text in a non-streaming OpenAI response, and the logprob tokens behind it.

Text slots: a completion's ``text``; a message's ``content``, ``refusal``, and each tool call's name and
arguments. Logprobs repeat the generated text token by token (chat: ``logprobs.content`` and
``logprobs.refusal``; completions: ``logprobs.tokens``), so they are screened as one text per list and
rewritten token by token (``TokenRun``): otherwise a redacted SSN would come back in its tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gateway.pii.request_texts import TextSlot, content_slots, tool_call_slots

# Endpoints whose answers carry generated text (scanned, pseudonyms restored); embeddings carry vectors.
TEXT_ANSWERS = frozenset({"chat.completions", "completions", "responses"})


def response_slots(body: dict[str, Any]) -> list[TextSlot]:
    slots: list[TextSlot] = []
    for choice in body.get("choices") or []:
        if not isinstance(choice, dict):
            continue
        if isinstance(choice.get("text"), str):
            slots.append(TextSlot(choice, "text"))
        message = choice.get("message")
        if isinstance(message, dict):
            slots.extend(content_slots(message, "content"))
            slots.extend(content_slots(message, "refusal"))
            slots.extend(tool_call_slots(message))
    return slots


@dataclass
class TokenRun:
    """One list of logprob entries: read their tokens, write back a rewritten token at a position.

    Rewriting a position also drops its ``bytes`` and its alternatives (``top_logprobs``): they spell
    the same text the rewrite removed.
    """

    tokens: list[str]
    _write: Callable[[int, str], None]

    @property
    def text(self) -> str:
        return "".join(self.tokens)

    def rewrite(self, index: int, token: str) -> None:
        self.tokens[index] = token
        self._write(index, token)


def token_runs(body: dict[str, Any]) -> list[TokenRun]:
    runs: list[TokenRun] = []
    for choice in body.get("choices") or []:
        logprobs = choice.get("logprobs") if isinstance(choice, dict) else None
        if not isinstance(logprobs, dict):
            continue
        for key in ("content", "refusal"):
            entries = logprobs.get(key)
            if isinstance(entries, list) and all(isinstance(e, dict) for e in entries):
                runs.append(_chat_run(entries))
        if isinstance(logprobs.get("tokens"), list):
            runs.append(_completion_run(logprobs))
    return runs


def _chat_run(entries: list[dict[str, Any]]) -> TokenRun:
    def write(index: int, token: str) -> None:
        entries[index].update(token=token, bytes=None, top_logprobs=[])

    return TokenRun([str(e.get("token") or "") for e in entries], write)


def _completion_run(logprobs: dict[str, Any]) -> TokenRun:
    tokens: list[Any] = logprobs["tokens"]

    def write(index: int, token: str) -> None:
        tokens[index] = token
        alternatives = logprobs.get("top_logprobs")
        if isinstance(alternatives, list) and index < len(alternatives):
            alternatives[index] = {}

    return TokenRun([str(t) for t in tokens], write)


def redact_tokens(run: TokenRun, spans: list[tuple[int, int, str]]) -> None:
    """Rewrite ``run`` so its tokens join to the text with each ``(start, end, replacement)`` applied.

    The replacement goes into the token where its span starts; the rest of the span is cut from the
    tokens it covers, so no token keeps a character of it.
    """
    position = 0
    for index, token in enumerate(list(run.tokens)):
        start, end = position, position + len(token)
        position = end
        touching = [s for s in spans if s[0] < end and start < s[1]]
        if not touching:
            continue
        pieces: list[str] = []
        cursor = start
        for span_start, span_end, replacement in sorted(touching):
            pieces.append(token[cursor - start : max(span_start, cursor) - start])
            if start <= span_start < end:
                pieces.append(replacement)
            cursor = max(cursor, min(span_end, end))
        pieces.append(token[cursor - start :])
        run.rewrite(index, "".join(pieces))
