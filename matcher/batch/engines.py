"""The Engine a batch process scores with: built once per process and settings, shared, and kept small.

Loading the taxonomy and the spaCy pipeline costs seconds, so each process (the parent, a pool worker, a Dask
worker) builds one :class:`~matcher.engine.Engine` per settings and keeps it; forked workers inherit the parent's.
:data:`_ENGINE_LOCK` lets one task at a time use it; :func:`_refresh_tagger` replaces its tagger every
:data:`REFRESH_EVERY` documents so that a long run's memory stays flat; :func:`_analyse` is the one way a batch
turns a document into a profile, a bad document becoming an error record rather than an exception.
"""

from __future__ import annotations

import gc
import os
import threading
from typing import TYPE_CHECKING

from matcher.errors import SkillmatchError
from matcher.parsing.sandbox import shared_sandbox
from matcher.settings import Settings

if TYPE_CHECKING:
    from matcher.batch.inputs import Item
    from matcher.engine import Analysed, Engine
    from matcher.types import DocumentKind

_ENGINES: dict[str, Engine] = {}
_ENGINE_PID: int | None = None  # the process that built (and froze) the Engines; forked workers inherit them
#: One task at a time per process uses the shared Engine: a Dask worker with several threads runs one chunk at a
#: time (the GIL would serialise them anyway), and a tagger refresh never meets a job being loaded.
_ENGINE_LOCK = threading.Lock()


def _engine_for(settings: Settings) -> Engine:
    """One Engine per process and settings: taxonomy and spaCy pipeline loaded once, and inherited by forked
    workers. (Scoring takes its ``as_of`` year from the :class:`~matcher.batch.rows.JobSet`, never from this Engine.)"""
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
    # every page, so there it stays (it was never used: see _init_pool_worker in matcher.batch.execution).
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
