"""Owns the model and the KV cache on the device: builds a step's inputs, runs it, samples."""

from __future__ import annotations

from typing import Any

import torch
from transformers import AttentionInterface

from engine.config import EngineConfig
from engine.paged_attention import DecodeBatch, PagedAttention, SeqSlice, StepLayout
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
        # False attends each decode on its own (the pre-batching path; kept for the step bench).
        self.batch_decodes = True

    def release(self, request_id: str) -> None:
        self.sampler.release(request_id)

    @torch.inference_mode()
    def run(self, batch: ScheduledBatch) -> list[SampledToken | None]:
        """Compute the batch; return a sampled token for each sequence whose tokens are all in."""
        ids, positions, layout, sample_rows, sample_seqs = self._prepare(batch)
        self.attention.layout = layout
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
        """Flatten the step: single-token decodes first (attended together), then prefill chunks."""
        entries = list(enumerate(zip(batch.seqs, batch.num_new_tokens, strict=True)))
        decodes = [(index, seq) for index, (seq, n) in entries if n == 1 and self.batch_decodes]
        ids = [seq.token_ids[seq.num_computed_tokens] for _, seq in decodes]
        positions = [torch.tensor([seq.num_computed_tokens for _, seq in decodes], dtype=torch.long)]
        decode_batch, decode_slots = self._decode_batch([seq for _, seq in decodes])
        slots = [decode_slots]
        parts: list[SeqSlice] = []
        sample_rows = [
            row for row, (_, seq) in enumerate(decodes) if seq.num_computed_tokens + 1 == seq.num_tokens
        ]
        sample_seqs: list[tuple[int, Sequence]] = [decodes[row] for row in sample_rows]
        for index, (seq, n) in entries:
            if n == 1 and self.batch_decodes:
                continue
            start, end = seq.num_computed_tokens, seq.num_computed_tokens + n
            q_start = len(ids)
            ids.extend(seq.token_ids[start:end])
            context_slots = self._context_slots(seq.block_table, end)
            positions.append(torch.arange(start, end))
            slots.append(context_slots[start:])
            parts.append(self._slice(q_start, start, end, context_slots))
            if end == seq.num_tokens:
                sample_rows.append(len(ids) - 1)
                sample_seqs.append((index, seq))
        layout = StepLayout(torch.cat(slots).to(self.device), parts, decode_batch)
        return (
            torch.tensor(ids, dtype=torch.long, device=self.device),
            torch.cat(positions).to(self.device),
            layout,
            sample_rows,
            sample_seqs,
        )

    def _context_slots(self, block_table: list[int], end: int) -> torch.Tensor:
        table = torch.tensor(block_table, dtype=torch.long)
        context = torch.arange(end)
        return table[context // self.block_size] * self.block_size + (context % self.block_size)

    def _decode_batch(self, seqs: list[Sequence]) -> tuple[DecodeBatch | None, torch.Tensor]:
        """Padded block tables of all decodes, turned into slots once for every layer of the step."""
        if not seqs:
            return None, torch.empty(0, dtype=torch.long)
        lengths = torch.tensor([seq.num_computed_tokens + 1 for seq in seqs], dtype=torch.long)
        max_len = int(lengths.max())
        width = (max_len + self.block_size - 1) // self.block_size
        tables = torch.tensor(
            [seq.block_table[:width] + [0] * (width - len(seq.block_table[:width])) for seq in seqs],
            dtype=torch.long,
        )
        offsets = torch.arange(self.block_size, dtype=torch.long)
        slots = (tables[:, :, None] * self.block_size + offsets).view(len(seqs), -1)[:, :max_len]
        padded = torch.arange(max_len)[None, :] >= lengths[:, None]
        mask = None
        if bool(padded.any()):
            mask = torch.zeros(padded.shape, dtype=self.attention.k_cache.dtype).masked_fill_(
                padded, float("-inf")
            )
            mask = mask.view(1, len(seqs), 1, max_len).to(self.device)
        # Padding reads slot 0 (always finite), then the mask gives it zero weight.
        slots = slots.masked_fill(padded, 0)
        new_token_slots = slots.gather(1, (lengths - 1)[:, None])[:, 0]
        flat = slots.reshape(-1).to(self.device)
        return DecodeBatch(len(seqs), max_len, flat, mask), new_token_slots

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
