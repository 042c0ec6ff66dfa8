"""Paged KV blocks: ref counts, a salted hash-chained prefix cache, LRU eviction of free blocks."""

from __future__ import annotations

import hashlib
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field

from engine.sequence import Sequence

_SALT_DOMAIN = b"bulwark-prefix-cache-salt\x00"


def salt_seed(salt: str) -> bytes:
    """The parent hash of a sequence's first block: tenants with different salts never share."""
    return hashlib.sha256(_SALT_DOMAIN + salt.encode()).digest()


def block_hash(parent: bytes, token_ids: list[int]) -> bytes:
    return hashlib.sha256(parent + array("q", token_ids).tobytes()).digest()


@dataclass
class Block:
    block_id: int
    ref_count: int = 0
    hash: bytes | None = None
    token_ids: list[int] = field(default_factory=list)


@dataclass
class PrefixMatch:
    """Blocks of a new sequence's prefix found in the cache."""

    block_ids: list[int]
    hashes: list[bytes]
    num_revived: int  # matched blocks that sat free and now come back into use


class BlockManager:
    """Owns every KV block; a sequence holds blocks through its block_table."""

    def __init__(self, num_blocks: int, block_size: int, enable_prefix_caching: bool = True):
        self.block_size = block_size
        self.enable_prefix_caching = enable_prefix_caching
        self.blocks = [Block(i) for i in range(num_blocks)]
        self.hash_to_block: dict[bytes, int] = {}
        # Unreferenced blocks, least recently freed first: eviction takes from the front.
        self.free_block_ids: OrderedDict[int, None] = OrderedDict.fromkeys(range(num_blocks))
        # Per-sequence hash chain of its computed full blocks.
        self.seq_hashes: dict[str, list[bytes]] = {}
        self.prefix_queries = 0
        self.prefix_hits = 0

    @property
    def num_blocks(self) -> int:
        return len(self.blocks)

    @property
    def num_free_blocks(self) -> int:
        return len(self.free_block_ids)

    def usage(self) -> float:
        return 1.0 - self.num_free_blocks / self.num_blocks

    def blocks_needed(self, num_tokens: int) -> int:
        return (num_tokens + self.block_size - 1) // self.block_size

    def match_prefix(self, seq: Sequence) -> PrefixMatch:
        """Longest cached chain of full blocks, leaving at least one token to compute."""
        match = PrefixMatch([], [], 0)
        if not self.enable_prefix_caching:
            return match
        parent = salt_seed(seq.salt)
        for start in range(0, seq.num_tokens - 1 - self.block_size + 1, self.block_size):
            tokens = seq.token_ids[start : start + self.block_size]
            parent = block_hash(parent, tokens)
            block_id = self.hash_to_block.get(parent)
            # Re-check the tokens: a hash hit alone must never serve another prompt's KV.
            if block_id is None or self.blocks[block_id].token_ids != tokens:
                break
            match.block_ids.append(block_id)
            match.hashes.append(parent)
            match.num_revived += self.blocks[block_id].ref_count == 0
        return match

    def can_allocate(self, seq: Sequence) -> bool:
        match = self.match_prefix(seq)
        fresh = self.blocks_needed(seq.num_tokens) - len(match.block_ids)
        return fresh + match.num_revived <= self.num_free_blocks

    def allocate(self, seq: Sequence) -> None:
        """Give a waiting sequence blocks for all its tokens, reusing its cached prefix."""
        assert not seq.block_table
        match = self.match_prefix(seq)
        for block_id in match.block_ids:
            self._take(block_id)
        fresh = self.blocks_needed(seq.num_tokens) - len(match.block_ids)
        seq.block_table = match.block_ids + [self._take_free() for _ in range(fresh)]
        self.seq_hashes[seq.request_id] = list(match.hashes)
        seq.num_computed_tokens = len(match.block_ids) * self.block_size
        self.prefix_queries += seq.num_tokens
        self.prefix_hits += seq.num_computed_tokens

    def can_append(self, seq: Sequence) -> bool:
        """Whether the sequence's next token has room (a new block costs one free block)."""
        return len(seq.block_table) * self.block_size >= seq.num_tokens or self.num_free_blocks > 0

    def append_slot(self, seq: Sequence) -> None:
        if len(seq.block_table) * self.block_size < seq.num_tokens:
            seq.block_table.append(self._take_free())

    def commit_computed(self, seq: Sequence) -> None:
        """Publish newly computed full blocks in the prefix cache (only computed KV is shareable)."""
        if not self.enable_prefix_caching:
            return
        hashes = self.seq_hashes.setdefault(seq.request_id, [])
        parent = hashes[-1] if hashes else salt_seed(seq.salt)
        for index in range(len(hashes), seq.num_computed_tokens // self.block_size):
            tokens = seq.token_ids[index * self.block_size : (index + 1) * self.block_size]
            parent = block_hash(parent, tokens)
            hashes.append(parent)
            block = self.blocks[seq.block_table[index]]
            if parent not in self.hash_to_block and block.hash is None:
                block.hash, block.token_ids = parent, tokens
                self.hash_to_block[parent] = block.block_id

    def deallocate(self, seq: Sequence) -> None:
        # Tail blocks are freed first, so they are evicted before the shared heads of prompts.
        for block_id in reversed(seq.block_table):
            block = self.blocks[block_id]
            block.ref_count -= 1
            if block.ref_count == 0:
                self.free_block_ids[block_id] = None
                if block.hash is None:
                    self.free_block_ids.move_to_end(block_id, last=False)
        seq.block_table = []
        seq.num_computed_tokens = 0
        self.seq_hashes.pop(seq.request_id, None)

    def _take(self, block_id: int) -> None:
        block = self.blocks[block_id]
        if block.ref_count == 0:
            del self.free_block_ids[block_id]
        block.ref_count += 1

    def _take_free(self) -> int:
        block_id, _ = self.free_block_ids.popitem(last=False)
        block = self.blocks[block_id]
        if block.hash is not None:
            # Evicting a cached block: forget it so no later lookup can land on reused memory.
            if self.hash_to_block.get(block.hash) == block_id:
                del self.hash_to_block[block.hash]
            block.hash, block.token_ids = None, []
        block.ref_count = 1
        return block_id
