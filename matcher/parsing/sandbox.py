"""Parsing untrusted files where a runaway cannot hurt anyone else: worker processes with hard limits.

``parse_document`` runs the parser in the caller's process: right for a script or one file on the command line,
wrong for a server parsing strangers' uploads. A PDF whose one page inflates to gigabytes takes the caller's
memory with it; a page of millions of characters runs for as long as it likes (the deadline is checked between
pages), and PDFium, which is not thread-safe, holds a process-wide lock all that time; a crash in PDFium takes the
whole process down. :class:`ParseSandbox` runs the parsers of PDF, DOCX and HTML in worker processes instead:

* **a hard deadline**: a worker that has not answered ``limits.timeout_s`` plus ``grace_s`` seconds after it was
  given a file is killed (``SIGKILL``) and the caller gets ``ParseTimeout`` (``parse_timeout``);
* **a memory limit**: each worker's address space is capped (``resource.setrlimit(RLIMIT_AS)``,
  ``memory_mb``), so a decompression bomb fails inside the worker. PDFium aborts when an allocation fails;
  a worker that dies having used at least half its limit is reported as ``DocumentTooLarge`` (``too_large``,
  "needs more memory to parse than allowed"), any other death as ``CorruptDocument`` (``corrupt_file``, "the
  parser crashed on it"). Core dumps are off (``RLIMIT_CORE`` 0): a dump would hold the document. PDFium has no
  call that tells the inflated size of a page's content before it loads the page, so the limit, not a
  pre-check, is what stops a bomb;
* **no lock shared across callers**: each parse has a process of its own (up to ``processes`` at once; a
  caller waits for a free one beyond that), so one slow file never delays another caller's;
* **fresh memory**: a worker whose resident memory is over ``recycle_mb`` after a parse is replaced, so the
  high-water mark of one adversarial file does not stay.

Plain text, Markdown and JSON Resume are parsed in the calling process (``parse_document``): their parsers are
linear-time Python over at most ``max_bytes``, and a round trip to a worker would cost more than the parse.
The worker answers in JSON, never pickle: what comes back from a process that has just read hostile bytes is
data, not code. Its standard output and error go nowhere (a library's message may quote the document).

The service (``api.services``) keeps one sandbox per server worker; ``skillmatch batch`` one per batch process
(:func:`shared_sandbox`).

>>> from matcher.parsing.sandbox import ParseSandbox
>>> with ParseSandbox(processes=2) as sandbox:                                # doctest: +SKIP
...     document = sandbox.parse(open("resume.pdf", "rb").read(), filename="resume.pdf")
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import os
import re
import resource
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    InputFileError,
    NoTextLayer,
    ParseTimeout,
    SkillmatchError,
    UnsupportedFormat,
)
from matcher.parsing import _read, parse_document
from matcher.parsing._build import out_of_memory
from matcher.parsing.document import Diagnostics, HiddenSpan, ParsedDocument, ParseLimits
from matcher.types import TextLine

__all__ = ["ParseSandbox", "SandboxStats", "shared_sandbox"]

#: A document that starts like one of these goes to a worker process (the worker sniffs the format for real).
_PDF_RE = re.compile(rb"%PDF-")
_ZIP_PREFIXES = (b"PK\x03\x04", b"PK\x05\x06")
_HTML_RE = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:div|p|h[1-6]|ul|li|span)[\s>]", re.I)

_HEADER = struct.Struct(">I")  # length of a request's JSON header
_LENGTH = struct.Struct(">Q")  # length of a payload
_READY = b"R"

#: The worker's stand-in for each error code; the message travels as the worker wrote it.
_ERRORS: dict[str, type[SkillmatchError]] = {
    "unsupported_format": UnsupportedFormat,
    "corrupt_file": CorruptDocument,
    "encrypted_pdf": EncryptedDocument,
    "no_text_layer": NoTextLayer,
    "empty_document": EmptyDocument,
    "too_large": DocumentTooLarge,
    "too_many_pages": DocumentTooLarge,
    "parse_timeout": ParseTimeout,
    "file_not_found": InputFileError,
    "unreadable_file": InputFileError,
}


def _guess(data: bytes) -> str | None:
    """The sandboxed format the bytes look like (``pdf``, ``docx``, ``html``), or None for the in-process ones."""
    head = data[:1024]
    if _PDF_RE.search(head):
        return "pdf"
    if data.startswith(_ZIP_PREFIXES):
        return "docx"
    if _HTML_RE.search(data[:65536]):
        return "html"
    return None


@dataclass(frozen=True, slots=True)
class SandboxStats:
    """What a sandbox has done since it started (for tests, logs and metrics)."""

    #: documents parsed in a worker process, whatever the outcome
    parses: int
    #: workers killed at the deadline, workers that died on their own (a crash, out of memory), workers replaced
    #: because their memory grew past ``recycle_mb``
    killed: int
    crashed: int
    recycled: int
    #: worker processes alive now, and the highest peak RSS one of them reached (MiB), dead ones included
    processes: int
    peak_rss_mb: float


#: the worker's own peak resident memory (KiB), as it writes it into the file it shares with us
_PEAK = struct.Struct("<Q")


class _Worker:
    """One worker process, its two pipes, and the file where it keeps its peak memory."""

    def __init__(self, process: subprocess.Popen[bytes], peak_file: Any) -> None:
        self.process = process
        self.peak_file = peak_file
        assert process.stdin is not None
        assert process.stdout is not None
        self.to_child = process.stdin.fileno()
        self.from_child = process.stdout.fileno()
        self.ready = False
        self.ended = False
        self.parses = 0
        self.last_used = time.monotonic()

    @property
    def pid(self) -> int:
        return self.process.pid


class ParseSandbox:
    """A pool of parsing processes; :meth:`parse` is ``parse_document`` with a hard deadline and a memory limit.

    Thread-safe: each call has a worker of its own for the length of one parse. ``processes`` bounds the
    workers alive at once (started on demand, ``warm`` of them kept even when idle, the rest ended after
    ``idle_s`` seconds unused); ``memory_mb`` caps each one's address space; ``grace_s`` is how long past the
    parse deadline a worker may take to answer before it is killed; ``recycle_mb``: a worker whose resident
    memory is over this after a parse is replaced.
    """

    def __init__(
        self,
        *,
        processes: int = 1,
        memory_mb: int = 1024,
        grace_s: float = 0.5,
        recycle_mb: int = 256,
        warm: int = 1,
        idle_s: float = 60.0,
    ) -> None:
        if processes < 1:
            raise ValueError("ParseSandbox needs at least one process")
        self.processes = processes
        self.memory_mb = memory_mb
        self.grace_s = grace_s
        self.recycle_mb = recycle_mb
        self.warm = min(max(warm, 0), processes)
        self.idle_s = idle_s
        self._pid = os.getpid()
        self._lock = threading.Condition()
        self._idle: list[_Worker] = []
        self._count = 0  # alive or being started
        self._closed = False
        self._counts = {"parses": 0, "killed": 0, "crashed": 0, "recycled": 0}
        self._peak_kb = 0

    # --- the public calls -------------------------------------------------------------------------------------
    def parse(
        self,
        source: bytes | str | os.PathLike[str],
        *,
        filename: str | None = None,
        limits: ParseLimits | None = None,
        include_hidden: bool = False,
    ) -> ParsedDocument:
        """:func:`~matcher.parsing.parse_document`'s result, from a worker process for PDF, DOCX and HTML.

        Raises what ``parse_document`` raises; ``ParseTimeout`` when the worker is killed at the deadline,
        ``DocumentTooLarge`` when it ran out of memory, ``CorruptDocument`` when it crashed."""
        limits = limits or ParseLimits()
        data, name = _read(source, limits)
        guess = _guess(data)
        if guess is None or len(data) > limits.max_bytes:
            return parse_document(data, filename=filename or _named(name), limits=limits, include_hidden=include_hidden)
        header = {
            "filename": filename or _named(name),
            "limits": dataclasses.asdict(limits),
            "include_hidden": include_hidden,
        }
        worker = self._checkout()
        keep = False
        try:
            answer = self._exchange(worker, header, data, limits, guess)
            keep = self._keep(worker, answer)
        finally:
            if keep:
                self._checkin(worker)
            else:
                self._discard(worker)
        if "error" in answer:
            raise _error(answer["error"])
        return _document_from_wire(answer["ok"])

    def start(self) -> None:
        """Start the ``warm`` workers now, in the background (else the first parse waits for one)."""
        for _ in range(self.warm):
            threading.Thread(target=self._prestart, daemon=True, name="skillmatch-sandbox-start").start()

    @property
    def stats(self) -> SandboxStats:
        with self._lock:
            return SandboxStats(**self._counts, processes=self._count, peak_rss_mb=round(self._peak_kb / 1024, 1))

    def close(self) -> None:
        """End the idle worker processes now, and each busy one when its parse returns."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._lock.notify_all()
        for worker in idle:
            self._end(worker)

    def __enter__(self) -> ParseSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- workers ----------------------------------------------------------------------------------------------
    def _prestart(self) -> None:
        with self._lock:
            if self._closed or self._count >= max(self.warm, 1) or self._pid != os.getpid():
                return
            self._count += 1
        try:
            worker = self._spawn()
            self._wait_ready(worker)
        except Exception:
            with self._lock:
                self._count -= 1
                self._lock.notify_all()
            return
        self._checkin(worker)

    def _checkout(self) -> _Worker:
        worker: _Worker | None
        with self._lock:
            while True:
                if self._closed:
                    raise RuntimeError("the parse sandbox is closed")
                if self._idle:
                    worker = self._idle.pop()  # the most recently used: its pages are warm
                    break
                if self._count < self.processes:
                    self._count += 1
                    worker = None
                    break
                self._lock.wait()
        if worker is None:
            try:
                worker = self._spawn()
            except BaseException:
                with self._lock:
                    self._count -= 1
                    self._lock.notify_all()
                raise
        return worker

    def _checkin(self, worker: _Worker) -> None:
        stale: list[_Worker] = []
        with self._lock:
            if self._closed:
                stale.append(worker)
            else:
                worker.last_used = time.monotonic()
                self._idle.append(worker)
                # idle beyond the warm ones for long: give the memory back
                cutoff = time.monotonic() - self.idle_s
                while len(self._idle) > self.warm and self._idle[0].last_used < cutoff:
                    stale.append(self._idle.pop(0))
            self._lock.notify()
        for old in stale:
            self._end(old)

    def _discard(self, worker: _Worker) -> None:
        self._end(worker)
        if self.warm and not self._closed:
            threading.Thread(target=self._prestart, daemon=True, name="skillmatch-sandbox-start").start()

    def _end(self, worker: _Worker) -> int | None:
        """Stop a worker (once) and reap it; its peak memory (KiB), where the system says."""
        if worker.ended:
            return None
        worker.ended = True
        peak: int | None = None
        with contextlib.suppress(OSError):
            os.kill(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError, OSError):
            _, status, usage = os.wait4(worker.pid, 0)
            worker.process.returncode = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss
        # the worker's own figure when it wrote one: the system's counts the memory of the process that started
        # it too (Linux carries the parent's peak across fork and exec), so in a large server every crash would
        # look like an out-of-memory
        with contextlib.suppress(OSError, struct.error):
            peak = _PEAK.unpack(os.pread(worker.peak_file.fileno(), _PEAK.size, 0))[0] or peak
        worker.peak_file.close()
        for stream in (worker.process.stdin, worker.process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        with self._lock:
            self._count -= 1
            if peak:
                self._peak_kb = max(self._peak_kb, peak)
            self._lock.notify()
        return peak

    def _spawn(self) -> _Worker:
        env = dict(os.environ)
        # the package as this process imports it, wherever the working directory is
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["MALLOC_ARENA_MAX"] = "2"  # glibc reserves 64 MiB of address space per arena: keep them few
        command = [
            sys.executable,
            "-c",
            "from matcher.parsing.sandbox import _child_main; _child_main()",
            str(self.memory_mb),
            str(os.getpid()),
        ]
        peak_file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the worker; nameless, gone when both sides close it)
        command.append(str(peak_file.fileno()))
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # a Ctrl-C at the terminal is the server's to handle, not each worker's
            pass_fds=(peak_file.fileno(),),
        )
        return _Worker(process, peak_file)

    def _wait_ready(self, worker: _Worker, timeout: float = 60.0) -> None:
        if worker.ready:
            return
        if _read_exactly(worker.from_child, 1, time.monotonic() + timeout) != _READY:
            raise RuntimeError("the parse worker did not start")
        worker.ready = True

    # --- one parse --------------------------------------------------------------------------------------------
    def _exchange(
        self, worker: _Worker, header: dict[str, Any], data: bytes, limits: ParseLimits, guess: str
    ) -> dict[str, Any]:
        with self._lock:
            self._counts["parses"] += 1
        try:
            self._wait_ready(worker)
        except Exception:
            # a worker that cannot start is the machine's problem, not the document's
            raise RuntimeError("the parse worker did not start") from None
        encoded = json.dumps(header).encode("utf-8")
        deadline = time.monotonic() + limits.timeout_s + self.grace_s
        try:
            _write_all(worker.to_child, _HEADER.pack(len(encoded)) + encoded + _LENGTH.pack(len(data)))
            _write_all(worker.to_child, data)
            size = _LENGTH.unpack(_read_exactly(worker.from_child, _LENGTH.size, deadline))[0]
            answer: dict[str, Any] = json.loads(_read_exactly(worker.from_child, size, deadline))
        except TimeoutError:
            with self._lock:
                self._counts["killed"] += 1
            self._end(worker)
            raise ParseTimeout(f"parsing took longer than {limits.timeout_s:g} s") from None
        except (OSError, EOFError, ValueError, struct.error):
            # the worker died mid-parse (a crash, the memory limit) or answered garbage
            peak = self._end(worker) or 0
            with self._lock:
                self._counts["crashed"] += 1
            if peak * 1024 >= self.memory_mb * 2**20 // 2:
                raise out_of_memory() from None
            raise CorruptDocument(f"damaged {guess} file: the parser crashed on it") from None
        worker.parses += 1
        return answer

    def _keep(self, worker: _Worker, answer: dict[str, Any]) -> bool:
        """Whether the worker may parse again: not after running out of memory, nor with its memory grown."""
        rss_kb = int(answer.get("rss_kb", 0))
        with self._lock:
            self._peak_kb = max(self._peak_kb, int(answer.get("peak_kb", 0)))
            if rss_kb > self.recycle_mb * 1024 or answer.get("error", {}).get("memory"):
                self._counts["recycled"] += 1
                return False
        return True


def _named(name: str) -> str | None:
    return None if name == "document" else name


def _error(payload: dict[str, Any]) -> Exception:
    """The worker's error as the caller's exception: the same class and code; an unknown code is a bug there."""
    code = str(payload.get("code", "corrupt_file"))
    message = str(payload.get("message", "the document could not be parsed"))
    cls = _ERRORS.get(code)
    if cls is None:
        return RuntimeError(f"the parse worker failed: {message}")
    return cls(message, code=code)


# ------------------------------------------------------------------------------------------------ pipe helpers


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exactly(fd: int, size: int, deadline: float) -> bytes:
    """``size`` bytes from ``fd`` before ``deadline`` (monotonic); TimeoutError after it, EOFError at the end."""
    chunks: list[bytes] = []
    remaining = size
    poller = select.poll()  # not select(): a busy server's descriptors run past select's 1,024
    poller.register(fd, select.POLLIN)
    while remaining:
        left = deadline - time.monotonic()
        if left <= 0 or not poller.poll(max(left * 1000, 1)):
            raise TimeoutError
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------------------------- the wire format


def _document_to_wire(doc: ParsedDocument) -> dict[str, Any]:
    return {
        "format": doc.format,
        "text": doc.text,
        "lines": [[ln.start, ln.end, ln.page, ln.bold, ln.size, ln.wraps] for ln in doc.lines],
        "pages": doc.pages,
        "diagnostics": dataclasses.asdict(doc.diagnostics),
        "warnings": list(doc.warnings),
        "hidden": [[h.text, h.page, h.reason, h.bbox] for h in doc.hidden_text],
    }


def _document_from_wire(data: dict[str, Any]) -> ParsedDocument:
    d = dict(data["diagnostics"])
    for key in ("columns", "scanned_pages", "empty_pages"):
        d[key] = tuple(d.get(key) or ())
    return ParsedDocument(
        format=data["format"],
        text=data["text"],
        lines=tuple(
            TextLine(start=s, end=e, page=p, bold=b, size=z, wraps=w) for s, e, p, b, z, w in data["lines"]
        ),
        pages=int(data["pages"]),
        diagnostics=Diagnostics(**d),
        warnings=tuple(data["warnings"]),
        hidden_text=tuple(
            HiddenSpan(text=t, page=p, reason=r, bbox=tuple(b) if b else None) for t, p, r, b in data["hidden"]
        ),
    )


# ---------------------------------------------------------------------------------------------- the worker side


def _own_memory_kb() -> tuple[int, int]:
    """Resident memory now and at its peak (KiB) from /proc: this process's own, never its parent's."""
    now = peak = 0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return now, peak


def _memory_kb() -> tuple[int, int]:
    """This process's resident memory now and at its peak, in KiB (the system's figure where /proc is not)."""
    now = peak = 0
    with contextlib.suppress(OSError):
        now, peak = _own_memory_kb()
    return now, peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _watch_parent(parent: int) -> None:
    """End this worker when the process that started it is gone (killed with -9: it cannot close our pipe)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _write_peak(fd: int) -> None:
    """Keep this process's own peak resident memory (``VmHWM``) in the file the parent reads after a crash."""
    while True:
        _store_peak(fd)
        time.sleep(0.02)


#: the worker's main thread and its peak-writing thread both write the figure
_PEAK_LOCK = threading.Lock()


def _store_peak(fd: int) -> None:
    """Write this process's own peak resident memory into the file the parent reads (a larger figure only)."""
    with _PEAK_LOCK, contextlib.suppress(OSError, ValueError, struct.error):
        _, peak = _own_memory_kb()
        if peak > _PEAK.unpack(os.pread(fd, _PEAK.size, 0).ljust(_PEAK.size, b"\0"))[0]:
            os.pwrite(fd, _PEAK.pack(peak), 0)


def _child_main() -> None:  # pragma: no cover - runs in the worker process (tests drive it through ParseSandbox)
    """A worker: limits set, parsers imported, then one request at a time until the parent closes the pipe."""
    memory_mb, parent = int(sys.argv[1]), int(sys.argv[2])
    # the protocol runs on private descriptors; whatever a library prints goes nowhere
    requests, answers = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    import matcher.parsing.docx
    import matcher.parsing.html
    import matcher.parsing.pdf  # noqa: F401  (imported before the memory limit, once)

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a core dump would hold the document
    if memory_mb > 0:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    peak_fd = int(sys.argv[3]) if len(sys.argv) > 3 else None
    if peak_fd is not None:
        # written before each answer too, not only by the thread: a worker stopped right after its answer (before
        # the thread's first turn, on a busy machine) would leave the file empty, and the parent would read the
        # system's figure, which holds the parent's own peak (Linux carries it across fork and exec)
        _store_peak(peak_fd)
        threading.Thread(target=_write_peak, args=(peak_fd,), daemon=True).start()
    _write_all(answers, _READY)
    while True:
        try:
            (size,) = _HEADER.unpack(_read_blocking(requests, _HEADER.size))
            header = json.loads(_read_blocking(requests, size))
            (length,) = _LENGTH.unpack(_read_blocking(requests, _LENGTH.size))
            data = _read_blocking(requests, length)
        except EOFError:
            os._exit(0)
        answer: dict[str, Any]
        try:
            document = parse_document(
                data,
                filename=header.get("filename"),
                limits=ParseLimits(**header["limits"]),
                include_hidden=bool(header.get("include_hidden")),
            )
            answer = {"ok": _document_to_wire(document)}
        except MemoryError:
            error = out_of_memory()
            answer = {"error": {"code": error.code, "message": error.message, "memory": True}}
        except DocumentError as exc:
            memory = exc.message == out_of_memory().message
            answer = {"error": {"code": exc.code, "message": exc.message, "memory": memory}}
        except SkillmatchError as exc:
            answer = {"error": {"code": exc.code, "message": exc.message}}
        except Exception as exc:  # a bug: the caller reports it, this worker carries on
            answer = {"error": {"code": "internal_error", "message": type(exc).__name__}}
        del data
        now, peak = _memory_kb()
        answer["rss_kb"], answer["peak_kb"] = now, peak
        if peak_fd is not None:
            _store_peak(peak_fd)
        try:
            encoded = json.dumps(answer, ensure_ascii=True).encode("ascii")
        except MemoryError:
            encoded = json.dumps({"error": {"code": "too_large", "message": out_of_memory().message,
                                            "memory": True}}).encode("ascii")
        _write_all(answers, _LENGTH.pack(len(encoded)) + encoded)


def _read_blocking(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# ------------------------------------------------------------------------------------------- one per process

_shared: dict[int, ParseSandbox] = {}
_inherited: list[ParseSandbox] = []
_shared_lock = threading.Lock()


def shared_sandbox(factory: Callable[[], ParseSandbox] | None = None) -> ParseSandbox:
    """This process's sandbox, made on first use (``factory``, else one worker); a forked child gets its own.

    Used where one sandbox per process is right and nothing owns its lifetime (``skillmatch batch`` and its
    worker processes): the workers end with the process (they watch their parent)."""
    pid = os.getpid()
    with _shared_lock:
        sandbox = _shared.get(pid)
        if sandbox is None:
            sandbox = _shared[pid] = (factory or ParseSandbox)()
        return sandbox


def _close_shared() -> None:
    for sandbox in list(_shared.values()):
        sandbox.close()
    _shared.clear()


def _forget_parents_sandboxes() -> None:
    """In a forked child: the parent's sandboxes and their pipes are the parent's; never use or close them (they
    are kept, unused, so that collecting them does not warn about processes that are not this one's)."""
    _inherited.extend(_shared.values())
    _shared.clear()


os.register_at_fork(after_in_child=_forget_parents_sandboxes)
atexit.register(_close_shared)
