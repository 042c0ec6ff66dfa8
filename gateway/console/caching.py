"""Console API answers carry audit data (and, for a reveal, PHI): no browser or proxy may keep a copy."""

from __future__ import annotations

from fastapi import Response

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def no_store(response: Response) -> None:
    """Router dependency: applies to every route that returns data (routes returning a Response set it)."""
    response.headers.update(NO_STORE)
