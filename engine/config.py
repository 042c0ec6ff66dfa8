"""EngineConfig: every knob of the engine in one plain dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass
class EngineConfig:
    model: str = "smollm2-135m-instruct"
    # Served at /v1/embeddings beside the chat model; None turns embeddings off.
    embedding_model: str | None = "all-minilm-l6-v2"
    model_cache: Path | None = None
    dtype: str = "float32"
    device: str = "cpu"
    # KV cache size; the block count follows from it and the model's shape.
    kv_cache_gb: float = 1.0
    block_size: int = 16
    max_num_seqs: int = 64
    # Tokens one step may compute: decodes first, the rest goes to (chunked) prefill.
    max_batch_tokens: int = 512
    max_model_len: int = 8192
    # Requests allowed to wait before the server answers 429.
    max_waiting: int = 256
    enable_prefix_caching: bool = True
    # Set by tests to force a tiny cache; None means "derive from kv_cache_gb".
    num_kv_blocks: int | None = None

    @property
    def torch_dtype(self) -> torch.dtype:
        return DTYPES[self.dtype]
