"""Batched logit adjustments: presence/frequency penalties and logit_bias, one tensor op per kind."""

from __future__ import annotations

import torch

from engine.sampling_params import SamplingParams


def apply_penalties(logits: torch.Tensor, params: list[SamplingParams], completions: list[list[int]]) -> None:
    """OpenAI's rule, in place: logit -= frequency * count + presence * (count > 0), over generated tokens."""
    rows = [i for i, p in enumerate(params) if p.has_penalties and completions[i]]
    if not rows:
        return
    device = logits.device
    counts = torch.zeros(len(rows), logits.shape[-1], device=device)
    row_index = torch.cat([torch.full((len(completions[i]),), j) for j, i in enumerate(rows)]).to(device)
    token_index = torch.cat([torch.tensor(completions[i]) for i in rows]).to(device)
    counts.index_put_((row_index, token_index), torch.ones(len(token_index), device=device), accumulate=True)
    frequency = torch.tensor([params[i].frequency_penalty for i in rows], device=device)[:, None]
    presence = torch.tensor([params[i].presence_penalty for i in rows], device=device)[:, None]
    index = torch.tensor(rows, device=device)
    logits[index] -= frequency * counts + presence * (counts > 0).float()


def apply_logit_bias(logits: torch.Tensor, params: list[SamplingParams]) -> None:
    """Add each request's bias to its row, in place; ids were checked against the vocabulary on entry."""
    entries = [(row, token, bias) for row, p in enumerate(params) for token, bias in p.logit_bias]
    if not entries:
        return
    rows, tokens, biases = zip(*entries, strict=True)
    logits.index_put_(
        (torch.tensor(rows, device=logits.device), torch.tensor(tokens, device=logits.device)),
        torch.tensor(biases, dtype=logits.dtype, device=logits.device),
        accumulate=True,
    )
