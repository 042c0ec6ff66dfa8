"""`python -m engine serve ...`: load the model, then serve the OpenAI API with uvicorn."""

from __future__ import annotations

import argparse
import logging
import os
import ssl
import sys
from pathlib import Path
from typing import Any

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
    _security_arguments(serve)
    return parser


def _security_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--ssl-certfile", type=Path, default=None, help="serve HTTPS with this certificate")
    serve.add_argument("--ssl-keyfile", type=Path, default=None, help="the certificate's private key")
    serve.add_argument(
        "--ssl-ca-certs", type=Path, default=None, help="require client certificates from this CA (mTLS)"
    )
    # A file, not the value: argv is visible to every user of the host (ps).
    serve.add_argument(
        "--auth-token-file", type=Path, default=None, help="bearer token the gateway must send"
    )
    serve.add_argument(
        "--dev-mode",
        action="store_true",
        default=os.environ.get("BULWARK_DEV_MODE", "") in {"1", "true"},
        help="allow serving without a token or client certificate (loopback development only)",
    )


def _access(args: argparse.Namespace) -> tuple[str | None, dict[str, Any]]:
    """The bearer token and uvicorn's TLS options; exits when the engine would be open to anyone."""
    token = os.environ.get("BULWARK_ENGINE_TOKEN") or None
    if args.auth_token_file is not None:
        token = args.auth_token_file.read_text(encoding="utf-8").strip() or None
    if token is None and args.ssl_ca_certs is None and not args.dev_mode:
        sys.exit(
            "engine: refusing to start without --auth-token-file (or BULWARK_ENGINE_TOKEN) or "
            "--ssl-ca-certs outside dev mode: anyone reaching the port would bypass the gateway"
        )
    tls: dict[str, Any] = {}
    if args.ssl_certfile is not None:
        tls = {"ssl_certfile": str(args.ssl_certfile), "ssl_keyfile": str(args.ssl_keyfile)}
    if args.ssl_ca_certs is not None:
        if not tls:
            sys.exit("engine: --ssl-ca-certs needs --ssl-certfile and --ssl-keyfile")
        tls |= {"ssl_ca_certs": str(args.ssl_ca_certs), "ssl_cert_reqs": ssl.CERT_REQUIRED}
    return token, tls


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    token, tls = _access(args)  # before the model loads: a refusal is immediate
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
    app = create_app(service, auth_token=token)
    telemetry.instrument(app, tracing)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", **tls)
    finally:
        if tracing is not None:
            tracing.shutdown()  # flush the spans still queued


if __name__ == "__main__":
    main()
