"""What a request asks of generation, independent of HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.grammar import Grammar


@dataclass(frozen=True)
class SamplingParams:
    """Per-request sampling settings; temperature 0 means greedy."""

    max_tokens: int = 16
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    seed: int | None = None
    stop: tuple[str, ...] = field(default_factory=tuple)
    ignore_eos: bool = False
    # OpenAI semantics: subtracted once per token already generated (frequency) or once if present.
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    # (token id, bias) added to the logits before sampling.
    logit_bias: tuple[tuple[int, float], ...] = ()
    # None: no logprobs; k >= 0: the sampled token's logprob and the k most likely alternatives.
    logprobs: int | None = None
    # Constrains every sampled token to the grammar (JSON schema, tool call); None is free text.
    grammar: Grammar | None = field(default=None, compare=False)

    @property
    def is_greedy(self) -> bool:
        return self.temperature <= 0.0 or self.top_k == 1

    @property
    def has_penalties(self) -> bool:
        return self.presence_penalty != 0.0 or self.frequency_penalty != 0.0
