"""``GET /metrics`` for Prometheus, behind an operator credential: ``BULWARK_METRICS_TOKEN`` sent as
``Authorization: Bearer <token>``. Without that setting the endpoint refuses every scrape (fail closed):
tenant ids and traffic shapes are not for anyone who can reach the port."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response

from gateway.errors import AuthenticationFailed, PermissionDenied
from gateway.services import ServicesDep
from gateway.telemetry.metrics import CONTENT_TYPE

router = APIRouter(tags=["metrics"])


def check_operator_token(expected: str | None, authorization: str | None) -> None:
    if expected is None:
        raise PermissionDenied(
            "Metrics are off: set BULWARK_METRICS_TOKEN and scrape with it.", code="metrics_disabled"
        )
    scheme, _, presented = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.strip().encode(), expected.encode()):
        raise AuthenticationFailed(
            "Send the metrics token as 'Authorization: Bearer <token>'.", code="invalid_metrics_token"
        )


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, services: ServicesDep) -> Response:
    token = services.settings.metrics_token
    check_operator_token(
        token.get_secret_value() if token is not None else None, request.headers.get("authorization")
    )
    return Response(services.telemetry.metrics.render(), media_type=CONTENT_TYPE)
