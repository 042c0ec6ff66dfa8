"""Greedy output of the engine is token-for-token HF `generate` (fp32, CPU), however it is scheduled."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import torch

from engine.config import EngineConfig
from engine.llm_engine import LLMEngine
from engine.sampling_params import SamplingParams
from engine.sequence import Sequence
from engine.service import load_model

pytestmark = pytest.mark.slow
NEW_TOKENS = 12
QUESTIONS = [
    "What is the capital of France?",
    "Write a haiku about the sea.",
    "Explain photosynthesis in two sentences.",
    "List three prime numbers.",
    "Translate 'good morning' into Spanish.",
    "What does a cardiologist do?",
    "Give me a tip for writing clean Python code.",
    "Summarize the plot of Romeo and Juliet. " * 3,
    "How many legs does a spider have?",
    "What is 12 times 12?",
    "Describe the color blue to someone who cannot see. " * 2,
    "Name a famous painter.",
    "Why is the sky blue? Answer like a physics teacher talking to a class of students. " * 4,
    "hi",
    "Write a short SQL query that counts the rows of a table named visits.",
    "What should a bank do when it finds a suspicious transaction? " * 6,
]


@pytest.fixture(scope="module")
def model_and_prompts(engine_config: EngineConfig) -> tuple[Any, list[list[int]]]:
    _, model, tokenizer = load_model(engine_config)
    prompts = [
        tokenizer.encode(
            tokenizer.apply_chat_template(
                [{"role": "user", "content": q}], add_generation_prompt=True, tokenize=False
            ),
            add_special_tokens=False,
        )
        for q in QUESTIONS
    ]
    return model, prompts


@pytest.fixture(scope="module")
def reference(model_and_prompts: tuple[Any, list[list[int]]]) -> list[list[int]]:
    model, prompts = model_and_prompts
    outputs = []
    with torch.inference_mode():
        for prompt in prompts:
            ids = torch.tensor([prompt])
            out = model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=NEW_TOKENS,
                do_sample=False,
                # Like the engine runs below (ignore_eos), HF runs past EOS, not suppressing it.
                eos_token_id=None,
                pad_token_id=2,
            )
            outputs.append(out[0, len(prompt) :].tolist())
    return outputs


def generate(
    model: Any, config: EngineConfig, prompts: list[list[int]], *, together: bool
) -> tuple[list[list[int]], LLMEngine]:
    engine = LLMEngine.from_model(model, config, eos_token_ids=set())
    params = SamplingParams(max_tokens=NEW_TOKENS, temperature=0.0, ignore_eos=True)
    seqs = [Sequence(f"p{i}", list(p), params) for i, p in enumerate(prompts)]
    for seq in seqs:
        engine.add_sequence(seq)
        while not together and engine.has_work():
            engine.step()
    while engine.has_work():
        engine.step()
    return [s.completion_token_ids for s in seqs], engine


def test_alone(model_and_prompts: tuple[Any, list[list[int]]], reference: list[list[int]]) -> None:
    model, prompts = model_and_prompts
    config = EngineConfig(enable_prefix_caching=False, kv_cache_gb=0.1)
    outputs, _ = generate(model, config, prompts, together=False)
    assert outputs == reference


def test_batched_with_chunked_prefill(
    model_and_prompts: tuple[Any, list[list[int]]], reference: list[list[int]]
) -> None:
    model, prompts = model_and_prompts
    config = EngineConfig(enable_prefix_caching=False, max_batch_tokens=96, kv_cache_gb=0.1)
    outputs, _ = generate(model, config, prompts, together=True)
    assert outputs == reference


def test_preempted(model_and_prompts: tuple[Any, list[list[int]]], reference: list[list[int]]) -> None:
    model, prompts = model_and_prompts
    config = EngineConfig(enable_prefix_caching=False, num_kv_blocks=24, max_batch_tokens=256)
    outputs, engine = generate(model, config, prompts, together=True)
    assert engine.scheduler.num_preemptions > 0
    assert outputs == reference


def test_prefix_cached(model_and_prompts: tuple[Any, list[list[int]]], reference: list[list[int]]) -> None:
    model, prompts = model_and_prompts
    config = EngineConfig(max_batch_tokens=256, kv_cache_gb=0.1)
    engine = LLMEngine.from_model(model, config, eos_token_ids=set())
    params = SamplingParams(max_tokens=NEW_TOKENS, temperature=0.0, ignore_eos=True)
    for round_ in range(2):
        seqs = [Sequence(f"r{round_}-{i}", list(p), params) for i, p in enumerate(prompts)]
        for seq in seqs:
            engine.add_sequence(seq)
        while engine.has_work():
            engine.step()
        assert [s.completion_token_ids for s in seqs] == reference
    # Second round: every prompt found its own full blocks in the cache.
    assert all(
        s.num_cached_tokens >= len(p) - 2 * config.block_size for s, p in zip(seqs, prompts, strict=True)
    )
    assert engine.block_manager.prefix_hits > sum(len(p) for p in prompts) // 2


def test_seeded_sampling_is_reproducible(model_and_prompts: tuple[Any, list[list[int]]]) -> None:
    model, prompts = model_and_prompts
    config = EngineConfig(kv_cache_gb=0.1)
    params = SamplingParams(max_tokens=8, temperature=0.9, top_p=0.9, top_k=40, seed=1234)

    def sample(batch_with: int) -> list[int]:
        engine = LLMEngine.from_model(model, config, eos_token_ids=set())
        target = Sequence("target", list(prompts[0]), params)
        engine.add_sequence(target)
        for i in range(batch_with):
            engine.add_sequence(Sequence(f"other{i}", list(prompts[i + 1]), replace(params, seed=i)))
        while engine.has_work():
            engine.step()
        return target.completion_token_ids

    assert sample(0) == sample(3)
