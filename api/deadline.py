"""A deadline for CPU-bound library work running in a request's thread: analysing and tagging a text.

Parsing has a hard deadline (its worker process is killed, :mod:`matcher.parsing.sandbox`); the analysis of the
parsed text (sections, experience, personal data, skills) runs in the server's process, where nothing can be
killed. A text built to be slow there (a million characters without a space, say) would otherwise take as long
as it takes, holding a thread and the GIL. :func:`deadline` bounds it without a cost on the normal path: one
watchdog thread per process sleeps until the earliest deadline registered and, when one passes, raises
:class:`Expired` in the thread that registered it (``PyThreadState_SetAsyncExc``: the exception is raised at
the thread's next Python instruction, as a Ctrl-C would be). It is a ``BaseException``, so no ``except
Exception`` in a library swallows it; the caller turns it into ``parse_timeout``.

Raising into running code is only safe where that code holds no lock and leaves no shared state half-written:
the analysis builds new records from its input; the caches it fills (the lexicon's memo, spaCy's string store)
take each entry in one step, so an interruption leaves the entry out, never half in.
"""

from __future__ import annotations

import ctypes
import heapq
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Expired", "deadline"]


class Expired(BaseException):  # a signal, like KeyboardInterrupt, not an error class
    """Raised in a thread whose :func:`deadline` passed."""


# called with the GIL held. Never with NULL to withdraw an exception: that sets the interpreter's "asynchronous
# exception pending" flag that only raising one clears, and CPython 3.11 then loops forever on the first Python
# call made under a profile function (the PDF fallback's deadline, matcher.parsing.pdf): CI hung on it
_raise_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)


def _surface() -> None:
    """Nothing: calling a Python function is where a pending asynchronous exception is raised (its first
    instruction checks for one), so the caller can catch it there."""


class _Watchdog:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int]] = []  # (due, token)
        self._live: dict[int, int] = {}  # token -> thread id, while its block runs
        self._fired: dict[int, int] = {}  # token -> thread id, once its deadline fired
        self._next = 0
        self._thread: threading.Thread | None = None

    def register(self, seconds: float) -> int:
        with self._cond:
            self._next += 1
            token = self._next
            self._live[token] = threading.get_ident()
            heapq.heappush(self._heap, (time.monotonic() + seconds, token))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, daemon=True, name="skillmatch-deadline")
                self._thread.start()
            self._cond.notify()
            return token

    def unregister(self, token: int) -> bool:
        """Forget the block (called in the block's thread); True when its deadline fired.

        An exception fired as the block ended may still be pending: it is raised here, on purpose, and caught,
        so that it cannot surface after the block; it may also surface anywhere in this method, hence the loop."""
        fired = surfaced = False
        while True:
            try:
                with self._cond:
                    self._live.pop(token, None)
                    fired = self._fired.pop(token, None) is not None or fired
                if fired and not surfaced:
                    _surface()
                return fired or surfaced
            except Expired:
                surfaced = True

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][1] not in self._live:
                    heapq.heappop(self._heap)  # a block that ended in time
                if not self._heap:
                    self._cond.wait()
                    continue
                due, token = self._heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
                thread = self._live.pop(token, None)
                if thread is not None:
                    self._fired[token] = thread
                    _raise_in(thread, Expired)


_watchdog = _Watchdog()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Run the block with a deadline: :class:`Expired` is raised inside it once ``seconds`` have passed.

    The exception never escapes after the block: if the deadline fires as the block ends, it is raised at the
    block's end instead (the work ran late, even if it finished)."""
    token = _watchdog.register(seconds)
    try:
        yield
    except BaseException:
        _watchdog.unregister(token)
        raise
    if _watchdog.unregister(token):
        raise Expired
