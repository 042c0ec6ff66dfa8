"""One request's tokens and progress through the engine."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum, auto

from engine.sampling_params import SamplingParams


class SequenceStatus(Enum):
    WAITING = auto()
    RUNNING = auto()
    FINISHED = auto()


@dataclass(frozen=True)
class SampledToken:
    """A sampled token; with its log-probability and the top alternatives when the request asked."""

    token_id: int
    logprob: float | None = None
    top_logprobs: tuple[tuple[int, float], ...] = ()


@dataclass
class RequestOutput:
    """What one step produced for one request."""

    request_id: str
    new_token_ids: list[int]
    finished: bool
    finish_reason: str | None
    num_prompt_tokens: int
    num_cached_tokens: int
    queue_wait_s: float | None = None  # arrival to first admission (tracing)
    # One entry per new token, only for requests that asked for logprobs.
    logprobs: list[SampledToken] | None = None


@dataclass
class Sequence:
    """A prompt plus its generated tokens, its KV block table and how much of it is computed."""

    request_id: str
    token_ids: list[int]
    params: SamplingParams
    salt: str = ""
    num_prompt_tokens: int = 0
    # Tokens whose K/V already sit in the cache (computed or found in the prefix cache).
    num_computed_tokens: int = 0
    # Prompt tokens served from the prefix cache at the first admission (reported as usage).
    num_cached_tokens: int = 0
    block_table: list[int] = field(default_factory=list)
    status: SequenceStatus = SequenceStatus.WAITING
    finish_reason: str | None = None
    # Admissions to running; more than one means it was preempted and recomputed.
    num_admissions: int = 0
    arrival_time: float = field(default_factory=time.perf_counter)
    first_scheduled_time: float | None = None

    def __post_init__(self) -> None:
        self.num_prompt_tokens = self.num_prompt_tokens or len(self.token_ids)

    @property
    def num_tokens(self) -> int:
        return len(self.token_ids)

    @property
    def num_completion_tokens(self) -> int:
        return len(self.token_ids) - self.num_prompt_tokens

    @property
    def completion_token_ids(self) -> list[int]:
        return self.token_ids[self.num_prompt_tokens :]

    @property
    def num_uncomputed_tokens(self) -> int:
        return self.num_tokens - self.num_computed_tokens

    @property
    def queue_wait_s(self) -> float | None:
        if self.first_scheduled_time is None:
            return None
        return self.first_scheduled_time - self.arrival_time

    @property
    def is_finished(self) -> bool:
        return self.status is SequenceStatus.FINISHED

    def append_token(self, token_id: int) -> None:
        self.token_ids.append(token_id)

    def finish(self, reason: str) -> None:
        self.status = SequenceStatus.FINISHED
        self.finish_reason = reason
