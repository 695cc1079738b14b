"""The service under load: a live `skillmatch serve` on 127.0.0.1, at 1 and at 2 workers.

    python benchmarks/bench_api.py [--seconds 15] [--clients 16] [--workers 1 2] [--scenarios match pdf]

Each run starts the server as a subprocess (a temporary SQLite data dir, or SKILLMATCH_DATABASE_URL if set; pass
--key when that database has API keys), waits until every worker has started, warms up, then keeps --clients
concurrent asyncio httpx clients busy for --seconds per scenario:

- match:          POST /v1/match with inline text: a different resume each request (our samples and the 310
                  Dotin resumes of ../shared/data, each made unique so no resume is ever a cache hit) against one
                  job post (tagged once per worker, then served from the analysis cache, as a careers site would).
- match-uncached: the same, with the job post made unique too: nothing comes from the cache.
- match-cached:   eight resumes and one job, all cache hits after the first round: the cost of everything else.
- pdf:            POST /v1/resumes, multipart upload of a PDF resume (samples/resumes/*.pdf and the real ones in
                  ../shared/data/documents), a new file name each time so each one is parsed.

Prints requests/s, p50 and p99 latency, errors, the largest RSS of each worker during the scenario (and of its
parsing processes, where PDFs were parsed), and the server's CPU time per request (all its processes, the
parsing processes included): on a shared machine the throughput depends on the neighbours,
the CPU per request much less; N cores can serve at most N / (CPU per request) requests a second.
Targets (2-core machine): >= 150 match requests/s with p99 <= 100 ms at 16 clients on 2 workers; RSS <= 400 MB
per worker. The clients run on the same machine and take CPU from the server: their CPU time is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
SCENARIOS = ("match", "match-uncached", "match-cached", "pdf")


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    first_error: str | None = None
    #: requests and (p50, p99) in seconds when the client measured them itself (wrk)
    counted: int | None = None
    percentiles: tuple[float, float] | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def resume_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples" / "resumes").glob("*")) if p.suffix in
             (".md", ".txt")]  # fmt: skip
    dotin = SHARED / "dev" / "spans-dotin-train.jsonl"
    if dotin.exists():
        with dotin.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines]
    else:
        print(f"note: {dotin} is absent: only {len(texts)} sample resumes", file=sys.stderr)
    return texts


def pdf_files() -> list[tuple[str, bytes]]:
    paths = sorted((REPO / "samples" / "resumes").glob("*.pdf"))
    documents = SHARED / "documents"
    for pattern in ("resume-matcher/Resume_archive/*.pdf", "resume-matcher/pdf_templates/*.pdf", "sb2nov/*.pdf"):
        paths += sorted(documents.glob(pattern))
    return [(p.name, p.read_bytes()) for p in paths]


class Server:
    """`skillmatch serve` in a subprocess, with its workers' RSS sampled while it runs."""

    def __init__(self, workers: int, database_url: str | None) -> None:
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-api-")
        env = {**os.environ, "SKILLMATCH_DATA_DIR": str(Path(self.tmp.name) / "data")}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        if database_url:
            env["SKILLMATCH_DATABASE_URL"] = database_url
        self.log = Path(self.tmp.name) / "server.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), "--workers", str(workers)],
                env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._peak: dict[int, float] = {}
        self._sampling = threading.Event()

    def wait_ready(self, timeout: float = 180) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited ({self.process.returncode}):\n{self.log.read_text()}")
            if self.log.read_text(errors="replace").count("Application startup complete") >= self.workers:
                with httpx.Client() as client:
                    try:
                        if client.get(self.url + "/readyz").status_code == 200:
                            return time.perf_counter() - started
                    except httpx.HTTPError:
                        pass
            time.sleep(0.2)
        raise SystemExit(f"the server was not ready within {timeout} s:\n{self.log.read_text()}")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the server itself with one worker, its spawned children with more."""
        if self.workers == 1:
            return [self.process.pid]
        children = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
                cmdline = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", text, re.M) and b"spawn_main" in cmdline:
                children.append(int(status.parent.name))
        return sorted(children)

    @staticmethod
    def rss_mb(pid: int) -> float:
        try:
            import psutil

            return psutil.Process(pid).memory_info().rss / 2**20
        except ImportError:
            match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
            return int(match.group(1)) / 1024 if match else 0.0
        except Exception:  # the process is gone
            return 0.0

    def parse_pids(self) -> list[int]:
        """The workers' parsing processes (matcher.parsing.sandbox), where the service has them."""
        workers = set(self.worker_pids())
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                parent = re.search(r"^PPid:\s+(\d+)$", status.read_text(), re.M)
                cmdline = (status.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if parent and int(parent.group(1)) in workers and b"_child_main" in cmdline:
                found.append(int(status.parent.name))
        return sorted(found)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server, its workers and their parsing processes so far, the ones that
        ended included (from /proc: clock ticks)."""
        total = 0
        for pid in {self.process.pid, *self.worker_pids(), *self.parse_pids()}:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if pid != self.process.pid or self.workers == 1:
                total += int(fields[13]) + int(fields[14])  # cutime, cstime: its children that ended
        return total / os.sysconf("SC_CLK_TCK")

    def start_sampling(self) -> None:
        self._peak = {}
        self._sampling.set()

        self.parse_peak = 0.0
        self.parse_count = 0

        def sample() -> None:
            while self._sampling.is_set():
                for pid in self.worker_pids():
                    self._peak[pid] = max(self._peak.get(pid, 0.0), self.rss_mb(pid))
                parsers = self.parse_pids()
                self.parse_count = max(self.parse_count, len(parsers))
                for pid in parsers:
                    self.parse_peak = max(self.parse_peak, self.rss_mb(pid))
                time.sleep(0.25)

        threading.Thread(target=sample, daemon=True).start()

    def stop_sampling(self) -> list[float]:
        self._sampling.clear()
        time.sleep(0.3)
        return [self._peak[pid] for pid in sorted(self._peak)]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.tmp.cleanup()


RequestFactory = Callable[[int], dict[str, Any]]


def factories(job: str, resumes: list[str], pdfs: list[tuple[str, bytes]]) -> dict[str, RequestFactory]:
    run = os.urandom(4).hex()  # a fresh suffix per process: a server never saw these texts before

    def match(i: int) -> dict[str, Any]:
        text = f"{resumes[i % len(resumes)]}\n\nref {run}-{i}\n"
        return {"method": "POST", "url": "/v1/match", "json": {"resume_text": text, "job_text": job}}

    def match_uncached(i: int) -> dict[str, Any]:
        body = match(i)
        body["json"]["job_text"] = f"{job}\n\nref {run}-{i}\n"
        return body

    def match_cached(i: int) -> dict[str, Any]:
        return {"method": "POST", "url": "/v1/match", "json": {"resume_text": resumes[i % 8], "job_text": job}}

    def pdf(i: int) -> dict[str, Any]:
        name, data = pdfs[i % len(pdfs)]
        upload = {"file": (f"{run}-{i}-{name}", data, "application/pdf")}
        return {"method": "POST", "url": "/v1/resumes", "files": upload}

    return {"match": match, "match-uncached": match_uncached, "match-cached": match_cached, "pdf": pdf}


async def load(url: str, make: RequestFactory, *, clients: int, seconds: float, headers: dict[str, str]) -> Result:
    """`clients` concurrent clients, each sending its next request as soon as the last one is answered."""
    result = Result()
    counter = itertools.count()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as client:
        deadline = time.perf_counter() + seconds

        async def one_client() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.request(**make(next(counter)))
                    status = response.status_code
                except httpx.HTTPError as exc:
                    status, response = 0, None
                    result.first_error = result.first_error or repr(exc)
                result.latencies.append(time.perf_counter() - started)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if not 200 <= status < 300:
                    result.errors += 1
                    if response is not None and result.first_error is None:
                        result.first_error = f"{status} {response.text[:200]}"

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return result


WRK_SCRIPT = """
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args)
  bodies = {}
  for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end
  i = id * math.floor(#bodies / 2)  -- each thread its own half: no body is sent twice by two threads
  headers = {["Content-Type"] = "application/json"}
  local auth = os.getenv("BENCH_AUTH")
  if auth and auth ~= "" then headers["Authorization"] = auth end
end
function request()
  i = i + 1
  return wrk.format("POST", "/v1/match", headers, bodies[(i % #bodies) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %f %f\\n", summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1e6, latency:percentile(99) / 1e6))
end
"""


def load_wrk(url: str, make: RequestFactory, *, clients: int, seconds: float, headers: dict[str, str],
             start: int) -> tuple[Result, float]:  # fmt: skip
    """The same load from wrk (C, two threads): the client takes a few % of a core instead of most of one.

    Returns the count and the two percentiles (wrk keeps its own histogram), and wrk's CPU seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        bodies, script = Path(tmp) / "bodies.jsonl", Path(tmp) / "match.lua"
        with bodies.open("w", encoding="utf-8") as out:
            for i in range(start, start + max(2000, int(seconds * 400))):
                out.write(json.dumps(make(i)["json"]) + "\n")
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        env = {**os.environ, "BENCH_BODIES": str(bodies), "BENCH_AUTH": headers.get("Authorization", "")}
        command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "60s", "-s", str(script), url]
        before = os.times()
        out_text = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
        after = os.times()
    found = re.search(r"^RESULT (\d+) (\d+) (\d+) (\S+) (\S+)$", out_text, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no result: {out_text[-500:]}")
    requests, status_errors, socket_errors = (int(found.group(g)) for g in (1, 2, 3))
    p50, p99 = float(found.group(4)), float(found.group(5))
    result = Result(errors=status_errors + socket_errors, counted=requests, percentiles=(p50, p99))
    if result.errors:
        result.first_error = f"{status_errors} non-2xx responses, {socket_errors} socket errors (wrk)"
    cpu = (after.children_user + after.children_system) - (before.children_user + before.children_system)
    return result, cpu


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds before each scenario")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=["match", "match-uncached", "pdf"])
    parser.add_argument(
        "--client",
        choices=["wrk", "httpx"],
        default="wrk" if shutil.which("wrk") else "httpx",
        help="load generator for the match scenarios (wrk, from Debian's package, when installed; pdf uses httpx)",
    )
    parser.add_argument("--key", default=os.environ.get("SKILLMATCH_BENCH_KEY"), help="API key, if the DB has keys")
    args = parser.parse_args()

    job = (REPO / "samples" / "jobs" / "ml_engineer_job.md").read_text(encoding="utf-8")
    make = factories(job, resume_texts(), pdf_files())
    headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}
    database = os.environ.get("SKILLMATCH_DATABASE_URL")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; database: "
          f"{'SKILLMATCH_DATABASE_URL' if database else 'a fresh SQLite file'}; {args.clients} clients, "
          f"{args.seconds:g} s per scenario (+{args.warmup:g} s warm-up); client: {args.client}")  # fmt: skip
    print(f"{'workers':>7}  {'scenario':<15} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6}  {'RSS MB per worker':<18} {'srv CPU':>8} {'client':>6}")  # fmt: skip
    print(f"{'':>71}{'ms/req':>8} {'CPU':>6}")
    for workers in args.workers:
        server = Server(workers, database)
        try:
            ready = server.wait_ready()
            print(f"  ({workers} worker(s) ready in {ready:.1f} s; RSS at rest: "
                  f"{', '.join(f'{server.rss_mb(p):.0f}' for p in server.worker_pids())} MB)")  # fmt: skip
            for name in args.scenarios:
                if args.warmup > 0:
                    asyncio.run(load(server.url, make[name], clients=args.clients, seconds=args.warmup,
                                     headers=headers))  # fmt: skip
                server.start_sampling()
                cpu, server_cpu = time.process_time(), server.cpu_seconds()
                if args.client == "wrk" and name.startswith("match"):
                    result, cpu = load_wrk(server.url, make[name], clients=args.clients, seconds=args.seconds,
                                           headers=headers, start=10_000_000 * workers)  # fmt: skip
                else:
                    result = asyncio.run(
                        load(server.url, make[name], clients=args.clients, seconds=args.seconds, headers=headers)
                    )
                    cpu = time.process_time() - cpu
                server_cpu = server.cpu_seconds() - server_cpu
                rss = server.stop_sampling()
                n = result.counted if result.counted is not None else len(result.latencies)
                if result.percentiles is not None:
                    p50, p99 = (q * 1000 for q in result.percentiles)
                else:
                    p50, p99 = (percentile(result.latencies, q) * 1000 for q in (0.5, 0.99))
                rss_text = ", ".join(f"{r:.0f}" for r in rss)
                per_request = server_cpu / max(n, 1) * 1000
                print(f"{workers:>7}  {name:<15} {n:>8} {n / args.seconds:>7.1f} {p50:>7.1f} {p99:>7.1f} "
                      f"{result.errors:>6}  {rss_text:<18} {per_request:>8.1f} {cpu / args.seconds:>6.0%}")  # fmt: skip
                if server.parse_count:
                    print(f"         parsing processes: {server.parse_count} at most, peak RSS "
                          f"{server.parse_peak:.0f} MB each (their CPU is in srv CPU)")  # fmt: skip
                if result.errors:
                    print(f"         statuses {result.statuses}; first error: {result.first_error}")
        finally:
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
