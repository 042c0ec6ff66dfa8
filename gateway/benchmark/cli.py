"""`bulwark bench`, `bulwark bench compare`, `bulwark bench sweep`: typer commands over the runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console

from gateway.benchmark import plots
from gateway.benchmark.driver import Load
from gateway.benchmark.runner import Target, run
from gateway.benchmark.sweep import Targets, levels_of, sweep, sweep_table
from gateway.benchmark.tables import compare_table, run_table
from gateway.benchmark.workloads import WORKLOADS, WorkloadSpec

console = Console()
bench_app = typer.Typer(help="Measure any OpenAI-compatible server: the gateway, the engine, vLLM, ...")

BaseUrl = Annotated[str, typer.Option(envvar="BULWARK_BENCH_BASE_URL", help="Up to and including /v1.")]
ApiKey = Annotated[
    str | None, typer.Option(envvar="BULWARK_API_KEY", show_default=False, help="Sent as a bearer token.")
]
Model = Annotated[str | None, typer.Option(help="Default: the first model the server lists.")]
Workload = Annotated[str, typer.Option(help="chat | shared-prefix | multi-turn | embeddings")]
Concurrency = Annotated[int | None, typer.Option(help="Closed loop: requests kept in flight.")]
Rate = Annotated[float | None, typer.Option(help="Open loop: Poisson arrivals per second.")]
Requests = Annotated[int | None, typer.Option(help="Measured requests (default 32 unless --duration).")]
Duration = Annotated[float | None, typer.Option(help="Seconds to send for.")]
Warmup = Annotated[int, typer.Option(help="Unmeasured requests sent first, one by one.")]
Seed = Annotated[int, typer.Option()]
PromptTokens = Annotated[int, typer.Option(help="Mean prompt length (chat, multi-turn, embeddings).")]
OutputTokens = Annotated[int, typer.Option(help="Mean max_tokens per request.")]
Prefixes = Annotated[int, typer.Option(help="shared-prefix: number of system prompts.")]
Questions = Annotated[int, typer.Option(help="shared-prefix: questions per system prompt.")]
PrefixTokens = Annotated[int, typer.Option(help="shared-prefix: system prompt length.")]
Turns = Annotated[int, typer.Option(help="multi-turn: turns per conversation.")]
Batch = Annotated[int, typer.Option(help="embeddings: inputs per request.")]
PromptsFile = Annotated[Path | None, typer.Option(help="chat: JSONL of strings or {prompt}/{messages}.")]
JsonOut = Annotated[Path | None, typer.Option("--json", help="Write the full report here.")]
PlotOut = Annotated[
    Path | None, typer.Option("--plot", help="Write a PNG: latency CDFs, TTFT vs load, tok/s.")
]
Quiet = Annotated[bool, typer.Option(help="No progress bar.")]


def _first_model(base_url: str, api_key: str | None) -> str:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        listed = httpx.get(f"{base_url.rstrip('/')}/models", headers=headers, timeout=10, trust_env=False)
        listed.raise_for_status()
        return str(listed.json()["data"][0]["id"])
    except (httpx.HTTPError, KeyError, IndexError, ValueError) as error:
        raise typer.BadParameter(
            f"could not list the server's models ({type(error).__name__}); pass --model"
        ) from None


def _spec(workload: str, model: str, **fields: Any) -> WorkloadSpec:
    if workload not in WORKLOADS:
        raise typer.BadParameter(f"unknown workload {workload!r}; choose from {', '.join(WORKLOADS)}")
    return WorkloadSpec(name=workload, model=model, **fields)  # narrowed to WorkloadName by the check


def _load(
    concurrency: int | None, rate: float | None, requests: int | None, duration: float | None, **rest: Any
) -> Load:
    if concurrency is None and rate is None:
        concurrency = 1
    if requests is None and duration is None:
        requests = 32
    try:
        return Load(concurrency=concurrency, rate=rate, requests=requests, duration_s=duration, **rest)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _write(path: Path | None, document: dict[str, Any]) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=1), encoding="utf-8")
        console.print(f"report written to {path}")


@bench_app.callback(invoke_without_command=True)
def bench(
    ctx: typer.Context,
    base_url: BaseUrl = "http://127.0.0.1:8000/v1",
    api_key: ApiKey = None,
    model: Model = None,
    workload: Workload = "chat",
    concurrency: Concurrency = None,
    rate: Rate = None,
    requests: Requests = None,
    duration: Duration = None,
    warmup: Warmup = 1,
    seed: Seed = 0,
    prompt_tokens: PromptTokens = 200,
    output_tokens: OutputTokens = 64,
    prefixes: Prefixes = 4,
    questions: Questions = 8,
    prefix_tokens: PrefixTokens = 600,
    turns: Turns = 4,
    batch: Batch = 4,
    prompts_file: PromptsFile = None,
    json_out: JsonOut = None,
    plot: PlotOut = None,
    quiet: Quiet = False,
) -> None:
    """Run one workload against BASE_URL and report TTFT, TPOT, ITL, latency, throughput and errors."""
    if ctx.invoked_subcommand is not None:
        return
    spec = _spec(
        workload, model or _first_model(base_url, api_key), seed=seed, prompt_tokens_mean=prompt_tokens,
        output_tokens_mean=output_tokens, prefixes=prefixes, questions=questions, prefix_tokens=prefix_tokens,
        turns=turns, batch=batch, prompts_file=prompts_file,
    )  # fmt: skip
    load = _load(concurrency, rate, requests, duration, warmup=warmup, seed=seed)
    report = run(Target(base_url, api_key), spec, load, quiet=quiet)
    console.print(run_table(report))
    _write(json_out, report)
    if plot is not None:
        plots.draw([spec.name], [report], plot)
        console.print(f"plot written to {plot}")


@bench_app.command("compare")
def compare(
    reports: Annotated[
        list[Path], typer.Argument(help="Two or more JSON reports from `bulwark bench --json`.")
    ],
    plot: PlotOut = None,
) -> None:
    """Print runs side by side with ratios against the first; optionally draw them on one plot."""
    if len(reports) < 2:
        raise typer.BadParameter("give at least two reports")
    loaded = [json.loads(path.read_text(encoding="utf-8")) for path in reports]
    names = [path.stem for path in reports]
    console.print(compare_table(names, loaded))
    if plot is not None:
        plots.draw(names, loaded, plot)
        console.print(f"plot written to {plot}")


@bench_app.command("sweep")
def sweep_command(
    base_url: BaseUrl = "http://127.0.0.1:8000/v1",
    api_key: ApiKey = None,
    model: Model = None,
    workload: Workload = "chat",
    levels: Annotated[
        str, typer.Option(help="Comma-separated concurrencies (or rates with --open-loop).")
    ] = "1,2,4,8,16",
    open_loop: Annotated[bool, typer.Option(help="Levels are request rates, not concurrencies.")] = False,
    requests: Requests = None,
    duration: Duration = None,
    ttft_ms: Annotated[float | None, typer.Option(help="TTFT target in ms at --percentile.")] = None,
    tpot_ms: Annotated[float | None, typer.Option(help="TPOT target in ms at --percentile.")] = None,
    percentile: Annotated[int, typer.Option(help="50, 90 or 99.")] = 90,
    keep_going: Annotated[bool, typer.Option(help="Run every level, even past the first miss.")] = False,
    seed: Seed = 0,
    prompt_tokens: PromptTokens = 200,
    output_tokens: OutputTokens = 64,
    json_out: JsonOut = None,
    quiet: Quiet = False,
) -> None:
    """Run the workload at rising load and report the knee: the highest load still meeting the targets."""
    if ttft_ms is None and tpot_ms is None:
        raise typer.BadParameter("give --ttft-ms and/or --tpot-ms")
    if percentile not in (50, 90, 99):
        raise typer.BadParameter("--percentile must be 50, 90 or 99")
    values = [float(v) for v in levels.split(",") if v.strip()]
    spec = _spec(workload, model or _first_model(base_url, api_key), seed=seed,
                 prompt_tokens_mean=prompt_tokens, output_tokens_mean=output_tokens)  # fmt: skip
    first = _load(
        None if open_loop else int(values[0]), values[0] if open_loop else None, requests, duration, seed=seed
    )
    target = Targets(ttft_ms=ttft_ms, tpot_ms=tpot_ms, percentile=percentile)
    result = sweep(
        levels_of(first, values),
        target,
        lambda load: run(Target(base_url, api_key), spec, load, quiet),
        keep_going,
    )
    console.print(sweep_table(result))
    _write(json_out, result)
