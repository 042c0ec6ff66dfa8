"""Turns last-position logits into next tokens: penalties, logit_bias and grammar masks over the
batch, then greedy, or temperature / top-k / top-p with seeds; logprobs from the model's own logits."""

from __future__ import annotations

import torch

from engine.grammar import GrammarMasks
from engine.logits_processing import apply_logit_bias, apply_penalties
from engine.sampling_params import SamplingParams
from engine.sequence import SampledToken, Sequence


class Sampler:
    """Keeps one seeded generator and one grammar matcher per request, so either holds in any batch."""

    def __init__(self) -> None:
        self._generators: dict[str, torch.Generator] = {}
        self._grammars = GrammarMasks()

    def release(self, request_id: str) -> None:
        self._generators.pop(request_id, None)
        self._grammars.release(request_id)

    def sample(self, logits: torch.Tensor, seqs: list[Sequence]) -> list[SampledToken]:
        params = [s.params for s in seqs]
        # Logprobs describe the model's distribution (as vLLM reports them), before any adjustment.
        logprobs = logits.log_softmax(dim=-1) if any(p.logprobs is not None for p in params) else None
        completions = [s.completion_token_ids for s in seqs]
        apply_penalties(logits, params, completions)
        apply_logit_bias(logits, params)
        constrained = [
            (row, s.request_id, s.params.grammar, completions[row])
            for row, s in enumerate(seqs)
            if s.params.grammar is not None
        ]
        self._grammars.apply(logits, constrained)
        greedy = logits.argmax(dim=-1).tolist()
        tokens = [
            int(greedy[row]) if s.params.is_greedy else self._sample_row(logits[row], s.request_id, s.params)
            for row, s in enumerate(seqs)
        ]
        return [_with_logprobs(token, row, params[row], logprobs) for row, token in enumerate(tokens)]

    def _sample_row(self, logits: torch.Tensor, request_id: str, p: SamplingParams) -> int:
        scores = logits.float() / p.temperature
        if p.top_k > 0:
            kth = torch.topk(scores, min(p.top_k, scores.numel())).values[-1]
            scores = scores.masked_fill(scores < kth, float("-inf"))
        if p.top_p < 1.0:
            sorted_scores, order = torch.sort(scores, descending=True)
            cumulative = sorted_scores.softmax(dim=-1).cumsum(dim=-1)
            # Drop tokens once the mass before them already reaches top_p (keep at least one).
            drop = cumulative - sorted_scores.softmax(dim=-1) >= p.top_p
            scores = scores.scatter(0, order[drop], float("-inf"))
        # Seeded generators live on the CPU, so the (one-row) draw happens there on any device.
        probs = scores.softmax(dim=-1).cpu()
        return int(torch.multinomial(probs, 1, generator=self._generator(request_id, p)).item())

    def _generator(self, request_id: str, p: SamplingParams) -> torch.Generator | None:
        if p.seed is None:
            return None
        if request_id not in self._generators:
            generator = torch.Generator(device="cpu")
            generator.manual_seed(p.seed)
            self._generators[request_id] = generator
        return self._generators[request_id]


def _with_logprobs(token: int, row: int, p: SamplingParams, logprobs: torch.Tensor | None) -> SampledToken:
    if p.logprobs is None or logprobs is None:
        return SampledToken(token)
    chosen = float(logprobs[row, token])
    if p.logprobs == 0:
        return SampledToken(token, chosen)
    top = torch.topk(logprobs[row], p.logprobs)
    pairs = tuple((int(i), float(v)) for i, v in zip(top.indices.tolist(), top.values.tolist(), strict=True))
    return SampledToken(token, chosen, pairs)
