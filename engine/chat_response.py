"""Chat completion choices from a run: content, parsed tool calls, logprobs; whole or as stream deltas."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from engine.chat import ChatPlan
from engine.completions import CompletionRun, Delta
from engine.logprobs import TokenText, chat_logprobs
from engine.tool_calls import ToolCall, ToolCallStream, parse_tool_calls


def message_choice(whole: Delta, plan: ChatPlan, tokenizer: TokenText, logprobs: bool) -> dict[str, Any]:
    content: str | None = whole.text
    calls: list[ToolCall] = []
    if plan.tool_names:
        content, calls = parse_tool_calls(whole.text, set(plan.tool_names))
        calls = calls if plan.parallel_tool_calls else calls[:1]
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = [call.body() for call in calls]
    return {
        "index": 0,
        "message": message,
        "logprobs": chat_logprobs(list(whole.logprobs), tokenizer) if logprobs else None,
        "finish_reason": _finish_reason(whole.finish_reason, bool(calls)),
    }


async def delta_choices(
    run: CompletionRun, plan: ChatPlan, tokenizer: TokenText, logprobs: bool
) -> AsyncIterator[dict[str, Any]]:
    yield {"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": None, "finish_reason": None}
    calls_stream = ToolCallStream(set(plan.tool_names)) if plan.tool_names else None
    sent_calls = 0
    async for delta in run.deltas():
        text, calls = delta.text, list[ToolCall]()
        if calls_stream is not None:
            text, calls = calls_stream.push(delta.text)
            if delta.finish_reason is not None:
                text += calls_stream.flush()
        if not plan.parallel_tool_calls:
            calls = calls[: max(1 - sent_calls, 0)]
        body: dict[str, Any] = {"content": text} if text else {}
        if calls:
            body["tool_calls"] = [call.body(sent_calls + i) for i, call in enumerate(calls)]
            sent_calls += len(calls)
        want_logprobs = logprobs and bool(delta.logprobs)
        if body or delta.finish_reason or want_logprobs:
            yield {
                "index": 0,
                "delta": body,
                "logprobs": chat_logprobs(list(delta.logprobs), tokenizer) if want_logprobs else None,
                "finish_reason": _finish_reason(delta.finish_reason, sent_calls > 0),
            }


def _finish_reason(reason: str | None, called: bool) -> str | None:
    return "tool_calls" if called and reason == "stop" else reason
