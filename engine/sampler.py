"""Turns last-position logits into next tokens: greedy, or temperature / top-k / top-p with seeds."""

from __future__ import annotations

import torch

from engine.sampling_params import SamplingParams


class Sampler:
    """Keeps one seeded generator per request so a seed reproduces its output in any batch."""

    def __init__(self) -> None:
        self._generators: dict[str, torch.Generator] = {}

    def release(self, request_id: str) -> None:
        self._generators.pop(request_id, None)

    def sample(self, logits: torch.Tensor, request_ids: list[str], params: list[SamplingParams]) -> list[int]:
        greedy = logits.argmax(dim=-1).tolist()
        tokens: list[int] = []
        for row, (request_id, p) in enumerate(zip(request_ids, params, strict=True)):
            if p.is_greedy:
                tokens.append(int(greedy[row]))
            else:
                tokens.append(self._sample_row(logits[row], request_id, p))
        return tokens

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
