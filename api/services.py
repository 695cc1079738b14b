"""What a worker loads once at start-up and shares between requests: database, taxonomy, tagger, caches."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.orm import sessionmaker

from api import migrations
from api.db import make_engine, make_sessionmaker
from matcher.engine import Analysed, Engine
from matcher.parsing import ParseLimits
from matcher.render import skill_names
from matcher.settings import Settings
from matcher.types import DocumentKind


class AnalysisCache:
    """Recently analysed documents by kind, content hash, name and options: a pasted job post is tagged once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str, str, bool], Analysed] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str, bool]) -> Analysed | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, str, bool], value: Analysed) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class Services:
    settings: Settings
    database: DatabaseEngine
    sessions: sessionmaker
    engine: Engine
    cache: AnalysisCache
    #: set once any API key exists; keys are never deleted, so it never goes back to False
    auth_required: bool = field(default=False)
    #: the id of the owner ``local`` once looked up (single-user mode), saving two queries per request
    local_owner_id: int | None = field(default=None)

    @classmethod
    def start(cls, settings: Settings, *, engine: Engine | None = None) -> Services:
        """Connect and check the schema (migrating SQLite on the way), then load taxonomy and tagger.

        ``engine``: an already loaded matcher engine to share (tests build one per session)."""
        url = settings.effective_database_url
        database = make_engine(url)
        migrations.prepare(database, url, migrate=settings.migrate_on_start)
        limits = ParseLimits(
            max_bytes=settings.max_upload_bytes, max_pages=settings.max_pages, timeout_s=settings.parse_timeout_s
        )
        return cls(
            settings=settings,
            database=database,
            sessions=make_sessionmaker(database),
            engine=replace_limits(engine, limits) if engine else Engine(settings, limits=limits),
            cache=AnalysisCache(settings.analysis_cache_size),
        )

    def analyse(
        self, data: bytes, *, kind: DocumentKind, filename: str | None = None, personal_data: bool = True
    ) -> Analysed:
        """Parse, tag and profile uploaded bytes, or reuse the analysis of the same bytes.

        ``personal_data=False`` for text that is scored and not stored: nothing will be redacted."""
        # the name is part of the key (reports show the file name the caller gave), and so is personal_data:
        # a document stored later must come with the findings its redaction needs
        key = (kind, hashlib.sha256(data).hexdigest(), filename or "", personal_data)
        found = self.cache.get(key)
        if found is None:
            found = self.engine.load(data, kind=kind, name=filename or "<upload>", personal_data=personal_data)
            self.cache.put(key, found)
        return found

    @cached_property
    def report_names(self) -> dict[str, Any]:
        """Skill and category display names for rendered reports, built once per worker."""
        taxonomy = self.engine.taxonomy
        return {"names": skill_names(taxonomy), "category_names": dict(taxonomy.categories)}

    def close(self) -> None:
        self.database.dispose()


def replace_limits(engine: Engine, limits: ParseLimits) -> Engine:
    """A matcher engine sharing ``engine``'s taxonomy and tagger, with this service's parse limits."""
    return Engine(taxonomy=engine.taxonomy, tagger=engine.tagger, as_of=engine.as_of, limits=limits)
