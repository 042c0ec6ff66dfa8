"""OpenAI logprobs bodies from sampled tokens: chat's per-token list and completions' parallel arrays."""

from __future__ import annotations

from typing import Any, Protocol

from engine.sequence import SampledToken


class TokenText(Protocol):
    def decode(self, token_ids: list[int], skip_special_tokens: bool = ...) -> str: ...


def chat_logprobs(tokens: list[SampledToken], tokenizer: TokenText) -> dict[str, Any]:
    def entry(token_id: int, logprob: float) -> dict[str, Any]:
        text = tokenizer.decode([token_id])
        return {"token": text, "logprob": logprob, "bytes": list(text.encode())}

    return {
        "content": [
            entry(t.token_id, t.logprob or 0.0) | {"top_logprobs": [entry(i, lp) for i, lp in t.top_logprobs]}
            for t in tokens
        ],
        "refusal": None,
    }


def completion_logprobs(tokens: list[SampledToken], tokenizer: TokenText, offset: int) -> dict[str, Any]:
    texts = [tokenizer.decode([t.token_id]) for t in tokens]
    offsets = []
    for text in texts:
        offsets.append(offset)
        offset += len(text)
    return {
        "tokens": texts,
        "token_logprobs": [t.logprob for t in tokens],
        "top_logprobs": [{tokenizer.decode([i]): lp for i, lp in t.top_logprobs} for t in tokens],
        "text_offset": offsets,
    }
