"""Adds the console (API routers, pages, assets) to the gateway app."""

from __future__ import annotations

from fastapi import FastAPI

from gateway.console import api_keys, api_records, api_reveal, api_status, pages


def install_console(app: FastAPI) -> None:
    for module in (api_records, api_reveal, api_status, api_keys, pages):
        app.include_router(module.router)
    pages.mount_assets(app)
