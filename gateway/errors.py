"""Domain errors. Each carries its HTTP status and renders as an OpenAI-style error body.

One handler (see ``gateway.app``) maps them to responses, so a stage only raises; it never shapes HTTP.
Messages are written for the caller: they never contain secrets, key material or PII values.
"""

from __future__ import annotations

from typing import Any


class BulwarkError(Exception):
    status_code = 500
    error_type = "server_error"
    code: str | None = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        if code is not None:
            self.code = code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.error_type,
                "param": self.param,
                "code": self.code,
            }
        }


class InvalidRequest(BulwarkError):
    status_code = 400
    error_type = "invalid_request_error"
    code = "invalid_request"


class AuthenticationFailed(BulwarkError):
    status_code = 401
    error_type = "authentication_error"
    code = "invalid_api_key"


class PermissionDenied(BulwarkError):
    status_code = 403
    error_type = "permission_error"
    code = "permission_denied"


class NotFound(BulwarkError):
    status_code = 404
    error_type = "invalid_request_error"
    code = "not_found"


class PayloadTooLarge(BulwarkError):
    status_code = 413
    error_type = "invalid_request_error"
    code = "request_too_large"


class RateLimited(BulwarkError):
    status_code = 429
    error_type = "rate_limit_error"
    code = "rate_limit_exceeded"


class UpstreamError(BulwarkError):
    """The inference engine failed or could not be reached."""

    status_code = 502
    error_type = "server_error"
    code = "upstream_error"


class UpstreamTimeout(UpstreamError):
    """The engine did not finish answering within the gateway's time bound."""

    status_code = 504
    code = "upstream_timeout"


class ServiceUnavailable(BulwarkError):
    """A control the request depends on (audit, redaction, limits store) is down: fail closed."""

    status_code = 503
    error_type = "server_error"
    code = "service_unavailable"


class UpstreamStatusError(BulwarkError):
    """The engine answered with a 4xx: pass its status and error body through unchanged."""

    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        assert isinstance(error, dict)
        super().__init__(str(error.get("message") or "The engine refused the request."))
        self.status_code = status_code
        self.error_type = str(error.get("type") or "invalid_request_error")
        self.param = error.get("param")
        self.code = error.get("code")
