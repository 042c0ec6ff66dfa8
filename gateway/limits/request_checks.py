"""Per-request rules that need no counters: model allow-list, streaming, token caps, input size."""

from __future__ import annotations

import math
import re
from typing import Any

from gateway.errors import InvalidRequest, PermissionDenied
from gateway.pipeline.context import RequestContext
from gateway.policy.schema import TenantPolicy

# Roughly one BPE token per word or punctuation mark, and never fewer than one per four UTF-8 bytes.
# The gateway has no tokenizer (it reaches the engine only over HTTP), so input size is an estimate;
# budgets and windows count the engine's exact usage afterwards.
_PIECES = re.compile(r"\w+|[^\w\s]")
_PER_MESSAGE_OVERHEAD = 4  # role markers of a chat template
COMPLETION_FIELDS = ("max_completion_tokens", "max_tokens")


def estimate_tokens(text: str) -> int:
    if not text:
        return 0
    return max(len(_PIECES.findall(text)), math.ceil(len(text.encode("utf-8")) / 4))


def estimate_input_tokens(body: dict[str, Any]) -> int:
    if "messages" in body:
        total = 0
        for message in body["messages"]:
            total += _PER_MESSAGE_OVERHEAD + estimate_tokens(_message_text(message.get("content")))
        return total
    texts = body.get("prompt", body.get("input", ""))
    if isinstance(texts, list):
        return sum(estimate_tokens(text) for text in texts)
    return estimate_tokens(texts)


def _message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def check_request(policy: TenantPolicy, ctx: RequestContext) -> int:
    """Refuse or adjust the request per the policy; returns the estimated input tokens."""
    if ctx.model is None or not policy.allows_model(ctx.model):
        raise PermissionDenied(
            f"The model '{ctx.model}' is not allowed for this tenant.",
            param="model",
            code="model_not_allowed",
        )
    if ctx.stream and not policy.allow_streaming:
        raise PermissionDenied(
            "Streaming is not allowed for this tenant; send the request with stream=false.",
            param="stream",
            code="streaming_not_allowed",
        )
    if ctx.endpoint != "embeddings":  # nothing is generated, so there is no completion to cap
        apply_completion_cap(policy, ctx.body)
    cap = policy.tokens.max_input_tokens
    if cap is not None and policy.tokens.on_input_exceed == "clamp" and "messages" in ctx.body:
        ctx.body["messages"] = drop_oldest_turns(ctx.body["messages"], cap)
    estimated = estimate_input_tokens(ctx.body)
    if cap is not None and estimated > cap:
        raise InvalidRequest(
            f"The input is about {estimated} tokens, over this tenant's limit of {cap} input tokens.",
            param=_input_field(ctx),
            code="input_too_long",
        )
    return estimated


def _input_field(ctx: RequestContext) -> str:
    if ctx.endpoint in ("embeddings", "responses"):
        return "input"
    return "messages" if "messages" in ctx.body else "prompt"


def apply_completion_cap(policy: TenantPolicy, body: dict[str, Any]) -> None:
    cap = policy.tokens.max_tokens
    if cap is None:
        return
    named = [field for field in COMPLETION_FIELDS if field in body]
    if not named:
        body["max_tokens"] = cap  # an unbounded request would otherwise run to the engine's own limit
        return
    for field in named:
        asked = int(body[field])
        if asked <= cap:
            continue
        if policy.tokens.on_exceed == "reject":
            raise InvalidRequest(
                f"{field}={asked} is over this tenant's cap of {cap} completion tokens.",
                param=field,
                code="max_tokens_exceeded",
            )
        body[field] = cap


def drop_oldest_turns(messages: list[dict[str, Any]], cap: int) -> list[dict[str, Any]]:
    """Drop the oldest non-system messages until the estimate fits ``cap``; keep the last message."""
    kept = list(messages)
    droppable = [i for i, m in enumerate(kept[:-1]) if m.get("role") not in ("system", "developer")]
    while droppable and estimate_input_tokens({"messages": kept}) > cap:
        kept[droppable.pop(0)] = {}  # placeholder keeps the indexes in ``droppable`` valid
    return [message for message in kept if message]
