"""Engine benchmark: our engine vs HF static batches vs transformers' generate_batch, one process.

Workloads (issue 3):
- throughput: 32 requests, seeded prompt lengths 50-400, max_tokens 16-256, EOS ignored, all at
  once; generated tokens per second.
- shared-prefix: a 1,000-token system prompt + 16 distinct 20-token questions, after one warm-up
  request; time to first token with prefix caching on, off, and under a different salt.

Run: .venv/bin/python bench/engine_bench.py [--workloads throughput shared-prefix] [--methods ...]
Prints a table and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig
from transformers.generation.configuration_utils import ContinuousBatchingConfig

from engine.config import EngineConfig
from engine.llm_engine import LLMEngine
from engine.model_store import resolve_model
from engine.sampling_params import SamplingParams
from engine.sequence import Sequence

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"


@dataclass(frozen=True)
class Request:
    prompt: list[int]
    max_tokens: int


def load(path: Path, dtype: torch.dtype) -> Any:
    model: Any = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    return model.eval()


def throughput_requests(seed: int, vocab: int, count: int = 32) -> list[Request]:
    rng = random.Random(seed)
    # Ordinary (non-special) token ids: ids below 100 hold the chat control tokens.
    return [
        Request([rng.randrange(100, vocab) for _ in range(rng.randint(50, 400))], rng.randint(16, 256))
        for _ in range(count)
    ]


def run_ours(model: Any, config: EngineConfig, requests: list[Request]) -> float:
    engine = LLMEngine.from_model(model, config, eos_token_ids=set())
    for i, r in enumerate(requests):
        params = SamplingParams(max_tokens=r.max_tokens, temperature=0.0, ignore_eos=True)
        engine.add_sequence(Sequence(f"t{i}", list(r.prompt), params))
    started = time.perf_counter()
    generated = 0
    while engine.has_work():
        generated += sum(len(o.new_token_ids) for o in engine.step())
    assert generated == sum(r.max_tokens for r in requests)
    return generated / (time.perf_counter() - started)


@torch.inference_mode()
def run_hf_static(model: Any, requests: list[Request], batch_size: int = 16) -> float:
    started = time.perf_counter()
    for i in range(0, len(requests), batch_size):
        group = requests[i : i + batch_size]
        width = max(len(r.prompt) for r in group)
        ids = torch.tensor([[0] * (width - len(r.prompt)) + r.prompt for r in group])
        mask = torch.tensor([[0] * (width - len(r.prompt)) + [1] * len(r.prompt) for r in group])
        # A static batch runs until its longest request is done; only requested tokens count.
        model.generate(
            ids,
            attention_mask=mask,
            max_new_tokens=max(r.max_tokens for r in group),
            min_new_tokens=max(r.max_tokens for r in group),
            do_sample=False,
            pad_token_id=0,
        )
    return sum(r.max_tokens for r in requests) / (time.perf_counter() - started)


def run_generate_batch(model: Any, requests: list[Request], max_batch_tokens: int = 512) -> float:
    """transformers' own continuous batching (the manager behind generate_batch, per-request lengths)."""
    make_config: Any = GenerationConfig
    config = make_config(do_sample=False, max_new_tokens=256, eos_token_id=-1, pad_token_id=0)
    cb_config = ContinuousBatchingConfig(num_blocks=256, max_batch_tokens=max_batch_tokens)
    started = time.perf_counter()
    generated = 0
    with model.continuous_batching_context_manager(
        generation_config=config, continuous_batching_config=cb_config, block=True, timeout=30
    ) as manager:
        for r in requests:
            manager.add_request(r.prompt, max_new_tokens=r.max_tokens, eos_token_id=-1)
        finished = 0
        while finished < len(requests):
            result = manager.get_result(timeout=1)
            if result is not None and result.is_finished():
                finished += 1
                generated += len(result.generated_tokens)
    return generated / (time.perf_counter() - started)


def shared_prefix_prompts(tokenizer: Any, seed: int) -> tuple[list[int], list[list[int]]]:
    rng = random.Random(seed)
    paragraph = (
        "You are the assistant of a regional hospital. Answer briefly, cite the internal policy "
        "number when one applies, never reveal patient identifiers, and escalate emergencies. "
    )
    system = tokenizer.encode(paragraph * 40, add_special_tokens=False)[:1000]
    questions = [[rng.randrange(100, 49000) for _ in range(20)] for _ in range(17)]
    return system, questions


def ttft_ours(
    model: Any, config: EngineConfig, system: list[int], questions: list[list[int]], mode: str
) -> dict[str, float]:
    """Warm up with question 0 under salt "tenant-a", then time each other question alone."""
    engine = LLMEngine.from_model(model, config, eos_token_ids=set())
    params = SamplingParams(max_tokens=1, temperature=0.0)

    def first_token(request_id: str, question: list[int], salt: str) -> tuple[float, int]:
        seq = Sequence(request_id, system + question, params, salt=salt)
        started = time.perf_counter()
        engine.add_sequence(seq)
        while not engine.step():
            pass
        return time.perf_counter() - started, seq.num_cached_tokens

    first_token("warm-up", questions[0], "tenant-a")
    timings = [
        first_token(f"q{i}", q, "tenant-a" if mode != "different salt" else f"tenant-b{i}")
        for i, q in enumerate(questions[1:])
    ]
    return {
        "ttft_median_s": statistics.median(t for t, _ in timings),
        "ttft_mean_s": statistics.fmean(t for t, _ in timings),
        "cached_tokens_mean": statistics.fmean(c for _, c in timings),
    }


@torch.inference_mode()
def ttft_hf(model: Any, system: list[int], questions: list[list[int]]) -> dict[str, float]:
    timings = []
    for q in questions[1:]:
        ids = torch.tensor([system + q])
        started = time.perf_counter()
        model.generate(
            ids, attention_mask=torch.ones_like(ids), max_new_tokens=1, do_sample=False, pad_token_id=0
        )
        timings.append(time.perf_counter() - started)
    return {
        "ttft_median_s": statistics.median(timings),
        "ttft_mean_s": statistics.fmean(timings),
        "cached_tokens_mean": 0.0,
    }


def bench_throughput(args: argparse.Namespace, path: Path, config: EngineConfig) -> list[dict[str, Any]]:
    requests = throughput_requests(args.seed, vocab=49152)
    rows = []
    runners: dict[str, Callable[[Any], float]] = {
        "bulwark engine": lambda m: run_ours(m, config, requests),
        "HF generate, static batches of 16": lambda m: run_hf_static(m, requests),
        "transformers generate_batch": lambda m: run_generate_batch(m, requests),
    }
    for method, run in runners.items():
        if method.split()[0].lower() not in args.methods:
            continue
        # A fresh model per method: our engine swaps the attention function of its copy.
        load_before = os.getloadavg()[0]
        rate = run(load(path, config.torch_dtype))
        # The machine is shared: the load average says how much to trust this row.
        rows.append(
            {
                "workload": "throughput",
                "method": method,
                "generated_tok_per_s": rate,
                "loadavg_1m_before": load_before,
                "loadavg_1m_after": os.getloadavg()[0],
            }
        )
        print(f"  throughput  {method:<36} {rate:8.1f} tok/s", flush=True)
    return rows


def bench_shared_prefix(args: argparse.Namespace, path: Path, config: EngineConfig) -> list[dict[str, Any]]:
    system, questions = shared_prefix_prompts(AutoTokenizer.from_pretrained(path), args.seed)
    rows = []
    for mode in ("prefix cache on", "prefix cache off", "different salt"):
        mode_config = EngineConfig(**{**vars(config), "enable_prefix_caching": mode != "prefix cache off"})
        result = ttft_ours(load(path, config.torch_dtype), mode_config, system, questions, mode)
        rows.append({"workload": "shared-prefix", "method": f"bulwark engine, {mode}"} | result)
        print(
            f"  shared-prefix  {mode:<20} TTFT median {result['ttft_median_s'] * 1000:7.1f} ms, "
            f"cached {result['cached_tokens_mean']:.0f}",
            flush=True,
        )
    if "hf" in args.methods:
        result = ttft_hf(load(path, config.torch_dtype), system, questions)
        rows.append({"workload": "shared-prefix", "method": "HF generate (no cache)"} | result)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=["throughput", "shared-prefix"])
    parser.add_argument(
        "--methods",
        nargs="+",
        default=["bulwark", "hf", "transformers"],
        help="bulwark, hf (static batches), transformers (generate_batch)",
    )
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])
    parser.add_argument("--max-batch-tokens", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    path = resolve_model("smollm2-135m-instruct", REPO / ".cache" / "models").path
    config = EngineConfig(dtype=args.dtype, max_batch_tokens=args.max_batch_tokens)
    rows: list[dict[str, Any]] = []
    if "throughput" in args.workloads:
        rows += bench_throughput(args, path, config)
    if "shared-prefix" in args.workloads:
        rows += bench_shared_prefix(args, path, config)
    print_table(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"engine_bench_{time.strftime('%Y%m%dT%H%M%S')}.json"
    meta = {
        "dtype": args.dtype,
        "max_batch_tokens": args.max_batch_tokens,
        "seed": args.seed,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "machine": platform.processor() or platform.machine(),
    }
    out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    print(f"wrote {out.relative_to(REPO)}")


def print_table(rows: list[dict[str, Any]]) -> None:
    print("\n| workload | method | result |\n|---|---|---|")
    for row in rows:
        if "generated_tok_per_s" in row:
            result = (
                f"{row['generated_tok_per_s']:.1f} generated tok/s (load "
                f"{row['loadavg_1m_before']:.1f} -> {row['loadavg_1m_after']:.1f})"
            )
        else:
            result = (
                f"TTFT median {row['ttft_median_s'] * 1000:.0f} ms "
                f"(mean {row['ttft_mean_s'] * 1000:.0f} ms), cached {row['cached_tokens_mean']:.0f}"
            )
        print(f"| {row['workload']} | {row['method']} | {result} |")


if __name__ == "__main__":
    main()
