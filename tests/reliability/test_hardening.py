"""Issue 16: what an outside attack run found, one test per row (D1-D15), each failing on the code before it.

The rows that need a real server (memory, parse deadlines and lanes under concurrency, slow headers, a lying
Content-Length) share one ``skillmatch serve`` with short limits (``live``): a 2 s parse deadline, a 2 s header
deadline, 512 MiB per parsing process, two owners. The others use the API test app (``client``) or a private
PostgreSQL server that the test hangs (SIGSTOP) and resumes. Each test records its row of the reliability
table (``benchmarks/RELIABILITY.md``) with the figures it measured.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from select import POLLIN, poll
from typing import Any

import psutil
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db import Document
from api.main import create_app
from matcher.engine import Engine
from tests.adversarial import deep_json, dense_pdf, docx_with_broken_xml, pdf_bomb, small_pdf
from tests.api.conftest import LOCAL_URL, SAMPLE_JOB, SAMPLE_RESUME, api_settings, auth, new_key
from tests.conftest import REPO, SAMPLES
from tests.reliability.live import Answer, PrivatePostgres, Service, cli, multipart, service_env
from tests.reliability.live import new_key as cli_key
from tests.reliability_record import record

#: well under the dense page's parse (d2: 2.7 s on a fast day; at 2 s the margin was thin)
PARSE_TIMEOUT_S = 1.5
HEADER_TIMEOUT_S = 2.0
PARSE_MEMORY_MB = 512


# ------------------------------------------------------------------------------------------------ the server


@dataclass
class Live:
    service: Service
    keys: dict[str, str]

    def post(self, path: str, owner: str, *, data: bytes, content_type: str, timeout: float = 60) -> Answer:
        headers = {"Content-Type": content_type, "Authorization": f"Bearer {self.keys[owner]}"}
        return self.service.request("POST", path, data=data, headers=headers, timeout=timeout)

    def upload(self, owner: str, name: str, data: bytes, *, timeout: float = 60) -> Answer:
        body, headers = multipart("file", name, data, "application/octet-stream")
        return self.post("/v1/resumes", owner, data=body, content_type=headers["Content-Type"], timeout=timeout)

    def match(self, owner: str, resume: str, job: str, *, timeout: float = 120) -> Answer:
        body = json.dumps({"resume_text": resume, "job_text": job}).encode()
        return self.post("/v1/match", owner, data=body, content_type="application/json", timeout=timeout)

    @property
    def pid(self) -> int:
        return self.service.worker_pids()[0]

    def log(self) -> str:
        return self.service.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("hardening")
    env = service_env(
        tmp,
        SKILLMATCH_PARSE_TIMEOUT_S=str(PARSE_TIMEOUT_S),
        SKILLMATCH_HEADER_TIMEOUT_S=str(HEADER_TIMEOUT_S),
        SKILLMATCH_PARSE_MEMORY_MB=str(PARSE_MEMORY_MB),
    )
    cli("db", "upgrade", env=env)
    keys = {owner: cli_key(env, owner) for owner in ("alice", "bob")}
    service = Service(tmp, env, workers=1)
    try:
        yield Live(service, keys)
    finally:
        service.close()


class Sampler(threading.Thread):
    """The resident memory of a process and of its children (the parsing processes), every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.stop = threading.Event()
        self.worker_mb: list[float] = []
        self.children_mb = 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.worker_mb.append(self.process.memory_info().rss / 2**20)
                for child in self.process.children():
                    with contextlib.suppress(psutil.Error):
                        self.children_mb = max(self.children_mb, child.memory_info().rss / 2**20)
            time.sleep(0.02)

    def __enter__(self) -> Sampler:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.join()


def _in_thread(function: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []

    def run() -> None:
        started = time.monotonic()
        try:
            out.append((function(), time.monotonic() - started))
        except BaseException as exc:  # reported by the test
            out.append((exc, time.monotonic() - started))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def _taxonomy() -> Any:
    from matcher.taxonomy import load_taxonomy

    return load_taxonomy()


def _problem_code(response: Any) -> str | None:
    """The problem code of a TestClient response; None for a body that is not a problem."""
    try:
        return response.json().get("code")
    except ValueError:
        return None


def _code(answer: Answer) -> str | None:
    try:
        return answer.json().get("code")
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------- D1: the PDF bomb


@pytest.mark.slow
def test_hardening_d1_a_pdf_bomb_is_refused_within_the_parse_memory_limit(live: Live) -> None:
    """A 66 kB PDF whose page inflates to 4 GiB: 413 too_large from its parsing process, which ran into its
    512 MiB limit; the server worker's memory does not move, and the next upload is served."""
    bomb = pdf_bomb(4096)
    before = psutil.Process(live.pid).memory_info().rss / 2**20
    with Sampler(live.pid) as sampler:
        answer = live.upload("alice", "bomb.pdf", bomb)
    after = psutil.Process(live.pid).memory_info().rss / 2**20
    worker_peak = max(sampler.worker_mb)
    assert (answer.status, _code(answer)) == (413, "too_large"), answer.body[:300]
    assert answer.json()["detail"] == "the document needs more memory to parse than allowed"
    assert worker_peak - before < 64, f"the server worker grew from {before:.0f} to {worker_peak:.0f} MiB"
    assert sampler.children_mb <= PARSE_MEMORY_MB
    follow = live.upload("bob", "cv.pdf", small_pdf())
    assert follow.status == 201, follow.body[:300]
    record(
        "hardening/d01_pdf_bomb",
        cases=2,
        failed=0,
        notes=f"a {len(bomb) // 1000} kB PDF inflating to 4 GiB: 413 too_large after {answer.seconds:.1f} s; "
        f"peak RSS of its parsing process {sampler.children_mb:.0f} MiB (limit {PARSE_MEMORY_MB}); server "
        f"worker {before:.0f} -> peak {worker_peak:.0f} -> {after:.0f} MiB (was 5.3 GB); the next upload 201",
    )


# --------------------------------------------------------------------------------------- D2: the dense page


@pytest.mark.slow
def test_hardening_d2_a_dense_pdf_is_killed_at_the_deadline_and_delays_no_other_owner(live: Live) -> None:
    """A 4 kB one-page PDF of 1.4 M characters (2.7-8 s to parse in-process, the deadline checked only between
    pages): parse_timeout at the deadline; another owner's PDF sent 0.5 s later answers at once."""
    live.upload("bob", "warm.pdf", small_pdf())
    slow, slow_out = _in_thread(lambda: live.upload("alice", "dense.pdf", dense_pdf(1400)))
    time.sleep(0.5)
    other = live.upload("bob", "cv.pdf", small_pdf("Python, SQL"), timeout=30)
    slow.join(60)
    dense, dense_s = slow_out[0]
    assert other.status == 201, other.body[:300]
    assert other.seconds < 1.5, f"the other owner's upload took {other.seconds:.2f} s"
    assert isinstance(dense, Answer)
    assert (dense.status, _code(dense)) == (422, "parse_timeout")
    assert PARSE_TIMEOUT_S <= dense_s < PARSE_TIMEOUT_S + 2.0
    record(
        "hardening/d02_dense_pdf",
        cases=2,
        failed=0,
        notes=f"a 4 kB PDF of 1.4 M characters on one page: 422 parse_timeout after {dense_s:.2f} s (deadline "
        f"{PARSE_TIMEOUT_S:g} s, its process killed); another owner's PDF sent 0.5 s later: 201 in "
        f"{other.seconds * 1000:.0f} ms (was parse_timeout after 26.8 s)",
    )


# ------------------------------------------------------------------------------------ D3: inline text floods


@pytest.mark.slow
def test_hardening_d3_huge_inline_texts_are_bounded_and_small_requests_pass_them(live: Live) -> None:
    """Four inline texts of 1 M characters at once (6-11 s of tagging each, unbounded): each answered within
    its deadline (201, or 422 parse_timeout), one at a time in the heavy lane, while a small match sent after
    them answers at once; the 100,000-run DOCX sample is bounded too."""
    names = sorted(skill.name for skill in _taxonomy().skills.values())
    words = " ".join(names[(i * 7919) % len(names)] for i in range(200_000))[:999_990]  # skill names, one line
    big = [_in_thread(lambda n=n: live.match("alice", words + f" {n}", "Requirements: Python")) for n in range(4)]
    time.sleep(1.0)
    small = live.match("bob", "5 years of Python and PyTorch", "Requirements: Python, Docker")
    for thread, _ in big:
        thread.join(120)
    outcomes = [out[0] for _, out in big]
    assert small.status == 201, small.body[:300]
    # it shares the GIL with one heavy analysis (whose C calls, a regex over 1 M characters, do not let go of it
    # between bytecodes): a fraction of a second on a quiet machine, 5.3 s once on a machine at load 4; 23 s, then
    # 200 s, with no lanes
    assert small.seconds < 10.0, f"the small match took {small.seconds:.2f} s behind the huge texts"
    bound = 4 * (2 * PARSE_TIMEOUT_S + 2)  # one at a time: parse and analysis deadlines, plus slack, each
    for answer, seconds in outcomes:
        assert isinstance(answer, Answer), answer
        assert (answer.status, _code(answer)) in ((201, None), (422, "parse_timeout")), answer.body[:300]
        assert seconds < bound
    docx = (SAMPLES / "broken" / "fuzz-paragraph-of-100000-runs.docx").read_bytes()
    runs = live.upload("alice", "runs.docx", docx)
    assert runs.status in (201, 422)
    assert runs.seconds < 2 * PARSE_TIMEOUT_S + 2
    statuses = sorted(f"{a.status}" for a, _ in outcomes)
    record(
        "hardening/d03_inline_text_flood",
        cases=6,
        failed=0,
        notes=f"4 inline texts of 1 M characters at once: {', '.join(statuses)} in "
        f"{max(s for _, s in outcomes):.1f} s at most (deadline {PARSE_TIMEOUT_S:g} s each, heavy lane one at a "
        f"time); a small match sent 1 s later: 201 in {small.seconds * 1000:.0f} ms (was 23 s); the 100,000-run "
        f"DOCX: {runs.status} in {runs.seconds:.1f} s (was stored after 16 s)",
    )


# ---------------------------------------------------------------------------------------- D4: deep JSON


def test_hardening_d4_deeply_nested_json_is_422_before_parsing(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """JSON nested 1,000 and 100,000 deep on every JSON route: 422 invalid_request (json_too_deep), no
    RecursionError, nothing stored."""
    failures = []
    cases = 0
    json_header = {"content-type": "application/json"}
    for path, key in (("/v1/resumes", "text"), ("/v1/jobs", "text"), ("/v1/match", "resume_text"),
                      ("/v1/batch", "resume_ids")):  # fmt: skip
        for depth in (33, 1_000, 100_000):
            cases += 1
            response = client.post(path, content=deep_json(depth, key=key), headers=json_header)
            body = response.json()
            if response.status_code != 422 or body.get("code") != "invalid_request":
                failures.append(f"{path} depth {depth}: {response.status_code} {body.get('code')}")
            elif body["errors"][0]["type"] != "json_too_deep":
                failures.append(f"{path} depth {depth}: {body['errors'][0]}")
    shallow = client.post("/v1/match", content=deep_json(31, key="resume_text"), headers=json_header)
    assert shallow.json()["errors"][0]["type"] != "json_too_deep"  # 32 levels are parsed (and refused as a list)
    assert "RecursionError" not in caplog.text
    assert "Traceback" not in caplog.text
    with client.app.state.services.sessions() as session:
        assert session.scalars(select(Document)).first() is None
    record("hardening/d04_deep_json", cases=cases, failed=len(failures),
           notes="JSON nested 33, 1,000 and 100,000 deep on /v1/resumes, /v1/jobs, /v1/match, /v1/batch: 422 "
           "invalid_request (json_too_deep) before parsing (was 500 and a RecursionError)")  # fmt: skip
    assert not failures


# ---------------------------------------------------------------------------------------- D5: slow headers


@pytest.mark.slow
def test_hardening_d5_connections_stalling_in_their_headers_cannot_starve_healthz(live: Live) -> None:
    """270 connections from one address send half a request header and hold it: all but 64 are closed at
    once (per-client bound), those 64 get 408 at the 2 s header deadline, and /healthz answers throughout."""
    attackers: list[socket.socket] = []
    try:
        for _ in range(270):
            sock = socket.socket()
            try:
                sock.bind(("127.0.0.2", 0))  # an address of its own, so that the probe below is another client
            except OSError:
                sock.close()
                pytest.skip("127.0.0.2 is not a loopback address here")
            sock.connect(("127.0.0.1", live.service.port))
            sock.sendall(b"GET /v1/resumes HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            attackers.append(sock)
        probes: list[tuple[int, float]] = []
        until = time.monotonic() + HEADER_TIMEOUT_S + 1.5
        while time.monotonic() < until:
            answer = live.service.request("GET", "/healthz", timeout=5)
            probes.append((answer.status, answer.seconds))
            time.sleep(0.05)
        readable = _readable(attackers, within=2.0)
        outcomes: dict[str, int] = {}
        for sock in attackers:
            what = "still open"
            if sock in readable:
                try:
                    data = sock.recv(200)
                    what = data.split(b"\r\n", 1)[0].decode() if data else "closed"
                except (ConnectionResetError, BrokenPipeError):
                    what = "closed"
            outcomes[what] = outcomes.get(what, 0) + 1
    finally:
        for sock in attackers:
            sock.close()
    statuses = {status for status, _ in probes}
    seconds = [s for _, s in probes]
    assert statuses == {200}, f"/healthz answered {statuses}"
    assert outcomes == {"closed": 206, "HTTP/1.1 408 Request Timeout": 64}, outcomes
    assert max(seconds) < 1.0
    record(
        "hardening/d05_slow_headers",
        cases=270 + len(probes),
        failed=0,
        notes=f"270 connections from one address holding half a header: 206 closed at once (64 per client), "
        f"64 answered 408 at the {HEADER_TIMEOUT_S:g} s header deadline; /healthz {len(probes)} times meanwhile: "
        f"all 200, median {statistics.median(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms (was 503)",
    )


def _readable(sockets: list[socket.socket], *, within: float) -> set[socket.socket]:
    """The sockets with something to read (data, or the server's close) within ``within`` seconds."""
    poller = poll()
    by_fd = {sock.fileno(): sock for sock in sockets}
    for fd in by_fd:
        poller.register(fd, POLLIN)
    ready: set[socket.socket] = set()
    until = time.monotonic() + within
    while len(ready) < len(by_fd) and (left := until - time.monotonic()) > 0:
        for fd, _ in poller.poll(left * 1000):
            ready.add(by_fd[fd])
            poller.unregister(fd)
    return ready


# -------------------------------------------------------------------------------- D6: keyless Host and Origin


def test_hardening_d6_keyless_mode_serves_loopback_hosts_and_same_origin_changes_only(client: TestClient) -> None:
    """No key: a DNS-rebinding Host is 400 invalid_host, a cross-origin upload 403 cross_origin (nothing
    stored); loopback names, same-origin and Origin-less requests pass; with a key neither check applies."""
    files = {"file": ("cv.md", SAMPLE_RESUME.read_bytes())}
    cases: list[tuple[str, Any, int, str | None]] = [
        ("rebinding GET", client.get("/v1/resumes", headers={"host": "attacker.example:8000"}), 400, "invalid_host"),
        ("rebinding page", client.get("/", headers={"host": "attacker.example"}), 400, "invalid_host"),
        ("rebinding report", client.get("/v1/reports", headers={"host": "127.0.0.1.attacker.example"}), 400,
         "invalid_host"),
        ("cross-origin upload", client.post("/v1/resumes", files=files, headers={"origin": "http://attacker.example"}),
         403, "cross_origin"),
        ("null origin", client.post("/v1/resumes", files=files, headers={"origin": "null"}), 403, "cross_origin"),
        ("cross-origin match", client.post("/v1/match", json={"resume_text": "Python", "job_text": "Python"},
                                           headers={"origin": "http://localhost:9999"}), 403, "cross_origin"),
        ("healthz any host", client.get("/healthz", headers={"host": "attacker.example"}), 200, None),
        ("localhost", client.get("/v1/resumes", headers={"host": "localhost:8000"}), 200, None),
        ("127.0.0.1", client.get("/v1/resumes", headers={"host": "127.0.0.1:8000"}), 200, None),
        ("[::1]", client.get("/v1/resumes", headers={"host": "[::1]:8000"}), 200, None),
        ("same origin", client.post("/v1/resumes", files=files, headers={"origin": "http://localhost"}), 201, None),
        ("no origin", client.post("/v1/resumes", files=files), 201, None),
    ]  # fmt: skip
    failures = [f"{name}: {r.status_code} {_problem_code(r)}" for name, r, status, code in cases
                if r.status_code != status or (code and _problem_code(r) != code)]  # fmt: skip
    with client.app.state.services.sessions() as session:
        assert len(session.scalars(select(Document)).all()) == 2  # the same-origin and the Origin-less upload
    key = new_key(client, "owner")
    keyed = client.get("/v1/resumes", headers={"host": "api.example.com", **auth(key)})
    assert keyed.status_code == 200, keyed.text
    record("hardening/d06_keyless_host_origin", cases=len(cases) + 1, failed=len(failures),
           notes="keyless: 3 DNS-rebinding Hosts 400 invalid_host, 3 cross-origin writes 403 cross_origin, nothing "
           "stored; loopback Hosts, same-origin and Origin-less requests served; with a key, any Host")  # fmt: skip
    assert not failures


# ---------------------------------------------------------------------------------------- D7: cache in bytes


@pytest.fixture
def small_cache_client(client: TestClient, database_url: str, matcher_engine: Engine) -> Iterator[TestClient]:
    """An app with a 4 MiB analysis cache, on the session's database (``client`` emptied its tables)."""
    app = create_app(api_settings(database_url, analysis_cache_mb=4), engine=matcher_engine)
    with TestClient(app, base_url=LOCAL_URL) as client:
        yield client


def test_hardening_d7_the_analysis_cache_is_bounded_in_bytes(small_cache_client: TestClient) -> None:
    """Distinct inline texts of 15 k characters (~0.7 MB of analysis each, by the estimate) through a 4 MiB
    cache: it never holds more than its budget, evicting the oldest; a text over a quarter of it is not kept."""
    cache = small_cache_client.app.state.services.cache
    job = SAMPLE_JOB.read_text(encoding="utf-8")
    held: list[tuple[int, int]] = []
    for n in range(12):
        text = f"Resume {n}\n\nSkills\n" + " ".join(f"Python{n}x{i}" for i in range(1_700))
        response = small_cache_client.post("/v1/match", json={"resume_text": text, "job_text": job})
        assert response.status_code == 201, response.text
        held.append((len(cache), cache.bytes))
    assert max(size for _, size in held) <= 4 * 2**20
    assert 4 <= len(cache) <= 7  # the job post and the newest resumes; the count limit (256) never came into it
    huge = "Skills\n" + " ".join(f"Go{i}" for i in range(60_000))
    before = len(cache)
    small_cache_client.post("/v1/match", json={"resume_text": huge, "job_text": job})
    assert len(cache) == before
    most = max(size for _, size in held) / 2**20
    record("hardening/d07_cache_bytes", cases=13, failed=0,
           notes=f"12 distinct 15 k-character texts through a 4 MiB cache: {most:.1f} MiB held at most, "
           f"{len(cache)} entries kept (estimated 64 kB + 40 B a character); a 400 k-character text not kept "
           "(was: 256 entries whatever their size, ~13 MB per 1 M-character text)")  # fmt: skip


# --------------------------------------------------------------------------- D8: details never quote documents


def test_hardening_d8_a_parser_library_message_never_reaches_the_detail(client: TestClient) -> None:
    """A DOCX whose broken XML names a tag built from an e-mail and a phone: 422 corrupt_file in our words."""
    tag = "jane.roe-mail.example.com-tel-555-0142"
    response = client.post("/v1/resumes", files={"file": ("cv.docx", docx_with_broken_xml(tag))})
    assert response.status_code == 422
    assert response.json()["code"] == "corrupt_file"
    assert response.json()["detail"] == "damaged DOCX: its XML is malformed (XMLSyntaxError)"
    # the random request id is hex and may hold "555" by chance: check every other field of the problem
    body = {key: value for key, value in response.json().items() if key != "request_id"}
    for piece in ("jane", "roe", "555", "0142", "mail.example"):
        assert piece not in str(body)
    record("hardening/d08_error_details", cases=1, failed=0,
           notes="a DOCX whose broken XML quotes an e-mail and a phone in a tag name: detail 'damaged DOCX: its "
           "XML is malformed (XMLSyntaxError)' (was lxml's message, quoting the tag)")  # fmt: skip


# ------------------------------------------------------------------------------ D9: the file name is redacted


def test_hardening_d9_stored_file_names_are_redacted_with_the_text(client: TestClient) -> None:
    """Redaction on (the default): ``Jane_Roe_resume.md`` is stored, listed and reported as
    ``[NAME]_[NAME]_resume.md``, in the profile too; job posts keep their names."""
    text = "Jane Roe\njane.roe@example.com | +1 415 555 0142\n\nSkills\nPython, PyTorch, Docker\n"
    resume = client.post("/v1/resumes", files={"file": ("Jane_Roe_resume.md", text.encode())}).json()
    job = client.post("/v1/jobs", files={"file": ("Jane_Roe_team_job.md", SAMPLE_JOB.read_bytes())}).json()
    report = client.post("/v1/match", json={"resume_id": resume["id"], "job_id": job["id"]}).json()
    candidates = client.post(f"/v1/jobs/{job['id']}/candidates").json()
    with client.app.state.services.sessions() as session:
        row = session.get(Document, resume["id"])
        assert row is not None
        stored = (row.filename, row.profile["source"])
    seen = [resume["filename"], client.get("/v1/resumes").json()["data"][0]["filename"], report["resume"],
            candidates["data"][0]["filename"], *stored]  # fmt: skip
    assert seen == ["[NAME]_[NAME]_resume.md"] * 6
    assert job["filename"] == "Jane_Roe_team_job.md"
    record("hardening/d09_file_names", cases=6, failed=0,
           notes="Jane_Roe_resume.md stored, listed, ranked, reported and profiled as [NAME]_[NAME]_resume.md with "
           "redaction on (was verbatim everywhere)")  # fmt: skip


# ---------------------------------------------------------------------------- D10: no cross-owner timing oracle


def _analyses(client: TestClient) -> float:
    metrics = client.get("/metrics").text
    found = re.findall(r'^skillmatch_documents_parsed_total\{[^}]*\} ([0-9.e+]+)$', metrics, re.M)
    return sum(float(v) for v in found)


def test_hardening_d10_the_analysis_cache_is_per_owner(client: TestClient) -> None:
    """Bytes another owner uploaded are analysed afresh (no cache hit to time); one's own repeat is cached."""
    alice, bob = new_key(client, "alice"), new_key(client, "bob")
    # bytes of this test alone: owner ids restart in an emptied SQLite, and earlier tests' entries stay cached
    nonce = f"\n\nReference {time.monotonic_ns()}\n"
    data = SAMPLE_RESUME.read_bytes() + nonce.encode()
    steps = []
    for who, key in (("alice", alice), ("bob", bob), ("alice again", alice), ("bob again", bob)):
        before = _analyses(client)
        assert client.post("/v1/resumes", files={"file": ("cv.md", data)}, headers=auth(key)).status_code == 201
        steps.append((who, _analyses(client) - before))
    pasted = {"resume_text": "Python, SQL" + nonce, "job_text": "Requirements: Python" + nonce}
    for who, key in (("alice inline", alice), ("bob inline", bob)):
        before = _analyses(client)
        assert client.post("/v1/match", json=pasted, headers=auth(key)).status_code == 201
        steps.append((who, _analyses(client) - before))
    assert steps == [("alice", 1), ("bob", 1), ("alice again", 0), ("bob again", 0), ("alice inline", 2),
                     ("bob inline", 2)]  # fmt: skip
    record("hardening/d10_cache_per_owner", cases=6, failed=0,
           notes="the same bytes uploaded and pasted by two owners: each owner's first is analysed (no hit to "
           "time), each one's repeat is served from the cache (was: shared, 6-35 ms against 37-300 ms)")  # fmt: skip


# ------------------------------------------------------------------------------------- D11: a hung database


@pytest.mark.slow
def test_hardening_d11_a_hung_postgresql_is_503_within_seconds(
    private_pg: PrivatePostgres, matcher_engine: Engine
) -> None:
    """Every PostgreSQL process stopped (SIGSTOP: connections accepted, nothing answered): /readyz, a read and
    an upload answer 503 within seconds (database timeout 2 s); resumed (SIGCONT), they answer again."""
    url = private_pg.create_database(f"hung_{os.getpid()}_{time.monotonic_ns()}")
    app = create_app(api_settings(url, db_timeout_s=2), engine=matcher_engine)
    timings: dict[str, tuple[int, float]] = {}
    with TestClient(app, base_url=LOCAL_URL) as client:
        assert client.get("/readyz").status_code == 200
        postgres = _postgres_processes(private_pg)
        for process in postgres:
            process.send_signal(signal.SIGSTOP)
        try:
            for name, call in (
                ("readyz", lambda: client.get("/readyz")),
                ("list", lambda: client.get("/v1/resumes")),
                ("upload", lambda: client.post("/v1/resumes", files={"file": ("cv.md", SAMPLE_RESUME.read_bytes())})),
            ):
                thread, out = _in_thread(call)
                thread.join(30)
                assert out, f"{name} still had no answer after 30 s"
                response, seconds = out[0]
                assert not isinstance(response, BaseException), response
                timings[name] = (response.status_code, seconds)
        finally:
            for process in postgres:
                with contextlib.suppress(psutil.Error):
                    process.send_signal(signal.SIGCONT)
        deadline = time.monotonic() + 30
        while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.get("/readyz").status_code == 200
        assert client.get("/v1/resumes").status_code == 200
    assert {name: status for name, (status, _) in timings.items()} == {"readyz": 503, "list": 503, "upload": 503}
    assert max(seconds for _, seconds in timings.values()) < 10
    shown = ", ".join(f"{name} {status} in {seconds:.1f} s" for name, (status, seconds) in timings.items())
    record("hardening/d11_hung_database", cases=5, failed=0,
           notes=f"every PostgreSQL process SIGSTOPped, database timeout 2 s: {shown}; after SIGCONT ready again, "
           "same app (was: every request and /readyz hung)")  # fmt: skip


def _postgres_processes(server: PrivatePostgres) -> list[psutil.Process]:
    pid = int((server.data / "postmaster.pid").read_text().split()[0])
    postmaster = psutil.Process(pid)
    return [postmaster, *postmaster.children(recursive=True)]


# --------------------------------------------------------------------------------- D12: a lying Content-Length


@pytest.mark.slow
def test_hardening_d12_a_lying_content_length_is_a_499_not_a_500(live: Live) -> None:
    """Content-Length 100 with 11 MB sent, and an upload cut off half-way: no 500, no traceback; the cut-off
    one (the disconnect the lying one races into) is logged as 499 at info."""
    before = live.log()
    head = (
        "POST /v1/resumes HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        f"Authorization: Bearer {live.keys['alice']}\r\nContent-Length: %d\r\n\r\n"
    )
    # a file part that has only begun: the server waits for the rest of it
    part = b'--x\r\nContent-Disposition: form-data; name="file"; filename="cv.md"\r\n\r\n'.ljust(100, b"a")
    with socket.create_connection(("127.0.0.1", live.service.port), timeout=10) as sock:
        sock.sendall((head % 100).encode() + part)
        with contextlib.suppress(OSError):
            sock.sendall(b"x" * 11_000_000)
        with contextlib.suppress(OSError):
            sock.recv(1000)
    with socket.create_connection(("127.0.0.1", live.service.port), timeout=10) as sock:
        sock.sendall((head % 100_000).encode() + part)
        time.sleep(0.5)  # the request is being read; then the client goes away
    time.sleep(0.5)
    new = live.log()[len(before) :]
    assert "Traceback" not in new
    assert " 500 " not in new
    assert re.search(r"POST /v1/resumes 499 ", new), new[-1500:]
    assert live.service.request("GET", "/healthz").status == 200
    record("hardening/d12_client_disconnect", cases=2, failed=0,
           notes="Content-Length 100 with 11 MB sent, and an upload cut off half-way: no 500, no traceback; the "
           "disconnect logged as 'POST /v1/resumes 499' at info (was a 500, ClientDisconnect traceback)")  # fmt: skip


# ------------------------------------------------------------------------------------- D13: invalid settings

_INVALID_SETTINGS = [
    ("SKILLMATCH_REDACT_RESUMES", "nonsense", ("serve",)),
    ("SKILLMATCH_PORT", "0", ("serve",)),
    ("SKILLMATCH_HEADER_TIMEOUT_S", "-1", ("serve",)),
    ("SKILLMATCH_DB_TIMEOUT_S", "soon", ("keys", "list")),
    ("SKILLMATCH_WORKERS", "many", ("tag", str(SAMPLE_RESUME))),
]


def test_hardening_d13_an_invalid_setting_is_one_line_at_start(tmp_path: Path) -> None:
    """Each invalid ``SKILLMATCH_*`` value stops the command with one ``skillmatch: error:`` line, exit 1."""
    failures = []
    for variable, value, command in _INVALID_SETTINGS:
        env = {**service_env(tmp_path), variable: value}
        done = subprocess.run([sys.executable, "-m", "api.cli", *command], env=env, cwd=REPO, capture_output=True,
                              text=True, timeout=120)  # fmt: skip
        lines = done.stderr.strip().splitlines()
        expected = f"skillmatch: error: invalid setting {variable}: "
        if done.returncode != 1 or len(lines) != 1 or not lines[0].startswith(expected):
            failures.append(f"{variable}={value} skillmatch {command[0]}: exit {done.returncode}, {done.stderr[-300:]}")
    record("hardening/d13_invalid_settings", cases=len(_INVALID_SETTINGS), failed=len(failures),
           notes="5 invalid values (a boolean, a port, a service timeout, the database timeout, a worker count) "
           "for serve, keys list and tag: one 'skillmatch: error: invalid setting ...' line, exit 1 (was a "
           "traceback)")  # fmt: skip
    assert not failures


# ----------------------------------------------------------------------------------- D14: one code per failure

_JSON_ROUTES = ("/v1/resumes", "/v1/jobs", "/v1/match", "/v1/batch")
_UNREADABLE = {
    "invalid UTF-8": b'{"text": "\xff\xfe", "resume_text": "\xff"}',
    "not JSON": b"hello, not json",
    "truncated": b'{"text": "Python',
}


def test_hardening_d14_unreadable_json_is_400_everywhere_and_the_key_comes_first(client: TestClient) -> None:
    failures = []
    cases = 0
    json_header = {"content-type": "application/json"}
    for path in _JSON_ROUTES:
        for name, body in _UNREADABLE.items():
            cases += 1
            response = client.post(path, content=body, headers=json_header)
            if (response.status_code, response.json().get("code")) != (400, "bad_request"):
                failures.append(f"keyless {path} {name}: {response.status_code} {response.json().get('code')}")
    key = new_key(client, "owner")
    for path in _JSON_ROUTES:
        for name, body in _UNREADABLE.items():
            for headers, expected in ((json_header, (401, "unauthorized")),
                                      ({**json_header, **auth(key)}, (400, "bad_request"))):  # fmt: skip
                cases += 1
                response = client.post(path, content=body, headers=headers)
                got = (response.status_code, response.json().get("code"))
                if got != expected:
                    failures.append(f"{path} {name} {'with' if 'Authorization' in headers else 'without'} key: {got}")
        cases += 1
        wrong = client.post(path, content=b"text=Python", headers={"content-type": "text/plain", **auth(key)})
        if (wrong.status_code, wrong.json().get("code")) != (415, "unsupported_media_type"):
            failures.append(f"{path} text/plain: {wrong.status_code} {wrong.json().get('code')}")
    record("hardening/d14_one_code_per_failure", cases=cases, failed=len(failures),
           notes="invalid UTF-8, non-JSON and truncated JSON on the 4 JSON routes: 400 bad_request everywhere "
           "(was 422 or 400 by route), 401 first without a key (was 422), 415 for another media type")  # fmt: skip
    assert not failures


# ------------------------------------------------------------------------------------- D15: request ids

_REQUEST_IDS = [
    ("abc 200 1.0ms rid=FORGED GET /v1/admin", False),
    ("a" * 65, False),
    ("ok\tFORGED", False),
    ("", False),
    ("abc-123_DEF.v2", True),
    ("a" * 64, True),
]


def test_hardening_d15_request_ids_are_validated_or_replaced(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A client's X-Request-ID is kept when it is 1-64 of [A-Za-z0-9._-], else replaced: no forged log lines."""
    caplog.set_level("INFO", logger="skillmatch.api")
    failures = []
    for given, kept in _REQUEST_IDS:
        caplog.clear()
        rid = client.get("/healthz", headers={"x-request-id": given}).headers["x-request-id"]
        lines = [r.getMessage() for r in caplog.records if r.name == "skillmatch.api"]
        good = rid == given if kept else re.fullmatch(r"[0-9a-f]{32}", rid) is not None
        if not good or len(lines) != 1 or not lines[0].endswith(f" rid={rid}") or "FORGED" in caplog.text:
            failures.append(f"{given[:40]!r}: {rid!r}, {lines}")
    record("hardening/d15_request_ids", cases=len(_REQUEST_IDS), failed=len(failures),
           notes="X-Request-ID with spaces (a forged log line), a tab, 65 characters or empty: replaced by a fresh "
           "id; 1-64 of [A-Za-z0-9._-] kept (was logged as sent)")  # fmt: skip
    assert not failures
