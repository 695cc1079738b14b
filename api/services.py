"""What a worker loads once at start-up and shares between requests: database, taxonomy, tagger, caches, the
parsing sandbox; and the lanes requests' work runs in.

Three lanes, so that no kind of work can hold the threads another kind needs (each is a capacity limiter of
anyio's thread pool):

- **parse**: waiting for a parsing process (:mod:`matcher.parsing.sandbox`), as many at once as there are
  processes. The wait holds a thread but no CPU and no GIL; it ends at the parse deadline at the latest.
- **heavy**: analysing a text over :data:`api.config.HEAVY_CHARS` characters, one at a time per worker.
- **default**: everything else (anyio's default limiter, ``SKILLMATCH_WORKER_THREADS`` tokens).

A flood of huge texts or slow PDFs therefore fills its own lane and leaves the default lane's threads to the
small requests behind it. Analysing and tagging run under a deadline (:mod:`api.deadline`) of
``SKILLMATCH_PARSE_TIMEOUT_S`` seconds, as parsing does.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.orm import Session, sessionmaker

from api import metrics, migrations
from api.config import HEAVY_CHARS, ServiceSettings
from api.db import make_engine, make_sessionmaker
from api.deadline import Expired, deadline
from api.pool_index import PoolIndex
from api.security import any_key_exists
from matcher.engine import Analysed, Engine
from matcher.errors import ParseTimeout
from matcher.parsing import ParsedDocument, ParseLimits
from matcher.parsing.sandbox import ParseSandbox
from matcher.report.render import skill_names
from matcher.types import DocumentKind

T = TypeVar("T")

#: What an analysis is estimated to hold per character of text, and at least (text, lines, mentions, profile;
#: measured with tracemalloc at 20-40 bytes a character from 1 k to 360 k characters, 50 kB for a short resume).
BYTES_PER_CHAR = 40
BYTES_AT_LEAST = 64 * 1024

#: (owner, kind, content: SHA-256 hex of an upload or an inline text's own bytes, file name, personal data)
CacheKey = tuple[int, str, str | bytes, str, bool]


def analysis_size(analysed: Analysed) -> int:
    """The memory an analysis is estimated to hold, in bytes (what the cache's budget counts)."""
    return BYTES_AT_LEAST + BYTES_PER_CHAR * len(analysed.document.text)


class AnalysisCache:
    """Recently analysed documents, by owner, kind, content hash, name and options: a pasted job post is tagged
    once. Bounded by entries (``size``) and by estimated bytes (``max_bytes``); an entry over a quarter of the
    byte budget is not kept at all.

    Keys start with the owner: one owner's repeat is fast, another owner's first upload of the same bytes is
    not, so timing tells nobody what someone else sent."""

    def __init__(self, size: int, max_bytes: int = 64 * 2**20) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[CacheKey, tuple[Analysed, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0

    def get(self, key: CacheKey) -> Analysed | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: CacheKey, value: Analysed, *, extra: int = 0) -> None:
        """Keep ``value``; ``extra``: bytes the key holds besides the analysis (an inline text keyed by itself)."""
        cost = analysis_size(value) + extra
        if self.size <= 0 or cost > self.max_bytes // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, cost)
            self.bytes += cost
            while self._items and (len(self._items) > self.size or self.bytes > self.max_bytes):
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped


@dataclass
class Services:
    settings: ServiceSettings
    database: DatabaseEngine
    sessions: sessionmaker[Session]
    engine: Engine
    cache: AnalysisCache
    sandbox: ParseSandbox
    #: set once any API key exists; keys are never deleted, so it never goes back to False
    auth_required: bool = field(default=False)
    #: the id of the owner ``local`` once looked up (single-user mode), saving two queries per request
    local_owner_id: int | None = field(default=None)
    #: the lanes (made in the app's lifespan, in its event loop): see the module docstring
    parse_lane: anyio.CapacityLimiter | None = field(default=None)
    heavy_lane: anyio.CapacityLimiter | None = field(default=None)
    #: the owners' pools for the rankings both ways, built on first use (issue 19)
    pools: PoolIndex = field(init=False)

    def __post_init__(self) -> None:
        self.pools = PoolIndex(self.engine)

    @classmethod
    def start(
        cls, settings: ServiceSettings, *, engine: Engine | None = None
    ) -> Services:
        """Connect and check the schema (migrating SQLite on the way), then load taxonomy and tagger.

        ``engine``: an already loaded matcher engine to share (tests build one per session)."""
        url = settings.effective_database_url
        database = make_engine(url, timeout_s=settings.db_timeout_s)
        migrations.prepare(database, url, migrate=settings.migrate_on_start)
        limits = ParseLimits(
            max_bytes=settings.max_upload_bytes, max_pages=settings.max_pages, timeout_s=settings.parse_timeout_s
        )
        sessions = make_sessionmaker(database)
        with sessions() as session:
            keys_exist = any_key_exists(session)
        sandbox = ParseSandbox(
            processes=settings.parse_processes, memory_mb=settings.parse_memory_mb
        )
        sandbox.start()
        return cls(
            settings=settings,
            database=database,
            sessions=sessions,
            engine=replace_limits(engine, limits) if engine else Engine(settings, limits=limits),
            cache=AnalysisCache(settings.analysis_cache_size, int(settings.analysis_cache_mb * 2**20)),
            sandbox=sandbox,
            auth_required=keys_exist,
        )

    def open_lanes(self) -> None:
        """Make the lanes' limiters; called in the event loop that will use them."""
        self.parse_lane = anyio.CapacityLimiter(self.sandbox.processes)
        self.heavy_lane = anyio.CapacityLimiter(1)

    @property
    def limits(self) -> ParseLimits:
        assert self.engine.limits is not None
        return self.engine.limits

    # --- the steps of an upload -------------------------------------------------------------------------------
    @staticmethod
    def cache_key(
        data: bytes, *, owner_id: int, kind: DocumentKind, filename: str | None, personal_data: bool
    ) -> CacheKey:
        """The key of an upload's analysis: its bytes by their SHA-256 (an upload may be a 10 MB PDF; parsing it
        costs far more than hashing it)."""
        # the name is part of the key (reports show the file name the caller gave), and so is personal_data:
        # a document stored later must come with the findings its redaction needs
        return (owner_id, kind, hashlib.sha256(data).hexdigest(), filename or "", personal_data)

    @staticmethod
    def text_key(
        data: bytes, *, owner_id: int, kind: DocumentKind, filename: str | None, personal_data: bool
    ) -> CacheKey:
        """The key of an inline text's analysis: the text itself. A job post pasted with every match is looked up
        by Python's own hash of the bytes (a few microseconds, under the GIL) rather than by SHA-256, which
        releases the GIL for anything over 2 kB and has to take it back behind whoever took it meanwhile. The
        bytes are held by the key, and counted in the entry's size."""
        return (owner_id, kind, data, filename or "", personal_data)

    def parse(self, data: bytes, *, filename: str | None) -> ParsedDocument:
        """The document's text: PDF, DOCX and HTML in a parsing process (hard deadline, memory limit)."""
        return self.sandbox.parse(data, filename=filename, limits=self.limits)

    def analyse_document(
        self, document: ParsedDocument, *, kind: DocumentKind, filename: str | None, personal_data: bool
    ) -> Analysed:
        """Analyse, tag and profile a parsed document within the parse time limit (``parse_timeout`` past it)."""
        seconds = self.limits.timeout_s
        try:
            with deadline(seconds):
                analysed = self.engine.analyse(
                    document, source=filename or "<upload>", kind=kind, personal_data=personal_data
                )
        except Expired:
            raise ParseTimeout(f"analysing the text took longer than {seconds:g} s") from None
        metrics.count_parsed_document(analysed.kind, str(document.format))
        return analysed

    def analyse(
        self,
        data: bytes,
        *,
        owner_id: int,
        kind: DocumentKind,
        filename: str | None = None,
        personal_data: bool = True,
    ) -> Analysed:
        """Parse, tag and profile bytes in this thread (both steps bounded), or reuse the owner's analysis of
        the same bytes. ``personal_data=False`` for text that is scored and not stored: nothing is redacted."""
        key = self.text_key(data, owner_id=owner_id, kind=kind, filename=filename, personal_data=personal_data)
        found = self.cache.get(key)
        if found is None:
            document = self.parse(data, filename=filename)
            found = self.analyse_document(document, kind=kind, filename=filename, personal_data=personal_data)
            self.cache.put(key, found, extra=len(data))
        return found

    # --- lanes ------------------------------------------------------------------------------------------------
    def lane(self, chars: int) -> anyio.CapacityLimiter | None:
        """The lane for work on a text of ``chars`` characters: heavy above :data:`HEAVY_CHARS`, else default."""
        return self.heavy_lane if chars > HEAVY_CHARS else None

    async def run(self, lane: anyio.CapacityLimiter | None, function: Callable[..., T], *args: Any, **kw: Any) -> T:
        """``function(*args, **kw)`` in a thread of ``lane`` (None: the default lane)."""
        return await anyio.to_thread.run_sync(partial(function, *args, **kw), limiter=lane)

    async def analyse_upload(
        self, data: bytes, *, owner_id: int, kind: DocumentKind, filename: str | None
    ) -> Analysed:
        """An upload parsed in the parse lane, then analysed in the lane its text's length calls for."""
        key = self.cache_key(data, owner_id=owner_id, kind=kind, filename=filename, personal_data=True)
        found = self.cache.get(key)
        if found is None:
            document = await self.run(self.parse_lane, self.parse, data, filename=filename)
            found = await self.run(
                self.lane(len(document.text)),
                self.analyse_document,
                document,
                kind=kind,
                filename=filename,
                personal_data=True,
            )
            self.cache.put(key, found)
        return found

    @cached_property
    def report_names(self) -> dict[str, Any]:
        """Skill and category display names for rendered reports, built once per worker."""
        taxonomy = self.engine.taxonomy
        return {"names": skill_names(taxonomy), "category_names": dict(taxonomy.categories)}

    def close(self) -> None:
        self.sandbox.close()
        self.database.dispose()


def replace_limits(engine: Engine, limits: ParseLimits) -> Engine:
    """A matcher engine sharing ``engine``'s taxonomy and tagger, with this service's parse limits."""
    return Engine(taxonomy=engine.taxonomy, tagger=engine.tagger, as_of=engine.as_of, limits=limits)
