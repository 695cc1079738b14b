"""Batch scoring: many resumes x many jobs on all cores or a Dask cluster, written in parts, resumable.

Each document is parsed, tagged and profiled once. The jobs (few) are loaded in this process and sent to each
worker once; the resumes go to the workers in chunks, and each chunk is scored against every job with the
vectorised :class:`~matcher.scoring.vectorized.Scorer` and turned into rows::

    {"resume", "job", "rank", "score", "components", "matched", "partial", "missing", "top_missing"}

``resume`` and ``job`` are the input file paths (or the record ids of JSONL input); ``rank`` is the job's place
among all jobs for that resume (1 = best); ``score`` and ``components`` are those of the gap report (see
:func:`matcher.scoring.match.score_match`); ``matched`` / ``partial`` / ``missing`` count the job's skills in each
group; ``top_missing`` names the most important missing ones (at most five, as the report orders them).

:func:`run_batch` (the ``skillmatch batch`` command) writes each finished chunk to a part file in a hidden
folder next to the output (``.results.csv.parts/``), atomically, and assembles the output from the parts at
the end; after a crash, ``kill -9`` or Ctrl-C, ``resume_run=True`` skips the resumes whose part exists.
:func:`batch_rows` and :func:`batch_dataframe` are the same batch for scripts, rows in input order.

>>> from matcher.batch import batch_rows
>>> rows = batch_rows("samples/eval/resumes", "samples/eval/jobs", top=3)   # doctest: +SKIP
>>> next(rows)["job"]                                                       # doctest: +SKIP
'samples/eval/jobs/computer_vision_engineer.txt'
"""

from __future__ import annotations

import contextlib
import csv
import gc
import glob
import hashlib
import io
import json
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

import numpy as np
from scipy import sparse

from matcher.errors import SkillmatchError
from matcher.parsing.sandbox import shared_sandbox
from matcher.scoring.match import COMPONENT_WEIGHTS, best_alternative
from matcher.scoring.titles import TOP_GAPS
from matcher.settings import Settings, get_settings

if TYPE_CHECKING:
    import pandas

    from matcher.engine import Analysed, Engine
    from matcher.scoring.profiles import JobProfile, ResumeProfile
    from matcher.scoring.vectorized import Scorer
    from matcher.types import DocumentKind

#: The keys of every row, in this order (the CSV columns; ``components`` and ``top_missing`` as JSON there).
ROW_KEYS = ("resume", "job", "rank", "score", "components", "matched", "partial", "missing", "top_missing")
COMPONENT_KEYS = tuple(COMPONENT_WEIGHTS)
OUTPUT_FORMATS = (".csv", ".jsonl", ".parquet")
#: Resumes per chunk at most: a chunk is the unit of work sent to a worker and of a part file.
MAX_CHUNK = 64
#: Chunks given to each worker ahead of time: enough to keep it busy, few enough to bound memory.
CHUNKS_AHEAD = 2
PLAIN_PROGRESS_EVERY_S = 10.0
_PARTS_VERSION = 1

Source = str | os.PathLike[str]
#: What the functions accept for ``resumes`` / ``jobs``: a folder, a glob or a JSONL file; or in Python a list of
#: paths, ``(id, text)`` pairs or ``{"id", "text" | "path"}`` records.
Inputs = Source | Iterable[Source | tuple[str, str] | Mapping[str, Any]]


# ---------------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class DocRef:
    """One input document: its id (the row key) and where its bytes are; read only when its chunk is sent."""

    id: str
    path: str | None = None  # a file to parse (the format comes from its bytes; its name tells Markdown)
    jsonl: str | None = None  # a JSONL file whose line at ``offset`` holds the text
    offset: int = 0
    text: str | None = None  # given in Python


def read_inputs(spec: Inputs, *, role: str = "resumes", exclude: Iterable[Path] = ()) -> list[DocRef]:
    """The documents ``spec`` names, in a stable order; typed errors for an unusable spec.

    A folder: the files directly in it, by name, hidden files left out. A JSONL file (``.jsonl``): one record a
    line, ``{"id": ..., "text": ...}`` or ``{"id": ..., "path": ...}`` (a relative path is relative to the JSONL
    file's folder), ids unique. Another existing file: that one document. Anything else: a glob pattern
    (``**`` crosses folders). The id of a file is its path as found; of a JSONL record, its ``id``.
    """
    if not isinstance(spec, (str, os.PathLike)):
        return _refs_from_python(spec, role)
    text = os.fspath(spec)
    skip = {p.resolve() for p in exclude}
    path = Path(text)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        refs = [DocRef(str(p), path=str(p)) for p in files if p.resolve() not in skip]
    elif path.is_file() and path.suffix.lower() == ".jsonl":
        refs = _refs_from_jsonl(path)
    elif path.is_file():
        refs = [DocRef(text, path=text)]
    else:
        matches = sorted(m for m in glob.glob(text, recursive=True) if Path(m).is_file())
        refs = [DocRef(m, path=m) for m in matches if Path(m).resolve() not in skip]
    if not refs:
        raise SkillmatchError(f"no {role} found in {text} (a folder, a glob or a JSONL file)", code="no_input")
    return refs


def _refs_from_jsonl(path: Path) -> list[DocRef]:
    refs: list[DocRef] = []
    seen: set[str] = set()
    offset = 0
    jsonl = str(path)  # one string for every record, not one each
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except UnicodeDecodeError:
                raise SkillmatchError(f"{where}: not UTF-8 text", code="invalid_input") from None
            except json.JSONDecodeError as exc:
                raise SkillmatchError(f"{where}: not JSON ({exc.msg})", code="invalid_input") from None
            ref = _record_ref(record, where, base=path.parent)
            if ref.id in seen:
                raise SkillmatchError(f"{where}: id {ref.id!r} appears twice", code="invalid_input")
            seen.add(ref.id)
            refs.append(ref if ref.path else DocRef(ref.id, jsonl=jsonl, offset=start))
    return refs


def _record_ref(record: Any, where: str, *, base: Path | None = None) -> DocRef:
    record_id = record.get("id") if isinstance(record, dict) else None
    if not isinstance(record_id, (str, int)) or isinstance(record_id, bool):
        raise SkillmatchError(f"{where}: each record needs an \"id\" (a string)", code="invalid_input")
    has_text, has_path = isinstance(record.get("text"), str), isinstance(record.get("path"), str)
    if has_text == has_path:
        raise SkillmatchError(f"{where}: give either \"text\" or \"path\" (a string)", code="invalid_input")
    if has_path:
        path = Path(record["path"])
        return DocRef(str(record_id), path=str(path if path.is_absolute() or base is None else base / path))
    return DocRef(str(record_id), text=record["text"])


def _refs_from_python(items: Iterable[Any], role: str) -> list[DocRef]:
    refs: list[DocRef] = []
    for i, item in enumerate(items):
        if isinstance(item, (str, os.PathLike)):
            refs.append(DocRef(os.fspath(item), path=os.fspath(item)))
        elif isinstance(item, tuple) and len(item) == 2:
            refs.append(_record_ref({"id": item[0], "text": item[1]}, f"{role}[{i}]"))
        else:
            refs.append(_record_ref(dict(item) if isinstance(item, Mapping) else item, f"{role}[{i}]"))
    if len({r.id for r in refs}) != len(refs):
        raise SkillmatchError(f"{role}: ids must be unique", code="invalid_input")
    if not refs:
        raise SkillmatchError(f"no {role} given", code="no_input")
    return refs


def _contents_digest(refs: Sequence[DocRef]) -> str:
    """A hash of what the documents hold, cheap enough for 50,000 of them: the size and modification time of
    each file (a document, or the JSONL file of text records), the text itself for texts given in Python.
    ``--resume`` compares it, so that rows scored from an old version of a file never join the new one's."""
    digest = hashlib.sha256()
    seen: set[str] = set()
    for ref in refs:
        if ref.text is not None:
            digest.update(b"t" + hashlib.sha256(ref.text.encode("utf-8")).digest())
            continue
        path = ref.path if ref.path is not None else ref.jsonl
        assert path is not None
        if path in seen:  # a JSONL file's records share it
            continue
        seen.add(path)
        try:
            stat = os.stat(path)
            digest.update(f"f{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            digest.update(f"m{path}\n".encode("utf-8", "surrogateescape"))  # unreadable now: reported as such
    return digest.hexdigest()


class Item(NamedTuple):
    """A document as sent to a worker: id, the bytes or a path, and the file name (for Markdown vs text)."""

    id: str
    source: bytes | str
    filename: str | None


class _Reader(contextlib.AbstractContextManager["_Reader"]):
    """DocRefs to Items, each JSONL file opened once rather than once per record."""

    def __init__(self, *, read_files: bool) -> None:
        self.read_files = read_files  # a Dask worker may not see this machine's files: send their bytes
        self._handles: dict[str, IO[bytes]] = {}

    def item(self, ref: DocRef) -> Item:
        if ref.text is not None:
            return Item(ref.id, ref.text.encode("utf-8"), None)
        if ref.jsonl is not None:
            handle = self._handles.get(ref.jsonl)
            if handle is None:
                handle = self._handles[ref.jsonl] = open(ref.jsonl, "rb")  # noqa: SIM115 (closed by __exit__)
            handle.seek(ref.offset)
            return Item(ref.id, json.loads(handle.readline())["text"].encode("utf-8"), None)
        assert ref.path is not None
        if self.read_files:
            with contextlib.suppress(OSError):  # unreadable: the worker reports it, with its code
                return Item(ref.id, Path(ref.path).read_bytes(), Path(ref.path).name)
        return Item(ref.id, ref.path, None)

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles.values():
            handle.close()


# ---------------------------------------------------------------------------------------------------- engine

_ENGINES: dict[str, Engine] = {}
_ENGINE_PID: int | None = None  # the process that built (and froze) the Engines; forked workers inherit them
#: One task at a time per process uses the shared Engine: a Dask worker with several threads runs one chunk at a
#: time (the GIL would serialise them anyway), and a tagger refresh never meets a job being loaded.
_ENGINE_LOCK = threading.Lock()


def _engine_for(settings: Settings) -> Engine:
    """One Engine per process and settings: taxonomy and spaCy pipeline loaded once, and inherited by forked
    workers. (Scoring takes its ``as_of`` year from the :class:`JobSet`, never from this Engine.)"""
    global _ENGINE_PID
    key = settings.model_dump_json()
    engine = _ENGINES.get(key)
    if engine is None:
        gc.disable()  # start-up makes a million long-lived objects and no cycles (see matcher.cli)
        try:
            from matcher.engine import Engine

            engine = _ENGINES[key] = Engine(settings)
        finally:
            gc.enable()
        _ENGINE_PID = os.getpid()
        gc.freeze()  # the collector never scans them again, and forked workers share their pages
    return engine


@dataclass(frozen=True)
class JobSet:
    """What every worker needs, sent once: the jobs' profiles and how to build the same Engine."""

    #: a hash of the ids, the profiles, the taxonomy version and ``as_of``: what the jobs ask for, scored how
    digest: str
    ids: tuple[str, ...]
    profiles: tuple[JobProfile, ...]
    settings: Settings
    as_of: int
    taxonomy_version: str
    top: int | None

    @property
    def token(self) -> str:
        """Names this batch's RowBuilder in a worker's cache."""
        return f"{self.digest}:{self.top}"


def load_jobs(
    refs: Sequence[DocRef], engine: Engine, settings: Settings, *, top: int | None
) -> tuple[JobSet, list[dict[str, str]]]:
    """Parse, tag and profile every job once, here; the ones that fail become error records."""
    ids: list[str] = []
    profiles: list[JobProfile] = []
    errors: list[dict[str, str]] = []
    with _Reader(read_files=False) as reader, _ENGINE_LOCK:
        for ref in refs:
            analysed = _analyse(engine, reader.item(ref), "job", errors)
            if analysed is not None:
                assert analysed.job is not None
                ids.append(ref.id)
                profiles.append(analysed.job)
    digest = hashlib.sha256(repr((ids, profiles, engine.taxonomy.version, engine.as_of)).encode()).hexdigest()[:16]
    jobset = JobSet(digest, tuple(ids), tuple(profiles), settings, engine.as_of, engine.taxonomy.version, top)
    return jobset, errors


def _analyse(engine: Engine, item: Item, kind: DocumentKind, errors: list[dict[str, str]]) -> Analysed | None:
    """The document parsed, tagged and profiled, or None with an error record (a bad document never stops a run).

    PDF, DOCX and HTML are parsed in this process's sandbox (:mod:`matcher.parsing.sandbox`): a file that would
    run away with the memory or the clock costs its own error record, not the worker and the night's run."""
    try:
        document = shared_sandbox().parse(item.source, filename=item.filename, limits=engine.limits)
        return engine.analyse(document, source=item.id, kind=kind, personal_data=False)
    except SkillmatchError as exc:
        errors.append({kind: item.id, "code": exc.code, "message": " ".join(exc.message.split())})
    except Exception as exc:  # a bug on one document out of 50,000 must not lose the night's run
        errors.append({kind: item.id, "code": "internal_error", "message": f"{type(exc).__name__}: {exc}"})
    return None


# ------------------------------------------------------------------------------------------------------ rows


class RowBuilder:
    """Rows for a block of resumes against every job: scores and components from the vectorised Scorer, the
    matched / partial / missing counts and top missing skills from the credits the gap report uses.

    Rows come out as JSON lines written with a template (a fifth of the time of building dicts and dumping them:
    at 100 jobs a resume, rows cost as much as tagging otherwise).
    """

    def __init__(self, engine: Engine, jobs: JobSet) -> None:
        from matcher.scoring.vectorized import Scorer

        self.jobs = jobs
        self.scorer: Scorer = Scorer(engine.index, jobs.profiles, as_of=jobs.as_of)
        skills = engine.taxonomy.skills
        #: a requirement is met by the best of its skills: one key per distinct tuple of skills
        keys: dict[tuple[str, ...], int] = {}
        rows: list[int] = []
        cols: list[int] = []
        #: per job, its requirements' keys in the report's order of missing skills (weight, then id)
        self.missing_order: list[tuple[int, ...]] = []
        for j, job in enumerate(jobs.profiles):
            order = []
            for req in sorted(job.requirements, key=lambda r: (-r.weight, r.skill_id)):
                k = keys.setdefault((req.skill_id, *req.alternatives), len(keys))
                rows.append(k)
                cols.append(j)
                order.append(k)
            self.missing_order.append(tuple(order))
        self.keys = list(keys)
        self._names = [_json(" or ".join(skills[sid].name for sid in members)) for members in self.keys]
        self._job_ids = [_json(job_id) for job_id in jobs.ids]
        self.requirements = sparse.csc_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(keys), len(jobs.profiles))
        )
        self._totals = np.asarray(self.requirements.sum(axis=0)).ravel().astype(int)
        #: the credit rule restricted to the skills some job asks for (the other credits change no row)
        self._credits = engine.index.view({sid for members in self.keys for sid in members})

    def lines(self, ids: Sequence[str], resumes: Sequence[ResumeProfile]) -> tuple[bytes, int]:
        """Rows as JSON lines and their number: per resume, every job in input order, or the ``top`` best."""
        if not resumes:
            return b"", 0
        parts = self.scorer.parts(resumes)
        status = np.array([self.status(r) for r in resumes], dtype=np.int8).reshape(len(resumes), len(self.keys))
        matched = (sparse.csr_matrix((status == 2).astype(np.float64)) @ self.requirements).toarray()
        covered = (sparse.csr_matrix((status > 0).astype(np.float64)) @ self.requirements).toarray()
        matched, covered = np.rint(matched).astype(int).tolist(), np.rint(covered).astype(int).tolist()
        scores = parts.score.tolist()
        components = [getattr(parts, name).tolist() for name in COMPONENT_KEYS]
        top, totals, names, job_ids = self.jobs.top, self._totals.tolist(), self._names, self._job_ids
        out: list[str] = []
        for i, resume_id in enumerate(ids):
            rid = _json(resume_id)
            row_scores = scores[i]
            order = sorted(range(len(row_scores)), key=lambda j: -row_scores[j])  # best first, ties in input order
            rank = [0] * len(order)
            for place, j in enumerate(order, start=1):
                rank[j] = place
            missing_here = status[i].tolist()
            req, pref, exp, fit = (c[i] for c in components)
            m_row, c_row = matched[i], covered[i]
            for j in order[:top] if top else range(len(order)):
                top_missing: list[str] = []
                for k in self.missing_order[j]:
                    if missing_here[k] == 0:
                        top_missing.append(names[k])
                        if len(top_missing) == TOP_GAPS:
                            break
                out.append(
                    _ROW.format(
                        rid, job_ids[j], rank[j], round(row_scores[j], 1),
                        round(req[j], 4), round(pref[j], 4), round(exp[j], 4), round(fit[j], 4),
                        m_row[j], c_row[j] - m_row[j], totals[j] - c_row[j], ",".join(top_missing),
                    )
                )
        return "".join(out).encode("utf-8"), len(out)

    def rows(self, ids: Sequence[str], resumes: Sequence[ResumeProfile]) -> list[dict[str, Any]]:
        """The same rows as dicts."""
        data, _ = self.lines(ids, resumes)
        return [json.loads(line) for line in data.splitlines()]

    def status(self, resume: ResumeProfile) -> list[int]:
        """Per requirement key: 2 met exactly, 1 partly, 0 missing, as the gap report decides: the credit rule
        (:meth:`CreditIndex.credits`) and the best alternative of "A or B" (:func:`best_alternative`)."""
        credits = self._credits.credits(resume.skills, as_of=self.jobs.as_of)
        status = []
        for members in self.keys:
            found = best_alternative(members, credits)
            status.append(0 if found is None else 2 if found[2] == "exact" else 1)
        return status


_ROW = (
    '{{"resume":{},"job":{},"rank":{},"score":{!r},"components":{{"required_coverage":{!r},'
    '"preferred_coverage":{!r},"experience":{!r},"title_fit":{!r}}},"matched":{},"partial":{},"missing":{},'
    '"top_missing":[{}]}}\n'
)


def _json(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------- chunks


class Chunk(NamedTuple):
    """Consecutive resumes (by input position): ``first`` is the position of the first one."""

    first: int
    items: list[Item]


@dataclass(frozen=True)
class ChunkResult:
    """What :func:`score_chunk` gives back for a chunk (not a NamedTuple: ``count`` would shadow ``tuple.count``)."""

    first: int
    ids: list[str]  # every resume of the chunk, scored or failed
    failed: list[dict[str, str]]
    rows: bytes  # JSON lines, one per row, encoded in the worker so that the parent does little
    count: int


def score_chunk(chunk: Chunk, jobs: JobSet) -> ChunkResult:
    """Parse, tag and profile a chunk of resumes and score them against every job: the work of one task."""
    with _ENGINE_LOCK:
        builder = _builder_for(jobs)
        engine = _engine_for(jobs.settings)
        _refresh_tagger(engine, jobs.settings, len(chunk.items))
        failed: list[dict[str, str]] = []
        ids: list[str] = []
        profiles: list[ResumeProfile] = []
        for item in chunk.items:
            analysed = _analyse(engine, item, "resume", failed)
            if analysed is not None:
                assert analysed.resume is not None
                ids.append(item.id)
                profiles.append(analysed.resume)
        rows, count = builder.lines(ids, profiles)
    return ChunkResult(chunk.first, [item.id for item in chunk.items], failed, rows, count)


#: Documents a worker tags before it builds a fresh spaCy pipeline (a quarter of a second).
REFRESH_EVERY = 2000
_tagged_since_refresh = 0


def _refresh_tagger(engine: Engine, settings: Settings, n: int, *, now: bool = False) -> None:
    """The tagger keeps every new word it meets (the lexicon's memo; spaCy's vocabulary when texts go through
    spaCy: ~0.5 kB each), so a fresh pipeline every :data:`REFRESH_EVERY` documents keeps a worker's memory flat
    however many resumes it scores. Results are unchanged: neither holds anything a result depends on."""
    global _tagged_since_refresh
    _tagged_since_refresh += n
    if _tagged_since_refresh < REFRESH_EVERY and not now:
        return
    from matcher.tagging.tagger import Tagger

    _tagged_since_refresh = 0
    # The old pipeline holds reference cycles, and the one built with the Engine was frozen (see _engine_for):
    # unfreeze it where it was built; in a forked worker it is the parent's, shared, and unfreezing it would copy
    # every page, so there it stays (it was never used: see _init_pool_worker).
    thaw = os.getpid() == _ENGINE_PID
    if thaw:
        gc.unfreeze()
    # The old pipeline goes first, so that the new one reuses its memory: built beside it, it grew the heap a
    # little at each refresh (a worker's memory crept up over long runs). Callers hold _ENGINE_LOCK, so no other
    # batch code sees the Engine without a tagger.
    del engine.tagger
    gc.collect()
    engine.tagger = Tagger(engine.taxonomy, settings=settings)
    if thaw:
        gc.freeze()


_BUILDERS: dict[str, RowBuilder] = {}


def _builder_for(jobs: JobSet) -> RowBuilder:
    """Per worker process, one RowBuilder per job set (the Scorer's matrices are built once)."""
    builder = _BUILDERS.get(jobs.token)
    if builder is None:
        engine = _engine_for(jobs.settings)
        if engine.taxonomy.version != jobs.taxonomy_version:
            raise SkillmatchError(
                f"this worker's taxonomy is {engine.taxonomy.version}, the batch's {jobs.taxonomy_version}",
                code="taxonomy_mismatch",
            )
        if len(_BUILDERS) >= 2:  # a long-lived Dask worker sees many batches
            _BUILDERS.pop(next(iter(_BUILDERS)))
        builder = _BUILDERS[jobs.token] = RowBuilder(engine, jobs)
    return builder


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


def _prepare(
    resumes: Inputs, jobs: Inputs, settings: Settings, *, top: int | None, exclude: Iterable[Path] = ()
) -> tuple[list[DocRef], JobSet, list[dict[str, str]]]:
    """What every batch starts with: the resumes listed, the jobs loaded (and those that failed)."""
    resume_refs = read_inputs(resumes, role="resumes", exclude=exclude)
    job_refs = read_inputs(jobs, role="jobs", exclude=exclude)
    jobset, job_errors = load_jobs(job_refs, _engine_for(settings), settings, top=top)
    return resume_refs, jobset, job_errors


# ----------------------------------------------------------------------------------------------- Python API


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


# ------------------------------------------------------------------------------------------- parts and output


class PartStore:
    """The hidden folder of finished chunks next to the output: one JSONL part per chunk, written atomically.

    A part's first line is its header ``{"first", "resumes", "failed", "rows"}``; its other lines are rows.
    ``manifest.json`` records what the run scores, so that ``--resume`` refuses to mix two different runs.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.dir = out.parent / f".{out.name}.parts"

    def exists(self) -> bool:
        return self.dir.is_dir()

    def start(self, manifest: dict[str, Any], *, resume_run: bool) -> set[str]:
        """Create the folder, or check an unfinished run's manifest with ``resume_run``: the resume ids done."""
        path = self.dir / "manifest.json"
        if self.exists() and not resume_run:
            raise SkillmatchError(
                f"{self.dir} holds an unfinished run: add --resume to continue it, or remove that folder to start over",
                code="unfinished_run",
            )
        if self.exists() and path.exists():
            previous = json.loads(path.read_text(encoding="utf-8"))
            changed = [key.replace("_", " ") for key in manifest if previous.get(key) != manifest[key]]
            if changed:
                raise SkillmatchError(
                    f"cannot resume: the unfinished run in {self.dir} had other {', '.join(changed)}"
                    " (remove that folder to start over)",
                    code="unfinished_run",
                )
        self.dir.mkdir(parents=True, exist_ok=True)
        for stale in self.dir.glob(".tmp-*"):  # a part being written when the run died
            stale.unlink()
        _write_atomic(path, json.dumps(manifest, indent=1).encode("utf-8"))
        return {rid for header in self.headers() for rid in header["resumes"]}

    def write(self, result: ChunkResult) -> None:
        header = {"first": result.first, "resumes": result.ids, "failed": result.failed, "rows": result.count}
        body = json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + result.rows
        _write_atomic(self.dir / f"part-{result.first:09d}.jsonl", body, durable=True)

    def parts(self) -> list[Path]:
        return sorted(self.dir.glob("part-*.jsonl"))  # by the position of their first resume: input order

    def headers(self) -> Iterator[dict[str, Any]]:
        for part in self.parts():
            with part.open("rb") as handle:
                yield json.loads(handle.readline())

    def bodies(self) -> Iterator[bytes]:
        """Each part's rows (JSON lines), in input order."""
        for part in self.parts():
            with part.open("rb") as handle:
                handle.readline()
                yield handle.read()

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _write_atomic(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write to a temporary name in the same folder, then rename: readers see the old file or the whole new one."""
    tmp = path.parent / f".tmp-{os.getpid()}-{path.name}"
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _assemble(store: PartStore, out: Path) -> int:
    """The output from the parts, in input order, written atomically; the number of rows."""
    tmp = out.parent / f".tmp-{os.getpid()}-{out.name}"
    writers = {".jsonl": _assemble_jsonl, ".csv": _assemble_csv, ".parquet": _assemble_parquet}
    try:
        count = writers[out.suffix.lower()](store, tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _assemble_jsonl(store: PartStore, tmp: Path) -> int:
    count = 0
    with tmp.open("wb") as handle:
        for body in store.bodies():
            handle.write(body)
            count += body.count(b"\n")
    return count


def _assemble_csv(store: PartStore, tmp: Path) -> int:
    count = 0
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ROW_KEYS)
        for body in store.bodies():
            for line in body.splitlines():
                writer.writerow(_csv_cells(json.loads(line)))
                count += 1
    return count


def _csv_cells(row: dict[str, Any]) -> list[Any]:
    return [json.dumps(row[k], ensure_ascii=False) if isinstance(row[k], (dict, list)) else row[k] for k in ROW_KEYS]


def _arrow_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("resume", pa.string()),
            ("job", pa.string()),
            ("rank", pa.int32()),
            ("score", pa.float64()),
            ("components", pa.struct([(name, pa.float64()) for name in COMPONENT_KEYS])),
            ("matched", pa.int32()),
            ("partial", pa.int32()),
            ("missing", pa.int32()),
            ("top_missing", pa.list_(pa.string())),
        ]
    )


def _assemble_parquet(store: PartStore, tmp: Path) -> int:
    try:
        import pyarrow.json as pa_json
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - a dependency
        raise SkillmatchError("parquet output needs pyarrow: pip install pyarrow", code="usage") from None
    schema = _arrow_schema()
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    count = 0
    with pq.ParquetWriter(tmp, schema) as writer:
        for body in store.bodies():
            if body:
                table = pa_json.read_json(io.BytesIO(body), parse_options=options).select(list(ROW_KEYS))
                writer.write_table(table)
                count += table.num_rows
    return count


def errors_path(out: Path) -> Path:
    """Where a run's unreadable documents are listed: ``results.csv`` -> ``results.csv.errors.jsonl``."""
    return out.parent / f"{out.name}.errors.jsonl"


def _write_errors(path: Path, records: list[dict[str, str]]) -> int:
    if not records:
        path.unlink(missing_ok=True)  # left by an earlier run of the same output
        return 0
    _write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8"))
    return len(records)


# ------------------------------------------------------------------------------------------------- progress


class Progress:
    """A bar with documents/s and ETA on a terminal; otherwise a plain line every few seconds."""

    def __init__(self, total: int, done: int, *, stream: IO[str] | None = None, bar: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total, self.done, self.start_done = total, done, done
        self.started = self.last = time.monotonic()
        self._bar = None
        if bar if bar is not None else self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=done, unit="doc", desc="batch", file=self.stream, smoothing=0.05)

    def update(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self.last >= PLAIN_PROGRESS_EVERY_S:
            self.last = now
            print(self.line(), file=self.stream, flush=True)

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return (self.done - self.start_done) / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        rate = self.rate()
        left = self.total - self.done
        eta = _clock(left / rate) if rate > 0 else "?"
        percent = 100 * self.done / self.total if self.total else 100.0
        return f"batch: {self.done:,}/{self.total:,} resumes ({percent:.0f}%), {rate:.1f} docs/s, ETA {eta}"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


# --------------------------------------------------------------------------------------------------- runner


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
