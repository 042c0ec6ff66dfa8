"""Application factory. All wiring happens in ``lifespan``; routes receive it through ``ServicesDep``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway import health
from gateway.admin import policies as admin_policies
from gateway.audit.components import start_ledger
from gateway.auth.failed_attempts import FailedAuthFlusher, FailedAuthTracker
from gateway.chat import router as chat_router
from gateway.console.install import install_console
from gateway.console.state import start_console
from gateway.db import migrate
from gateway.db.session import Database
from gateway.errors import BulwarkError, InvalidRequest, NotFound
from gateway.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from gateway.pii.service import PiiService
from gateway.pipeline.build import build_pipeline
from gateway.policy.runtime import PolicyRuntime
from gateway.responses import router as responses_router
from gateway.services import Services
from gateway.settings import Settings
from gateway.telemetry import endpoint as metrics_endpoint
from gateway.telemetry.runtime import TelemetryRuntime
from gateway.tenants.key_cache import KeyAuthenticator
from gateway.tls import upstream_tls
from gateway.upstream.pool_file import load_pool_file
from gateway.upstream.pools import UpstreamPools

logger = logging.getLogger(__name__)


def create_app(settings: Settings) -> FastAPI:
    telemetry = TelemetryRuntime.from_environment()
    # Before anything else: a pool outside the egress allow-list stops start-up, naming the URL.
    pool_file = load_pool_file(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database(settings.resolved_database_url)
        await anyio.to_thread.run_sync(migrate.upgrade, database.url)
        tls = upstream_tls(settings)
        upstreams = UpstreamPools.from_pool_file(
            pool_file,
            settings,
            tls=tls,
            transport=lambda: telemetry.upstream_transport(verify=tls.verify),
        )
        audit_ledger = await anyio.to_thread.run_sync(start_ledger, settings, database)
        audit_writer = audit_ledger.writer
        audit_writer.observe_commits(telemetry.metrics.audit_committed)
        policy = PolicyRuntime.from_settings(settings, database, audit_writer)
        audit_ledger.follow_policy(policy.store)  # per-tenant audit.retention_days for the purge job
        pii = await anyio.to_thread.run_sync(PiiService.from_settings, settings)
        auth_failures = FailedAuthTracker(
            window_s=settings.auth_failure_window_s, limit=settings.auth_failure_limit
        )
        failure_log = FailedAuthFlusher(auth_failures, audit_writer)
        failure_log.start()
        await policy.start()
        await upstreams.start()
        keys = KeyAuthenticator(database, settings.secret("key_pepper"), ttl_s=settings.key_cache_ttl_s)
        app.state.services = Services(
            settings=settings,
            database=database,
            audit_writer=audit_writer,
            upstreams=upstreams,
            keys=keys,
            pipeline=build_pipeline(
                settings,
                keys,
                audit_writer,
                upstreams,
                policy,
                pii,
                auth_failures,
                telemetry.pipeline_observer(settings.served_models),
            ),
            policy=policy,
            telemetry=telemetry,
            auth_failures=auth_failures,
        )
        console = start_console(app, settings)
        try:
            yield
        finally:
            await console.aclose()
            await failure_log.aclose()  # before the ledger closes: the last windows are written
            await policy.aclose()
            await pii.aclose()
            await upstreams.aclose()
            await anyio.to_thread.run_sync(audit_ledger.close)
            database.dispose()
            telemetry.shutdown()

    # Deny by default: outside dev mode no route answers without credentials, the API docs included.
    docs = settings.dev_mode
    app = FastAPI(
        title="Bulwark gateway",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/openapi.json" if docs else None,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    app.include_router(chat_router.router)
    app.include_router(responses_router.router)
    app.include_router(health.router)
    app.include_router(metrics_endpoint.router)
    install_console(app)
    app.include_router(admin_policies.router)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)
    telemetry.instrument(app)
    return app


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BulwarkError)
    async def bulwark_error(_: Request, error: BulwarkError) -> JSONResponse:
        return JSONResponse(error.body(), status_code=error.status_code, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid request"}
        param = ".".join(str(part) for part in first["loc"][1:]) or None
        refused = InvalidRequest(f"Invalid request: {first['msg']}.", param=param)
        return JSONResponse(refused.body(), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        mapped: BulwarkError = (
            NotFound("Unknown route.") if error.status_code == 404 else InvalidRequest(str(error.detail))
        )
        return JSONResponse(mapped.body(), status_code=error.status_code)

    @app.exception_handler(Exception)
    async def unexpected_error(_: Request, error: Exception) -> JSONResponse:
        # The type only: an exception message may quote request content.
        logger.error("unhandled %s", type(error).__name__)
        return JSONResponse(BulwarkError("The gateway hit an internal error.").body(), status_code=500)
