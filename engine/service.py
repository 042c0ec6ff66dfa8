"""Builds the served engine from an EngineConfig: resolve, load, wire."""

from __future__ import annotations

import logging
import time
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from engine.async_engine import AsyncEngine
from engine.config import EngineConfig
from engine.embeddings import EmbeddingModel
from engine.grammar import GrammarCompiler
from engine.llm_engine import LLMEngine
from engine.metrics import EngineMetrics
from engine.model_store import resolve_model
from engine.quantize import quantize_int8
from engine.server import EngineService

logger = logging.getLogger(__name__)


def load_model(config: EngineConfig) -> tuple[str, Any, Any]:
    """Return (served name, model, tokenizer) for the configured model."""
    started = time.perf_counter()
    resolved = resolve_model(config.model, config.model_cache)
    tokenizer = AutoTokenizer.from_pretrained(resolved.path)
    model: Any = AutoModelForCausalLM.from_pretrained(resolved.path, dtype=config.torch_dtype)
    model.to(torch.device(config.device)).eval()
    if config.quantization == "int8":
        quantize_int8(model)
    logger.info(
        "loaded %s (%s, %s) in %.1f s",
        resolved.name,
        config.quantization or config.torch_dtype,
        config.device,
        time.perf_counter() - started,
    )
    return resolved.name, model, tokenizer


def eos_token_ids(model: Any, tokenizer: Any) -> set[int]:
    ids = {int(tokenizer.eos_token_id)} if tokenizer.eos_token_id is not None else set()
    configured = getattr(model.generation_config, "eos_token_id", None)
    if isinstance(configured, int):
        ids.add(configured)
    elif configured:
        ids.update(int(i) for i in configured)
    return ids


def build_service(config: EngineConfig) -> EngineService:
    config.validate()
    name, model, tokenizer = load_model(config)
    core = LLMEngine.from_model(model, config, eos_token_ids(model, tokenizer))
    embedder = EmbeddingModel.load(config.embedding_model, config.device) if config.embedding_model else None
    return EngineService(
        engine=AsyncEngine(core, max_waiting=config.max_waiting),
        tokenizer=tokenizer,
        model_name=name,
        max_model_len=core.max_model_len,
        metrics=EngineMetrics(core.stats),
        embedder=embedder,
        grammars=GrammarCompiler(tokenizer),
    )
