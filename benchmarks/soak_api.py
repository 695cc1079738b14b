"""Soak (issue 8): a bounded, mixed load on `skillmatch serve --workers 2` over PostgreSQL; it stops by itself.

    python benchmarks/soak_api.py [--seconds 60] [--workers 2] [--clients 8] [--database-url URL]

--database-url names a PostgreSQL server (default: SKILLMATCH_TEST_POSTGRES_URL, else
postgresql+psycopg://postgres@127.0.0.1:5432/postgres); a fresh database is created on it, migrated with
`skillmatch db upgrade`, given an API key for each of two owners, served on a free loopback port and dropped at
the end. --clients asyncio clients (httpx), half of them per owner, each sending its next request as soon as the
last one is answered, mix:

- uploads: POST /v1/resumes (text, each one new, and PDF files under a new name, so each is parsed), POST /v1/jobs;
- matches: POST /v1/match by stored ids and with inline texts;
- reads:   GET the lists of resumes, jobs and reports, GET a report as JSON, HTML or Markdown, GET a document,
           POST /v1/resumes/{id}/titles, POST /v1/jobs/{id}/candidates;
- deletes: DELETE a resume, a job post or a report (each owner keeps at most a few dozen documents);
- probes:  GET another owner's document, which must be 404.

Every list an owner gets must hold none of the other owner's ids, and at the end each owner's lists must hold
exactly the records it created and did not delete (nothing lost, nothing leaked). Prints requests, errors (any
answer but the expected one; must be 0), p50/p99 per operation, and each worker's RSS sampled every
--sample-every seconds after --warmup: the mean of the last third against the first third ("flat" below 10 %
growth). Exit status 1 when anything failed: an error, a 5xx, a leak, a lost record, a worker restarted, RSS growth.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
#: RSS growth (last third of the samples against the first) above which the soak calls memory not flat
RSS_GROWTH_LIMIT = 0.10
#: documents each owner keeps at most: the store stays small, as does the candidates ranking
CAPS = {"resume": 30, "job": 10, "report": 60}
#: operation -> weight in the mix
MIX = {
    "upload_resume_text": 10,
    "upload_resume_pdf": 3,
    "upload_job": 4,
    "match_ids": 18,
    "match_inline": 6,
    "list": 14,
    "get_report": 12,
    "get_document": 8,
    "titles": 6,
    "candidates": 4,
    "delete": 8,
    "cross_owner_probe": 4,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


# ----------------------------------------------------------------------------------------------- database, server


def skillmatch(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise SystemExit(f"skillmatch {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


class Server:
    """`skillmatch serve --workers N` on a free loopback port; RSS of its workers read from /proc."""

    def __init__(self, workers: int, env: dict[str, str], log: Path) -> None:
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), "--workers", str(workers)],
                env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def wait_ready(self, timeout: float = 180) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited ({self.process.returncode}):\n{self.log.read_text()}")
            if self.log.read_text(errors="replace").count("Application startup complete") >= self.workers:
                with httpx.Client() as client, contextlib.suppress(httpx.HTTPError):
                    if client.get(self.url + "/readyz").status_code == 200:
                        return time.monotonic() - started
            time.sleep(0.2)
        raise SystemExit(f"the server was not ready within {timeout} s:\n{self.log.read_text()}")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the server itself with one worker, its spawned children with more."""
        if self.workers == 1:
            return [self.process.pid]
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                ppid = next(line for line in status.read_text().splitlines() if line.startswith("PPid:"))
                cmdline = (status.parent / "cmdline").read_bytes()
            except (OSError, StopIteration):
                continue
            if int(ppid.split()[1]) == self.process.pid and b"spawn_main" in cmdline:
                pids.append(int(status.parent.name))
        return sorted(pids)

    @staticmethod
    def rss_mb(pid: int) -> float | None:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class RssSampler(threading.Thread):
    """Every ``every`` seconds, the RSS of each worker: ``samples`` is a list of ``{pid: MB}``."""

    def __init__(self, server: Server, every: float) -> None:
        super().__init__(daemon=True)
        self.server, self.every = server, every
        self.samples: list[dict[int, float]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while True:
            sample = {pid: mb for pid in self.server.worker_pids() if (mb := self.server.rss_mb(pid)) is not None}
            self.samples.append(sample)
            if self.halt.wait(self.every):
                return

    def growth(self) -> dict[int, tuple[float, float, float]]:
        """Per worker present in every sample: (first third mean MB, last third mean MB, growth)."""
        if len(self.samples) < 3:
            return {}
        pids = set.intersection(*(set(s) for s in self.samples))
        third = max(1, len(self.samples) // 3)
        out = {}
        for pid in sorted(pids):
            first = sum(s[pid] for s in self.samples[:third]) / third
            last = sum(s[pid] for s in self.samples[-third:]) / third
            out[pid] = (first, last, last / first - 1)
        return out


# ------------------------------------------------------------------------------------------------------ the load


@dataclass
class Owner:
    """What one owner's clients created and deleted: the truth the responses are checked against."""

    name: str
    key: str
    docs: dict[str, list[str]] = field(default_factory=lambda: {"resume": [], "job": []})
    reports: list[str] = field(default_factory=list)
    report_docs: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def forget_document(self, doc_id: str) -> None:
        """A deleted document: it and the reports made from it are gone (the database cascades)."""
        self.deleted.add(doc_id)
        for report_id, docs in list(self.report_docs.items()):
            if doc_id in docs:
                self.deleted.add(report_id)
                self.report_docs.pop(report_id)
                with contextlib.suppress(ValueError):
                    self.reports.remove(report_id)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    errors: int = 0
    server_errors: int = 0
    leaks: int = 0
    raced: int = 0
    messages: list[str] = field(default_factory=list)

    def error(self, message: str, *, leak: bool = False) -> None:
        self.errors += 1
        self.leaks += leak
        if len(self.messages) < 20:
            self.messages.append(message)


class Corpus:
    """Texts and files to upload; every text upload gets a new line, so the server parses each one anew."""

    def __init__(self) -> None:
        def texts(*folders: Path) -> list[str]:
            return [p.read_text(encoding="utf-8") for f in folders for p in sorted(f.iterdir())
                    if p.suffix in (".md", ".txt")]  # fmt: skip

        self.resumes = texts(SAMPLES / "resumes", SAMPLES / "eval" / "resumes")
        self.jobs = texts(SAMPLES / "jobs", SAMPLES / "eval" / "jobs")
        self.pdfs = [(p.name, p.read_bytes()) for p in sorted((SAMPLES / "resumes").glob("*.pdf"))]
        self.run = uuid.uuid4().hex[:8]


class Load:
    """The clients and their checks; ``stats`` holds what they saw."""

    def __init__(self, url: str, owners: list[Owner], *, seed: int = 8) -> None:
        self.url = url
        self.owners = owners
        self.corpus = Corpus()
        self.rng = random.Random(seed)
        self.counter = 0
        self.stats = Stats()
        self.measure = True

    def other(self, owner: Owner) -> Owner:
        return self.owners[1 - self.owners.index(owner)]

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    async def run(self, seconds: float, clients: int) -> None:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=self.url, limits=limits, timeout=60) as client:
            deadline = time.monotonic() + seconds

            async def one(owner: Owner) -> None:
                while time.monotonic() < deadline:
                    await self.step(client, owner)

            await asyncio.gather(*(one(self.owners[i % len(self.owners)]) for i in range(clients)))

    async def call(
        self,
        client: httpx.AsyncClient,
        owner: Owner,
        op: str,
        method: str,
        path: str,
        expect: int,
        *,
        uses: tuple[str, ...] = (),
        **kw: Any,
    ) -> httpx.Response | None:
        """One request; its latency under ``op``; an answer other than ``expect`` is an error (returns None), but
        404 (or 409 conflict, met half-way) is right when an id it ``uses`` is being deleted by another client."""
        started = time.perf_counter()
        try:
            response = await client.request(method, path, headers=owner.headers, **kw)
        except httpx.HTTPError as exc:
            self.stats.requests += 1
            self.stats.error(f"{op} {method} {path}: {type(exc).__name__} {exc}")
            return None
        if self.measure:
            self.stats.latencies[op].append(time.perf_counter() - started)
        self.stats.requests += 1
        if response.status_code >= 500:
            self.stats.server_errors += 1
        if response.status_code != expect:
            if response.status_code in (404, 409) and any(i in owner.deleted for i in uses):
                self.stats.raced += 1  # deleted by another client of the owner meanwhile: the right answer
            else:
                self.stats.error(f"{op} {method} {path}: {response.status_code} {response.text[:200]}")
            return None
        return response

    def check_list(self, owner: Owner, op: str, ids: list[str]) -> None:
        leaked = set(ids) & self.other(owner).created
        if leaked:
            self.stats.error(f"{op}: {owner.name} sees {len(leaked)} of the other owner's ids", leak=True)

    async def step(self, client: httpx.AsyncClient, owner: Owner) -> None:
        rng, corpus = self.rng, self.corpus
        op = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        resumes, jobs = owner.docs["resume"], owner.docs["job"]
        # keep the store small: an upload over the cap deletes instead; nothing to read yet uploads first
        if (op.startswith("upload_resume") and len(resumes) >= CAPS["resume"]) or (
            op == "upload_job" and len(jobs) >= CAPS["job"]
        ):
            op = "delete"
        if op in ("match_ids", "titles", "candidates", "get_document") and (not resumes or not jobs):
            op = "upload_job" if not jobs else "upload_resume_text"
        if op == "get_report" and not owner.reports:
            op = "match_ids" if resumes and jobs else "match_inline"
        if op == "match_ids" and len(owner.reports) >= CAPS["report"]:
            op = "delete"
        i = self.next_id()

        if op in ("upload_resume_text", "upload_job"):
            kind, path = ("resume", "/v1/resumes") if op == "upload_resume_text" else ("job", "/v1/jobs")
            texts = corpus.resumes if kind == "resume" else corpus.jobs
            body = {"text": f"{rng.choice(texts)}\n\nReference {corpus.run}-{i}\n", "filename": f"{kind}-{i}.md"}
            if (r := await self.call(client, owner, op, "POST", path, 201, json=body)) is not None:
                self.created(owner, kind, r.json()["id"])
        elif op == "upload_resume_pdf":
            name, data = rng.choice(corpus.pdfs)
            files = {"file": (f"{corpus.run}-{i}-{name}", data, "application/pdf")}
            if (r := await self.call(client, owner, op, "POST", "/v1/resumes", 201, files=files)) is not None:
                self.created(owner, "resume", r.json()["id"])
        elif op == "match_ids":
            body = {"resume_id": rng.choice(resumes), "job_id": rng.choice(jobs)}
            uses = (body["resume_id"], body["job_id"])
            if (r := await self.call(client, owner, op, "POST", "/v1/match", 201, uses=uses, json=body)) is not None:
                data = r.json()
                if body["resume_id"] in owner.deleted or body["job_id"] in owner.deleted:
                    owner.created.add(data["id"])  # made just before the delete: cascaded away with it
                    owner.deleted.add(data["id"])
                else:
                    self.report(owner, data["id"], body["resume_id"], body["job_id"])
        elif op == "match_inline":
            body = {"resume_text": f"{rng.choice(corpus.resumes)}\n\nReference {corpus.run}-{i}\n",
                    "job_text": rng.choice(corpus.jobs), "blind": rng.random() < 0.3}  # fmt: skip
            if (r := await self.call(client, owner, op, "POST", "/v1/match", 201, json=body)) is not None:
                self.report(owner, r.json()["id"], None, None)
        elif op == "list":
            what = rng.choice(["resumes", "jobs", "reports"])
            r = await self.call(client, owner, op, "GET", f"/v1/{what}?limit=100", 200)
            if r is not None:
                self.check_list(owner, op, [row["id"] for row in r.json()["data"]])
        elif op == "get_report":
            fmt, target = rng.choice(["json", "json", "html", "md"]), rng.choice(owner.reports)
            await self.call(client, owner, op, "GET", f"/v1/reports/{target}?format={fmt}", 200, uses=(target,))
        elif op == "get_document":
            kind = rng.choice(["resume", "job"])
            target = rng.choice(owner.docs[kind])
            r = await self.call(client, owner, op, "GET", f"/v1/{kind}s/{target}", 200, uses=(target,))
            if r is not None and r.json()["id"] not in owner.created:
                self.stats.error(f"{op}: {owner.name} got a document it never created", leak=True)
        elif op == "titles":
            target = rng.choice(resumes)
            await self.call(client, owner, op, "POST", f"/v1/resumes/{target}/titles?top=5", 200, uses=(target,))
        elif op == "candidates":
            target = rng.choice(jobs)
            path = f"/v1/jobs/{target}/candidates?limit=50"
            r = await self.call(client, owner, op, "POST", path, 200, uses=(target,))
            if r is not None:
                self.check_list(owner, op, [row["resume_id"] for row in r.json()["data"]])
        elif op == "delete":
            await self.delete(client, owner)
        elif op == "cross_owner_probe":
            theirs = self.other(owner).docs["resume"]
            if theirs:
                r = await self.call(client, owner, op, "GET", f"/v1/resumes/{rng.choice(theirs)}", 404)
                if r is not None and r.json().get("code") != "not_found":
                    self.stats.error(f"{op}: {r.text[:200]}")

    def created(self, owner: Owner, kind: str, doc_id: str) -> None:
        owner.docs[kind].append(doc_id)
        owner.created.add(doc_id)

    def report(self, owner: Owner, report_id: str, resume_id: str | None, job_id: str | None) -> None:
        owner.reports.append(report_id)
        owner.report_docs[report_id] = (resume_id, job_id)
        owner.created.add(report_id)

    async def delete(self, client: httpx.AsyncClient, owner: Owner) -> None:
        """Delete the oldest of whatever is fullest; taken off the lists first, so no two clients delete it."""
        fullness = {
            "resume": len(owner.docs["resume"]) / CAPS["resume"],
            "job": len(owner.docs["job"]) / CAPS["job"],
            "report": len(owner.reports) / CAPS["report"],
        }
        kind = max(fullness, key=lambda k: fullness[k])
        pool = owner.reports if kind == "report" else owner.docs[kind]
        if len(pool) <= (1 if kind != "report" else 0):
            return
        target = pool.pop(0)
        # counted as deleted from now: a request that meets the delete half-way may rightly get 404
        if kind == "report":
            owner.deleted.add(target)
            owner.report_docs.pop(target, None)
        else:
            owner.forget_document(target)
        await self.call(client, owner, "delete", "DELETE", f"/v1/{kind}s/{target}", 204)

    async def audit(self) -> int:
        """After the load: each owner's lists hold exactly what it created and did not delete. Returns lost."""
        lost = 0
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as client:
            for owner in self.owners:
                for what, expected in (
                    ("resumes", set(owner.docs["resume"])),
                    ("jobs", set(owner.docs["job"])),
                    ("reports", set(owner.reports)),
                ):
                    listed: set[str] = set()
                    offset = 0
                    while True:
                        r = await client.get(f"/v1/{what}?limit=100&offset={offset}", headers=owner.headers)
                        if r.status_code != 200:
                            self.stats.error(f"audit {what}: {r.status_code}")
                            break
                        page = r.json()
                        listed |= {row["id"] for row in page["data"]}
                        offset += 100
                        if offset >= page["count"]:
                            break
                    lost += len(expected - listed)
                    extra = listed - expected
                    leaked = extra & self.other(owner).created
                    if leaked:
                        self.stats.error(f"audit: {owner.name} lists {len(leaked)} of the other's {what}", leak=True)
                    unknown = extra - leaked - owner.deleted
                    if unknown:
                        self.stats.error(f"audit: {owner.name} lists {len(unknown)} {what} nobody created")
        return lost


# ------------------------------------------------------------------------------------------------------ the soak


@dataclass
class SoakResult:
    seconds: float
    workers: int
    clients: int
    requests: int
    errors: int
    server_errors: int
    leaks: int
    lost: int
    raced: int
    restarted: bool
    messages: list[str]
    latencies: dict[str, list[float]]
    rss: dict[int, tuple[float, float, float]]
    samples: int
    ready_s: float
    log_problems: list[str]

    @property
    def rss_flat(self) -> bool:
        return bool(self.rss) and all(g < RSS_GROWTH_LIMIT for _, _, g in self.rss.values())

    @property
    def failed(self) -> int:
        """Failures of any kind: errors (leaks among them), 5xx, log tracebacks, a worker that had to restart."""
        return self.errors + self.server_errors + len(self.log_problems) + self.restarted

    def lines(self) -> list[str]:
        out = [
            f"{self.workers} workers, {self.clients} clients, {self.seconds:g} s measured (server ready in "
            f"{self.ready_s:.1f} s)",
            f"requests {self.requests} ({self.requests / self.seconds:.1f}/s), errors {self.errors}, 5xx "
            f"{self.server_errors}, cross-owner leaks {self.leaks}, lost records {self.lost}, 404/409 for an id "
            f"deleted meanwhile {self.raced}, worker restarted: {'yes' if self.restarted else 'no'}",
            f"{'operation':<20} {'count':>6} {'p50 ms':>8} {'p99 ms':>8}",
        ]
        everything: list[float] = []
        for op in MIX:
            values = self.latencies.get(op, [])
            everything += values
            if values:
                out.append(f"{op:<20} {len(values):>6} {percentile(values, 0.5) * 1000:>8.1f} "
                           f"{percentile(values, 0.99) * 1000:>8.1f}")  # fmt: skip
        out.append(f"{'all':<20} {len(everything):>6} {percentile(everything, 0.5) * 1000:>8.1f} "
                   f"{percentile(everything, 0.99) * 1000:>8.1f}")  # fmt: skip
        for pid, (first, last, growth) in self.rss.items():
            out.append(f"worker {pid} RSS: first third {first:.0f} MB, last third {last:.0f} MB ({growth:+.1%})")
        verdict = "flat" if self.rss_flat else f"NOT flat (limit {RSS_GROWTH_LIMIT:.0%})"
        out.append(f"RSS over {self.samples} samples: {verdict}")
        out += [f"error: {m}" for m in self.messages]
        out += [f"server log: {m}" for m in self.log_problems]
        return out


def soak(
    server_url: str,
    *,
    seconds: float = 60,
    workers: int = 2,
    clients: int = 8,
    warmup: float = 5,
    sample_every: float = 3,
    seed: int = 8,
) -> SoakResult:
    """The whole soak on a fresh database of the PostgreSQL server at ``server_url``; the server stopped and the
    database dropped at the end, whatever happens."""
    sys.path.insert(0, str(REPO))  # the repository's own helpers (tests/postgres.py)
    from tests.postgres import temporary_database

    with (
        tempfile.TemporaryDirectory(prefix="skillmatch-soak-") as tmp,
        temporary_database(server_url, "skillmatch_soak") as url,
    ):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLMATCH_")}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env |= {"SKILLMATCH_DATABASE_URL": url, "SKILLMATCH_DATA_DIR": f"{tmp}/data", "SKILLMATCH_CACHE_DIR": tmp}
        skillmatch("db", "upgrade", env=env)
        owners = [
            Owner(name, skillmatch("keys", "create", "--owner", name, env=env).strip().splitlines()[-1])
            for name in ("soak-a", "soak-b")
        ]
        server = Server(workers, env, Path(tmp) / "serve.log")
        try:
            ready = server.wait_ready()
            pids = server.worker_pids()
            load = Load(server.url, owners, seed=seed)
            if warmup > 0:  # caches, connection pools, the first of everything: counted for errors, not timed
                load.measure = False
                asyncio.run(load.run(warmup, clients))
                load.measure = True
            sampler = RssSampler(server, sample_every)
            sampler.start()
            asyncio.run(load.run(seconds, clients))
            sampler.halt.set()
            sampler.join()
            lost = asyncio.run(load.audit())
            restarted = server.worker_pids() != pids or server.process.poll() is not None
            log = server.log.read_text(errors="replace").splitlines()
        finally:
            server.close()
        # every request is one INFO line; an unhandled exception is an ERROR line (with its traceback after it)
        problems = [line[:200] for line in log if " ERROR " in line or " CRITICAL " in line][:10]
        stats = load.stats
        return SoakResult(
            seconds=seconds,
            workers=workers,
            clients=clients,
            requests=stats.requests,
            errors=stats.errors,
            server_errors=stats.server_errors,
            leaks=stats.leaks,
            lost=lost,
            raced=stats.raced,
            restarted=restarted,
            messages=stats.messages,
            latencies=dict(stats.latencies),
            rss=sampler.growth(),
            samples=len(sampler.samples),
            ready_s=ready,
            log_problems=problems,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds of load [60]")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before measuring [5]")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers [2]")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients, half per owner [8]")
    parser.add_argument("--sample-every", type=float, default=3.0, help="seconds between RSS samples [3]")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SKILLMATCH_TEST_POSTGRES_URL") or DEFAULT_SERVER,
        help="a PostgreSQL server to create the soak's database on [SKILLMATCH_TEST_POSTGRES_URL, else "
        "127.0.0.1:5432]",
    )
    args = parser.parse_args()
    result = soak(
        args.database_url,
        seconds=args.seconds,
        workers=args.workers,
        clients=args.clients,
        warmup=args.warmup,
        sample_every=args.sample_every,
        seed=args.seed,
    )
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print("\n".join(result.lines()))
    return 1 if result.failed or result.lost or result.leaks or not result.rss_flat else 0


if __name__ == "__main__":
    sys.exit(main())
