"""Continuous batching: FIFO queues, a per-step token budget, chunked prefill, preemption."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from engine.block_manager import BlockManager
from engine.sequence import Sequence, SequenceStatus


@dataclass
class ScheduledBatch:
    """The sequences of one step and how many of each one's tokens to compute now."""

    seqs: list[Sequence] = field(default_factory=list)
    num_new_tokens: list[int] = field(default_factory=list)

    def add(self, seq: Sequence, num_tokens: int) -> None:
        self.seqs.append(seq)
        self.num_new_tokens.append(num_tokens)

    @property
    def is_empty(self) -> bool:
        return not self.seqs

    @property
    def num_tokens(self) -> int:
        return sum(self.num_new_tokens)


class Scheduler:
    """Decodes first, then continues chunked prefills, then admits waiting requests in order."""

    def __init__(self, block_manager: BlockManager, max_num_seqs: int, max_batch_tokens: int):
        self.block_manager = block_manager
        self.max_num_seqs = max_num_seqs
        self.max_batch_tokens = max_batch_tokens
        self.waiting: deque[Sequence] = deque()
        self.running: list[Sequence] = []
        self.num_preemptions = 0

    def add(self, seq: Sequence) -> None:
        self.waiting.append(seq)

    def has_work(self) -> bool:
        return bool(self.waiting or self.running)

    def abort(self, request_id: str) -> Sequence | None:
        for queue in (self.running, self.waiting):
            for seq in queue:
                if seq.request_id == request_id:
                    queue.remove(seq)
                    self.block_manager.deallocate(seq)
                    seq.finish("abort")
                    return seq
        return None

    def schedule(self) -> ScheduledBatch:
        batch = ScheduledBatch()
        budget = self.max_batch_tokens
        for seq in [s for s in self.running if s.num_uncomputed_tokens == 1]:
            # A sequence preempted earlier in this loop is no longer running.
            if budget > 0 and seq.status is SequenceStatus.RUNNING and self._reserve_decode_slot(seq):
                batch.add(seq, 1)
                budget -= 1
        for seq in self.running:
            if budget > 0 and seq.num_uncomputed_tokens > 1:
                chunk = min(seq.num_uncomputed_tokens, budget)
                batch.add(seq, chunk)
                budget -= chunk
        while self.waiting and budget > 0 and len(self.running) < self.max_num_seqs:
            seq = self.waiting[0]
            if not self.block_manager.can_allocate(seq):
                # Strict FIFO: a later (maybe cache-friendlier) request never jumps the queue.
                break
            self.waiting.popleft()
            self.block_manager.allocate(seq)
            seq.status = SequenceStatus.RUNNING
            if seq.num_admissions == 0:
                seq.num_cached_tokens = seq.num_computed_tokens
                seq.first_scheduled_time = time.perf_counter()
            seq.num_admissions += 1
            self.running.append(seq)
            chunk = min(seq.num_uncomputed_tokens, budget)
            batch.add(seq, chunk)
            budget -= chunk
        return batch

    def _reserve_decode_slot(self, seq: Sequence) -> bool:
        """Make room for seq's next token, preempting the newest running sequences if needed."""
        while not self.block_manager.can_append(seq):
            victim = self.running[-1]
            self._preempt(victim)
            if victim is seq:
                return False
        self.block_manager.append_slot(seq)
        return True

    def _preempt(self, seq: Sequence) -> None:
        # Recompute, not swap: its tokens are kept, its KV is rebuilt (often from the prefix cache).
        self.running.remove(seq)
        self.block_manager.deallocate(seq)
        seq.status = SequenceStatus.WAITING
        self.waiting.appendleft(seq)
        self.num_preemptions += 1

    def finish(self, seq: Sequence, reason: str) -> None:
        seq.finish(reason)
        self.running.remove(seq)
        self.block_manager.deallocate(seq)
