"""The page route (``api/routes/web.py``) and its assets over real HTTP, without a browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from api.routes.web import STATIC_DIR, WEB_DIR, human_size
from tests.web.conftest import LiveServer, create_key_for, start_server

CONFIG = re.compile(r'<script id="config" type="application/json">(.*?)</script>', re.S)


def test_page_served_with_config_from_the_server_settings(live_server: LiveServer) -> None:
    status, headers, body = live_server.request("GET", "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    config = json.loads(CONFIG.search(body).group(1))
    assert config["max_upload_bytes"] == 10_000_000
    assert config["max_upload_text"] == "10 MB"
    assert config["auth_required"] is False
    assert "up to 10 MB" in " ".join(body.split())  # the form's help text, from the same setting


def test_page_security_headers_allow_no_inline_script(live_server: LiveServer) -> None:
    _, headers, body = live_server.request("GET", "/")
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    # the only inline <script> is data (type application/json), which the policy does not need to allow
    scripts = re.findall(r"<script([^>]*)>", body)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)


@pytest.mark.parametrize(("path", "media"), [("static/app.js", "javascript"), ("static/style.css", "text/css")])
def test_static_assets_served(live_server: LiveServer, path: str, media: str) -> None:
    status, headers, _ = live_server.request("GET", path)
    assert status == 200
    assert media in headers["content-type"]


def test_missing_static_file_is_problem_json(live_server: LiveServer) -> None:
    status, headers, body = live_server.request("GET", "static/nothing.js")
    assert status == 404
    assert headers["content-type"].startswith("application/problem+json")
    assert body["code"] == "not_found"


def test_taxonomy_names_for_the_page(live_server: LiveServer) -> None:
    status, headers, body = live_server.request("GET", "web/taxonomy.json")
    assert status == 200
    assert body["categories"]["mlops"] == "MLOps"
    assert body["skills"]["kubernetes"] == "Kubernetes"
    assert "max-age" in headers["cache-control"]


def test_taxonomy_names_need_a_key_when_keys_are_in_force(tmp_path: Path) -> None:
    server = start_server(tmp_path)
    try:
        key = create_key_for(server, "names")
        status, _, body = server.request("GET", "web/taxonomy.json")
        assert status == 401
        assert body["code"] == "unauthorized"
        status, _, body = server.request("GET", "web/taxonomy.json", key=key)
        assert status == 200
        assert body["skills"]["kubernetes"] == "Kubernetes"
        # the page itself loads without a key, and says keys are in force
        status, _, page = server.request("GET", "/")
        assert status == 200
        assert json.loads(CONFIG.search(page).group(1))["auth_required"] is True
    finally:
        server.stop()


def test_page_routes_in_openapi(live_server: LiveServer) -> None:
    _, _, schema = live_server.request("GET", "openapi.json")
    assert "text/html" in schema["paths"]["/"]["get"]["responses"]["200"]["content"]
    assert "/web/taxonomy.json" in schema["paths"]


@pytest.mark.parametrize(
    ("size", "text"), [(10_000_000, "10 MB"), (2_500_000, "2.5 MB"), (800_000, "800 KB"), (999, "999 bytes")]
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


def _web_files() -> list[Path]:
    return sorted(p for p in WEB_DIR.rglob("*") if p.is_file())


def test_page_fetches_nothing_from_another_origin() -> None:
    """Works offline: no CDN, no web font, no absolute URL but the SVG namespace."""
    for path in _web_files():
        text = path.read_text(encoding="utf-8")
        urls = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"')]*", text))
        assert urls <= {"http://www.w3.org/2000/svg"}, (path.name, urls)
        assert "@import" not in text
        assert "@font-face" not in text


def test_script_never_writes_html() -> None:
    """Document text reaches the page only as text nodes: no HTML-parsing sinks in the script at all."""
    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script
