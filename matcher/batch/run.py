"""The entry points: :func:`run_batch` (``skillmatch batch``: parts, resume, a summary) and :func:`batch_rows` /
:func:`batch_dataframe` (the same batch for scripts, rows in input order).

They only put the other modules together: list the inputs, load the jobs, chunk the resumes, execute, and
write parts and the output (or yield rows); every rule they follow lives in one of those modules.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from matcher.batch.engines import _engine_for
from matcher.batch.execution import _chunks, chunk_size, execute
from matcher.batch.inputs import DocRef, Inputs, _contents_digest, read_inputs
from matcher.batch.parts import _PARTS_VERSION, OUTPUT_FORMATS, PartStore, _assemble, _write_errors, errors_path
from matcher.batch.progress import Progress
from matcher.batch.rows import ROW_KEYS, JobSet, load_jobs
from matcher.errors import SkillmatchError
from matcher.settings import Settings, get_settings

if TYPE_CHECKING:
    import pandas


def _prepare(
    resumes: Inputs, jobs: Inputs, settings: Settings, *, top: int | None, exclude: Iterable[Path] = ()
) -> tuple[list[DocRef], JobSet, list[dict[str, str]]]:
    """What every batch starts with: the resumes listed, the jobs loaded (and those that failed)."""
    resume_refs = read_inputs(resumes, role="resumes", exclude=exclude)
    job_refs = read_inputs(jobs, role="jobs", exclude=exclude)
    jobset, job_errors = load_jobs(job_refs, _engine_for(settings), settings, top=top)
    return resume_refs, jobset, job_errors


def batch_rows(
    resumes: Inputs,
    jobs: Inputs,
    *,
    top: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    settings: Settings | None = None,
    errors: list[dict[str, str]] | None = None,
) -> Iterator[dict[str, Any]]:
    """Score every resume against every job (or keep the ``top`` jobs per resume): rows in resume order.

    Parameters
    ----------
    resumes, jobs
        A folder, a glob or a JSONL file (as ``skillmatch batch``), or a list of paths, ``(id, text)`` pairs or
        ``{"id", "text" | "path"}`` records.
    top
        Keep only the best ``top`` jobs of each resume, best first; all jobs in input order when None.
    workers
        Worker processes on this machine (1: this process).
    scheduler
        ``tcp://HOST:PORT`` of a Dask distributed scheduler to run on instead.
    errors
        A list that gets one ``{"resume" | "job", "code", "message"}`` per document that could not be read;
        such documents are left out, never raised.

    Example
    -------
    >>> text = "ML Engineer\\nSkills\\nPython, PyTorch, scikit-learn, Docker, Kubernetes, MLflow, SQL, AWS"
    >>> rows = batch_rows([("ana", text)], "samples/eval/jobs", top=2)        # doctest: +SKIP
    >>> [(r["job"], r["score"]) for r in rows]                                # doctest: +SKIP
    [('samples/eval/jobs/senior_ml_engineer.md', 51.4), ('samples/eval/jobs/ml_engineer.md', 47.6)]
    """
    resume_refs, jobset, job_errors = _prepare(resumes, jobs, settings or get_settings(), top=top)
    if errors is not None:
        errors.extend(job_errors)
    if not jobset.ids:
        return
    chunks = _chunks(resume_refs, set(), chunk_size(len(resume_refs), 1 if scheduler else workers),
                     read_files=bool(scheduler))  # fmt: skip
    results = execute(chunks, jobset, workers=workers, scheduler=scheduler, ordered=True)
    try:
        for result in results:
            if errors is not None:
                errors.extend(result.failed)
            for line in result.rows.splitlines():
                yield json.loads(line)
    finally:
        results.close()
        chunks.close()


def batch_dataframe(
    resumes: Inputs,
    jobs: Inputs,
    *,
    top: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    settings: Settings | None = None,
    errors: list[dict[str, str]] | None = None,
) -> pandas.DataFrame:
    """:func:`batch_rows` as a pandas DataFrame, one column per row key (``components`` holds dicts).

    >>> df = batch_dataframe("samples/eval/resumes", "samples/eval/jobs", top=3)   # doctest: +SKIP
    >>> df.groupby("job")["score"].mean().sort_values().tail(1)                     # doctest: +SKIP
    """
    import pandas as pd

    rows = batch_rows(resumes, jobs, top=top, workers=workers, scheduler=scheduler, settings=settings, errors=errors)
    return pd.DataFrame.from_records(list(rows), columns=list(ROW_KEYS))


@dataclass
class BatchSummary:
    """What a run did: ``done`` and ``failed`` count this run's resumes, ``skipped`` those an earlier run did."""

    resumes: int
    jobs: int
    done: int = 0
    failed: int = 0
    skipped: int = 0
    jobs_failed: int = 0
    rows: int = 0
    errors: int = 0
    seconds: float = 0.0
    #: from the first chunk sent to the last one written: what documents/s is measured over
    scoring_seconds: float = 0.0
    interrupted: bool = False
    out: str = ""
    errors_file: str | None = None
    parts_dir: str | None = None
    workers: int | str = 1

    def line(self) -> str:
        rate = (self.done + self.failed) / self.scoring_seconds if self.scoring_seconds else 0.0
        head = "interrupted" if self.interrupted else "batch"
        text = (
            f"{head}: {self.resumes:,} resumes x {self.jobs:,} jobs: {self.done:,} done, {self.failed:,} failed,"
            f" {self.skipped:,} skipped"
        )
        if self.jobs_failed:
            text += f"; {self.jobs_failed} jobs failed"
        if self.interrupted:
            return f"{text} ({rate:.1f} docs/s); finished parts kept in {self.parts_dir}: run again with --resume"
        text += f"; {self.rows:,} rows -> {self.out} in {self.seconds:.1f} s ({rate:.1f} docs/s)"
        if self.errors_file:
            text += f"; {self.errors} unreadable documents -> {self.errors_file}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_batch(
    resumes_spec: Inputs,
    jobs_spec: Inputs,
    out: str | os.PathLike[str],
    *,
    top: int | None = None,
    workers: int | None = 1,
    scheduler: str | None = None,
    resume_run: bool = False,
    progress: bool | None = None,
    settings: Settings | None = None,
    chunk: int | None = None,
    log: IO[str] | None = None,
) -> BatchSummary:
    """The ``skillmatch batch`` command: score, write a part as each chunk finishes, assemble ``out`` at the end.

    ``workers`` None means every core; ``progress`` None a bar on a terminal and plain lines otherwise, False
    nothing. On Ctrl-C (or SIGTERM) the finished parts are kept and the summary says ``interrupted``; any other
    failure of the run is a :class:`SkillmatchError` that says so, the parts kept too.
    """
    started = time.monotonic()
    out = Path(out)
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise SkillmatchError(f"--out must end in {', '.join(OUTPUT_FORMATS)}: {out}", code="usage")
    if top is not None and top < 1:
        raise SkillmatchError("--top must be at least 1", code="usage")
    if not out.parent.is_dir():
        raise SkillmatchError(f"no such folder for --out: {out.parent}", code="file_not_found")
    n_workers = workers or _default_workers()
    store = PartStore(out)
    resume_refs, jobset, job_errors = _prepare(
        resumes_spec, jobs_spec, settings or get_settings(), top=top, exclude=(out, errors_path(out))
    )
    summary = BatchSummary(
        len(resume_refs), len(jobset.ids), jobs_failed=len(job_errors), out=str(out), parts_dir=str(store.dir),
        workers=scheduler or n_workers,
    )  # fmt: skip
    if not jobset.ids:
        _write_errors(errors_path(out), job_errors)
        message = f"none of the {len(job_errors)} jobs could be read: see {errors_path(out)}"
        raise SkillmatchError(message, code="no_input")
    manifest = {
        "version": _PARTS_VERSION,
        "resumes": hashlib.sha256("\n".join(r.id for r in resume_refs).encode()).hexdigest(),
        "resume_contents": _contents_digest(resume_refs),  # a resume file changed under the same name
        "jobs": list(jobset.ids),
        "job_contents": jobset.digest,  # what they ask for, the taxonomy and the year recency counts from
        "top": top,
        "taxonomy_version": jobset.taxonomy_version,
        "as_of": jobset.as_of,
    }
    fresh = not store.exists()
    done_before = store.start(manifest, resume_run=resume_run)
    summary.skipped = sum(1 for r in resume_refs if r.id in done_before)
    size = chunk or chunk_size(len(resume_refs) - summary.skipped, 1 if scheduler else n_workers)
    chunks = _chunks(resume_refs, done_before, size, read_files=bool(scheduler))
    bar = None if progress is False else Progress(len(resume_refs), summary.skipped, stream=log, bar=progress)
    scoring = time.monotonic()
    with _sigterm_as_interrupt():
        results = execute(chunks, jobset, workers=n_workers, scheduler=scheduler)
        try:
            for result in results:
                store.write(result)
                summary.failed += len(result.failed)
                summary.done += len(result.ids) - len(result.failed)
                if bar is not None:
                    bar.update(len(result.ids))
        except KeyboardInterrupt:
            summary.interrupted = True
        except SkillmatchError:
            raise
        except Exception as exc:  # a worker lost, the cluster gone: one line, the work done so far kept
            message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            raise SkillmatchError(
                f"batch stopped ({message}); finished parts kept in {store.dir}: run again with --resume",
                code="batch_failed",
            ) from exc
        finally:
            results.close()
            chunks.close()
            if bar is not None:
                bar.close()
            if fresh and not store.parts():  # stopped before any part: nothing to resume
                store.remove()
    summary.scoring_seconds = time.monotonic() - scoring
    summary.seconds = time.monotonic() - started
    if summary.interrupted:
        return summary
    summary.rows = _assemble(store, out)
    summary.errors = _write_errors(
        errors_path(out), [*job_errors, *(e for header in store.headers() for e in header["failed"])]
    )
    summary.errors_file = str(errors_path(out)) if summary.errors else None
    store.remove()
    summary.parts_dir = None
    summary.seconds = time.monotonic() - started
    return summary


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """``kill PID`` stops a run as Ctrl-C does (parts kept), not in the middle of writing one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _default_workers() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
