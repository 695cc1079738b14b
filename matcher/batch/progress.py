"""Progress of a run on stderr: a bar with documents/s and ETA on a terminal, a plain line every few seconds in a
log (a night's run under cron or a job scheduler)."""

from __future__ import annotations

import sys
import time
from typing import IO

PLAIN_PROGRESS_EVERY_S = 10.0


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
