"""Scoring speed on pre-tagged documents: the vectorised path against the one-pair path.

    python benchmarks/bench_scoring.py [--resumes 5000] [--jobs 200]

Documents are our samples and the real resumes and job posts in ../shared/data/documents, parsed and tagged
once, then replicated to the requested counts (scoring cost does not depend on which document it is).
Prints scores per second for each path (median of 3 runs, one core) and their ratio.
Target: >= 1,000,000 scores/s per core on the vectorised path.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, as the target says
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from matcher.engine import Engine  # noqa: E402
from matcher.errors import SkillmatchError  # noqa: E402
from matcher.scoring.match import score_match  # noqa: E402
from matcher.scoring.profiles import title_profile  # noqa: E402
from matcher.scoring.vectorized import Scorer  # noqa: E402


def profiles(engine: Engine) -> tuple[list, list]:
    documents = REPO.parent / "shared" / "data" / "documents"
    resumes, jobs = [], []
    resume_files = [*(REPO / "samples").rglob("resumes/*"), *documents.rglob("Resume_archive/*.pdf"),
                    *documents.rglob("pdf_templates/*.pdf"), *documents.rglob("deedy/*.pdf")]
    job_files = [*(REPO / "samples").rglob("jobs/*"), *documents.rglob("JobDesc*/*.docx"),
                 *documents.rglob("JobDescriptionArchive/*.pdf")]
    for files, kind, out in ((resume_files, "resume", resumes), (job_files, "job", jobs)):
        for path in sorted(p for p in files if p.is_file()):
            try:
                analysed = engine.load(path, kind=kind)
            except SkillmatchError:
                continue
            out.append(analysed.resume if kind == "resume" else analysed.job)
    jobs.extend(title_profile(t) for t in engine.taxonomy.titles.values())
    return resumes, jobs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resumes", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--pairs", type=int, default=2000, help="pairs timed on the one-pair path")
    args = parser.parse_args()
    engine = Engine(as_of=2026)
    base_resumes, base_jobs = profiles(engine)
    resumes = [base_resumes[i % len(base_resumes)] for i in range(args.resumes)]
    jobs = [base_jobs[i % len(base_jobs)] for i in range(args.jobs)]
    print(f"{len(base_resumes)} distinct resumes and {len(base_jobs)} jobs, replicated to "
          f"{len(resumes)} x {len(jobs)} = {len(resumes) * len(jobs):,} pairs")

    rates = []
    for _ in range(3):
        start = time.perf_counter()
        scorer = Scorer(engine.index, jobs, as_of=engine.as_of)
        total = sum(block.size for block in scorer.stream(resumes))
        rates.append(total / (time.perf_counter() - start))
    vectorised = statistics.median(rates)

    pairs = [(resumes[i % len(resumes)], jobs[(i * 7) % len(jobs)]) for i in range(args.pairs)]
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        for resume, job in pairs:
            score_match(resume, job, engine.index, as_of=engine.as_of)
        rates.append(len(pairs) / (time.perf_counter() - start))
    one_pair = statistics.median(rates)
    print(f"{'path':<12} {'scores/s':>14}")
    print(f"{'vectorised':<12} {vectorised:>14,.0f}   (target >= 1,000,000 per core)")
    print(f"{'one pair':<12} {one_pair:>14,.0f}")
    print(f"ratio vectorised / one pair: {vectorised / one_pair:,.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
