"""api.docs: /docs and /redoc load their scripts from this server, so they work without internet access."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(("page", "assets"), [("/docs", 3), ("/redoc", 2)])
def test_docs_pages_use_only_packaged_assets(client: TestClient, page: str, assets: int) -> None:
    answer = client.get(page)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert "/openapi.json" in html
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']|url: *['"]([^'"]+)['"]""", html)
    external = [u for pair in urls for u in pair if u.startswith(("http://", "https://", "//"))]
    assert external == [], external  # no CDN, no web fonts
    scripts = set(re.findall(r"/docs-assets/[\w.-]+", html))
    assert len(scripts) == assets
    for path in scripts:
        asset = client.get(path)
        assert asset.status_code == 200, path
        assert len(asset.content) > 1000, path
