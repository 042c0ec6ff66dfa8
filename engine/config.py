"""EngineConfig: every knob of the engine in one plain dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from engine.hardware import default_dtype

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass
class EngineConfig:
    model: str = "smollm2-135m-instruct"
    # Served at /v1/embeddings beside the chat model; None turns embeddings off.
    embedding_model: str | None = "all-minilm-l6-v2"
    model_cache: Path | None = None
    # "auto": bfloat16 on CUDA and on CPUs with native bf16 (AVX512-BF16/AMX), else float32.
    dtype: str = "auto"
    device: str = "cpu"
    # None serves the checkpoint's weights; "int8": int8 weights for every Linear (CPU, float32).
    quantization: str | None = None
    # torch intra-op threads; None: the physical cores this process may run on.
    threads: int | None = None
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

    def validate(self) -> None:
        """Refuse combinations that cannot serve, before any weights load."""
        if self.quantization not in (None, "int8"):
            raise ValueError(f"unknown quantization {self.quantization!r} (choose int8)")
        if self.quantization and (self.device != "cpu" or self.dtype not in ("auto", "float32")):
            raise ValueError("int8 quantization runs on the CPU from float32 weights")

    @property
    def torch_dtype(self) -> torch.dtype:
        if self.quantization is not None:
            return torch.float32
        if self.dtype == "auto":
            return DTYPES[default_dtype(self.device)]
        return DTYPES[self.dtype]
