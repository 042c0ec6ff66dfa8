"""bench/gateway_overhead.py --quick end to end: real stub, real `bulwark serve`, every arm in every cell."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[2] / "bench" / "gateway_overhead.py"
ARMS = {"direct", "bulwark", "bulwark-pii"}
QUICK_CELLS = {
    f"{mode} {loop}" for mode in ("nonstream", "stream") for loop in ("closed c=1", "closed c=8", "open 50/s")
}
QUICK_REQUESTS = 24


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("overhead") / "overhead.json"
    subprocess.run([sys.executable, str(BENCH), "--quick", "--json", str(out)], check=True, timeout=300)
    return dict(json.loads(out.read_text()))


def test_every_arm_in_every_cell_answered_without_errors(report):
    assert report["complete"] is True
    assert set(report["cells"]) == QUICK_CELLS
    for cell in report["cells"].values():
        assert set(cell["arms"]) == ARMS
        for arm in cell["arms"].values():
            assert arm["errors"] == 0, arm["error_kinds"]
            assert arm["requests"] == QUICK_REQUESTS
            assert 0 < arm["p50_ms"] <= arm["p99_ms"] < 30_000
            assert arm["req_per_s"] > 0


def test_gateway_arms_carry_added_latency_and_cpu(report):
    for cell in report["cells"].values():
        for name in ("bulwark", "bulwark-pii"):
            arm = cell["arms"][name]
            assert arm["added_p50_ms"] == pytest.approx(arm["p50_ms"] - cell["arms"]["direct"]["p50_ms"])
            assert isinstance(arm["added_p99_ms"], float)
            assert arm["server_cpu_ms_per_req"] > 0
        assert "added_p50_ms" not in cell["arms"]["direct"]
    # the stub spends well under a clock tick (10 ms) per quick block, so only its total is sure to count
    direct_cpu = [cell["arms"]["direct"]["server_cpu_ms_per_req"] for cell in report["cells"].values()]
    assert all(cpu >= 0 for cpu in direct_cpu) and sum(direct_cpu) > 0


def test_open_loop_cells_record_the_rate_achieved(report):
    for name, cell in report["cells"].items():
        for arm in cell["arms"].values():
            if name.endswith("open 50/s"):
                assert arm["target_rate"] == 50
                assert 0 < arm["send_rate"] <= 60
                assert isinstance(arm["kept_up"], bool)
            else:
                assert "target_rate" not in arm


def test_max_req_per_s_is_the_best_closed_loop_cell(report):
    for arm in ARMS:
        for mode in ("nonstream", "stream"):
            closed = [
                cell["arms"][arm]["req_per_s"]
                for cell in report["cells"].values()
                if cell["mode"] == mode and cell["loop"] == "closed"
            ]
            assert report["max_req_per_s"][arm][mode] == max(closed)
