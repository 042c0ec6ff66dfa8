"""`POST /v1/embeddings`: the OpenAI request body and response, over an `EmbeddingModel`.

Every field is honoured or refused: `dimensions` only as the model's own size (the model cannot be
shortened without changing what its vectors mean), token-id inputs never (only text is accepted).
"""

from __future__ import annotations

import base64
import struct
from typing import Annotated, Any, Literal

import anyio
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator

from engine.embeddings import EmbeddingModel
from engine.errors import InvalidRequestError, ModelNotFoundError

MAX_INPUTS = 2048


class EmbeddingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: StrictStr
    input: (
        Annotated[StrictStr, Field(min_length=1)]
        | Annotated[
            list[Annotated[StrictStr, Field(min_length=1)]], Field(min_length=1, max_length=MAX_INPUTS)
        ]
    )
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: Annotated[StrictInt, Field(ge=1)] | None = None

    @field_validator("input", mode="before")
    @classmethod
    def _text_only(cls, value: object) -> object:
        if isinstance(value, list) and value and not isinstance(value[0], str):
            raise ValueError("token-id inputs are not supported; send the text")
        return value

    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)


def _encode(vector: list[float], encoding_format: str) -> list[float] | str:
    if encoding_format == "float":
        return vector
    # OpenAI's base64 format: the float32 values, little-endian, back to back.
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def _check(request: EmbeddingRequest, model: EmbeddingModel | None) -> EmbeddingModel:
    if model is None or request.model != model.name:
        raise ModelNotFoundError(
            f"the embedding model {request.model!r} does not exist", param="model", code="model_not_found"
        )
    if request.dimensions is not None and request.dimensions != model.dimensions:
        raise InvalidRequestError(
            f"dimensions: {model.name} produces {model.dimensions}-dimension vectors and cannot shorten them",
            param="dimensions",
        )
    return model


def _embed(request: EmbeddingRequest, embedder: EmbeddingModel) -> dict[str, Any]:
    texts = request.texts()
    counts = embedder.count_tokens(texts)
    longest = max(counts)
    if longest > embedder.max_tokens:
        # Refused, not truncated: a silently shortened text would get a vector for words it lacks.
        raise InvalidRequestError(
            f"input: an input is {longest} tokens, over {embedder.name}'s limit of {embedder.max_tokens}",
            param="input",
            code="context_length_exceeded",
        )
    data = [
        {"object": "embedding", "index": i, "embedding": _encode(vector, request.encoding_format)}
        for i, vector in enumerate(embedder.embed(texts))
    ]
    usage = {"prompt_tokens": sum(counts), "total_tokens": sum(counts)}
    return {"object": "list", "data": data, "model": embedder.name, "usage": usage}


async def create_embeddings(request: EmbeddingRequest, model: EmbeddingModel | None) -> dict[str, Any]:
    embedder = _check(request, model)
    # Off the event loop: tokenizing and encoding are CPU-bound; the generation routes stay responsive.
    return await anyio.to_thread.run_sync(_embed, request, embedder)


def model_card(model: EmbeddingModel) -> dict[str, Any]:
    return {
        "id": model.name,
        "object": "model",
        "created": 0,
        "owned_by": "bulwark",
        "max_model_len": model.max_tokens,
    }
