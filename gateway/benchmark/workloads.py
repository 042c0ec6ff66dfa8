"""Seeded request streams: what each workload sends, independent of how fast it is sent.

A workload yields `PlannedRequest`s; the driver decides when to send them. Every choice comes from one
`random.Random(seed)`, so two runs with the same seed send the same requests in the same order.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

WorkloadName = Literal["chat", "shared-prefix", "multi-turn", "embeddings"]
WORKLOADS: tuple[WorkloadName, ...] = ("chat", "shared-prefix", "multi-turn", "embeddings")

# Plain clinical and banking vocabulary: prompts look like the traffic a site serves, with no PII in them,
# so a gateway's redaction does not change what reaches the engine.
_WORDS = (
    "patient reports mild pain after the procedure and asks about follow up care the account shows a "
    "recurring transfer that the customer does not recognise please summarise the note list the "
    "medications explain the risk in plain language review the loan application describe the next steps "
    "for the care team check the dosage schedule the claim was filed late the statement lists three "
    "charges the discharge plan includes physical therapy the wire was held for review"
).split()


@dataclass(frozen=True)
class WorkloadSpec:
    name: WorkloadName
    model: str
    seed: int = 0
    prompt_tokens_mean: int = 200
    output_tokens_mean: int = 64
    prefixes: int = 4  # shared-prefix: N system prompts
    questions: int = 8  # shared-prefix: M questions per prompt
    prefix_tokens: int = 600
    turns: int = 4  # multi-turn: turns per conversation
    batch: int = 4  # embeddings: inputs per request
    prompts_file: Path | None = None  # chat: one JSON object or string per line


@dataclass(frozen=True)
class PlannedRequest:
    path: Literal["/chat/completions", "/embeddings"]
    body: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def streams(self) -> bool:
        return bool(self.body.get("stream"))


def _text(rng: random.Random, approx_tokens: int) -> str:
    # About 1.3 tokens per English word for a BPE tokenizer.
    return " ".join(rng.choice(_WORDS) for _ in range(max(1, int(approx_tokens / 1.3))))


def _length(rng: random.Random, mean: int) -> int:
    # Log-normal around the mean, as real prompt and answer lengths are skewed to the right.
    return max(1, min(8 * mean, int(rng.lognormvariate(0, 0.5) * mean / 1.13)))


def _chat(spec: WorkloadSpec, messages: list[dict[str, str]], max_tokens: int, **tags: str) -> PlannedRequest:
    body: dict[str, Any] = {
        "model": spec.model,
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": 0,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    return PlannedRequest("/chat/completions", body, dict(tags))


def _file_prompts(path: Path) -> list[list[dict[str, str]]]:
    prompts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        if isinstance(item, str):
            prompts.append([{"role": "user", "content": item}])
        elif isinstance(item, dict) and isinstance(item.get("messages"), list):
            prompts.append(item["messages"])
        elif isinstance(item, dict) and isinstance(item.get("prompt"), str):
            prompts.append([{"role": "user", "content": item["prompt"]}])
        else:
            raise ValueError(f"{path}:{number}: expected a string or an object with 'prompt' or 'messages'")
    if not prompts:
        raise ValueError(f"{path}: no prompts")
    return prompts


def chat(spec: WorkloadSpec, rng: random.Random) -> Iterator[PlannedRequest]:
    from_file = _file_prompts(spec.prompts_file) if spec.prompts_file else None
    while True:
        if from_file is not None:
            messages = rng.choice(from_file)
        else:
            messages = [{"role": "user", "content": _text(rng, _length(rng, spec.prompt_tokens_mean))}]
        yield _chat(spec, messages, _length(rng, spec.output_tokens_mean))


def shared_prefix(spec: WorkloadSpec, rng: random.Random) -> Iterator[PlannedRequest]:
    systems = [f"Policy {n}. " + _text(rng, spec.prefix_tokens) for n in range(spec.prefixes)]
    questions = [_text(rng, 24) + "?" for _ in range(spec.questions)]
    pairs = [(p, q) for p in range(spec.prefixes) for q in range(spec.questions)]
    while True:
        rng.shuffle(pairs)
        for prefix, question in pairs:
            messages = [
                {"role": "system", "content": systems[prefix]},
                {"role": "user", "content": questions[question]},
            ]
            yield _chat(spec, messages, spec.output_tokens_mean, prefix=str(prefix))


def multi_turn(spec: WorkloadSpec, rng: random.Random) -> Iterator[PlannedRequest]:
    """Conversations that grow by one turn per request; earlier turns come back as the next prefix."""
    conversation = 0
    while True:
        messages: list[dict[str, str]] = []
        for turn in range(spec.turns):
            messages.append(
                {"role": "user", "content": _text(rng, _length(rng, spec.prompt_tokens_mean // 2))}
            )
            yield _chat(
                spec, list(messages), spec.output_tokens_mean, turn=str(turn), conversation=str(conversation)
            )
            # The reply is not known when the request is planned; a fixed stand-in keeps runs reproducible.
            messages.append({"role": "assistant", "content": _text(rng, spec.output_tokens_mean)})
        conversation += 1


def embeddings(spec: WorkloadSpec, rng: random.Random) -> Iterator[PlannedRequest]:
    while True:
        inputs = [_text(rng, _length(rng, spec.prompt_tokens_mean // 2)) for _ in range(spec.batch)]
        yield PlannedRequest("/embeddings", {"model": spec.model, "input": inputs})


def plan(spec: WorkloadSpec) -> Iterator[PlannedRequest]:
    rng = random.Random(spec.seed)
    generators = {
        "chat": chat,
        "shared-prefix": shared_prefix,
        "multi-turn": multi_turn,
        "embeddings": embeddings,
    }
    return generators[spec.name](spec, rng)
