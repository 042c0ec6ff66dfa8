"""Engine HTTP errors with OpenAI-style bodies (the engine never imports the gateway's)."""

from __future__ import annotations

from typing import Any


class EngineError(Exception):
    """An error the server turns into `{"error": {...}}` with its status code."""

    status_code = 400
    error_type = "invalid_request_error"

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.error_type, self.param, self.code)


class InvalidRequestError(EngineError):
    status_code = 400


class ModelNotFoundError(EngineError):
    status_code = 404


class QueueFullError(EngineError):
    """The waiting queue is full; the client should retry after a short pause."""

    status_code = 429
    error_type = "rate_limit_error"


class EngineUnavailableError(EngineError):
    status_code = 503
    error_type = "server_error"


def error_body(
    message: str, error_type: str, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}
