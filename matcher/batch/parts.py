"""Output: each finished chunk as a part file, written atomically, and the output assembled from the parts.

This is what makes a run resumable: a part is written whole or not at all (:func:`_write_atomic`), the manifest
refuses to mix two different runs, and the output (CSV, JSONL or Parquet) is only assembled, in input order,
once every part exists. Unreadable documents go to a file of their own (:func:`errors_path`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from matcher.batch.rows import COMPONENT_KEYS, ROW_KEYS, ChunkResult
from matcher.errors import SkillmatchError

OUTPUT_FORMATS = (".csv", ".jsonl", ".parquet")
_PARTS_VERSION = 2  # 2: rows' components carry qualifications


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
