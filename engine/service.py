"""Builds the served engine from an EngineConfig: resolve, load, wire."""

from __future__ import annotations

import logging
import time
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from engine.async_engine import AsyncEngine
from engine.config import EngineConfig
from engine.hf_generate_core import HFGenerateCore
from engine.metrics import EngineMetrics, EngineStats
from engine.model_store import resolve_model
from engine.server import EngineService

logger = logging.getLogger(__name__)


def load_model(config: EngineConfig) -> tuple[str, Any, Any]:
    """Return (served name, model, tokenizer) for the configured model."""
    started = time.perf_counter()
    resolved = resolve_model(config.model, config.model_cache)
    tokenizer = AutoTokenizer.from_pretrained(resolved.path)
    model: Any = AutoModelForCausalLM.from_pretrained(resolved.path, dtype=config.torch_dtype)
    model.to(torch.device(config.device)).eval()
    logger.info("loaded %s in %.1f s", resolved.name, time.perf_counter() - started)
    return resolved.name, model, tokenizer


def build_service(config: EngineConfig) -> EngineService:
    name, model, tokenizer = load_model(config)
    core = HFGenerateCore(model, eos_token_id=int(tokenizer.eos_token_id))
    engine = AsyncEngine(core, max_waiting=config.max_waiting)
    max_len = min(config.max_model_len, int(model.config.max_position_embeddings))
    return EngineService(
        engine=engine,
        tokenizer=tokenizer,
        model_name=name,
        max_model_len=max_len,
        metrics=EngineMetrics(lambda: EngineStats(num_waiting=core.num_waiting())),
    )
