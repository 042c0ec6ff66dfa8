"""`python -m engine serve ...`: load the model, then serve the OpenAI API with uvicorn."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import torch

from engine.config import DTYPES, EngineConfig
from engine.hardware import intra_op_threads
from engine.quantize import QUANTIZATIONS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="engine", description="Bulwark inference engine")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the OpenAI-compatible API")
    defaults = EngineConfig()
    serve.add_argument("--model", default=defaults.model)
    serve.add_argument("--embedding-model", default=defaults.embedding_model, help="served at /v1/embeddings")
    serve.add_argument("--no-embedding-model", action="store_true", help="serve no embeddings")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8100)
    serve.add_argument("--model-cache", type=Path, default=None)
    serve.add_argument("--kv-cache-gb", type=float, default=defaults.kv_cache_gb)
    serve.add_argument("--block-size", type=int, default=defaults.block_size)
    serve.add_argument("--max-num-seqs", type=int, default=defaults.max_num_seqs)
    serve.add_argument("--max-batch-tokens", type=int, default=defaults.max_batch_tokens)
    serve.add_argument("--max-model-len", type=int, default=defaults.max_model_len)
    serve.add_argument("--max-waiting", type=int, default=defaults.max_waiting)
    serve.add_argument("--dtype", choices=["auto", *sorted(DTYPES)], default=defaults.dtype)
    serve.add_argument("--quantization", choices=QUANTIZATIONS, default=None)
    serve.add_argument("--threads", type=int, default=None, help="default: physical cores available")
    serve.add_argument("--device", default=defaults.device)
    serve.add_argument("--no-prefix-caching", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    config = EngineConfig(
        model=args.model,
        embedding_model=None if args.no_embedding_model else args.embedding_model,
        model_cache=args.model_cache,
        dtype=args.dtype,
        device=args.device,
        kv_cache_gb=args.kv_cache_gb,
        block_size=args.block_size,
        max_num_seqs=args.max_num_seqs,
        max_batch_tokens=args.max_batch_tokens,
        max_model_len=args.max_model_len,
        max_waiting=args.max_waiting,
        enable_prefix_caching=not args.no_prefix_caching,
        quantization=args.quantization,
        threads=args.threads,
    )
    config.validate()
    torch.set_num_threads(intra_op_threads(config.threads))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    import uvicorn

    from engine import telemetry
    from engine.server import create_app
    from engine.service import build_service

    tracing = telemetry.start_tracing()
    service = build_service(config)
    if tracing is not None:
        service.tracer = tracing.get_tracer("bulwark.engine")
    app = create_app(service)
    telemetry.instrument(app, tracing)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    finally:
        if tracing is not None:
            tracing.shutdown()  # flush the spans still queued


if __name__ == "__main__":
    main()
