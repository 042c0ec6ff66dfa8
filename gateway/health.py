"""Liveness and readiness. Readiness means: the database answers and the engine says it is ready."""

from __future__ import annotations

import anyio
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from gateway.services import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(services: ServicesDep) -> JSONResponse:
    def database_ok() -> bool:
        try:
            with services.database.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - readiness reports any database failure as "not ready"
            return False
        return True

    checks = {
        "database": await anyio.to_thread.run_sync(database_ok),
        "engine": await services.upstreams.is_ready(),
    }
    ready = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )
