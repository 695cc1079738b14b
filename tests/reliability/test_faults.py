"""Faults (issue 8): the database stops and comes back, a batch worker dies mid-run, two owners upload at once.

Everything runs for real: ``skillmatch serve`` as a uvicorn subprocess on a private PostgreSQL server (initdb in
a temporary folder, see :mod:`tests.reliability.live`), requests over HTTP, ``pg_ctl stop -m fast`` and SIGKILL.
Each test writes its row of ``benchmarks/RELIABILITY.md`` (:func:`tests.reliability_record.record`).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.orm import Session

from api import store
from api.db import BatchResult, Document, Owner
from api.security import create_key
from tests.conftest import REPO, SAMPLES
from tests.reliability.live import Answer, PrivatePostgres, Service, cli, multipart, new_key, service_env
from tests.reliability_record import record

PROBLEM = "application/problem+json"
RESUME_TEXT = (SAMPLES / "resumes" / "ml_engineer_resume.md").read_text(encoding="utf-8")
JOB_TEXT = (SAMPLES / "jobs" / "ml_engineer_job.md").read_text(encoding="utf-8")
PDF = SAMPLES / "resumes" / "ml_engineer_one_column.pdf"
EVAL = SAMPLES / "eval"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def database_name(what: str) -> str:
    return f"faults_{what}_{uuid.uuid4().hex[:8]}"


def is_unavailable(answer: Answer) -> bool:
    """The answer a request that needs the database must get while it is down."""
    if answer.status != 503 or answer.headers.get("content-type") != PROBLEM:
        return False
    body = answer.json()
    return body.get("code") == "database_unavailable" and body.get("status") == 503 and "retry-after" in answer.headers


# ------------------------------------------------------------------------- the service on a private server


@dataclass
class Live:
    """``skillmatch serve --workers 2`` on its own database of the private server; a SQLAlchemy engine to it."""

    service: Service
    database: DatabaseEngine
    first_key: str

    def key(self, owner: str) -> str:
        """A key for a new owner, as ``skillmatch keys create`` makes it (the running server sees it at once)."""
        with Session(self.database) as session:
            key = create_key(session, owner)
            session.commit()
        return key


@pytest.fixture(scope="module")
def live(private_pg: PrivatePostgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server for the module's tests (a start costs seconds): migrated and given a key by the CLI, as an
    operator would; the test that kills a worker runs last."""
    tmp = tmp_path_factory.mktemp("live")
    url = private_pg.create_database(database_name("live"))
    env = service_env(tmp, url)
    cli("db", "upgrade", env=env)
    first_key = new_key(env, "faults-restart")
    service = Service(tmp, env, workers=2)
    database = create_engine(url)
    try:
        yield Live(service, database, first_key)
    finally:
        service.close()
        database.dispose()


# ------------------------------------------------------------------------------------- the database goes away


class Writer(threading.Thread):
    """Posts job posts one after another until stopped; remembers the id of every upload answered 201."""

    def __init__(self, service: Service, key: str) -> None:
        super().__init__(daemon=True)
        self.service, self.key = service, key
        self.acked: list[str] = []
        self.unavailable = 0
        self.unexpected: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        i = 0
        while not self.stop.is_set():
            i += 1
            body = {"text": f"{JOB_TEXT}\n\nReference writer-{i}\n"}
            try:
                answer = self.service.request("POST", "/v1/jobs", json_body=body, headers=bearer(self.key), timeout=20)
            except OSError as exc:  # a hang (timeout) or a dropped connection: the service failed us
                self.unexpected.append(f"{type(exc).__name__}: {exc}")
                continue
            if answer.status == 201:
                self.acked.append(answer.json()["id"])
            elif is_unavailable(answer):
                self.unavailable += 1
            else:
                self.unexpected.append(f"{answer.status} {answer.body[:200]!r}")
            time.sleep(0.03)

    @property
    def requests(self) -> int:
        return len(self.acked) + self.unavailable + len(self.unexpected)


def probes(ids: dict[str, str]) -> list[tuple[str, str, Any]]:
    """A request of every kind that needs the database: reads, writes, deletes, matches, rankings, batch."""
    pdf_body, pdf_headers = multipart("file", "resume.pdf", PDF.read_bytes(), "application/pdf")
    return [
        ("GET", "/v1/resumes", None),
        ("GET", f"/v1/resumes/{ids['resume']}", None),
        ("GET", "/v1/jobs", None),
        ("GET", f"/v1/jobs/{ids['job']}", None),
        ("GET", "/v1/reports", None),
        ("GET", f"/v1/reports/{ids['report']}", None),
        ("GET", f"/v1/reports/{ids['report']}?format=html", None),
        ("POST", "/v1/resumes", {"text": RESUME_TEXT + "\nprobe\n"}),
        ("POST", "/v1/resumes", (pdf_body, pdf_headers)),
        ("POST", "/v1/jobs", {"text": JOB_TEXT + "\nprobe\n"}),
        ("POST", "/v1/match", {"resume_id": ids["resume"], "job_id": ids["job"]}),
        ("POST", "/v1/match", {"resume_text": RESUME_TEXT, "job_text": JOB_TEXT}),
        ("POST", f"/v1/resumes/{ids['resume']}/titles?top=3", None),
        ("POST", f"/v1/jobs/{ids['job']}/candidates", None),
        ("POST", "/v1/batch", {"resume_ids": [ids["resume"]], "job_ids": [ids["job"]]}),
        ("GET", "/v1/batch", None),
        ("GET", "/v1/taxonomy/titles", None),
    ]


def send(service: Service, key: str, method: str, path: str, body: Any) -> Answer:
    if isinstance(body, tuple):  # a multipart body and its headers
        return service.request(method, path, data=body[0], headers={**bearer(key), **body[1]}, timeout=20)
    return service.request(method, path, json_body=body, headers=bearer(key), timeout=20)


def test_database_stops_and_restarts_503_then_recovery_without_restart(
    private_pg: PrivatePostgres, live: Live
) -> None:
    service, key = live.service, live.first_key
    workers = service.worker_pids()
    writer = Writer(service, key)
    try:
        # committed before the outage: two resumes, a job post, a report; a writer keeps uploading throughout
        first = send(service, key, "POST", "/v1/resumes", {"text": RESUME_TEXT}).json()["id"]
        second = send(service, key, "POST", "/v1/resumes", {"text": RESUME_TEXT + "\nsecond\n"}).json()["id"]
        job = send(service, key, "POST", "/v1/jobs", {"text": JOB_TEXT}).json()["id"]
        report = send(service, key, "POST", "/v1/match", {"resume_id": first, "job_id": job}).json()["id"]
        ids = {"resume": first, "job": job, "report": report}
        writer.start()
        time.sleep(1.0)

        private_pg.stop()
        down = [send(service, key, m, p, b) for _round in range(2) for m, p, b in probes(ids)]
        down += [send(service, key, "DELETE", f"/v1/resumes/{second}", None)]  # refused: must not half-delete
        down += [send(service, key, "DELETE", f"/v1/reports/{report}", None)]
        health, ready = service.request("GET", "/healthz"), service.request("GET", "/readyz")
        time.sleep(1.0)  # the writer meets the outage too

        restarted = time.monotonic()
        private_pg.start()
        recovered = None
        while time.monotonic() - restarted < 30:
            if service.request("GET", "/readyz").status == 200:
                recovered = time.monotonic() - restarted
                break
            time.sleep(0.1)
        up = [send(service, key, m, p, b) for m, p, b in probes(ids)]
        time.sleep(1.0)
        writer.stop.set()
        writer.join(timeout=30)

        still = send(service, key, "GET", f"/v1/resumes/{second}", None)
        listed: set[str] = set()
        for offset in range(0, 10_000, 100):
            page = send(service, key, "GET", f"/v1/jobs?limit=100&offset={offset}", None).json()
            listed |= {row["id"] for row in page["data"]}
            if offset + 100 >= page["count"]:
                break
        alive = service.process.poll() is None and service.worker_pids() == workers
        log = service.log.read_text(errors="replace")
    finally:
        writer.stop.set()
        if writer.is_alive():
            writer.join(timeout=30)
        if not private_pg.running:  # a failure half-way: the next tests need the server
            private_pg.start()

    wrong_down = [f"{a.status} {a.body[:120]!r}" for a in down if not is_unavailable(a)]
    slow = [round(a.seconds, 1) for a in down if a.seconds > 5]
    wrong_up = [f"{a.status} {a.body[:120]!r}" for a in up if not 200 <= a.status < 300]
    lost = [i for i in [job, *writer.acked] if i not in listed]
    failed = len(wrong_down) + len(slow) + len(wrong_up) + len(writer.unexpected) + (not alive)
    record(
        "faults/database_restart",
        cases=len(down) + len(up) + writer.requests + 2,
        failed=failed,
        lost=len(lost) + (still.status != 200),
        notes=f"PostgreSQL stopped (pg_ctl -m fast) under load: {len(down)} requests of {len(probes(ids))} kinds "
        f"answered 503 database_unavailable, each in <= {max(a.seconds for a in down):.2f} s; /healthz 200, /readyz "
        f"503; ready again {recovered or float('nan'):.1f} s after the restart, same uvicorn workers (2); "
        f"{len(writer.acked)} uploads acknowledged by a concurrent writer ({writer.unavailable} refused with 503), "
        "all stored",
    )
    assert not wrong_down, wrong_down
    assert not slow, f"answers that took over 5 s while the database was down: {slow}"
    assert health.status == 200
    assert ready.status == 503
    assert ready.headers["content-type"] == PROBLEM
    assert recovered is not None, "not ready within 30 s of PostgreSQL's restart"
    assert not wrong_up, wrong_up
    assert not writer.unexpected, writer.unexpected
    assert writer.unavailable > 0, "the writer did not meet the outage"
    assert writer.acked, "the writer stored nothing"
    # the same processes served before, during and after: neither uvicorn nor a worker was restarted
    assert alive
    assert log.count("Started server process") == len(workers)
    assert "died" not in log
    assert not re.search(r"\s500\s", log)
    assert "Traceback" not in log
    # nothing lost: what was answered 201 is stored; what was refused (the delete) did not happen
    assert not lost, f"acknowledged but missing: {lost}"
    assert still.status == 200


# ------------------------------------------------------------------------------- a match racing a delete


def test_a_match_racing_the_delete_of_its_resume_is_a_409_conflict_not_a_500(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The soak found it: the match read the resume, a concurrent DELETE removed it before the report was written,
    and the report's foreign key failed: a 500. The same moment, made deterministic: the delete lands in between."""
    resume = client.post("/v1/resumes", json={"text": RESUME_TEXT}).json()["id"]
    job = client.post("/v1/jobs", json={"text": JOB_TEXT}).json()["id"]
    services = client.app.state.services
    create_report = store.create_report

    def deleted_meanwhile(session: Session, **values: Any) -> Any:
        with services.sessions() as other:
            store.delete_document(other, owner_id=values["owner_id"], kind="resume", document_id=resume)
            other.commit()
        return create_report(session, **values)

    monkeypatch.setattr(store, "create_report", deleted_meanwhile)
    raced = client.post("/v1/match", json={"resume_id": resume, "job_id": job})
    monkeypatch.undo()
    again = client.post("/v1/match", json={"resume_id": resume, "job_id": job})
    reports = client.get("/v1/reports").json()["count"]
    backend = services.database.url.get_backend_name()
    record(
        f"faults/match_racing_delete_{backend}",
        cases=1,
        failed=int(raced.status_code != 409),
        lost=0,
        notes=f"{backend}: POST /v1/match whose resume is deleted between the read and the write: 409 conflict "
        "(was 500), nothing written; the retry answers 404",
    )
    assert raced.status_code == 409, raced.text
    assert raced.headers["content-type"] == PROBLEM
    assert raced.json()["code"] == "conflict"
    assert again.status_code == 404
    assert reports == 0


# ------------------------------------------------------------------------------- two workers, two owners


def test_two_owners_upload_the_same_file_at_the_same_moment(live: Live) -> None:
    service = live.service
    keys = {owner: live.key(owner) for owner in ("same-file-a", "same-file-b")}
    data = PDF.read_bytes()
    rounds = 8
    answers: dict[str, list[Answer]] = {owner: [] for owner in keys}
    barrier = threading.Barrier(len(keys))

    def upload(owner: str) -> None:
        for _ in range(rounds):
            body, headers = multipart("file", "resume.pdf", data, "application/pdf")
            barrier.wait(timeout=60)  # both requests leave together, round after round
            answers[owner].append(service.request("POST", "/v1/resumes", data=body, headers={**bearer(keys[owner]),
                                                                                             **headers}))  # fmt: skip

    threads = [threading.Thread(target=upload, args=(owner,)) for owner in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    failed: list[str] = []
    ids: dict[str, list[str]] = {owner: [] for owner in keys}
    for owner, got in answers.items():
        for answer in got:
            if answer.status != 201:
                failed.append(f"{owner}: {answer.status} {answer.body[:120]!r}")
                continue
            ids[owner].append(answer.json()["id"])
    a, b = keys
    other = {a: b, b: a}
    hashes = {r.json()["content_hash"] for got in answers.values() for r in got if r.status == 201}
    for owner, mine in ids.items():
        listed = service.request("GET", "/v1/resumes?limit=100", headers=bearer(keys[owner])).json()
        if {row["id"] for row in listed["data"]} != set(mine) or listed["count"] != rounds:
            failed.append(f"{owner} lists {listed['count']} resumes, not exactly its {rounds}")
        for doc_id in ids[other[owner]]:  # the other owner's copies: not found, exactly as a missing id
            answer = service.request("GET", f"/v1/resumes/{doc_id}", headers=bearer(keys[owner]))
            if answer.status != 404 or answer.json()["code"] != "not_found":
                failed.append(f"{owner} reads {other[owner]}'s {doc_id}: {answer.status}")
    with Session(live.database) as session:
        theirs = select(Owner.id).where(Owner.name.in_(list(keys)))
        stored = session.scalar(select(func.count()).select_from(Document).where(Document.owner_id.in_(theirs)))
    record(
        "faults/same_file_two_owners",
        cases=rounds * len(keys),
        failed=len(failed),
        lost=rounds * len(keys) - len(ids[a]) - len(ids[b]),
        notes=f"{rounds} rounds of the same PDF posted by two owners at once (a barrier, real HTTP, 2 workers): "
        f"{stored} separate records, each readable by its owner only (the other gets 404)",
    )
    assert not failed, failed
    assert len(set(ids[a]) | set(ids[b])) == 2 * rounds  # two separate records every round
    assert len(hashes) == 1  # of the very same bytes
    assert stored == 2 * rounds


def clone_documents(database: DatabaseEngine, source_ids: list[str], copies: int) -> list[str]:
    """``copies`` stored documents made from the given ones in turn: a big batch without a thousand uploads."""
    with Session(database) as session:
        sources = [session.get(Document, doc_id) for doc_id in source_ids]
        columns = [c.name for c in Document.__table__.columns if c.name not in ("id", "created_at")]
        clones = [Document(**{c: getattr(sources[i % len(sources)], c) for c in columns}) for i in range(copies)]
        session.add_all(clones)
        session.commit()
        return [clone.id for clone in clones]


def run_state(database: DatabaseEngine, batch_id: str) -> tuple[str, int, str | None]:
    with database.connect() as connection:
        row = connection.execute(
            text("SELECT status, done_pairs, lease_owner FROM batch_runs WHERE id = :id"), {"id": batch_id}
        ).one()
    return row.status, row.done_pairs, row.lease_owner


def test_serve_worker_killed_mid_batch_the_batch_completes_every_pair_once(live: Live) -> None:
    service, database, key = live.service, live.database, live.key("batch-owner")
    uploaded: dict[str, list[str]] = {"resume": [], "job": []}
    for kind, folder, path in (("resume", "resumes", "/v1/resumes"), ("job", "jobs", "/v1/jobs")):
        for file in sorted((EVAL / folder).iterdir()):
            answer = service.request("POST", path, json_body={"text": file.read_text(encoding="utf-8"),
                                                              "filename": file.name}, headers=bearer(key))  # fmt: skip
            assert answer.status == 201, answer.body
            uploaded[kind].append(answer.json()["id"])
    # 100 x 100 pairs: five chunks of the runner's 2,000 pairs, queued (over batch_inline_pairs)
    resumes = clone_documents(database, uploaded["resume"], 100)
    jobs = clone_documents(database, uploaded["job"], 100)
    created = service.request("POST", "/v1/batch", json_body={"resume_ids": resumes, "job_ids": jobs},
                              headers=bearer(key))  # fmt: skip
    assert created.status == 202, created.body
    batch_id = created.json()["id"]

    # wait for the first chunk, then hold the run's row: the worker blocks at its next chunk's lease check
    deadline = time.monotonic() + 60
    while (state := run_state(database, batch_id))[1] == 0 or state[0] != "running":
        assert time.monotonic() < deadline, f"the batch did not start: {state}"
        time.sleep(0.005)
    with database.connect() as connection:
        lock = connection.begin()
        status, done, holder = connection.execute(
            text("SELECT status, done_pairs, lease_owner FROM batch_runs WHERE id = :id FOR UPDATE"), {"id": batch_id}
        ).one()
        assert status == "running", f"the batch ended before it could be interrupted ({status})"
        assert 0 < done < 10_000
        killed = int(holder.split(":")[1])  # lease_owner is host:pid:random
        survivors = set(service.worker_pids())
        assert killed in survivors
        survivors.discard(killed)
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while killed in service.worker_pids():
            assert time.monotonic() < deadline, "the killed worker is still there"
            time.sleep(0.05)
        lock.rollback()
    # the dead worker's lease would expire 30 s (the runner's lease) after its last renewal: expire it now rather
    # than wait, as if the time had passed; the surviving or the restarted worker must take the run over
    with database.begin() as connection:
        expired = connection.execute(
            text(
                "UPDATE batch_runs SET lease_until = now() - interval '1 second' "
                "WHERE id = :id AND lease_owner = :holder AND status = 'running'"
            ),
            {"id": batch_id, "holder": holder},
        )
        assert expired.rowcount == 1

    deadline = time.monotonic() + 90
    while (answer := service.request("GET", f"/v1/batch/{batch_id}?limit=1", headers=bearer(key))).json()[
        "status"
    ] != "done":
        assert answer.json()["status"] in ("queued", "running"), answer.body
        assert time.monotonic() < deadline, f"the batch did not complete: {answer.body!r}"
        time.sleep(0.2)
    summary = answer.json()
    with Session(database) as session:
        rows = session.execute(
            select(BatchResult.resume_id, BatchResult.job_id, BatchResult.score).where(BatchResult.batch_id == batch_id)
        ).all()
    seen = Counter((r.resume_id, r.job_id) for r in rows)
    expected = {(r, j) for r in resumes for j in jobs}
    missing, twice = expected - set(seen), [p for p, n in seen.items() if n > 1]
    # clones of one resume and one job score the same, whichever worker scored them: no half-computed rows
    n_resumes, n_jobs = len(uploaded["resume"]), len(uploaded["job"])
    source = {doc_id: i % n_resumes for i, doc_id in enumerate(resumes)}
    source |= {doc_id: i % n_jobs for i, doc_id in enumerate(jobs)}
    scores: dict[tuple[int, int], set[float]] = {}
    for r in rows:
        scores.setdefault((source[r.resume_id], source[r.job_id]), set()).add(r.score)
    inconsistent = [pair for pair, values in scores.items() if len(values) > 1]
    deadline = time.monotonic() + 90  # uvicorn replaces the dead worker: two workers serve again
    while len(service.worker_pids()) < 2:
        assert time.monotonic() < deadline, "the killed worker was not replaced"
        time.sleep(0.2)
    log = service.log.read_text(errors="replace")
    claims = re.findall(rf"batch {batch_id}: claimed by (\S+)", log)
    taker_pid = int(claims[-1].split(":")[1]) if claims else None
    taker = "the other worker" if taker_pid in survivors else "the restarted worker"
    record(
        "faults/serve_worker_killed_mid_batch",
        cases=len(expected),
        failed=len(twice) + len(inconsistent) + (summary["done_pairs"] != len(expected)),
        lost=len(missing),
        notes=f"skillmatch serve --workers 2 on PostgreSQL: the uvicorn worker holding the batch's lease SIGKILLed "
        f"after {done} of {len(expected)} pairs; once its lease expired, {taker} took the run over; uvicorn "
        "replaced the dead worker; every pair exactly once",
    )
    assert summary["total_pairs"] == summary["done_pairs"] == len(expected) == summary["results"]["count"]
    assert not missing
    assert not twice
    assert not inconsistent
    assert claims[0] == holder
    assert len(claims) == 2
    assert claims[1] != holder
    assert f"Child process [{killed}] died" in log
    assert killed not in service.worker_pids()


# ---------------------------------------------------------------------------------------------- the CLI's batch


def replicated_jsonl(path: Path, copies: int) -> list[str]:
    """The eval resumes ``copies`` times as a JSONL file of {id, text}; the ids."""
    ids = []
    with path.open("w", encoding="utf-8") as handle:
        for i in range(copies):
            for file in sorted((EVAL / "resumes").iterdir()):
                ids.append(f"{file.stem}-{i:03d}")
                handle.write(json.dumps({"id": ids[-1], "text": file.read_text(encoding="utf-8")}) + "\n")
    return ids


def batch_command(resumes: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "api.cli", "batch", "--resumes", str(resumes), "--jobs", str(EVAL / "jobs"),
            "--out", str(out), "--chunk-size", "3", *extra]  # fmt: skip


def test_cli_batch_worker_killed_then_resume_every_pair_once(tmp_path: Path) -> None:
    resume_ids = replicated_jsonl(tmp_path / "resumes.jsonl", copies=12)  # 168 resumes, 56 chunks
    jobs = [str(p) for p in sorted((EVAL / "jobs").iterdir())]
    out = tmp_path / "results.jsonl"
    parts = tmp_path / ".results.jsonl.parts"
    process = subprocess.Popen(
        batch_command(tmp_path / "resumes.jsonl", out, "--workers", "2"),
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not any(parts.glob("part-*.jsonl")):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no part written"
            time.sleep(0.01)
        # one pool worker (a forked copy of the command), not the command itself: a worker crash
        workers = [
            child
            for child in psutil.Process(process.pid).children()
            if "resource_tracker" not in " ".join(child.cmdline())
        ]
        assert workers, "no worker process found"
        workers[0].send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=30)
    lines = stderr.strip().splitlines()
    assert process.returncode == 1, stderr
    assert lines[-1].startswith("skillmatch: error: batch stopped ("), stderr
    assert "--resume" in lines[-1]
    assert "Traceback" not in stderr
    assert not out.exists()
    kept = len(list(parts.glob("part-*.jsonl")))
    assert kept >= 1

    resumed = subprocess.run(
        batch_command(tmp_path / "resumes.jsonl", out, "--workers", "2", "--resume"),
        cwd=REPO, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    seen = Counter((row["resume"], row["job"]) for row in rows)
    expected = {(r, j) for r in resume_ids for j in jobs}
    missing, twice = expected - set(seen), [p for p, n in seen.items() if n > 1]
    record(
        "faults/cli_worker_killed_then_resume",
        cases=len(expected),
        failed=len(twice) + len(set(seen) - expected),
        lost=len(missing),
        notes=f"skillmatch batch --workers 2: one pool worker SIGKILLed after the first part; the command stopped "
        f"with a one-line error keeping {kept} parts; --resume scored the rest: every pair exactly once",
    )
    assert not missing
    assert not twice
    assert set(seen) == expected
    assert not parts.exists()
