"""The embedding model (all-MiniLM-L6-v2 from its wheel) and the engine's /v1/embeddings, through the
official openai SDK against the real server."""

from __future__ import annotations

import base64
import math
import struct

import anyio
import httpx
import openai
import pytest

from engine.embedding_api import EmbeddingRequest, create_embeddings
from engine.embeddings import EmbeddingModel
from engine.errors import ModelNotFoundError
from tests.engine.conftest import RunningEngine

pytestmark = pytest.mark.slow
MODEL = "all-minilm-l6-v2"
# The similarity matrix sentence-transformers' README prints for these sentences under this model:
# reproducing it means tokenizer, weights, mean pooling and normalisation all match upstream.
SENTENCES = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
REFERENCE = [[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]]


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


@pytest.fixture
def embedder(running_engine: RunningEngine) -> EmbeddingModel:
    assert running_engine.service.embedder is not None, "embeddings are on by default"
    return running_engine.service.embedder


@pytest.fixture
def client(running_engine: RunningEngine) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{running_engine.base_url}/v1", api_key="unused", max_retries=0)


def test_related_sentences_are_closer_than_unrelated_ones(embedder: EmbeddingModel) -> None:
    vectors = embedder.embed(SENTENCES)
    for i, row in enumerate(REFERENCE):
        for j, expected in enumerate(row):
            assert _cosine(vectors[i], vectors[j]) == pytest.approx(expected, abs=1e-3)
    assert all(math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-5) for v in vectors)


def test_a_batch_gives_the_same_vectors_as_one_text_at_a_time(embedder: EmbeddingModel) -> None:
    # Different lengths, so the batch pads: padding must not move any text's vector.
    texts = ["short", "a much longer sentence about the quarterly report of the bank", "mid length text"]
    batched = embedder.embed(texts)
    for text, vector in zip(texts, batched, strict=True):
        [single] = embedder.embed([text])
        assert max(abs(a - b) for a, b in zip(single, vector, strict=True)) < 1e-5


def test_sdk_batch_of_three_in_float_and_base64(client: openai.OpenAI) -> None:
    floats = client.embeddings.create(model=MODEL, input=SENTENCES, encoding_format="float")
    assert [d.index for d in floats.data] == [0, 1, 2]
    assert all(len(d.embedding) == 384 for d in floats.data)
    assert floats.usage.prompt_tokens == floats.usage.total_tokens == 25  # 8 + 9 + 8 with [CLS]/[SEP]
    # The SDK asks for base64 unless told otherwise and decodes it itself.
    decoded = client.embeddings.create(model=MODEL, input=SENTENCES, dimensions=384)
    raw = client.embeddings.with_raw_response.create(
        model=MODEL, input=SENTENCES[0], encoding_format="base64"
    )
    packed = raw.http_response.json()["data"][0]["embedding"]
    unpacked = struct.unpack("<384f", base64.b64decode(packed))
    for a, b in (
        (decoded.data[0].embedding, floats.data[0].embedding),
        (list(unpacked), floats.data[0].embedding),
    ):
        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) < 1e-6
    assert MODEL in [m.id for m in client.models.list()]


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"input": "hello", "dimensions": 128}, "dimensions"),
        ({"input": [101, 7592, 102]}, "input"),
        ({"input": [[101, 7592, 102]]}, "input"),
        ({"input": "word " * 300}, "input"),
        ({"input": "hello", "user": "someone"}, "user"),
    ],
)
def test_refused_fields_are_named(
    running_engine: RunningEngine, extra: dict[str, object], param: str
) -> None:
    reply = httpx.post(f"{running_engine.base_url}/v1/embeddings", json={"model": MODEL} | extra, timeout=60)
    assert reply.status_code == 400
    assert reply.json()["error"]["param"] == param


def test_unknown_embedding_model_is_404(running_engine: RunningEngine) -> None:
    reply = httpx.post(
        f"{running_engine.base_url}/v1/embeddings", json={"model": "text-embedding-3-small", "input": "x"}
    )
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "model_not_found"


def test_an_engine_started_without_an_embedding_model_answers_404() -> None:
    request = EmbeddingRequest.model_validate({"model": MODEL, "input": "hello"})
    with pytest.raises(ModelNotFoundError):
        anyio.run(create_embeddings, request, None)
