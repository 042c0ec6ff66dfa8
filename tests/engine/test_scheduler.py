"""Scheduler and LLMEngine step logic without a model.

The model runner is replaced at its seam (StepRunner) by a counter that "samples" a fixed
token: scheduling, chunking, preemption and block accounting do not depend on the weights.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.block_manager import BlockManager
from engine.config import EngineConfig
from engine.llm_engine import LLMEngine
from engine.sampling_params import SamplingParams
from engine.scheduler import ScheduledBatch, Scheduler
from engine.sequence import SampledToken, Sequence, SequenceStatus


class CountingRunner:
    """Returns token 7 for every sequence whose tokens are all computed after the step."""

    def __init__(self) -> None:
        self.batches: list[list[tuple[str, int]]] = []

    def run(self, batch: ScheduledBatch) -> list[SampledToken | None]:
        self.batches.append(
            [(s.request_id, n) for s, n in zip(batch.seqs, batch.num_new_tokens, strict=True)]
        )
        return [
            SampledToken(7) if s.num_computed_tokens + n == s.num_tokens else None
            for s, n in zip(batch.seqs, batch.num_new_tokens, strict=True)
        ]

    def release(self, request_id: str) -> None:
        pass


def make_engine(num_blocks: int = 64, block_size: int = 4, **config: int) -> LLMEngine:
    cfg = EngineConfig(block_size=block_size, **config)  # type: ignore[arg-type]
    return LLMEngine(cfg, CountingRunner(), num_blocks, 10_000, eos_token_ids={2})


def seq(request_id: str, prompt_len: int, max_tokens: int = 3, salt: str = "") -> Sequence:
    tokens = [100 + (hash(request_id) + i) % 50 for i in range(prompt_len)]
    return Sequence(request_id, tokens, SamplingParams(max_tokens=max_tokens), salt=salt)


def run_to_end(engine: LLMEngine, limit: int = 10_000) -> None:
    for _ in range(limit):
        if not engine.has_work():
            return
        engine.step()
    raise AssertionError("engine did not drain")


def test_long_prompt_is_prefilled_in_chunks_within_the_budget() -> None:
    engine = make_engine(max_batch_tokens=8)
    engine.add_sequence(seq("long", 20))
    runner = engine.runner
    assert isinstance(runner, CountingRunner)
    run_to_end(engine)
    assert runner.batches[:3] == [[("long", 8)], [("long", 8)], [("long", 4)]]
    assert all(sum(n for _, n in b) <= 8 for b in runner.batches)


def test_decodes_go_first_then_prefill_chunks() -> None:
    engine = make_engine(max_batch_tokens=6)
    engine.add_sequence(seq("a", 4, max_tokens=5))
    engine.step()  # a's prefill
    engine.add_sequence(seq("b", 12))
    engine.step()
    runner = engine.runner
    assert isinstance(runner, CountingRunner)
    assert runner.batches[1] == [("a", 1), ("b", 5)]


def test_fifo_head_that_does_not_fit_blocks_later_requests() -> None:
    engine = make_engine(num_blocks=4, block_size=4)
    engine.add_sequence(seq("big", 12, max_tokens=8))
    engine.step()
    engine.add_sequence(seq("too-big-now", 8))
    engine.add_sequence(seq("small", 2))
    engine.step()
    running = {s.request_id for s in engine.scheduler.running}
    assert running == {"big"}
    assert [s.request_id for s in engine.scheduler.waiting] == ["too-big-now", "small"]


def test_max_num_seqs_caps_the_running_set() -> None:
    engine = make_engine(max_num_seqs=2)
    for i in range(4):
        engine.add_sequence(seq(f"s{i}", 3))
    engine.step()
    assert len(engine.scheduler.running) == 2


def test_preemption_recomputes_the_newest_and_keeps_its_tokens() -> None:
    engine = make_engine(num_blocks=4, block_size=4)
    engine.add_sequence(seq("old", 7, max_tokens=6))
    engine.add_sequence(seq("new", 7, max_tokens=6))
    engine.step()  # both prefilled: 2 blocks each, the cache is full
    engine.step()  # token 8 still fits the second block
    engine.step()  # token 9 needs a third block for "old": "new" is preempted
    assert engine.scheduler.num_preemptions >= 1
    preempted = engine.scheduler.waiting[0]
    assert preempted.request_id == "new"
    assert preempted.status is SequenceStatus.WAITING
    assert preempted.block_table == [] and preempted.num_computed_tokens == 0
    assert preempted.num_completion_tokens >= 1
    run_to_end(engine)
    assert engine.block_manager.num_free_blocks == 4


def test_finish_on_eos_and_on_max_tokens() -> None:
    engine = make_engine()
    capped = seq("capped", 3, max_tokens=2)
    engine.add_sequence(capped)
    run_to_end(engine)
    assert capped.finish_reason == "length"
    assert capped.completion_token_ids == [7, 7]
    engine.eos_token_ids = {7}
    eos = seq("eos", 3, max_tokens=5)
    engine.add_sequence(eos)
    run_to_end(engine)
    assert eos.finish_reason == "stop"


def test_abort_frees_blocks_at_once() -> None:
    engine = make_engine(num_blocks=8)
    engine.add_sequence(seq("gone", 9, max_tokens=50))
    engine.step()
    assert engine.block_manager.num_free_blocks < 8
    engine.abort("gone")
    assert engine.block_manager.num_free_blocks == 8
    assert not engine.has_work()


def test_scheduler_never_reorders_across_salts_for_cache_affinity() -> None:
    bm = BlockManager(num_blocks=64, block_size=4)
    scheduler = Scheduler(bm, max_num_seqs=1, max_batch_tokens=64)
    for request_id, salt in [("t1-a", "t1"), ("t2-a", "t2"), ("t1-b", "t1")]:
        scheduler.add(seq(request_id, 8, salt=salt))
    assert [s.request_id for s in scheduler.schedule().seqs] == ["t1-a"]
    assert [s.request_id for s in scheduler.waiting] == ["t2-a", "t1-b"]


def _check_block_accounting(engine: LLMEngine) -> None:
    bm = engine.block_manager
    refs: dict[int, int] = {}
    for s in engine.scheduler.running:
        for block_id in s.block_table:
            refs[block_id] = refs.get(block_id, 0) + 1
    for block in bm.blocks:
        assert block.ref_count == refs.get(block.block_id, 0)
        assert (block.ref_count == 0) == (block.block_id in bm.free_block_ids)
    for s in engine.scheduler.waiting:
        assert s.block_table == []


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), block_size=st.sampled_from([2, 4, 16]))
def test_random_workload_never_leaks_a_block(seed: int, block_size: int) -> None:
    rng = random.Random(seed)
    engine = make_engine(
        num_blocks=rng.randint(12, 40), block_size=block_size, max_batch_tokens=rng.randint(8, 64)
    )
    shared = [rng.randrange(100, 150) for _ in range(rng.randint(0, 24))]
    live: list[str] = []
    for step in range(300):
        action = rng.random()
        if action < 0.25:
            request_id = f"r{step}"
            prompt = shared + [rng.randrange(100, 150) for _ in range(rng.randint(1, 12))]
            params = SamplingParams(max_tokens=rng.randint(1, 12))
            engine.add_sequence(Sequence(request_id, prompt, params, salt=rng.choice("ab")))
            live.append(request_id)
        elif action < 0.32 and live:
            engine.abort(live.pop(rng.randrange(len(live))))
        elif engine.has_work():
            engine.step()
        _check_block_accounting(engine)
    run_to_end(engine)
    _check_block_accounting(engine)
    assert engine.block_manager.num_free_blocks == engine.block_manager.num_blocks
