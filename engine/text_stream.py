"""Incremental detokenization with stop strings, so streamed text never shows a stop string."""

from __future__ import annotations

from typing import Protocol


class Decoder(Protocol):
    def decode(self, token_ids: list[int], skip_special_tokens: bool = ...) -> str: ...


class TextStream:
    """Turns generated token ids into text deltas; stops at the first stop string."""

    def __init__(self, decoder: Decoder, stop: tuple[str, ...]) -> None:
        self._decoder = decoder
        self._stop = stop
        # Text that could still be the start of a stop string is held back until it cannot.
        self._holdback = max((len(s) for s in stop), default=1) - 1
        self._token_ids: list[int] = []
        self._emitted = 0
        self._text = ""
        self.stopped = False

    def push(self, token_ids: list[int]) -> str:
        """Add tokens; return the text that is now safe to show."""
        if self.stopped:
            return ""
        self._token_ids.extend(token_ids)
        self._text = self._decoder.decode(self._token_ids, skip_special_tokens=True)
        search_from = max(self._emitted - self._holdback, 0)
        hits = [i for i in (self._text.find(s, search_from) for s in self._stop) if i >= 0]
        if hits:
            self.stopped = True
            return self._emit_until(min(hits))
        safe_end = len(self._text) - self._holdback
        # A trailing U+FFFD is half of a multi-byte character: wait for the rest.
        while safe_end > self._emitted and self._text[safe_end - 1] == "\ufffd":
            safe_end -= 1
        return self._emit_until(safe_end)

    def flush(self) -> str:
        """At the end of generation everything not cut by a stop string is shown."""
        return "" if self.stopped else self._emit_until(len(self._text))

    def _emit_until(self, end: int) -> str:
        if end <= self._emitted:
            return ""
        delta = self._text[self._emitted : end]
        self._emitted = end
        return delta
