"""Owns the model and the KV cache on the device: builds a step's inputs, runs it, samples."""

from __future__ import annotations

from typing import Any

import torch
from transformers import AttentionInterface

from engine.config import EngineConfig
from engine.paged_attention import PagedAttention, SeqSlice, StepLayout
from engine.sampler import Sampler
from engine.scheduler import ScheduledBatch
from engine.sequence import SampledToken, Sequence


def kv_bytes_per_token(model_config: Any, dtype: torch.dtype) -> int:
    head_dim = getattr(model_config, "head_dim", None) or (
        model_config.hidden_size // model_config.num_attention_heads
    )
    per_layer = 2 * model_config.num_key_value_heads * head_dim
    return int(model_config.num_hidden_layers * per_layer * torch.finfo(dtype).bits // 8)


class ModelRunner:
    """Runs scheduled steps through an unmodified transformers model with paged attention."""

    def __init__(self, model: Any, config: EngineConfig, num_blocks: int) -> None:
        self.model = model
        self.block_size = config.block_size
        self.device = torch.device(config.device)
        mc = model.config
        head_dim = getattr(mc, "head_dim", None) or mc.hidden_size // mc.num_attention_heads
        self.attention = PagedAttention(
            mc.num_hidden_layers,
            mc.num_key_value_heads,
            head_dim,
            num_blocks * config.block_size,
            config.torch_dtype,
            self.device,
        )
        # Registered under a per-runner name: the function carries this runner's KV cache.
        name = f"bulwark_paged_{id(self):x}"
        AttentionInterface.register(name, self.attention)
        model.set_attn_implementation(name)
        self.sampler = Sampler()

    def release(self, request_id: str) -> None:
        self.sampler.release(request_id)

    @torch.inference_mode()
    def run(self, batch: ScheduledBatch) -> list[SampledToken | None]:
        """Compute the batch; return a sampled token for each sequence whose tokens are all in."""
        ids, positions, slots, parts, sample_rows, sample_seqs = self._prepare(batch)
        self.attention.layout = StepLayout(slot_mapping=slots, seqs=parts)
        try:
            hidden = self.model.get_decoder()(
                input_ids=ids[None], position_ids=positions[None], use_cache=False
            ).last_hidden_state[0]
        finally:
            self.attention.layout = None
        results: list[SampledToken | None] = [None] * len(batch.seqs)
        if sample_rows:
            logits = self.model.get_output_embeddings()(hidden[sample_rows]).float()
            tokens = self.sampler.sample(logits, [s for _, s in sample_seqs])
            for (index, _), token in zip(sample_seqs, tokens, strict=True):
                results[index] = token
        return results

    def _prepare(self, batch: ScheduledBatch) -> tuple[Any, ...]:
        ids: list[int] = []
        positions: list[torch.Tensor] = []
        slots: list[torch.Tensor] = []
        parts: list[SeqSlice] = []
        sample_rows: list[int] = []
        sample_seqs: list[tuple[int, Sequence]] = []
        for index, (seq, n) in enumerate(zip(batch.seqs, batch.num_new_tokens, strict=True)):
            start, end = seq.num_computed_tokens, seq.num_computed_tokens + n
            q_start = len(ids)
            ids.extend(seq.token_ids[start:end])
            table = torch.tensor(seq.block_table, dtype=torch.long)
            context = torch.arange(end)
            context_slots = table[context // self.block_size] * self.block_size + (context % self.block_size)
            positions.append(context[start:])
            slots.append(context_slots[start:])
            parts.append(self._slice(q_start, start, end, context_slots))
            if end == seq.num_tokens:
                sample_rows.append(len(ids) - 1)
                sample_seqs.append((index, seq))
        return (
            torch.tensor(ids, dtype=torch.long, device=self.device),
            torch.cat(positions).to(self.device),
            torch.cat(slots).to(self.device),
            parts,
            sample_rows,
            sample_seqs,
        )

    def _slice(self, q_start: int, start: int, end: int, context_slots: torch.Tensor) -> SeqSlice:
        n = end - start
        if start == 0:
            return SeqSlice(q_start, q_start + n, None, None)
        mask = None
        if n > 1:
            # New token i sits at position start + i and may see every position up to it.
            mask = torch.arange(end)[None, :] <= torch.arange(start, end)[:, None]
            mask = mask.to(self.device)
        return SeqSlice(q_start, q_start + n, context_slots.to(self.device), mask)
