"""The web console page: served by the gateway, everything bundled, locked down by its CSP."""

from __future__ import annotations

import re

from gateway.console.pages import STATIC_DIR
from tests.gateway.console.conftest import Console


def test_page_and_assets_are_served_with_a_strict_policy(console: Console) -> None:
    page = console.client.get("/console")
    assert page.status_code == 200 and "Sign in" in page.text
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    for asset in ("console.js", "console.css"):
        assert console.client.get(f"/console/static/{asset}").status_code == 200
    assert console.client.get("/console/static/../pages.py").status_code == 404


def test_no_asset_points_outside_the_premises() -> None:
    for asset in STATIC_DIR.iterdir():
        text = asset.read_text(encoding="utf-8")
        # Only the SVG namespace identifier may look like a URL; it is never fetched.
        urls = set(re.findall(r"https?://[^\s\"')]+", text)) - {"http://www.w3.org/2000/svg"}
        assert not urls, (asset.name, urls)
        assert "innerHTML" not in text, asset.name  # untrusted record text is only ever set as textContent
