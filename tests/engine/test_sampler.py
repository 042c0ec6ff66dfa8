"""The sampler's batched adjustments act on their own row only: penalties, logit_bias, grammar masks
(no model: logits are made up, so each effect is exact)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
import torch
from transformers import AutoTokenizer

from engine.grammar import GrammarCompiler
from engine.model_store import DEFAULT_MODEL, resolve_model
from engine.sampler import Sampler
from engine.sampling_params import SamplingParams
from engine.sequence import Sequence
from tests.engine.conftest import MODEL_CACHE

VOCAB = 8


def seqs(*params: SamplingParams, completions: list[list[int]] | None = None) -> list[Sequence]:
    made = []
    for i, p in enumerate(params):
        completion = (completions or [[]] * len(params))[i]
        made.append(Sequence(f"r{i}", [1, 2, *completion], p, num_prompt_tokens=2))
    return made


def rising_logits(rows: int) -> torch.Tensor:
    return torch.arange(VOCAB, dtype=torch.float).repeat(rows, 1)  # greedy picks token 7


def test_logit_bias_moves_only_its_own_row() -> None:
    biased = SamplingParams(temperature=0, logit_bias=((3, 100.0),))
    banned = SamplingParams(temperature=0, logit_bias=((7, -100.0),))
    plain = SamplingParams(temperature=0)
    tokens = Sampler().sample(rising_logits(3), seqs(biased, banned, plain))
    assert [t.token_id for t in tokens] == [3, 6, 7]


def test_frequency_and_presence_penalties_count_generated_tokens() -> None:
    logits = rising_logits(3)
    freq = SamplingParams(temperature=0, frequency_penalty=0.6)
    pres = SamplingParams(temperature=0, presence_penalty=1.5)
    plain = SamplingParams(temperature=0)
    # Token 7 generated twice: frequency lowers it by 1.2 (below 6), presence once by 1.5.
    tokens = Sampler().sample(logits, seqs(freq, pres, plain, completions=[[7, 7], [7, 7], [7, 7]]))
    assert [t.token_id for t in tokens] == [6, 6, 7]
    lighter = SamplingParams(temperature=0, frequency_penalty=0.4)  # 7 - 0.8 = 6.2 still wins
    assert Sampler().sample(rising_logits(1), seqs(lighter, completions=[[7, 7]]))[0].token_id == 7


def test_logprobs_are_the_models_distribution_with_top_alternatives() -> None:
    tokens = Sampler().sample(
        rising_logits(2), seqs(SamplingParams(temperature=0, logprobs=2), SamplingParams())
    )
    expected = torch.arange(VOCAB, dtype=torch.float).log_softmax(-1)
    assert tokens[0].logprob == pytest.approx(float(expected[7]))
    assert [i for i, _ in tokens[0].top_logprobs] == [7, 6]
    assert tokens[1].logprob is None and tokens[1].top_logprobs == ()


@cache
def tokenizer() -> Any:
    # resolve_model builds the model cache on a clean machine, like the engine fixtures do.
    return AutoTokenizer.from_pretrained(resolve_model(DEFAULT_MODEL, MODEL_CACHE).path)


@pytest.fixture(scope="module")
def compiler() -> GrammarCompiler:
    return GrammarCompiler(tokenizer())


def test_grammar_masks_only_constrained_rows(compiler: GrammarCompiler) -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"const": 1}},
        "required": ["a"],
        "additionalProperties": False,
    }
    grammar = compiler.json_schema(schema)
    vocab = 49152
    logits = torch.zeros(2, vocab)
    logits[:, 100] = 50.0  # what an unconstrained model would say
    constrained = SamplingParams(temperature=0, grammar=grammar)
    sampler = Sampler()
    batch = seqs(constrained, SamplingParams(temperature=0))
    text: list[int] = []
    for _ in range(12):
        first, second = sampler.sample(logits.clone(), batch)
        assert second.token_id == 100
        if first.token_id == 2:  # EOS: the grammar is complete
            break
        batch[0].append_token(first.token_id)
        text.append(first.token_id)
    assert first.token_id == 2
    assert json.loads(tokenizer().decode(text)) == {"a": 1}
