"""Turns one request's engine outputs into text deltas, usage and OpenAI response bodies."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Any

from opentelemetry.trace import NoOpTracer, Tracer

from engine.metrics import EngineMetrics
from engine.sequence import RequestOutput, SampledToken
from engine.text_stream import Decoder, TextStream


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    def body(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": self.cached_tokens},
        }


@dataclass(frozen=True)
class Delta:
    text: str
    finish_reason: str | None = None
    # Logprobs of the tokens that arrived since the last delta (their text may still be held back).
    logprobs: tuple[SampledToken, ...] = ()


class CompletionRun:
    """Reads one request's outputs; stops it at a stop string; tracks usage and latency."""

    def __init__(
        self,
        outputs: AsyncGenerator[RequestOutput, None],
        decoder: Decoder,
        stop: tuple[str, ...],
        metrics: EngineMetrics,
        tracer: Tracer | None = None,
    ) -> None:
        self._outputs = outputs
        self._text = TextStream(decoder, stop)
        self._metrics = metrics
        self._arrival = time.perf_counter()
        self._first_output: float | None = None
        self._last_output: float | None = None
        self._queue_wait_s: float | None = None
        self._finish_reason: str | None = None
        # Times and counts only: the prompt and the generated text never go into a span.
        self._span = (tracer or NoOpTracer()).start_span("engine.generate")
        self.usage = Usage()
        self.response_id = uuid.uuid4().hex
        self.created = int(time.time())

    async def deltas(self) -> AsyncIterator[Delta]:
        pending: list[SampledToken] = []
        try:
            async for output in self._outputs:
                self._observe(output)
                pending.extend(output.logprobs or ())
                text = self._text.push(output.new_token_ids)
                if self._text.stopped:
                    self._finish_reason = "stop"
                    yield Delta(text, "stop", tuple(pending))
                    return
                if output.finished:
                    self._finish_reason = output.finish_reason or "stop"
                    yield Delta(text + self._text.flush(), self._finish_reason, tuple(pending))
                    return
                if text:
                    yield Delta(text, None, tuple(pending))
                    pending = []
        finally:
            # Closing the engine stream aborts the request and frees its KV blocks at once.
            await self._outputs.aclose()
            self._end_span()

    async def whole(self) -> Delta:
        """The whole completion as one delta: all text, the finish reason, every token's logprobs."""
        parts: list[str] = []
        logprobs: list[SampledToken] = []
        reason = "stop"
        async for delta in self.deltas():
            parts.append(delta.text)
            logprobs.extend(delta.logprobs)
            reason = delta.finish_reason or reason
        return Delta("".join(parts), reason, tuple(logprobs))

    def _observe(self, output: RequestOutput) -> None:
        now = time.perf_counter()
        if output.new_token_ids:
            if self._last_output is None:
                self._first_output = now
                self._metrics.time_to_first_token.observe(now - self._arrival)
            else:
                self._metrics.inter_token_latency.observe(now - self._last_output)
            self._last_output = now
        self.usage.prompt_tokens = output.num_prompt_tokens
        self.usage.cached_tokens = output.num_cached_tokens
        self.usage.completion_tokens += len(output.new_token_ids)
        if output.queue_wait_s is not None:
            self._queue_wait_s = output.queue_wait_s

    def _end_span(self) -> None:
        span = self._span
        if not span.is_recording():
            return
        usage, first, last = self.usage, self._first_output, self._last_output
        span.set_attributes(
            {
                "bulwark.engine.prompt_tokens": usage.prompt_tokens,
                "bulwark.engine.cached_tokens": usage.cached_tokens,
                "bulwark.engine.completion_tokens": usage.completion_tokens,
                "bulwark.engine.finish_reason": self._finish_reason or "abort",
            }
        )
        if self._queue_wait_s is not None:
            span.set_attribute("bulwark.engine.queue_wait_ms", self._queue_wait_s * 1000)
        if first is not None:
            prefill_s = first - self._arrival - (self._queue_wait_s or 0.0)
            span.set_attribute("bulwark.engine.prefill_ms", max(prefill_s, 0.0) * 1000)
            span.set_attribute("bulwark.engine.decode_ms", ((last or first) - first) * 1000)
        span.end()


def text_choice(text: str, finish_reason: str | None) -> dict[str, Any]:
    return {"index": 0, "text": text, "logprobs": None, "finish_reason": finish_reason}
