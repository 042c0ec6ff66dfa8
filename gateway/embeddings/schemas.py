"""The OpenAI embeddings request Bulwark accepts. Unknown fields are refused (so nothing reaches the
engine that redaction has not seen), and so are token-id inputs: ids cannot be screened for PII."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from gateway.chat.schemas import PositiveInt, StrictModel

Text = Annotated[str, Field(min_length=1)]
MAX_INPUTS = 2048


class EmbeddingRequest(StrictModel):
    stream: ClassVar[bool] = False  # embeddings are never streamed

    model: Annotated[str, Field(min_length=1, max_length=200)]
    input: Text | Annotated[list[Text], Field(min_length=1, max_length=MAX_INPUTS)]
    encoding_format: Literal["float", "base64"] | None = None
    # Passed through: the engine refuses a size its model does not produce.
    dimensions: PositiveInt | None = None

    @field_validator("input", mode="before")
    @classmethod
    def _text_only(cls, value: object) -> object:
        if isinstance(value, list) and value and not isinstance(value[0], str):
            raise ValueError("token-id inputs cannot be screened for personal data; send the text")
        return value
