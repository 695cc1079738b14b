"""The service under load: a live `skillmatch serve` on 127.0.0.1, at 1 and at 2 workers.

    python benchmarks/bench_api.py [--seconds 15] [--clients 16] [--workers 1 2] [--scenarios match pdf]
                                   [--rounds 3] [--no-baseline]

Each run starts the server as a subprocess (a temporary SQLite data dir, or SKILLMATCH_DATABASE_URL if set; pass
--key when that database has API keys), waits until every worker has started, warms up, then keeps --clients
concurrent asyncio httpx clients busy for --seconds per scenario:

- match:          POST /v1/match with inline text: a different ~700-word resume each request (cut from our samples
                  and the 310 Dotin resumes of ../shared/data, each made unique so none is a cache hit) against one
                  job post (tagged once per worker, then served from the analysis cache, as a careers site would).
- match-uncached: the same, with the job post made unique too: nothing comes from the cache.
- match-cached:   eight resumes and one job, all cache hits after the first round: the cost of everything else.
- pdf:            POST /v1/resumes, multipart upload of a PDF resume (samples/resumes/*.pdf and the real ones in
                  ../shared/data/documents), a new file name each time so each one is parsed.

Prints requests/s, p50 and p99 latency, errors, the largest RSS of each worker during the scenario (and of its
parsing processes, where PDFs were parsed), and the server's CPU time per request (all its processes, the
parsing processes included): on a shared machine the throughput depends on the neighbours,
the CPU per request much less; N cores can serve at most N / (CPU per request) requests a second.
The clients run on the same machine and take CPU from the server: their CPU time is printed too.

**Baseline** (the match scenarios): a bare FastAPI app (:func:`library_app`, under uvicorn with the same number
of workers, no database, no middleware of ours) answering ``POST /v1/match`` with the same library calls the
service makes (parse the text, analyse and tag it, score against the job analysed once, ``report_to_dict``,
JSON). Service and baseline run side by side and are measured in turns, ``--rounds`` times each, the order
alternating; the medians and the ratios (service / library) are printed at the end, with the targets of issue
15 (2 workers, 16 clients, match): >= 0.8x the library-only rate, p99 <= 1.5x p50, 0 errors; p99 <= 100 ms on a
quiet machine; memory per worker not above 220 MB. On a shared machine, compare ratios, not absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
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


#: the issue's workload: a ~700-word resume each request (the Dotin resumes run from 6 to 7,879 words, median
#: 469: whole, a few 5,000-word ones made the p99 a measure of the input, not of the service)
WORDS_PER_RESUME = 700


def resume_texts(count: int = 400) -> list[str]:
    """``count`` ~700-word texts cut from our sample resumes and the Dotin resumes, line breaks kept."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples" / "resumes").glob("*")) if p.suffix in
             (".md", ".txt")]  # fmt: skip
    dotin = SHARED / "dev" / "spans-dotin-train.jsonl"
    if dotin.exists():
        with dotin.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines]
    else:
        print(f"note: {dotin} is absent: only {len(texts)} sample resumes", file=sys.stderr)
    words = " \n ".join(texts).split(" ")
    starts = range(0, max(1, len(words) - WORDS_PER_RESUME), max(1, (len(words) - WORDS_PER_RESUME) // count))
    return [" ".join(words[start : start + WORDS_PER_RESUME]) for start in starts][:count]


def pdf_files() -> list[tuple[str, bytes]]:
    paths = sorted((REPO / "samples" / "resumes").glob("*.pdf"))
    documents = SHARED / "documents"
    for pattern in ("resume-matcher/Resume_archive/*.pdf", "resume-matcher/pdf_templates/*.pdf", "sb2nov/*.pdf"):
        paths += sorted(documents.glob(pattern))
    return [(p.name, p.read_bytes()) for p in paths]


class Server:
    """`skillmatch serve` in a subprocess, with its workers' RSS sampled while it runs."""

    def __init__(self, workers: int, database_url: str | None, *, library: bool = False, job: str = "") -> None:
        """``library``: the baseline app (:func:`library_app`, with ``job`` as its job post) instead of the service."""
        self.workers = workers
        self.library = library
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-api-")
        env = {**os.environ, "SKILLMATCH_DATA_DIR": str(Path(self.tmp.name) / "data")}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        if database_url:
            env["SKILLMATCH_DATABASE_URL"] = database_url
        self.log = Path(self.tmp.name) / "server.log"
        if library:
            env["BENCH_JOB"] = job
            command = [sys.executable, "-m", "uvicorn", "--factory", "bench_api:library_app", "--app-dir",
                       str(REPO / "benchmarks"), "--port", str(self.port), "--workers", str(workers),
                       "--no-access-log"]  # fmt: skip
        else:
            command = [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), "--workers", str(workers)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
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
                        if client.get(self.url + ("/docs" if self.library else "/readyz")).status_code == 200:
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


def library_app() -> Any:
    """The baseline: a bare FastAPI app whose ``POST /v1/match`` makes the library calls the service makes for
    inline texts, and nothing else (no database, no key, no middleware of ours, no thread hand-off).

    The resume is parsed, analysed and tagged (``personal_data=False``, as the service scores inline text),
    scored against the job post, and the report returned as ``report_to_dict``'s JSON; job posts are analysed
    once per text (a dict keyed on the text: the service's analysis cache, without its bounds). Started by
    :class:`Server` under uvicorn (``--factory bench_api:library_app``), the job post's path in ``BENCH_JOB``.
    """
    from fastapi import FastAPI, Request, Response
    from pydantic_core import to_json

    from api.config import get_service_settings
    from matcher.engine import Analysed, Engine
    from matcher.parsing import ParseLimits, parse_document
    from matcher.report.model import report_to_dict

    settings = get_service_settings()
    engine = Engine(
        settings,
        limits=ParseLimits(
            max_bytes=settings.max_upload_bytes, max_pages=settings.max_pages, timeout_s=settings.parse_timeout_s
        ),
    )
    gc.freeze()  # as the service does after start-up (api.main)
    jobs: dict[str, Analysed] = {}

    def analysed(text: str, kind: Any) -> Analysed:
        document = parse_document(text.encode("utf-8"), limits=engine.limits)
        return engine.analyse(document, source="<upload>", kind=kind, personal_data=False)

    jobs[Path(os.environ["BENCH_JOB"]).read_text(encoding="utf-8")] = analysed(
        Path(os.environ["BENCH_JOB"]).read_text(encoding="utf-8"), "job"
    )
    app = FastAPI()

    async def match(request: Request) -> Response:
        body = await request.json()
        resume = analysed(body["resume_text"], "resume")
        job = jobs.get(body["job_text"])
        if job is None:
            if len(jobs) >= 256:  # match-uncached: bounded, as the service's cache is
                jobs.clear()
            job = jobs[body["job_text"]] = analysed(body["job_text"], "job")
        report = engine.match(resume, job)
        return Response(to_json(report_to_dict(report)), status_code=201, media_type="application/json")

    # a plain Starlette route: FastAPI would read the annotations, strings here (``from __future__ import
    # annotations``) naming a local import, and take ``request`` for a query parameter
    app.add_route("/v1/match", match, methods=["POST"])

    return app


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


@dataclass
class Line:
    """One measured scenario on one server."""

    target: str  # "service" or "library"
    workers: int
    scenario: str
    requests: int
    rate: float
    p50: float  # ms
    p99: float
    errors: int
    rss: list[float]
    cpu_ms: float  # server CPU per request
    client_cpu: float  # share of a core


def measure(server: Server, name: str, make: RequestFactory, args: argparse.Namespace, headers: dict[str, str],
            start: int) -> tuple[Line, Result]:  # fmt: skip
    """Warm up, then load ``server`` with scenario ``name`` for ``args.seconds``."""
    if args.warmup > 0:
        asyncio.run(load(server.url, make, clients=args.clients, seconds=args.warmup, headers=headers))
    server.start_sampling()
    cpu, server_cpu = time.process_time(), server.cpu_seconds()
    if args.client == "wrk" and name.startswith("match"):
        result, cpu = load_wrk(server.url, make, clients=args.clients, seconds=args.seconds, headers=headers,
                               start=start)  # fmt: skip
    else:
        result = asyncio.run(load(server.url, make, clients=args.clients, seconds=args.seconds, headers=headers))
        cpu = time.process_time() - cpu
    server_cpu = server.cpu_seconds() - server_cpu
    rss = server.stop_sampling()
    n = result.counted if result.counted is not None else len(result.latencies)
    if result.percentiles is not None:
        p50, p99 = (q * 1000 for q in result.percentiles)
    else:
        p50, p99 = (percentile(result.latencies, q) * 1000 for q in (0.5, 0.99))
    target = "library" if server.library else "service"
    line = Line(target, server.workers, name, n, n / args.seconds, p50, p99, result.errors, rss,
                server_cpu / max(n, 1) * 1000, cpu / args.seconds)  # fmt: skip
    return line, result


def print_line(line: Line, server: Server, result: Result) -> None:
    rss_text = ", ".join(f"{r:.0f}" for r in line.rss)
    print(f"{line.workers:>7}  {line.target:<8} {line.scenario:<15} {line.requests:>8} {line.rate:>7.1f} "
          f"{line.p50:>7.1f} {line.p99:>7.1f} {line.errors:>6}  {rss_text:<18} {line.cpu_ms:>8.1f} "
          f"{line.client_cpu:>6.0%}  load {os.getloadavg()[0]:.1f}")  # fmt: skip
    if server.parse_count:
        print(f"         parsing processes: {server.parse_count} at most, peak RSS "
              f"{server.parse_peak:.0f} MB each (their CPU is in srv CPU)")  # fmt: skip
    if result.errors:
        print(f"         statuses {result.statuses}; first error: {result.first_error}")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def summary(lines: list[Line]) -> None:
    """Medians per server and scenario, and the ratios to the library-only baseline with the targets."""
    print("\nmedians of the rounds (ratios: per round, service / library of the same round, then the median)")
    keys = sorted({(line.workers, line.scenario) for line in lines})
    for workers, scenario in keys:
        mine = [line for line in lines if (line.workers, line.scenario) == (workers, scenario)]
        for target in ("library", "service"):
            these = [line for line in mine if line.target == target]
            if not these:
                continue
            rss = [max(line.rss) for line in these if line.rss]
            print(f"{workers:>7}  {target:<8} {scenario:<15} {'':>8} {median([x.rate for x in these]):>7.1f} "
                  f"{median([x.p50 for x in these]):>7.1f} {median([x.p99 for x in these]):>7.1f} "
                  f"{sum(x.errors for x in these):>6}  {median(rss) if rss else 0:<18.0f} "
                  f"{median([x.cpu_ms for x in these]):>8.1f}")  # fmt: skip
        service = [line for line in mine if line.target == "service"]
        library = [line for line in mine if line.target == "library"]
        tails = [x.p99 / x.p50 for x in service]
        print(f"         service p99 / p50: {median(tails):.2f} (per round: "
              f"{', '.join(f'{t:.2f}' for t in tails)}); errors {sum(x.errors for x in service)}")  # fmt: skip
        if library and len(library) == len(service):
            rates = [x.rate / y.rate for x, y in zip(service, library, strict=True)]
            cpus = [x.cpu_ms / y.cpu_ms for x, y in zip(service, library, strict=True)]
            print(f"         service / library: rate {median(rates):.2f}x (per round: "
                  f"{', '.join(f'{r:.2f}' for r in rates)}), CPU per request {median(cpus):.2f}x")  # fmt: skip
            if workers == 2 and scenario == "match":
                met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
                print(f"         targets (issue 15): rate >= 0.8x library: {met(median(rates) >= 0.8)}; "
                      f"p99 <= 1.5x p50: {met(median(tails) <= 1.5)}; 0 errors: "
                      f"{met(sum(x.errors for x in service) == 0)}; p99 <= 100 ms (quiet machine): "
                      f"{met(median([x.p99 for x in service]) <= 100)}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds before each scenario")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=["match", "match-uncached", "pdf"])
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each scenario on each server")
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="skip the library-only baseline app")  # fmt: skip
    parser.add_argument(
        "--client",
        choices=["wrk", "httpx"],
        default="wrk" if shutil.which("wrk") else "httpx",
        help="load generator for the match scenarios (wrk, from Debian's package, when installed; pdf uses httpx)",
    )
    parser.add_argument("--key", default=os.environ.get("SKILLMATCH_BENCH_KEY"), help="API key, if the DB has keys")
    args = parser.parse_args()

    job_path = REPO / "samples" / "jobs" / "ml_engineer_job.md"
    job = job_path.read_text(encoding="utf-8")
    make = factories(job, resume_texts(), pdf_files())
    headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}
    database = os.environ.get("SKILLMATCH_DATABASE_URL")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; database: "
          f"{'SKILLMATCH_DATABASE_URL' if database else 'a fresh SQLite file'}; {args.clients} clients, "
          f"{args.seconds:g} s per scenario (+{args.warmup:g} s warm-up), {args.rounds} round(s); "
          f"client: {args.client}")  # fmt: skip
    print(f"{'workers':>7}  {'server':<8} {'scenario':<15} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6}  {'RSS MB per worker':<18} {'srv CPU':>8} {'client':>6}")  # fmt: skip
    print(f"{'':>80}{'ms/req':>8} {'CPU':>6}")
    lines: list[Line] = []
    start = itertools.count(1)
    for workers in args.workers:
        servers = [Server(workers, database)]
        if args.baseline and any(name.startswith("match") for name in args.scenarios):
            servers.append(Server(workers, database, library=True, job=str(job_path)))
        try:
            for server in servers:
                ready = server.wait_ready()
                print(f"  ({workers} worker(s) of the {'library baseline' if server.library else 'service'} ready "
                      f"in {ready:.1f} s; RSS at rest: "
                      f"{', '.join(f'{server.rss_mb(p):.0f}' for p in server.worker_pids())} MB)")  # fmt: skip
            for name in args.scenarios:
                targets = [s for s in servers if name.startswith("match") or not s.library]
                for round_ in range(args.rounds):
                    # alternate who goes first: neither always gets the quieter moment
                    for server in targets if round_ % 2 == 0 else targets[::-1]:
                        line, result = measure(server, name, make[name], args, headers, 10_000_000 * next(start))
                        lines.append(line)
                        print_line(line, server, result)
        finally:
            for server in servers:
                server.close()
    summary(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
