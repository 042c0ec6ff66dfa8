"""Decode-step bench: per-sequence vs batched paged attention, and what a step spends outside matmuls.

Puts `--batch` sequences of ~200-270 prompt tokens into one engine, prefills them, then times decode
steps alternating the two attention paths (same process, same sequences, so machine noise hits both
arms alike). A profiled pass splits each arm's step into matmuls (aten::mm/addmm/linear kernels),
attention (SDPA + KV gathers) and everything else (Python, norms, rotary, copies).

Run: .venv/bin/python bench/decode_step.py --batch 1 16 64 [--steps 6] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

import torch
from torch.profiler import ProfilerActivity, profile

from engine.config import EngineConfig
from engine.llm_engine import LLMEngine
from engine.model_runner import ModelRunner
from engine.sampling_params import SamplingParams
from engine.sequence import Sequence
from engine.service import load_model

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"
MATMULS = {"aten::mm", "aten::addmm", "aten::bmm", "quantized::linear_dynamic"}
ATTENTION = {"aten::_scaled_dot_product_flash_attention_for_cpu", "aten::index_select"}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def decoding_engine(model: Any, batch: int, vocab: int) -> LLMEngine:
    rng = random.Random(batch)
    engine = LLMEngine.from_model(model, EngineConfig(kv_cache_gb=0.25), eos_token_ids=set())
    params = SamplingParams(max_tokens=10_000, temperature=0.0, ignore_eos=True)
    for i in range(batch):
        prompt = [rng.randrange(100, vocab) for _ in range(rng.randint(200, 270))]
        engine.add_sequence(Sequence(f"s{i}", prompt, params))
    while any(s.num_uncomputed_tokens > 1 for s in engine.scheduler.running) or engine.scheduler.waiting:
        engine.step()
    return engine


def breakdown(engine: LLMEngine, steps: int) -> dict[str, float]:
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        started = time.perf_counter()
        for _ in range(steps):
            engine.step()
        wall = (time.perf_counter() - started) / steps * 1e3
    totals = {"matmul_ms": 0.0, "attention_ms": 0.0}
    for event in prof.key_averages():
        key = "matmul_ms" if event.key in MATMULS else "attention_ms" if event.key in ATTENTION else None
        if key:
            totals[key] += event.self_cpu_time_total / 1e3 / steps
    totals["other_ms"] = wall - totals["matmul_ms"] - totals["attention_ms"]
    return {"profiled_step_ms": wall, **totals}


def measure(engine: LLMEngine, steps: int) -> dict[str, Any]:
    runner = engine.runner
    assert isinstance(runner, ModelRunner)
    times: dict[str, list[float]] = {"per_sequence": [], "batched": []}
    for _ in range(steps):
        for arm in times:
            runner.batch_decodes = arm == "batched"
            started = time.perf_counter()
            engine.step()
            times[arm].append((time.perf_counter() - started) * 1e3)
    result: dict[str, Any] = {}
    for arm in times:
        runner.batch_decodes = arm == "batched"
        result[arm] = {"step_ms_median": statistics.median(times[arm]), **breakdown(engine, 2)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    config = EngineConfig(model_cache=Path(".cache/models"))
    _, model, _ = load_model(config)
    rows = []
    for batch in args.batch:
        engine = decoding_engine(model, batch, int(model.config.vocab_size))
        before = loadavg()
        row = {"batch": batch, **measure(engine, args.steps), "loadavg": [before, loadavg()]}
        rows.append(row)
        print(json.dumps(row, default=lambda v: round(v, 2)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"decode_step-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"threads": torch.get_num_threads(), "rows": rows}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
