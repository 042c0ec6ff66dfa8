"""`bulwark bench` against the real gateway in front of the real engine: every workload, the JSON, the plot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from gateway.cli.main import app
from tests.servers import DEFAULT_MODEL, RunningGateway

pytestmark = pytest.mark.slow
EMBEDDING_MODEL = "all-minilm-l6-v2"
SHORT = [
    "--requests",
    "4",
    "--concurrency",
    "2",
    "--warmup",
    "0",
    "--output-tokens",
    "4",
    "--prompt-tokens",
    "24",
]
WORKLOAD_ARGS = {
    "chat": ["--model", DEFAULT_MODEL],
    # 2 prompts × 2 questions at concurrency 1: every prompt comes back once, so the cache must hit.
    "shared-prefix": [
        "--model",
        DEFAULT_MODEL,
        "--prefixes",
        "2",
        "--questions",
        "2",
        "--prefix-tokens",
        "80",
    ],
    "multi-turn": ["--model", DEFAULT_MODEL, "--turns", "2"],
    "embeddings": ["--model", EMBEDDING_MODEL, "--batch", "3"],
}


def _bench(gateway: RunningGateway, key: str, *args: str) -> Any:
    result = CliRunner().invoke(
        app, ["bench", "--base-url", f"{gateway.base_url}/v1", "--api-key", key, "--quiet", *args]
    )
    assert result.exit_code == 0, result.output
    assert key not in result.output
    return result


def _distribution_complete(dist: Any) -> bool:
    return isinstance(dist, dict) and all(dist[k] > 0 for k in ("mean_ms", "p50_ms", "p90_ms", "p99_ms"))


@pytest.mark.parametrize("workload", list(WORKLOAD_ARGS))
def test_each_workload_reports_every_metric(gateway: RunningGateway, tmp_path: Path, workload: str) -> None:
    out, png = tmp_path / "run.json", tmp_path / "run.png"
    extra = ["--concurrency", "1"] if workload == "shared-prefix" else []
    _bench(gateway, gateway.create_key("acme"), "--workload", workload, *WORKLOAD_ARGS[workload], *SHORT, *extra,
           "--json", str(out), "--plot", str(png))  # fmt: skip
    report = json.loads(out.read_text())
    summary = report["summary"]
    assert (summary["requests"], summary["succeeded"], summary["errors"]) == (4, 4, {})
    assert report["workload"]["name"] == workload
    assert any(m["id"] == DEFAULT_MODEL for m in report["server_models"]["data"])
    assert report["machine"]["cpu_count"] >= 1 and report["machine"]["load_average"]
    assert summary["request_throughput_rps"] > 0 and summary["total_token_throughput_tps"] > 0
    assert _distribution_complete(summary["e2e"])
    if workload == "embeddings":
        assert summary["ttft"] is None and summary["completion_tokens"] == 0
    else:
        for metric in ("ttft", "tpot", "itl"):
            assert _distribution_complete(summary[metric]), metric
        assert summary["output_token_throughput_tps"] > 0
    if workload == "shared-prefix":
        assert summary["cached_token_share"] > 0.2
    with Image.open(png) as image:
        image.verify()
        assert image.format == "PNG" and image.size[0] > 400


def test_errors_are_counted_by_kind(gateway: RunningGateway, tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    _bench(gateway, "bwk_notavalidkey", "--model", DEFAULT_MODEL, *SHORT, "--json", str(out))
    summary = json.loads(out.read_text())["summary"]
    assert summary["succeeded"] == 0 and summary["errors"] == {"http_401": 4}


def test_compare_prints_ratios_and_plots(gateway: RunningGateway, tmp_path: Path) -> None:
    key = gateway.create_key("acme")
    runs = []
    for concurrency in ("1", "2"):
        runs.append(tmp_path / f"c{concurrency}.json")
        _bench(
            gateway,
            key,
            "--model",
            DEFAULT_MODEL,
            *SHORT,
            "--concurrency",
            concurrency,
            "--json",
            str(runs[-1]),
        )
    png = tmp_path / "compare.png"
    result = CliRunner().invoke(app, ["bench", "compare", *map(str, runs), "--plot", str(png)])
    assert result.exit_code == 0, result.output
    assert "c1" in result.output and "c2" in result.output and "ratio" in result.output
    assert "×" in result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep_reports_a_knee_against_the_real_engine(gateway: RunningGateway, tmp_path: Path) -> None:
    out = tmp_path / "sweep.json"
    result = CliRunner().invoke(app, [
        "bench", "sweep", "--base-url", f"{gateway.base_url}/v1", "--api-key", gateway.create_key("acme"),
        "--model", DEFAULT_MODEL, "--levels", "1,2", "--requests", "2", "--output-tokens", "4",
        "--prompt-tokens", "24", "--ttft-ms", "600000", "--quiet", "--json", str(out),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    sweep = json.loads(out.read_text())
    assert [level["load"]["concurrency"] for level in sweep["levels"]] == [1, 2]
    assert sweep["knee"]["concurrency"] == 2
    assert "knee: concurrency 2" in result.output
