"""Benchmark of the pool index (issue 19): one owner with SIZE job posts and SIZE resumes, on SQLite and PostgreSQL.

The pool is seeded from real documents (the samples and, where present, ``../shared/data``: their profiles,
tagged once), varied to reach the size: each copy drops some of its skills, gains a few others of the taxonomy,
shifts years, recency and seniority. Rows go straight into the database (documents with their profiles, and the
pool's features), as uploads would leave them; the text is a placeholder, since nothing here reads it.

It then runs the route handlers in this process (no HTTP: the service's own code from the database session on)
and prints, per backend:

- the first query each way (the index build: streaming the features, building the arrays), and the RSS after;
- warm top-20 queries both ways, p50 and p99 (after WARM_UP queries each way, not counted, which fill the
  caches that fill once per skill and title asked): a resume's best jobs (``POST /v1/resumes/{id}/jobs``) and a job's
  best candidates (``POST /v1/jobs/{id}/candidates``), each different, every one with its 20 full reports;
- the raw scoring of the same pool with the vectorised scorer batch uses (``matcher.scoring.vectorized.Scorer``: one
  resume against every job with the job matrix built beforehand; one job against every resume as batch does
  it, the resume matrix built in the call), the ratios of the warm p50 to it, and the pool's top-20 search
  alone (every row scored, no database, no reports);
- the time an upload takes to show: a job post written as the upload route writes it (its document, features
  and a new token, committed), then the next query, which finds the token changed, lists the owner's ids and
  streams the new row in; that is what every worker does, this one included.

Targets for 50,000 + 50,000: warm p50 <= 100 ms both ways and <= 3x raw scoring, first query <= 10 s,
<= 400 MB per worker with both indexes.

    python benchmarks/bench_pool.py --size 50000                      # SQLite, and PostgreSQL when a URL is set
    python benchmarks/bench_pool.py --size 2000 --backend sqlite
    SKILLMATCH_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres python benchmarks/...

PostgreSQL: a fresh database is created on that server (``SKILLMATCH_BENCH_POSTGRES_URL``, else
``SKILLMATCH_TEST_POSTGRES_URL``) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select  # noqa: E402

from api import migrations, pool_index  # noqa: E402
from api.config import ServiceSettings  # noqa: E402
from api.db import Document, Owner, PoolFeatures, new_id  # noqa: E402
from api.routes.titles import RankingPage, rank_candidates, rank_jobs  # noqa: E402
from api.services import Services  # noqa: E402
from matcher.engine import Engine  # noqa: E402
from matcher.scoring.pool import features, profile_from_features  # noqa: E402
from matcher.scoring.profiles import JobProfile, ResumeProfile, profile_to_dict  # noqa: E402
from matcher.scoring.vectorized import Scorer  # noqa: E402
from tests.postgres import temporary_database  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "dev"
SENIORITIES = ("junior", "mid", "senior", "lead")
INSERT_CHUNK = 2000
#: queries each way before the timed ones (not counted)
WARM_UP = 20
TARGET_P50_MS = 100.0
TARGET_RATIO = 3.0
TARGET_FIRST_S = 10.0
TARGET_RSS_MB = 400.0


def rss_mb() -> float:
    """This process's resident memory (Linux: /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ---------------------------------------------------------------------------------------------------- the pool


def real_profiles(engine: Engine) -> tuple[list[ResumeProfile], list[JobProfile]]:
    """Profiles of the real documents at hand: the samples, and the shared data set's resumes and job posts."""
    resumes = [engine.load(p, kind="resume").resume for p in sorted((ROOT / "samples" / "resumes").iterdir())]
    jobs = [engine.load(p, kind="job").job for p in sorted((ROOT / "samples" / "jobs").iterdir())]
    for name, kind, into in (
        ("spans-dotin-train.jsonl", "resume", resumes),
        ("spans-skillspan-dev.jsonl", "job", jobs),
        ("spans-skillspan-train.jsonl", "job", jobs),
    ):
        path = SHARED / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                analysed = engine.load_text(json.loads(line)["text"], kind=kind)  # type: ignore[arg-type]
                into.append(analysed.resume if kind == "resume" else analysed.job)
    return [r for r in resumes if r is not None and r.skills], [j for j in jobs if j is not None and j.requirements]


def vary_resume(base: dict[str, Any], rng: random.Random, skill_ids: list[str], as_of: int) -> dict[str, Any]:
    """A resume like ``base``: some skills dropped, a few added, years, recency and seniority moved."""
    skills = {sid: (years, last) for sid, years, last in base["skills"] if rng.random() > 0.25}
    for sid in rng.sample(skill_ids, rng.randint(0, 4)):
        skills.setdefault(sid, (rng.choice([None, 1.0, 2.5, 4.0]), rng.choice([None, as_of, as_of - 3])))
    shift = rng.choice([-2, -1, 0, 0, 1, 2])
    moved = {
        sid: (None if years is None else max(0.5, years + shift), None if last is None else min(as_of, last + shift))
        for sid, (years, last) in skills.items()
    }
    total = base["total_years"]
    return {
        **base,
        "skills": [[sid, years, last] for sid, (years, last) in sorted(moved.items())],
        "total_years": None if total is None else max(0.0, total + shift),
        "seniority": rng.choice([base["seniority"], *SENIORITIES]),
    }


def vary_job(base: dict[str, Any], rng: random.Random, skill_ids: list[str]) -> dict[str, Any]:
    """A job post like ``base``: some requirements dropped, some swapped for other skills, years and seniority
    moved."""
    requirements = []
    for sid, level, weight, years, must, alternatives in base["requirements"]:
        roll = rng.random()
        if roll < 0.2:
            continue
        if roll < 0.35:
            sid, alternatives = rng.choice(skill_ids), []
        if years is not None:
            years = max(1.0, years + rng.choice([-1, 0, 1]))
        requirements.append([sid, level, weight, years, must, alternatives])
    seen: set[str] = set()
    unique = [r for r in requirements if not (r[0] in seen or seen.add(r[0]))]  # type: ignore[func-returns-value]
    return {
        **base,
        "requirements": unique or base["requirements"],
        "seniority": rng.choice([base["seniority"], *SENIORITIES]),
    }


def _document(owner_id: int, kind: str, data: dict[str, Any], created: datetime, number: int) -> dict[str, Any]:
    profile = profile_from_features(data, kind)
    return {
        "id": new_id(),
        "owner_id": owner_id,
        "kind": kind,
        "filename": f"{kind}-{number}.md",
        "format": "markdown",
        "content_hash": uuid.uuid4().hex + uuid.uuid4().hex,
        "text": f"({kind} {number}: benchmark placeholder)",
        "redacted": False,
        "pages": 1,
        "sections": [],
        "skills": [],
        "diagnostics": {},
        "warnings": [],
        "experience": None,
        "profile": profile_to_dict(profile),
        "taxonomy_version": "bench",
        "created_at": created,
    }


def seed(url: str, size: int, engine: Engine, seed_value: int) -> int:
    """The owner ``bench`` with ``size`` job posts and ``size`` resumes; returns its id."""
    rng = random.Random(seed_value)
    started = time.perf_counter()
    base_resumes, base_jobs = real_profiles(engine)
    resume_features = [features(r) for r in base_resumes]
    job_features = [features(j) for j in base_jobs]
    skill_ids = sorted(engine.taxonomy.skills)
    print(f"  real documents: {len(base_resumes)} resumes, {len(base_jobs)} job posts "
          f"(tagged in {time.perf_counter() - started:.1f} s)")  # fmt: skip
    migrations.upgrade(url)
    database = create_engine(url)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    with database.begin() as connection:
        owner_id = connection.execute(
            insert(Owner).values(name=f"bench-{uuid.uuid4().hex[:6]}", created_at=start).returning(Owner.id)
        ).scalar_one()
    number = 0
    for kind, bases, vary in (
        ("job", job_features, lambda b: vary_job(b, rng, skill_ids)),
        ("resume", resume_features, lambda b: vary_resume(b, rng, skill_ids, engine.as_of)),
    ):
        for chunk_start in range(0, size, INSERT_CHUNK):
            documents, rows = [], []
            for i in range(chunk_start, min(size, chunk_start + INSERT_CHUNK)):
                data = bases[i] if i < len(bases) else vary(rng.choice(bases))  # the real ones as they are first
                created = start + timedelta(seconds=number)
                documents.append(_document(owner_id, kind, data, created, number))
                rows.append({"document_id": documents[-1]["id"], "owner_id": owner_id, "kind": kind,
                             "order": pool_index.order_of(created), "features": data})  # fmt: skip
                number += 1
            with database.begin() as connection:
                connection.execute(insert(Document), documents)
                connection.execute(insert(PoolFeatures), rows)
    database.dispose()
    print(f"  seeded {size:,} job posts + {size:,} resumes in {time.perf_counter() - started:.1f} s")
    return owner_id


# -------------------------------------------------------------------------------------------------- measuring


@dataclass
class OwnerRef:
    """What a route handler reads of the caller: the owner's id (``OwnerDep`` gives the same)."""

    id: int


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def measure(url: str, owner_id: int, engine: Engine, queries: int, seed_value: int) -> dict[str, Any]:
    rng = random.Random(seed_value + 1)
    services = Services.start(ServiceSettings(database_url=url, migrate_on_start=False), engine=engine)
    owner = OwnerRef(owner_id)
    found: dict[str, Any] = {}
    try:
        # the query documents only (a worker holds no list of every id; the RSS below is a worker's)
        wanted = 2 + WARM_UP + queries
        with services.sessions() as session:
            resume_sample, job_sample = (
                list(session.scalars(select(Document.id).where(Document.owner_id == owner_id, Document.kind == kind)
                                     .order_by(Document.id).limit(wanted)))  # ids are random: a random sample
                for kind in ("resume", "job")
            )  # fmt: skip
            jobs_total = session.scalar(
                select(func.count()).select_from(Document).where(Document.owner_id == owner_id, Document.kind == "job")
            )
        rss_before = rss_mb()

        def jobs_for(resume_id: str) -> dict[str, Any]:
            with services.sessions() as session:
                return rank_jobs(resume_id, owner, services, session, RankingPage(limit=20))  # type: ignore[arg-type]

        def candidates_for(job_id: str) -> dict[str, Any]:
            with services.sessions() as session:
                return rank_candidates(job_id, owner, services, session, RankingPage(limit=20))  # type: ignore[arg-type]

        found["first_jobs_s"], first = timed(lambda: jobs_for(resume_sample[0]))
        found["first_candidates_s"], _ = timed(lambda: candidates_for(job_sample[0]))
        assert first["count"] == jobs_total
        found["rss_mb"] = rss_mb()
        found["rss_pools_mb"] = found["rss_mb"] - rss_before
        for r, j in zip(resume_sample[2 : 2 + WARM_UP], job_sample[2 : 2 + WARM_UP], strict=True):
            jobs_for(r)  # caches that fill once per skill and title asked, whatever the pool
            candidates_for(j)
        warm_jobs = [timed(lambda r=r: jobs_for(r))[0] for r in resume_sample[2 + WARM_UP :]]
        warm_candidates = [timed(lambda j=j: candidates_for(j))[0] for j in job_sample[2 + WARM_UP :]]
        found["jobs_p50_ms"], found["jobs_p99_ms"] = 1000 * pct(warm_jobs, 0.5), 1000 * pct(warm_jobs, 0.99)
        found["candidates_p50_ms"] = 1000 * pct(warm_candidates, 0.5)
        found["candidates_p99_ms"] = 1000 * pct(warm_candidates, 0.99)
        with services.sessions() as session:
            resume_ids, job_ids = (
                list(session.scalars(select(Document.id).where(Document.owner_id == owner_id, Document.kind == kind)))
                for kind in ("resume", "job")
            )

        # the pool's search alone, and the batch scorer on the same profiles
        with services.sessions() as session:
            rows = session.execute(select(PoolFeatures.document_id, PoolFeatures.kind, PoolFeatures.features)
                                   .where(PoolFeatures.owner_id == owner_id)).all()  # fmt: skip
        profiles = {i: profile_from_features(data, kind) for i, kind, data in rows}
        del rows
        resumes = [profiles[i] for i in resume_ids]
        jobs = [profiles[i] for i in job_ids]
        some = max(3, queries // 10)
        with services.sessions() as session, services.pools.pool(session, owner_id=owner_id, kind="job") as pool:
            pool_jobs = [timed(lambda r=r: pool.search(profiles[r], limit=20))[0] for r in rng.sample(resume_ids, some)]
        with services.sessions() as session, services.pools.pool(session, owner_id=owner_id, kind="resume") as pool:
            pool_resumes = [timed(lambda j=j: pool.search(profiles[j], limit=20))[0] for j in rng.sample(job_ids, some)]
        found["pool_jobs_ms"] = 1000 * statistics.median(pool_jobs)
        found["pool_candidates_ms"] = 1000 * statistics.median(pool_resumes)
        scorer = Scorer(services.engine.index, jobs, as_of=services.engine.as_of)  # type: ignore[arg-type]
        raw_jobs = [timed(lambda r=r: scorer.scores([profiles[r]]))[0] for r in rng.sample(resume_ids, some)]
        raw_resumes = [
            timed(lambda j=j: Scorer(services.engine.index, [profiles[j]], as_of=services.engine.as_of)  # type: ignore[list-item]
                  .scores(resumes))[0]  # type: ignore[arg-type]
            for j in rng.sample(job_ids, 3)
        ]  # fmt: skip
        found["raw_jobs_ms"] = 1000 * statistics.median(raw_jobs)
        found["raw_candidates_ms"] = 1000 * statistics.median(raw_resumes)

        # an upload, then the next query (this worker refreshes as any other would)
        base = features(jobs[0])
        with services.sessions() as session:
            created = datetime.now(UTC)
            document = Document(**_document(owner_id, "job", base, created, -1))
            session.add(document)
            committed_at = time.perf_counter()
            pool_index.record_upload(session, document, jobs[0])  # type: ignore[arg-type]
            session.commit()
            committed_at = time.perf_counter() - committed_at
        found["upload_commit_ms"] = 1000 * committed_at
        found["upload_visible_ms"], after = timed(lambda: jobs_for(resume_sample[1]))
        found["upload_visible_ms"] *= 1000
        assert after["count"] == jobs_total + 1, "the upload is not visible"
        found["rss_end_mb"] = rss_mb()
    finally:
        services.close()
        services.database.dispose()
    return found


def report(backend: str, size: int, found: dict[str, Any]) -> None:
    def ok(good: bool) -> str:
        return "met" if good else "NOT met"

    ratio_jobs = found["jobs_p50_ms"] / found["raw_jobs_ms"]
    ratio_candidates = found["candidates_p50_ms"] / found["raw_candidates_ms"]
    first = max(found["first_jobs_s"], found["first_candidates_s"])
    print(f"\n{backend}: {size:,} job posts + {size:,} resumes, one owner, each query in this process's handlers")
    print(
        f"  first query (index build): resume -> jobs {found['first_jobs_s']:.2f} s, "
        f"job -> candidates {found['first_candidates_s']:.2f} s "
        f"[target <= {TARGET_FIRST_S:g} s: {ok(first <= TARGET_FIRST_S)}]"
    )
    print(
        f"  warm top-20, resume -> jobs:       p50 {found['jobs_p50_ms']:7.1f} ms  p99 {found['jobs_p99_ms']:7.1f} ms "
        f"[target p50 <= {TARGET_P50_MS:g} ms: {ok(found['jobs_p50_ms'] <= TARGET_P50_MS)}]"
    )
    print(
        f"  warm top-20, job -> candidates:    p50 {found['candidates_p50_ms']:7.1f} ms  "
        f"p99 {found['candidates_p99_ms']:7.1f} ms "
        f"[target p50 <= {TARGET_P50_MS:g} ms: {ok(found['candidates_p50_ms'] <= TARGET_P50_MS)}]"
    )
    print(
        f"  raw vectorised scoring (matcher.scoring.vectorized.Scorer), same pool: one resume x all jobs "
        f"{found['raw_jobs_ms']:.1f} ms, one job x all resumes {found['raw_candidates_ms']:.1f} ms"
    )
    print(
        f"  ratio warm p50 / raw: resume -> jobs {ratio_jobs:.2f}x, job -> candidates {ratio_candidates:.2f}x "
        f"[target <= {TARGET_RATIO:g}x: {ok(max(ratio_jobs, ratio_candidates) <= TARGET_RATIO)}]"
    )
    print(
        f"  the pool's search alone (top 20 of every row; no database, no reports): resume -> jobs "
        f"{found['pool_jobs_ms']:.1f} ms, job -> candidates {found['pool_candidates_ms']:.1f} ms"
    )
    print(
        f"  RSS after both indexes: {found['rss_mb']:.0f} MB ({found['rss_pools_mb']:+.0f} MB for the two pools) "
        f"[target <= {TARGET_RSS_MB:g} MB: {ok(found['rss_mb'] <= TARGET_RSS_MB)}]; at the end "
        f"{found['rss_end_mb']:.0f} MB (the benchmark's own profiles and scorer included)"
    )
    print(f"  an upload: committed in {found['upload_commit_ms']:.1f} ms, visible to the next query, which took "
          f"{found['upload_visible_ms']:.1f} ms (token changed: ids listed, the new row streamed in)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=50_000, help="job posts, and as many resumes (default 50,000)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--queries", type=int, default=60, help="warm queries each way (default 60)")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    if args.backend == "both":  # each backend in a process of its own: RSS is per worker, from a fresh start
        print(f"bench_pool: size {args.size:,}, {args.queries} warm queries each way, "
              f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
              flush=True)  # fmt: skip
        for backend in ("sqlite", "postgresql"):
            command = [sys.executable, __file__, "--backend", backend, "--size", str(args.size)]
            subprocess.run([*command, "--queries", str(args.queries), "--seed", str(args.seed)], check=True)
        return
    engine = Engine()
    postgres = os.environ.get("SKILLMATCH_BENCH_POSTGRES_URL") or os.environ.get("SKILLMATCH_TEST_POSTGRES_URL")
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            print("\n[sqlite] seeding", flush=True)
            owner_id = seed(url, args.size, engine, args.seed)
            report("sqlite", args.size, measure(url, owner_id, engine, args.queries, args.seed))
    elif not postgres:
        print("\n[postgresql] skipped: set SKILLMATCH_BENCH_POSTGRES_URL (or SKILLMATCH_TEST_POSTGRES_URL)")
    else:
        with temporary_database(postgres, "skillmatch_bench") as url:
            print("\n[postgresql] seeding", flush=True)
            owner_id = seed(url, args.size, engine, args.seed)
            report("postgresql", args.size, measure(url, owner_id, engine, args.queries, args.seed))
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} (this machine: {os.cpu_count()} CPUs, shared)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
