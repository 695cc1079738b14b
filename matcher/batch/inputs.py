"""What a batch reads: the documents a folder, a glob, a JSONL file or a Python list names, as :class:`DocRef`.

It exists apart so that listing 50,000 inputs stays cheap and separate from scoring: a :class:`DocRef` says where
a document's bytes are, and only :class:`_Reader` reads them, when the document's chunk is about to be sent.
:func:`_contents_digest` is what ``--resume`` compares to know the documents are the ones an unfinished run began.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from matcher.errors import SkillmatchError

Source = str | os.PathLike[str]
#: What the functions accept for ``resumes`` / ``jobs``: a folder, a glob or a JSONL file; or in Python a list of
#: paths, ``(id, text)`` pairs or ``{"id", "text" | "path"}`` records.
Inputs = Source | Iterable[Source | tuple[str, str] | Mapping[str, Any]]


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
