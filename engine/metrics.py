"""Prometheus metrics for one engine process, on a registry the app owns (no module globals)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class EngineStats:
    """A snapshot of the scheduler and block manager, read at scrape time."""

    num_running: int = 0
    num_waiting: int = 0
    kv_cache_usage: float = 0.0
    prefix_cache_queries: int = 0
    prefix_cache_hits: int = 0
    num_preemptions: int = 0


class _StatsCollector(Collector):
    def __init__(self, read_stats: Callable[[], EngineStats]) -> None:
        self._read_stats = read_stats

    def collect(self) -> Iterator[Metric]:
        s = self._read_stats()
        yield GaugeMetricFamily("bulwark_engine_requests_running", "Sequences running", s.num_running)
        yield GaugeMetricFamily("bulwark_engine_requests_waiting", "Sequences waiting", s.num_waiting)
        # The autoscaler's signal: running alone stops growing at max_num_seqs while the queue does.
        yield GaugeMetricFamily(
            "bulwark_engine_requests_in_flight",
            "Sequences admitted and not finished (running + waiting)",
            s.num_running + s.num_waiting,
        )
        yield GaugeMetricFamily(
            "bulwark_engine_kv_cache_usage_ratio", "Fraction of KV blocks in use", s.kv_cache_usage
        )
        yield CounterMetricFamily(
            "bulwark_engine_prefix_cache_queries",
            "Prompt tokens looked up in the prefix cache",
            s.prefix_cache_queries,
        )
        yield CounterMetricFamily(
            "bulwark_engine_prefix_cache_hits",
            "Prompt tokens served from the prefix cache",
            s.prefix_cache_hits,
        )
        yield CounterMetricFamily(
            "bulwark_engine_preemptions", "Sequences preempted for recompute", s.num_preemptions
        )


class EngineMetrics:
    """Latency histograms observed by the server plus engine stats collected on scrape."""

    def __init__(self, read_stats: Callable[[], EngineStats]) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(_StatsCollector(read_stats))
        self.time_to_first_token = Histogram(
            "bulwark_engine_time_to_first_token_seconds",
            "Time from request arrival to its first token",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.inter_token_latency = Histogram(
            "bulwark_engine_inter_token_latency_seconds",
            "Time between consecutive outputs of one request",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
