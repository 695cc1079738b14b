"""Where chunks are scored: here, in a pool of worker processes, or on a Dask cluster; results as they finish.

Kept apart from the rows so that how work is spread (chunk sizes, how many chunks ahead, worker start-up, a
worker whose parent died, cancelling on Ctrl-C) changes nothing in what is computed: every path runs
:func:`~matcher.batch.rows.score_chunk`. Pool workers and Dask find the functions they run by module path
(``matcher.batch.execution._pool_chunk``, ``matcher.batch.rows.score_chunk``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from matcher.batch.engines import _engine_for, _refresh_tagger
from matcher.batch.inputs import DocRef, Item, _Reader
from matcher.batch.rows import Chunk, ChunkResult, JobSet, _builder_for, score_chunk
from matcher.errors import SkillmatchError

#: Resumes per chunk at most: a chunk is the unit of work sent to a worker and of a part file.
MAX_CHUNK = 64
#: Chunks given to each worker ahead of time: enough to keep it busy, few enough to bound memory.
CHUNKS_AHEAD = 2

#: The job set of this pool worker, set by :func:`_init_pool_worker`.
_POOL_JOBS: JobSet | None = None


def _init_pool_worker(jobs: JobSet, parent: int) -> None:
    """Worker process start: the Engine and the Scorer are built once, here. The parent handles Ctrl-C and
    SIGTERM; a worker whose parent died (``kill -9``) exits instead of waiting forever on its queue."""
    global _POOL_JOBS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _POOL_JOBS = jobs
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="skillmatch-orphan-watch").start()
    _builder_for(jobs)
    # A pipeline of its own from the start: the parent's stays shared and untouched, and memory is flat from the
    # first document rather than stepping up at the first refresh.
    _refresh_tagger(_engine_for(jobs.settings), jobs.settings, 0, now=True)


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _pool_chunk(chunk: Chunk) -> ChunkResult:
    assert _POOL_JOBS is not None
    return score_chunk(chunk, _POOL_JOBS)


def _chunks(refs: Sequence[DocRef], done: set[str], size: int, *, read_files: bool) -> Generator[Chunk, None, None]:
    """Chunks of consecutive resumes not yet done; a done resume ends a chunk, so parts never interleave."""
    current: list[Item] = []
    first = 0
    with _Reader(read_files=read_files) as reader:
        for position, ref in enumerate(refs):
            if ref.id in done:
                if current:
                    yield Chunk(first, current)
                    current = []
                continue
            if not current:
                first = position
            current.append(reader.item(ref))
            if len(current) == size:
                yield Chunk(first, current)
                current = []
        if current:
            yield Chunk(first, current)


def chunk_size(n: int, workers: int) -> int:
    """At most :data:`MAX_CHUNK`, and small enough that every worker gets several chunks of a small batch."""
    return max(1, min(MAX_CHUNK, -(-n // (4 * max(1, workers)))))


def execute(
    chunks: Iterator[Chunk], jobs: JobSet, *, workers: int = 1, scheduler: str | None = None, ordered: bool = False
) -> Generator[ChunkResult, None, None]:
    """Score the chunks here (one worker), in worker processes, or on the Dask cluster at ``scheduler``: results
    as they complete, or in chunk order with ``ordered``. Closing the generator cancels what is left."""
    if scheduler:
        yield from _on_dask(chunks, jobs, scheduler, ordered=ordered)
    elif workers <= 1:
        for chunk in chunks:
            yield score_chunk(chunk, jobs)
    else:
        yield from _on_pool(chunks, jobs, workers, ordered=ordered)


def _on_pool(chunks: Iterator[Chunk], jobs: JobSet, workers: int, *, ordered: bool) -> Iterator[ChunkResult]:
    # fork (Linux) lets the workers inherit the Engine this process already built; elsewhere each builds one
    pool = ProcessPoolExecutor(workers, initializer=_init_pool_worker, initargs=(jobs, os.getpid()))
    pending: deque[Future[ChunkResult]] = deque()
    try:
        while True:
            while len(pending) < CHUNKS_AHEAD * workers and (chunk := next(chunks, None)) is not None:
                pending.append(pool.submit(_pool_chunk, chunk))
            if not pending:
                return
            if ordered:
                finished = [pending.popleft()]
            else:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                finished = [f for f in pending if f in done]
                for future in finished:
                    pending.remove(future)
            for future in finished:
                yield future.result()
    finally:
        if pending:  # stopped early (Ctrl-C, an error): chunks in progress are dropped and redone by --resume
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the worker processes now rather than after their current chunk."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _on_dask(chunks: Iterator[Chunk], jobs: JobSet, address: str, *, ordered: bool) -> Iterator[ChunkResult]:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - a dependency
        message = "--scheduler needs dask.distributed: pip install 'dask[distributed]'"
        raise SkillmatchError(message, code="usage") from None
    try:
        client = Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        message = f"cannot reach the Dask scheduler at {address}: {exc}"
        raise SkillmatchError(message, code="scheduler_unreachable") from None
    try:
        remote_jobs = client.scatter(jobs, broadcast=True, hash=False)  # once per worker, not once per chunk
        ahead = CHUNKS_AHEAD * max(1, sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        completed = as_completed(loop=client.loop)
        run = uuid.uuid4().hex[:12]  # task keys of their own: another run's chunk is never taken for this one's
        while True:
            while len(pending) < ahead and (chunk := next(chunks, None)) is not None:
                key = f"skillmatch-batch-{run}-{chunk.first}"
                pending.append(client.submit(score_chunk, chunk, remote_jobs, key=key))
                if not ordered:
                    completed.add(pending[-1])
            if not pending:
                return
            if ordered:
                future = pending.popleft()
            else:
                future = next(completed)
                pending.remove(future)
            result = future.result()
            future.release()  # the cluster forgets it: nothing is kept per chunk, here or there
            yield result
    finally:
        with contextlib.suppress(Exception):
            client.cancel(list(pending), force=True)
        client.close()
