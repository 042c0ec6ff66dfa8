"""The web console at ``/console``: one HTML page, its script and stylesheet, all served from the package.

The Content-Security-Policy allows nothing but this origin: no CDN, no inline script, no outside fetch.
The page holds no data; everything it shows comes from the console API with the signed-in token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}

router = APIRouter(include_in_schema=False)


@router.get("/console")
def console_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html", headers=SECURITY_HEADERS)


@router.get("/console/")
def console_slash() -> RedirectResponse:
    return RedirectResponse("/console")


def mount_assets(app: FastAPI) -> None:
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
