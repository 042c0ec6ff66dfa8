"""BlockManager without a model: allocation, salted sharing, token re-check, LRU eviction."""

from __future__ import annotations

from engine.block_manager import BlockManager
from engine.sampling_params import SamplingParams
from engine.sequence import Sequence


def make_seq(request_id: str, tokens: list[int], salt: str = "") -> Sequence:
    return Sequence(request_id, list(tokens), SamplingParams(max_tokens=4), salt=salt)


def computed(bm: BlockManager, seq: Sequence) -> Sequence:
    """Mark the whole prompt as computed, as a finished prefill step would."""
    seq.num_computed_tokens = seq.num_tokens
    bm.commit_computed(seq)
    return seq


def test_allocate_and_free_blocks() -> None:
    bm = BlockManager(num_blocks=8, block_size=4)
    seq = make_seq("a", list(range(10)))
    assert bm.can_allocate(seq)
    bm.allocate(seq)
    assert len(seq.block_table) == 3
    assert len(set(seq.block_table)) == 3
    assert bm.num_free_blocks == 5
    bm.deallocate(seq)
    assert bm.num_free_blocks == 8
    assert seq.block_table == []


def test_same_salt_shares_computed_full_blocks_and_leaves_one_token() -> None:
    bm = BlockManager(num_blocks=16, block_size=4)
    first = computed(bm, _allocated(bm, make_seq("a", list(range(12)), salt="t1")))
    second = make_seq("b", list(range(12)), salt="t1")
    bm.allocate(second)
    # 12 tokens = 3 full blocks, but the last token must be computed for logits: 2 shared.
    assert second.block_table[:2] == first.block_table[:2]
    assert second.block_table[2] != first.block_table[2]
    assert second.num_computed_tokens == 8
    assert bm.blocks[first.block_table[0]].ref_count == 2
    assert bm.prefix_hits == 8


def test_different_salt_never_shares() -> None:
    bm = BlockManager(num_blocks=16, block_size=4)
    first = computed(bm, _allocated(bm, make_seq("a", list(range(12)), salt="t1")))
    other = make_seq("b", list(range(12)), salt="t2")
    bm.allocate(other)
    assert not set(other.block_table) & set(first.block_table)
    assert other.num_computed_tokens == 0


def test_uncomputed_blocks_are_not_shared() -> None:
    bm = BlockManager(num_blocks=16, block_size=4)
    _allocated(bm, make_seq("a", list(range(12))))
    second = make_seq("b", list(range(12)))
    bm.allocate(second)
    assert second.num_computed_tokens == 0


def test_hash_hit_with_other_tokens_is_refused() -> None:
    bm = BlockManager(num_blocks=16, block_size=4)
    first = computed(bm, _allocated(bm, make_seq("a", list(range(12)))))
    # Simulate a hash collision: the cached block claims to hold different tokens.
    bm.blocks[first.block_table[0]].token_ids = [9, 9, 9, 9]
    second = make_seq("b", list(range(12)))
    bm.allocate(second)
    assert second.num_computed_tokens == 0


def test_freed_cached_blocks_are_revived_then_evicted_least_recent_first() -> None:
    bm = BlockManager(num_blocks=6, block_size=4)
    old = computed(bm, _allocated(bm, make_seq("old", [1] * 8 + [2])))
    bm.deallocate(old)
    new = computed(bm, _allocated(bm, make_seq("new", [3] * 8 + [4])))
    bm.deallocate(new)
    # Both prompts are cached while free; a hit revives the blocks without recompute.
    again = make_seq("again", [3] * 8 + [4])
    bm.allocate(again)
    assert again.num_computed_tokens == 8
    bm.deallocate(again)
    # Pressure: 5 fresh blocks evict first the unhashed tails, then "old" before "new".
    filler = make_seq("filler", list(range(100, 120)))
    bm.allocate(filler)
    assert bm.match_prefix(make_seq("x", [1] * 8 + [2])).block_ids == []
    assert len(bm.match_prefix(make_seq("y", [3] * 8 + [4])).block_ids) == 1


def test_can_allocate_counts_revived_blocks() -> None:
    bm = BlockManager(num_blocks=3, block_size=4)
    seq = computed(bm, _allocated(bm, make_seq("a", [5] * 9)))
    bm.deallocate(seq)
    assert bm.can_allocate(make_seq("b", [5] * 9))
    assert not bm.can_allocate(make_seq("c", [5] * 13))


def _allocated(bm: BlockManager, seq: Sequence) -> Sequence:
    bm.allocate(seq)
    return seq
