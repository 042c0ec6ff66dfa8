"""Issue 13, finding 6: PII analysis on a fixed pool. Many concurrent large prompts neither pile up
threads (timed-out work stops, it is not abandoned) nor wait unboundedly (429 past the queue), and a
text over the policy's size limit is refused before any analysis. The real Presidio analyzer."""

from __future__ import annotations

import threading

import anyio
import pytest

from gateway.errors import PayloadTooLarge, RateLimited, ServiceUnavailable
from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.rules import PiiRules
from gateway.pii.service import PiiService
from gateway.pii.vault import PseudonymVault
from tests.gateway.pii.conftest import TENANT_SECRET

WORKERS, WAITING, CONCURRENT = 2, 4, 40
# Large enough that a batch of them outlives the time limit; several texts, so a stop has checkpoints.
PROMPT = ["Patient Maria Garcia, MRN 00123456, called from 617-555-0199. " * 400] * 6


def _pool_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name.startswith("pii-analysis"))


def test_concurrent_large_prompts_do_not_pile_up_threads(analyzer: PiiAnalyzer) -> None:
    service = PiiService(
        analyzer, TENANT_SECRET, PseudonymVault(), timeout_s=0.3, workers=WORKERS, max_waiting=WAITING
    )
    outcomes: list[str] = []
    peak = 0
    before = threading.active_count()

    async def one() -> None:
        try:
            await service.scan_many(PROMPT, PiiRules.default(), "request")
            outcomes.append("ok")
        except RateLimited:
            outcomes.append("429")
        except ServiceUnavailable:
            outcomes.append("503")

    async def watch() -> None:
        nonlocal peak
        while True:
            peak = max(peak, _pool_threads(), threading.active_count() - before)
            await anyio.sleep(0.01)

    async def main() -> None:
        async with anyio.create_task_group() as watcher:
            watcher.start_soon(watch)
            for _ in range(3):  # waves: a wave arriving while timed-out work is still stopping
                async with anyio.create_task_group() as wave:
                    for _ in range(CONCURRENT):
                        wave.start_soon(one)
            watcher.cancel_scope.cancel()

    anyio.run(main)
    assert peak <= WORKERS + 1, peak  # +1: asyncio's own helper thread, if any
    assert outcomes.count("429") >= 3 * (CONCURRENT - WORKERS - WAITING)
    assert "503" in outcomes  # timed out, and the work was stopped, not left running
    for _ in range(100):  # stopped work drains: every admitted place is given back
        if service.pool.admitted == 0:
            break
        anyio.run(anyio.sleep, 0.1)
    assert service.pool.admitted == 0


def test_text_over_the_policy_limit_is_refused_before_analysis(analyzer: PiiAnalyzer) -> None:
    service = PiiService(analyzer, TENANT_SECRET, PseudonymVault(), workers=1, max_waiting=0)
    rules = PiiRules.default().model_copy(update={"max_input_chars": 1000})
    with pytest.raises(PayloadTooLarge) as refused:
        anyio.run(service.scan_many, ["x" * 600, "y" * 600], rules, "request")
    assert refused.value.status_code == 413 and "xxxx" not in refused.value.message
    assert service.pool.admitted == 0
