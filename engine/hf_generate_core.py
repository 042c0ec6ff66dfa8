"""Stand-in core: one request at a time through transformers `generate` (replaced by LLMEngine)."""

from __future__ import annotations

from collections import deque
from typing import Any

import torch

from engine.sequence import RequestOutput, Sequence


class HFGenerateCore:
    def __init__(self, model: Any, eos_token_id: int) -> None:
        self._model = model
        self._eos = eos_token_id
        self._waiting: deque[Sequence] = deque()

    def add_sequence(self, seq: Sequence) -> None:
        self._waiting.append(seq)

    def abort(self, request_id: str) -> None:
        self._waiting = deque(s for s in self._waiting if s.request_id != request_id)

    def has_work(self) -> bool:
        return bool(self._waiting)

    def num_waiting(self) -> int:
        return len(self._waiting)

    def step(self) -> list[RequestOutput]:
        seq = self._waiting.popleft()
        p = seq.params
        if p.seed is not None:
            torch.manual_seed(p.seed)
        ids = torch.tensor([seq.token_ids])
        with torch.inference_mode():
            out = self._model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=p.max_tokens,
                do_sample=not p.is_greedy,
                temperature=p.temperature if not p.is_greedy else None,
                top_p=p.top_p if not p.is_greedy else None,
                top_k=p.top_k if not p.is_greedy else None,
                eos_token_id=None if p.ignore_eos else self._eos,
                pad_token_id=self._eos,
            )
        new = out[0, ids.shape[1] :].tolist()
        reason = "length"
        if not p.ignore_eos and self._eos in new:
            new = new[: new.index(self._eos)]
            reason = "stop"
        return [RequestOutput(seq.request_id, new, True, reason, seq.num_prompt_tokens, 0)]
