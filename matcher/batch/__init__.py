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

One module per job: ``inputs.py`` (what the documents are), ``engines.py`` (the Engine each process keeps),
``rows.py`` (the job set and the rows), ``execution.py`` (here, a process pool or Dask), ``parts.py`` (part files
and the output), ``progress.py`` (the bar), ``run.py`` (the functions below). Tunables such as
``PLAIN_PROGRESS_EVERY_S`` or ``REFRESH_EVERY`` are read from their own module: set them there.

>>> from matcher.batch import batch_rows
>>> rows = batch_rows("samples/eval/resumes", "samples/eval/jobs", top=3)   # doctest: +SKIP
>>> next(rows)["job"]                                                       # doctest: +SKIP
'samples/eval/jobs/computer_vision_engineer.txt'
"""

from matcher.batch.execution import chunk_size, execute
from matcher.batch.inputs import DocRef, Inputs, Item, Source, read_inputs
from matcher.batch.parts import OUTPUT_FORMATS, PartStore, errors_path
from matcher.batch.progress import Progress
from matcher.batch.rows import COMPONENT_KEYS, ROW_KEYS, Chunk, ChunkResult, JobSet, RowBuilder, load_jobs, score_chunk
from matcher.batch.run import BatchSummary, batch_dataframe, batch_rows, run_batch

__all__ = [
    "COMPONENT_KEYS",
    "OUTPUT_FORMATS",
    "ROW_KEYS",
    "BatchSummary",
    "Chunk",
    "ChunkResult",
    "DocRef",
    "Inputs",
    "Item",
    "JobSet",
    "PartStore",
    "Progress",
    "RowBuilder",
    "Source",
    "batch_dataframe",
    "batch_rows",
    "chunk_size",
    "errors_path",
    "execute",
    "load_jobs",
    "read_inputs",
    "run_batch",
    "score_chunk",
]
