"""redact -> (engine) -> scan_response -> restore, in-process with the real analyzer.

The engine is replaced by a terminal stage at the forward seam (the one place the pipeline talks to
the network), so these tests can cut the answer into chunks of every size; the same behaviour is
checked against the real engine in test_gateway_e2e.py.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.errors import ServiceUnavailable
from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.redact_stage import RedactStage
from gateway.pii.response_stage import ResponseScanStage
from gateway.pii.restore_stage import RestoreStage
from gateway.pii.rules import Direction, PiiRules
from gateway.pii.service import PiiBlocked, PiiService
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Pipeline, UpstreamReply
from gateway.tenants.service import KeyIdentity

PROMPT = "Patient Maria Garcia, MRN 00452318, SSN 219-09-9999, lives at 12 Oak Street, Austin, TX 78701."
SECRETS = ["Maria Garcia", "00452318", "219-09-9999", "12 Oak Street"]
MODEL_PII = "Call Dr. Hannah Okafor at 617-555-0199 or h.okafor@example.org; SSN 078-05-1120."


class EchoEngine:
    """Answers with the prompt it received plus PII of its own, whole or in chunks of ``chunk`` chars."""

    name = "forward"

    def __init__(self, chunk: int | None = None) -> None:
        self.chunk = chunk
        self.received: list[dict[str, Any]] = []

    async def __call__(self, ctx: RequestContext, call_next: Any) -> UpstreamReply:
        self.received.append(copy.deepcopy(ctx.body))
        answer = f"You said: {ctx.body['messages'][-1]['content']} {MODEL_PII}"
        if self.chunk is None:
            message = {"role": "assistant", "content": answer}
            return UpstreamReply(
                body={"choices": [{"index": 0, "message": message, "finish_reason": "stop"}]}
            )
        return UpstreamReply(chunks=self._stream(answer, self.chunk))

    @staticmethod
    async def _stream(answer: str, size: int) -> AsyncIterator[dict[str, Any]]:
        for i in range(0, len(answer), size):
            yield {
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"content": answer[i : i + size]}, "finish_reason": None}],
            }
        yield {
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }


def context(key_id: str = "key-1", content: str = PROMPT) -> RequestContext:
    ctx = RequestContext(request_id="req", endpoint="chat.completions")
    ctx.identity = KeyIdentity(key_id=key_id, tenant_id="hospital", scopes=frozenset())
    ctx.body = {
        "model": "m",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": content}],
    }
    return ctx


def pipeline(pii: PiiService, engine: EchoEngine) -> Pipeline:
    return Pipeline([RestoreStage(pii.vault), ResponseScanStage(pii), RedactStage(pii), engine])


async def answer_text(reply: UpstreamReply) -> tuple[str, int]:
    if reply.body is not None:
        return reply.body["choices"][0]["message"]["content"], 1
    assert reply.chunks is not None
    parts = [c["choices"][0]["delta"].get("content") or "" async for c in reply.chunks]
    return "".join(parts), sum(1 for p in parts if p)


@pytest.mark.parametrize("chunk", [None, 1, 3, 7, 40])
def test_engine_never_sees_pii_and_caller_gets_originals_back(
    pii_service: PiiService, chunk: int | None
) -> None:
    engine = EchoEngine(chunk)
    ctx = context()
    text, pieces = anyio.run(lambda: _run(pii_service, engine, ctx))
    sent = str(engine.received)
    assert not any(secret in sent for secret in SECRETS)
    assert re.search(r"<PERSON_[0-9a-f]{6}>", sent)
    assert all(secret in text for secret in SECRETS)  # restored for the same key
    for leaked in ("Hannah Okafor", "617-555-0199", "h.okafor@example.org", "078-05-1120"):
        assert leaked not in text  # the model's own PII is redacted, streamed or not
    assert "<PHONE_NUMBER>" in text and "<EMAIL_ADDRESS>" in text
    assert ctx.pii_counts["PERSON"] >= 1 and ctx.pii_counts["US_SSN"] == 1
    if chunk is not None:
        assert pieces > 3  # released progressively, not held to the end


async def _run(pii: PiiService, engine: EchoEngine, ctx: RequestContext) -> tuple[str, int]:
    return await answer_text(await pipeline(pii, engine)(ctx))


def test_another_key_of_the_same_tenant_never_gets_originals(pii_service: PiiService) -> None:
    engine = EchoEngine()
    anyio.run(lambda: _run(pii_service, engine, context("key-1")))
    token = re.search(r"<PERSON_[0-9a-f]{6}>", str(engine.received)).group()  # type: ignore[union-attr]
    text, _ = anyio.run(lambda: _run(pii_service, engine, context("key-2", f"Who is {token}?")))
    assert token in text and "Maria Garcia" not in text


def test_block_refuses_before_forwarding_naming_only_the_type(pii_service: PiiService) -> None:
    engine = EchoEngine()
    ctx = context()
    ctx.policy = type(
        "Policy", (), {"pii": PiiRules.model_validate({"entities": {"US_SSN": {"request": "block"}}})}
    )()
    with pytest.raises(PiiBlocked) as refused:
        anyio.run(lambda: _run(pii_service, engine, ctx))
    assert refused.value.status_code == 400 and "US_SSN" in refused.value.message
    assert "219" not in refused.value.message and engine.received == []


class BrokenAnalyzer(PiiAnalyzer):
    def __init__(self) -> None:  # no model: it fails before using one
        pass

    def analyze(self, text: str, rules: PiiRules, direction: Direction = "request") -> list[Any]:
        raise RuntimeError("detector crashed")


class SlowAnalyzer(BrokenAnalyzer):
    def analyze(self, text: str, rules: PiiRules, direction: Direction = "request") -> list[Any]:
        import time

        time.sleep(1.0)
        return []


@pytest.mark.parametrize("analyzer", [BrokenAnalyzer(), SlowAnalyzer()], ids=["raises", "times-out"])
def test_analyzer_failure_fails_closed_with_nothing_forwarded(
    pii_service: PiiService, analyzer: PiiAnalyzer
) -> None:
    broken = PiiService(analyzer, b"s" * 32, pii_service.vault, timeout_s=0.2)
    engine = EchoEngine()
    with pytest.raises(ServiceUnavailable) as refused:
        anyio.run(lambda: _run(broken, engine, context()))
    assert refused.value.status_code == 503 and engine.received == []
    assert "Maria" not in refused.value.message


def test_analysis_runs_off_the_event_loop(pii_service: PiiService) -> None:
    slow = PiiService(SlowAnalyzer(), b"s" * 32, pii_service.vault, timeout_s=5.0)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await anyio.sleep(0.02)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(ticker)
            await slow.scan_many(["text"], PiiRules.default(), "request")
            group.cancel_scope.cancel()

    anyio.run(main)
    assert ticks >= 20  # the loop kept serving for the whole second the analysis took


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=1, max_value=len(MODEL_PII) - 1), max_size=12, unique=True))
def test_stream_cut_anywhere_never_leaks(pii_service: PiiService, cuts: list[int]) -> None:
    from gateway.pii.stream_redactor import StreamRedactor

    bounds = [0, *sorted(cuts), len(MODEL_PII)]
    pieces = [MODEL_PII[a:b] for a, b in itertools.pairwise(bounds)]

    async def run() -> str:
        redactor = StreamRedactor(pii_service, PiiRules.default(), "hospital")
        out = [await redactor.feed(piece) for piece in pieces]
        return "".join(out) + await redactor.finish()

    text = anyio.run(run)
    for leaked in ("Hannah Okafor", "617-555-0199", "h.okafor@example.org", "078-05-1120", "0199", "1120"):
        assert leaked not in text
    assert text.startswith("Call Dr. ") and text.count("<") == 4


def test_streamed_tool_call_arguments_are_scanned_too(pii_service: PiiService) -> None:
    from gateway.pii.stream_redactor import StreamRedactor
    from gateway.pii.stream_text import rewrite_stream

    arguments = '{"patient": "Hannah Okafor", "phone": "617-555-0199"}'

    async def chunks() -> AsyncIterator[dict[str, Any]]:
        # Engines open with an empty content delta: content and tool-call fields then both finish.
        yield {
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]
        }
        for i in range(0, len(arguments), 5):
            call = {"index": 0, "function": {"arguments": arguments[i : i + 5]}}
            yield {"choices": [{"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": None}]}
        yield {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}

    async def run() -> str:
        stream = rewrite_stream(chunks(), lambda: StreamRedactor(pii_service, PiiRules.default(), "t"))
        parts = []
        async for chunk in stream:
            for call in chunk["choices"][0]["delta"].get("tool_calls", []):
                parts.append(call["function"]["arguments"])
        return "".join(parts)

    streamed = anyio.run(run)
    assert "617-555-0199" not in streamed and "Okafor" not in streamed
    assert "<PHONE_NUMBER>" in streamed and streamed.startswith('{"patient": ')


def test_stream_hold_is_bounded_and_never_splits_a_finding() -> None:
    from gateway.pii.analyzer import Finding
    from gateway.pii.stream_redactor import HOLD_CHARS, _risky_tail_start, _safe_cut

    blob = "key " + "Q" * 300
    assert len(blob) - _safe_cut(blob, []) <= HOLD_CHARS
    assert _risky_tail_start("the patient is Mar") == len("the patient is ")
    assert _risky_tail_start("call me at 617-555") == len("call me at ")
    text = "seen by Ann Lee-Xu today and more "
    finding = Finding(8, 18, "PERSON", 0.9)
    cut = _safe_cut(text, [finding])
    assert not finding.start < cut < finding.end


def test_a_tenant_allowing_every_type_costs_no_analysis(pii_service: PiiService) -> None:
    """Nothing enforced or shadowed: the analyzer (one that would fail) is never called, the request and
    the answer pass unchanged, and the audit body still records what the client got."""
    allow_all = PiiService(BrokenAnalyzer(), b"s" * 32, pii_service.vault)
    engine = EchoEngine(chunk=5)
    ctx = context()
    ctx.policy = type(
        "Policy",
        (),
        {"pii": PiiRules.model_validate({"default_rule": {"request": "allow", "response": "allow"}})},
    )()
    text, _ = anyio.run(lambda: _run(allow_all, engine, ctx))
    assert engine.received[0]["messages"][1]["content"] == PROMPT
    assert text == f"You said: {PROMPT} {MODEL_PII}"
    assert "".join(ctx.redacted_completion_parts) == text and ctx.pii_counts == {}
    assert not ctx.pseudonymized
