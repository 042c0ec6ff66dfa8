"""Failed sign-ins and bad API keys, counted per source in memory and written to the ledger in aggregate.

One ledger row per refused request would let anyone who can reach the port fill the ledger and hold its
write lock (every append is serialized), slowing every tenant. Instead each (source, channel) gets a fixed
window: its failures are counted here, a source over the limit is answered 429 before any work, and when
the window closes one ``<channel>.auth_failed`` record states the source, the window and the counts, which
is what PCI DSS 10.2.1.4 asks for (invalid logical access attempts), without one row per attempt.

The counts live in this process: N replicas allow N times the limit. A source is the TCP peer address;
behind a proxy that is the proxy, so the limit is then per proxy (put the rate limit at the proxy too).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from gateway.audit.events import AuditEvent
from gateway.audit.writer import AuditWriter
from gateway.errors import RateLimited

MAX_TRACKED = 10_000  # distinct (source, channel) windows; beyond this they share one overflow bucket
MAX_REASONS = 20  # distinct refusal reasons kept per window
OVERFLOW_SOURCE = "(other sources)"


@dataclass
class FailureWindow:
    source: str
    channel: str  # "api" (API keys) or "console" (console tokens)
    started: float  # monotonic
    started_at: datetime
    failures: int = 0
    refused: int = 0  # requests answered 429 because the source was over the limit
    reasons: Counter[str] = field(default_factory=Counter)
    endpoints: Counter[str] = field(default_factory=Counter)

    def event(self, window_s: float) -> AuditEvent:
        return AuditEvent(
            event_type=f"{self.channel}.auth_failed",
            outcome="denied",
            status_code=429 if self.refused else 401,
            endpoint=self.endpoints.most_common(1)[0][0] if self.endpoints else None,
            # Reasons read "<code>: <why>"; the header names the most frequent code.
            error_code=self.reasons.most_common(1)[0][0].split(":")[0] if self.reasons else None,
            detail={
                "source": self.source,
                "window_start": self.started_at.isoformat(),
                "window_s": window_s,
                "count": self.failures,
                "refused": self.refused,
                "reasons": dict(self.reasons),
                "endpoints": dict(self.endpoints),
            },
        )


class FailedAuthTracker:
    def __init__(self, *, window_s: float = 60.0, limit: int = 20) -> None:
        self.window_s = window_s
        self.limit = limit
        self._windows: dict[tuple[str, str], FailureWindow] = {}
        self._expired: list[FailureWindow] = []  # ended, replaced by a new window, not yet written

    def is_blocked(self, source: str, channel: str) -> bool:
        """Over the limit in its current window: refuse (429) whatever cannot be a valid credential."""
        window = self._current(source, channel)
        return window is not None and window.failures >= self.limit

    def refuse(self, source: str, channel: str) -> RateLimited:
        """Count a refused attempt of a blocked source and return the error to raise."""
        window = self._current(source, channel)
        if window is not None:
            window.refused += 1
        return RateLimited(
            "Too many failed authentication attempts from this address; try again later.",
            code="auth_rate_limited",
            headers={"Retry-After": str(int(self.window_s))},
        )

    def record(self, source: str, channel: str, reason: str, endpoint: str) -> None:
        window = self._current(source, channel) or self._open(source, channel)
        window.failures += 1
        if reason in window.reasons or len(window.reasons) < MAX_REASONS:
            window.reasons[reason[:100]] += 1
        if endpoint in window.endpoints or len(window.endpoints) < MAX_REASONS:
            window.endpoints[endpoint[:64]] += 1

    def closed_events(self, *, everything: bool = False) -> list[AuditEvent]:
        """Remove windows that ended (all of them at shutdown) and return their aggregate records."""
        now = time.monotonic()
        done = [key for key, w in self._windows.items() if everything or now - w.started >= self.window_s]
        ended = self._expired + [self._windows.pop(key) for key in done]
        self._expired = []
        return [window.event(self.window_s) for window in ended]

    def _current(self, source: str, channel: str) -> FailureWindow | None:
        window = self._windows.get((source, channel))
        if window is not None and time.monotonic() - window.started < self.window_s:
            return window
        return None

    def _open(self, source: str, channel: str) -> FailureWindow:
        key = (source, channel)
        if key not in self._windows and len(self._windows) >= MAX_TRACKED:
            key = (OVERFLOW_SOURCE, channel)
            if self._current(*key) is not None:
                return self._windows[key]
        # A window that expired but was not flushed yet keeps its counts for the flush: start a new key.
        expired = self._windows.pop(key, None)
        if expired is not None:
            self._expired.append(expired)
        window = FailureWindow(key[0], channel, time.monotonic(), datetime.now(UTC))
        self._windows[key] = window
        return window


class FailedAuthFlusher:
    """Writes closed windows to the ledger once per window (and everything at shutdown)."""

    def __init__(self, tracker: FailedAuthTracker, writer: AuditWriter) -> None:
        self._tracker = tracker
        self._writer = writer
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def flush(self, *, everything: bool = False) -> int:
        events = self._tracker.closed_events(everything=everything)
        for event in events:
            await self._writer.write_async(event)
        return len(events)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.flush(everything=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(min(self._tracker.window_s, 60.0) / 2)
            await self.flush()
