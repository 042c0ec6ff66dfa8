"""Paged KV cache plus the attention function transformers calls in every layer.

The model's own code runs unchanged: we register this object through transformers'
AttentionInterface, so each attention layer hands us its rotated q/k/v. We write the new
k/v into the cache slots of their blocks, then attend:
- all single-token decodes of the step together: one gather of their (padded) context slots and
  one SDPA call per layer, with a float length mask built once per step;
- each prefill chunk on its own, over that sequence's blocks (no attention across sequences).
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
class DecodeBatch:
    """The step's single-token decodes: query rows 0..num_seqs-1, attended in one call per layer."""

    num_seqs: int
    max_len: int
    # [num_seqs * max_len] cache slots, each context padded to max_len (padding points at slot 0).
    slots: torch.Tensor
    # [1, num_seqs, 1, max_len] additive float mask (0 or -inf); None when no context is padded.
    # Float, not bool: SDPA on CPU converts a bool mask to float on every call, i.e. every layer.
    mask: torch.Tensor | None


@dataclass
class StepLayout:
    slot_mapping: torch.Tensor
    seqs: list[SeqSlice]
    decodes: DecodeBatch | None = None


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
        # untouched pages cost no memory until used. Slot 0 (decode padding) is zeroed so a
        # masked read never meets NaN/inf garbage.
        self.k_cache = torch.empty(shape, dtype=dtype, device=device)
        self.v_cache = torch.empty(shape, dtype=dtype, device=device)
        self.k_cache[:, :, 0].zero_()
        self.v_cache[:, :, 0].zero_()
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
        layout = self.layout
        assert layout is not None, "attention called outside a scheduled step"
        layer = int(module.layer_idx)  # type: ignore[arg-type]
        k_layer, v_layer = self.k_cache[layer], self.v_cache[layer]
        k_layer.index_copy_(1, layout.slot_mapping, key[0])
        v_layer.index_copy_(1, layout.slot_mapping, value[0])
        out = torch.empty(
            (1, query.shape[2], query.shape[1], query.shape[3]), dtype=query.dtype, device=query.device
        )
        if layout.decodes is not None:
            batch = layout.decodes
            out[0, : batch.num_seqs] = _attend_decodes(
                query[0, :, : batch.num_seqs], k_layer, v_layer, batch, scaling
            )
        for part in layout.seqs:
            q = query[:, :, part.q_start : part.q_end]
            if part.context_slots is None:
                k = key[:, :, part.q_start : part.q_end]
                v = value[:, :, part.q_start : part.q_end]
            else:
                k = k_layer.index_select(1, part.context_slots).unsqueeze(0)
                v = v_layer.index_select(1, part.context_slots).unsqueeze(0)
            out[0, part.q_start : part.q_end] = _attend(q, k, v, part.mask, scaling)[0].transpose(0, 1)
        return out, None


def _attend_decodes(
    query: torch.Tensor, k_layer: torch.Tensor, v_layer: torch.Tensor, batch: DecodeBatch, scale: float | None
) -> torch.Tensor:
    """query [heads, n, head_dim] -> [n, heads, head_dim]; kv heads are SDPA's batch axis."""
    heads, n, head_dim = query.shape
    kv_heads = k_layer.shape[0]
    # The gather is contiguous per kv head: [kv_heads, n, max_len, head_dim].
    k = k_layer.index_select(1, batch.slots).view(kv_heads, n, batch.max_len, head_dim)
    v = v_layer.index_select(1, batch.slots).view(kv_heads, n, batch.max_len, head_dim)
    # Query heads sharing a kv head fold into the query axis: no repeat of k/v.
    q = query.reshape(kv_heads, heads // kv_heads, n, head_dim).transpose(1, 2)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=batch.mask, scale=scale)
    return out.transpose(1, 2).reshape(heads, n, head_dim).transpose(0, 1)


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
