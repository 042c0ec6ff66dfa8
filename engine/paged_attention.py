"""Paged KV cache plus the attention function transformers calls in every layer.

The model's own code runs unchanged: we register this object through transformers'
AttentionInterface, so each attention layer hands us its rotated q/k/v. We write the new
k/v into the cache slots of their blocks and attend per sequence with SDPA over that
sequence's own blocks: no padding to the longest sequence, no attention across sequences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F


@dataclass
class SeqSlice:
    """One sequence's share of a flattened step."""

    q_start: int
    q_end: int
    # Cache slots of the whole context (None when the step computes it all from scratch).
    context_slots: torch.Tensor | None
    # Which context positions each new token may see (None: plain causal or a single token).
    mask: torch.Tensor | None


@dataclass
class StepLayout:
    slot_mapping: torch.Tensor
    seqs: list[SeqSlice]


class PagedAttention:
    """Owns the KV cache tensors: [layers, kv_heads, slots, head_dim] for keys and values."""

    def __init__(
        self,
        num_layers: int,
        num_kv_heads: int,
        head_dim: int,
        num_slots: int,
        dtype: torch.dtype,
        device: torch.device,
    ) -> None:
        shape = (num_layers, num_kv_heads, num_slots, head_dim)
        # Uninitialised on purpose: a slot is only ever read after its step wrote it, and
        # untouched pages cost no memory until used.
        self.k_cache = torch.empty(shape, dtype=dtype, device=device)
        self.v_cache = torch.empty(shape, dtype=dtype, device=device)
        self.layout: StepLayout | None = None

    def __call__(
        self,
        module: torch.nn.Module,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        attention_mask: torch.Tensor | None,
        scaling: float | None = None,
        dropout: float = 0.0,
        **kwargs: Any,
    ) -> tuple[torch.Tensor, None]:
        assert self.layout is not None, "attention called outside a scheduled step"
        layer = int(module.layer_idx)  # type: ignore[arg-type]
        k_layer, v_layer = self.k_cache[layer], self.v_cache[layer]
        k_layer.index_copy_(1, self.layout.slot_mapping, key[0])
        v_layer.index_copy_(1, self.layout.slot_mapping, value[0])
        out = torch.empty(
            (1, query.shape[2], query.shape[1], query.shape[3]), dtype=query.dtype, device=query.device
        )
        for part in self.layout.seqs:
            q = query[:, :, part.q_start : part.q_end]
            if part.context_slots is None:
                k = key[:, :, part.q_start : part.q_end]
                v = value[:, :, part.q_start : part.q_end]
            else:
                k = k_layer.index_select(1, part.context_slots).unsqueeze(0)
                v = v_layer.index_select(1, part.context_slots).unsqueeze(0)
            out[0, part.q_start : part.q_end] = _attend(q, k, v, part.mask, scaling)[0].transpose(0, 1)
        return out, None


def _attend(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None, scale: float | None
) -> torch.Tensor:
    num_queries = q.shape[2]
    if num_queries == 1:
        # Decode: fold the query heads sharing a kv head into the query axis (no repeat of k/v).
        heads, kv_heads = q.shape[1], k.shape[1]
        folded = q.reshape(1, kv_heads, heads // kv_heads, q.shape[3])
        return F.scaled_dot_product_attention(folded, k, v, scale=scale).reshape(q.shape)
    return F.scaled_dot_product_attention(
        q, k, v, attn_mask=mask, is_causal=mask is None, scale=scale, enable_gqa=True
    )
