"""LLMEngine: wires block manager, scheduler and model runner; one step() at a time."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from engine.block_manager import BlockManager
from engine.config import EngineConfig
from engine.metrics import EngineStats
from engine.model_runner import ModelRunner, kv_bytes_per_token
from engine.scheduler import ScheduledBatch, Scheduler
from engine.sequence import RequestOutput, SampledToken, Sequence

logger = logging.getLogger(__name__)


def num_kv_blocks(config: EngineConfig, model_config: Any) -> int:
    if config.num_kv_blocks is not None:
        return config.num_kv_blocks
    per_block = kv_bytes_per_token(model_config, config.torch_dtype) * config.block_size
    return max(int(config.kv_cache_gb * 1024**3) // per_block, 1)


class StepRunner(Protocol):
    """Computes a scheduled batch; a token for each sequence whose tokens are all computed."""

    def run(self, batch: ScheduledBatch) -> list[SampledToken | None]: ...
    def release(self, request_id: str) -> None: ...


class LLMEngine:
    """The synchronous engine: add sequences, call step() until none has work left."""

    def __init__(
        self,
        config: EngineConfig,
        runner: StepRunner,
        num_blocks: int,
        max_model_len: int,
        eos_token_ids: set[int],
    ) -> None:
        self.config = config
        self.eos_token_ids = eos_token_ids
        self.block_manager = BlockManager(num_blocks, config.block_size, config.enable_prefix_caching)
        self.scheduler = Scheduler(self.block_manager, config.max_num_seqs, config.max_batch_tokens)
        self.runner = runner
        self.max_model_len = min(max_model_len, num_blocks * config.block_size)

    @classmethod
    def from_model(cls, model: Any, config: EngineConfig, eos_token_ids: set[int]) -> LLMEngine:
        blocks = num_kv_blocks(config, model.config)
        logger.info("KV cache: %d blocks of %d tokens", blocks, config.block_size)
        runner = ModelRunner(model, config, blocks)
        max_len = min(config.max_model_len, int(model.config.max_position_embeddings))
        return cls(config, runner, blocks, max_len, eos_token_ids)

    def add_sequence(self, seq: Sequence) -> None:
        self.scheduler.add(seq)

    def abort(self, request_id: str) -> None:
        if self.scheduler.abort(request_id) is not None:
            self.runner.release(request_id)

    def has_work(self) -> bool:
        return self.scheduler.has_work()

    def num_waiting(self) -> int:
        return len(self.scheduler.waiting)

    def stats(self) -> EngineStats:
        return EngineStats(
            num_running=len(self.scheduler.running),
            num_waiting=len(self.scheduler.waiting),
            kv_cache_usage=self.block_manager.usage(),
            prefix_cache_queries=self.block_manager.prefix_queries,
            prefix_cache_hits=self.block_manager.prefix_hits,
            num_preemptions=self.scheduler.num_preemptions,
        )

    def step(self) -> list[RequestOutput]:
        batch = self.scheduler.schedule()
        if batch.is_empty:
            return self._refuse_unschedulable()
        tokens = self.runner.run(batch)
        return self._postprocess(batch, tokens)

    def _postprocess(self, batch: ScheduledBatch, sampled: list[SampledToken | None]) -> list[RequestOutput]:
        outputs: list[RequestOutput] = []
        for seq, n, sample in zip(batch.seqs, batch.num_new_tokens, sampled, strict=True):
            seq.num_computed_tokens += n
            self.block_manager.commit_computed(seq)
            if sample is None:
                continue
            token = sample.token_id
            seq.append_token(token)
            reason = self._finish_reason(seq, token)
            if reason is not None:
                self.scheduler.finish(seq, reason)
                self.runner.release(seq.request_id)
            outputs.append(
                RequestOutput(
                    seq.request_id,
                    [token],
                    reason is not None,
                    reason,
                    seq.num_prompt_tokens,
                    seq.num_cached_tokens,
                    seq.queue_wait_s,
                    [sample] if seq.params.logprobs is not None else None,
                )
            )
        return outputs

    def _finish_reason(self, seq: Sequence, token: int) -> str | None:
        if token in self.eos_token_ids and not seq.params.ignore_eos:
            return "stop"
        if seq.num_completion_tokens >= seq.params.max_tokens:
            return "length"
        if seq.num_tokens >= self.max_model_len:
            return "length"
        return None

    def _refuse_unschedulable(self) -> list[RequestOutput]:
        if self.scheduler.running or not self.scheduler.waiting:
            return []
        # Nothing runs and the head of the queue still does not fit: it never will.
        seq = self.scheduler.waiting.popleft()
        seq.finish("length")
        return [RequestOutput(seq.request_id, [], True, "length", seq.num_prompt_tokens, 0)]
