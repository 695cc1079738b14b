"""The web page under test: a live uvicorn server in a subprocess and Debian's Chromium driven by Playwright.

The server is the real thing (``uvicorn --factory api.main:create_app``) on a free port of 127.0.0.1, with its
SQLite database and caches in pytest's temporary directory. Browser tests are marked ``browser``; they skip
with a reason where ``/usr/bin/chromium`` is absent, and fail instead in CI (``CI`` set), where ``.ci/run``
installs it. Screenshots go to ``SKILLMATCH_SCREENSHOT_DIR`` when set, else to pytest's temporary directory.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from api.db import make_sessionmaker
from api.security import create_key

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# read at import: the autouse fixture clears SKILLMATCH_* variables before each test
SCREENSHOT_DIR = os.environ.get("SKILLMATCH_SCREENSHOT_DIR")
IN_CI = bool(os.environ.get("CI"))
START_TIMEOUT_S = 120.0


@dataclass
class LiveServer:
    """A running ``uvicorn`` with its own SQLite database."""

    url: str
    database_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: Any = field(repr=False)

    def request(
        self, method: str, path: str, *, json_body: Any = None, key: str | None = None
    ) -> tuple[int, dict[str, str], Any]:
        """One HTTP request to the server: (status, headers, JSON body or text)."""
        data = json.dumps(json_body).encode() if json_body is not None else None
        request = urllib.request.Request(self.url + path.lstrip("/"), data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if key:
            request.add_header("Authorization", f"Bearer {key}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, dict(error.headers), error.read()
            error.close()
        content_type = headers.get("content-type", "")
        body: Any = json.loads(raw) if raw and "json" in content_type else raw.decode("utf-8", "replace")
        return status, {k.lower(): v for k, v in headers.items()}, body

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(directory: Path, **settings: str) -> LiveServer:
    """uvicorn on a free port with a fresh SQLite database in ``directory``; returns once it answers.

    ``settings``: more ``SKILLMATCH_*`` variables for the server, e.g. ``SKILLMATCH_MAX_UPLOAD_BYTES="2500000"``."""
    port = _free_port()
    database_url = f"sqlite:///{directory / 'skillmatch.db'}"
    env = {name: value for name, value in os.environ.items() if not name.startswith("SKILLMATCH_")}
    env.update(
        SKILLMATCH_DATABASE_URL=database_url,
        SKILLMATCH_DATA_DIR=str(directory / "data"),
        SKILLMATCH_CACHE_DIR=str(directory / "cache"),
        **settings,
    )
    log_path = directory / "server.log"
    log = log_path.open("wb")
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}/", database_url, process, log_path, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            pytest.fail(f"the server exited ({process.returncode}) at start:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + "healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.25)
    server.stop()
    pytest.fail(f"the server did not answer within {START_TIMEOUT_S:.0f} s:\n{log_path.read_text()[-3000:]}")


def create_key_for(server: LiveServer, owner: str) -> str:
    """An API key on ``server``'s database, as ``skillmatch keys create`` makes it: from now on keys are in force."""
    engine = create_engine(server.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            key = create_key(session, owner)
            session.commit()
    finally:
        engine.dispose()
    return key


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the session, in single-user mode (no API key exists)."""
    server = start_server(tmp_path_factory.mktemp("live-server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian's package, started once per session."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
        if IN_CI:
            pytest.fail(f"{reason} (CI must run them)")
        pytest.skip(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("the playwright package is missing (pip install -e '.[test]')")
        pytest.skip("the playwright package is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@dataclass
class PageErrors:
    """Uncaught script errors and Content-Security-Policy refusals seen by a page: a test ends with none."""

    messages: list[str] = field(default_factory=list)


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def page(browser: Any, live_server: LiveServer, page_errors: PageErrors) -> Iterator[Any]:
    """A fresh browser context (empty sessionStorage) and page at desktop size, on the live server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(30_000)
    tab = context.new_page()
    tab.on("pageerror", lambda error: page_errors.messages.append(f"uncaught: {error}"))
    tab.on(
        "console",
        lambda message: (
            page_errors.messages.append(f"console: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    context.close()
    assert page_errors.messages == []


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path_factory.mktemp("screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def screenshot(screenshot_dir: Path) -> Callable[[Any, str], Path]:
    """``screenshot(page, "match")`` saves the whole page as ``match.png`` and returns its path."""

    def take(tab: Any, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        return path

    return take
