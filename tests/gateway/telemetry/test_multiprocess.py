"""With PROMETHEUS_MULTIPROC_DIR set (several workers), one scrape sums every worker's counts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.servers import REPO

WORKER = """
from gateway.telemetry.metrics import GatewayMetrics
metrics = GatewayMetrics()
metrics.requests.labels("clinic", "smollm2-135m-instruct", "chat.completions", "ok").inc()
metrics.upstream_in_flight.labels("http://engine:8001").inc()
print(metrics.render().decode())
"""


def test_each_worker_counts_and_a_scrape_sums_them(tmp_path: Path) -> None:
    environ = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    outputs = [
        subprocess.run(
            [sys.executable, "-c", WORKER], env=environ, cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    samples = {
        sample.name: sample.value
        for family in text_string_to_metric_families(outputs[-1])
        for sample in family.samples
        if sample.labels.get("tenant") == "clinic" or "upstream" in sample.labels
    }
    assert samples["bulwark_gateway_requests_total"] == 2
    # livesum: only live workers count; both have exited but the second scraped while alive.
    assert samples["bulwark_gateway_upstream_in_flight"] >= 1
