"""Live pieces for the fault tests: a private PostgreSQL server, and ``skillmatch serve`` as a real subprocess.

The private server is a fresh ``initdb`` in a temporary folder on a free port, its own socket folder, run by the
``postgres`` OS user when we are root (PostgreSQL refuses to run as root) and by ourselves otherwise. A test may
stop and start it at will: the machine's shared server on 5432 is never touched.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: on PATH, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return candidates[-1].parent if candidates else None


def require_postgres_bindir() -> Path:
    """The binaries, or a skip with the reason; CI (``CI`` set) fails instead: there the tests must run."""
    bindir = postgres_bindir()
    if bindir is None:
        reason = "initdb/pg_ctl not found (install postgresql): the private-PostgreSQL tests need them"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return bindir


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1:``port``; ``stop()`` and ``start()`` as often as a test likes."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="skillmatch-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--no-locale"
        )
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
                # a clean stop writes everything out; fsync only matters if the machine itself crashes
                "fsync = off\nshared_buffers = 32MB\nmax_connections = 100\n"
            )

    def _run(self, tool: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
        return done

    def start(self) -> None:
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log))

    def stop(self) -> None:
        """``pg_ctl stop -m fast``: open connections are cut, as a restart or failover does."""
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", str(self.data))

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; its SQLAlchemy URL."""
        from sqlalchemy import create_engine, text

        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return self.url(name)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.running:
                self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres(require_postgres_bindir())
    try:
        server.start()
        yield server
    finally:
        server.close()


# ------------------------------------------------------------------------------------------------------- service


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@functools.cache
def _taxonomy_cache() -> Path:
    """One taxonomy cache for every service a test session starts (a cold one costs each start a second)."""
    folder = Path(tempfile.mkdtemp(prefix="skillmatch-live-cache-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def service_env(tmp: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a service subprocess: ours without any SKILLMATCH_ setting but those given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLMATCH_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    env |= {"SKILLMATCH_DATA_DIR": str(tmp / "data"), "SKILLMATCH_CACHE_DIR": str(_taxonomy_cache()), **extra}
    if database_url:
        env["SKILLMATCH_DATABASE_URL"] = database_url
    return env


def cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``skillmatch ARGS`` (the installed command's module), failing the test on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"skillmatch {' '.join(args)}: {done.stderr}"
    return done


def new_key(env: dict[str, str], owner: str) -> str:
    return cli("keys", "create", "--owner", owner, env=env).stdout.strip().splitlines()[-1]


class Service:
    """``skillmatch serve --workers N`` on a free port, its log in a file; HTTP with the standard library."""

    def __init__(self, tmp: Path, env: dict[str, str], *, workers: int = 1) -> None:
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"serve-{self.port}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), "--workers", str(workers)],
                env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            self.wait_ready()
        except BaseException:
            self.close()
            raise

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}: {self.log.read_text()}")
            started = self.log.read_text(errors="replace").count("Application startup complete")
            if started >= self.workers:
                with contextlib.suppress(OSError):
                    if self.request("GET", "/readyz", timeout=5).status == 200:
                        return
            time.sleep(0.2)
        pytest.fail(f"the server was not ready within {timeout} s: {self.log.read_text()}")

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Answer:
        """One request; an HTTP error status is an answer, not an exception (a refused connection is one)."""
        body, sent = data, dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(self.url + path, data=body, headers=sent, method=method)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                got = response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as exc:
            got = exc.code, dict(exc.headers.items()), exc.read()
        return Answer(got[0], {k.lower(): v for k, v in got[1].items()}, got[2], time.monotonic() - started)

    def worker_pids(self) -> list[int]:
        """The processes serving requests: the server itself with one worker, else its spawned children."""
        if self.workers == 1:
            return [self.process.pid]
        import psutil

        try:
            children = psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []
        pids = []
        for child in children:
            with contextlib.suppress(psutil.Error):
                if child.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(child.cmdline()):
                    pids.append(child.pid)
        return sorted(pids)

    def tracebacks(self) -> list[str]:
        return re.findall(r"Traceback \(most recent call last\)", self.log.read_text(errors="replace"))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def multipart(field: str, filename: str, data: bytes, content_type: str) -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body with one file field, and its Content-Type header."""
    boundary = "skillmatch" + os.urandom(8).hex()
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
