"""Batch scoring at scale: documents/s and pairs/s at 1 and 2 workers, and peak memory as resumes grow.

    python benchmarks/bench_batch.py [--resumes 5000] [--jobs 100] [--small 1000] [--pdfs 1000] [--quick]

Documents are our samples and the real resumes and job posts in ../shared/data/documents: their text is
extracted once, then replicated to the requested counts as JSONL files of {id, text}, so that every run parses
and tags from text; each resume copy starts with a made-up name, e-mail and phone of its own, as real resumes
do. One more run (``--pdfs``, 1 worker) reads the real PDF resumes themselves, {id, path} records cycling over
them, so that it pays for parsing each PDF too (issue 15: >= 50 documents/s per worker from PDFs). Each run is a
fresh process scoring every
pair into a JSONL file (`skillmatch batch`'s own code, `matcher.batch.run_batch`), while this script samples
the memory of that process and its workers (PSS: pages shared after fork are counted once).

documents/s and pairs/s are measured from the first chunk sent to the last part written (start-up, loading the
jobs and assembling the output are in the wall time). On a shared machine they fall with the load others put on
it; CPU time per document (the whole run's, start-up included, all its processes) much less so. Targets: >= 100
documents/s per worker from text, >= 50 from PDFs; 2 workers >= 1.7x of 1; peak memory not growing with the
number of resumes. --quick: 1,000 and 250 resumes, 250 PDFs (unless --pdfs says).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

RUN = """
import json, sys
from matcher.batch import run_batch
summary = run_batch(sys.argv[1], sys.argv[2], sys.argv[3], workers=int(sys.argv[4]), progress=False)
print(json.dumps(summary.to_dict()))
"""


def texts() -> tuple[list[str], list[str]]:
    """The text of every readable resume and job post we have, extracted once."""
    from matcher.engine import Engine
    from matcher.errors import SkillmatchError

    engine = Engine()
    documents = REPO.parent / "shared" / "data" / "documents"
    resume_files = [*(REPO / "samples").glob("resumes/*"), *(REPO / "samples").glob("eval/resumes/*"),
                    *documents.rglob("Resume_archive/*.pdf"), *documents.rglob("pdf_templates/*.pdf"),
                    *documents.rglob("deedy/*.pdf"), *documents.rglob("sb2nov/*.pdf")]  # fmt: skip
    job_files = [*(REPO / "samples").glob("jobs/*"), *(REPO / "samples").glob("eval/jobs/*"),
                 *documents.rglob("JobDesc*/*.docx"), *documents.rglob("JobDescriptionArchive/*.pdf")]  # fmt: skip
    found: dict[str, list[str]] = {"resume": [], "job": []}
    for files, kind in ((resume_files, "resume"), (job_files, "job")):
        for path in sorted(p for p in files if p.is_file()):
            try:
                found[kind].append(engine.load(path, kind=kind).document.text)  # type: ignore[arg-type]
            except SkillmatchError:
                continue
    return found["resume"], found["job"]


def pdf_resumes() -> list[Path]:
    """Every real PDF resume we have (and our samples'): the from-PDF run reads them, parsing included."""
    documents = REPO.parent / "shared" / "data" / "documents"
    files = [*(REPO / "samples").glob("resumes/*.pdf"), *documents.rglob("Resume_archive/*.pdf"),
             *documents.rglob("pdf_templates/*.pdf"), *documents.rglob("deedy/*.pdf"), *documents.rglob("sb2nov/*.pdf")]
    return sorted(p for p in files if p.is_file())  # fmt: skip


def write_paths(path: Path, pool: list[Path], n: int) -> Path:
    """A JSONL of ``n`` {id, path} records cycling over ``pool``: each one parsed from its bytes by the batch."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps({"id": f"p{i:06d}", "path": str(pool[i % len(pool)].resolve())}) + "\n")
    return path


SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vo", "shi", "dan", "el", "nu", "pe", "zor", "gi", "ba", "xu", "wen"]


def person(i: int) -> str:
    """A made-up name, e-mail, phone and profile per copy: every real resume has words no other one has, and
    spaCy keeps each new word it meets, so copies of the same text alone would hide that memory."""
    first = "".join(SYLLABLES[(i >> shift) % 16] for shift in (0, 4)).title()
    last = "".join(SYLLABLES[(i >> shift) % 16] for shift in (8, 12, 16)).title()
    handle = f"{first}.{last}{i}".lower()
    return f"{first} {last}\n{handle}@example.org | +1 555 {i:07d} | github.com/{handle.replace('.', '')}\n\n"


def write_jsonl(path: Path, prefix: str, pool: list[str], n: int, *, unique: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            text = (person(i) if unique else "") + pool[i % len(pool)]
            handle.write(json.dumps({"id": f"{prefix}{i:06d}", "text": text}) + "\n")
    return path


def tree_memory(pid: int) -> int:
    """PSS (else RSS) of a process and its children, in bytes; 0 when it is gone."""
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            info = process.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def run(resumes: Path, jobs: Path, out: Path, workers: int) -> dict:
    """One batch in a fresh process; its summary plus wall time, CPU time and peak memory."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, str(resumes), str(jobs), str(out), str(workers)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_memory(process.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"batch failed ({process.returncode}): {stderr[-2000:]}")
    summary = json.loads(stdout.strip().splitlines()[-1])
    summary["wall"] = time.perf_counter() - started
    summary["cpu"] = _children_cpu() - cpu_before
    summary["peak_mb"] = peak / 2**20
    out.unlink()
    return summary


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (with their own finished children: the workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resumes", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--small", type=int, default=1000, help="resumes of the memory comparison's small run")
    parser.add_argument("--large", type=int, default=10000, help="resumes of its large run (0: none)")
    parser.add_argument(
        "--pdfs", type=int, default=None, help="PDF resumes of the from-PDF run, 1 worker (0: none; default 1,000)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="1,000 resumes (250 and 2,000 for memory, 250 PDFs unless --pdfs)"
    )
    args = parser.parse_args()
    if args.quick:
        args.resumes, args.small, args.large = 1000, 250, 2000
    if args.pdfs is None:  # --quick --pdfs N: N, as asked
        args.pdfs = 250 if args.quick else 1000
    import psutil  # noqa: F401  (the memory sampling needs it: it comes with dask.distributed)

    resume_texts, job_texts = texts()
    words = sum(len(t.split()) for t in resume_texts) / len(resume_texts)
    print(f"{len(resume_texts)} distinct resumes (~{words:.0f} words each) and {len(job_texts)} job posts, "
          f"replicated to {args.resumes:,} x {args.jobs} = {args.resumes * args.jobs:,} pairs; "
          f"{os.cpu_count()} cores")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        big = write_jsonl(folder / "resumes-big.jsonl", "r", resume_texts, args.resumes, unique=True)
        small = write_jsonl(folder / "resumes-small.jsonl", "r", resume_texts, args.small, unique=True)
        jobs = write_jsonl(folder / "jobs.jsonl", "j", job_texts, args.jobs)
        out = folder / "results.jsonl"
        plan = [("big-1", big, 1), ("big-2", big, 2), ("small-2", small, 2)]
        if args.large:
            plan.append(("large-2", write_jsonl(folder / "resumes-large.jsonl", "r", resume_texts, args.large,
                                                unique=True), 2))  # fmt: skip
        pdfs = pdf_resumes() if args.pdfs else []
        if pdfs:
            plan.append(("pdf-1", write_paths(folder / "resumes-pdf.jsonl", pdfs, args.pdfs), 1))
        runs = {}
        for label, resumes, workers in plan:
            runs[label] = result = run(resumes, jobs, out, workers)
            print(f"  {result['resumes']:>6,} resumes, {workers} worker(s): {result['wall']:.1f} s", flush=True)

    def rate(result: dict) -> tuple[float, float]:
        docs = (result["done"] + result["failed"]) / result["scoring_seconds"]
        return docs, result["done"] * result["jobs"] / result["scoring_seconds"]

    (docs1, pairs1), (docs2, pairs2) = rate(runs["big-1"]), rate(runs["big-2"])
    cpu1, cpu2 = (1000 * runs[k]["cpu"] / runs[k]["resumes"] for k in ("big-1", "big-2"))
    small_mb, big_mb, one_mb = (runs[k]["peak_mb"] for k in ("small-2", "big-2", "big-1"))
    table = [
        ("documents/s, 1 worker", f"{docs1:,.1f}", ">= 100 per worker"),
        ("documents/s, 2 workers", f"{docs2:,.1f}", f"({docs2 / 2:,.1f} per worker)"),
        ("scaling, 2 workers / 1", f"{docs2 / docs1:.2f}x", ">= 1.7x"),
        ("pairs/s (rows written), 1 / 2 workers", f"{pairs1:,.0f} / {pairs2:,.0f}", ""),
        ("wall time with start-up, 1 / 2 workers", f"{runs['big-1']['wall']:.1f} / {runs['big-2']['wall']:.1f} s", ""),
        ("CPU per document, whole run, 1 / 2 workers", f"{cpu1:.2f} / {cpu2:.2f} ms",
         f"{1000 / cpu1:,.0f} documents per CPU-second"),
        (f"peak memory (PSS), 2 workers, {args.small:,} resumes", f"{small_mb:,.0f} MB", ""),
        (f"peak memory (PSS), 2 workers, {args.resumes:,} resumes", f"{big_mb:,.0f} MB",
         f"not growing: {big_mb / small_mb:.2f}x"),
        (f"peak memory (PSS), 1 worker, {args.resumes:,} resumes", f"{one_mb:,.0f} MB", ""),
    ]  # fmt: skip
    if "pdf-1" in runs:
        from pypdfium2 import PdfDocument

        pages = [len(PdfDocument(p)) for p in pdfs]
        table.insert(3, (f"documents/s from PDFs, 1 worker ({len(pages)} real PDFs, {sum(pages) / len(pages):.1f} "
                         "pages each)", f"{rate(runs['pdf-1'])[0]:,.1f}", ">= 50 per worker"))  # fmt: skip
    if args.large:
        large = runs["large-2"]
        table.insert(-1, (f"peak memory (PSS), 2 workers, {args.large:,} resumes", f"{large['peak_mb']:,.0f} MB",
                          f"{large['peak_mb'] / small_mb:.2f}x; {rate(large)[0]:,.1f} documents/s"))  # fmt: skip
    print()
    print(f"| {'measure':<46} | {'figure':>18} | target")
    for measure, figure, target in table:
        print(f"| {measure:<46} | {figure:>18} | {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
