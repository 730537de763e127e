"""A progress bar on stderr for long runs, silent unless stderr is a terminal.

Nothing is drawn during the first second, so small packages print nothing extra; after that the
bar is redrawn in place at most ten times a second and wiped when the run ends. When stderr (or
stdout) is not a terminal, as in CI logs, pipes and files, or with ``enabled=False`` (the CLI's
``--quiet``), every call does nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

_WIDTH = 24
_REDRAW_EVERY = 0.1


def is_terminal(*streams: TextIO) -> bool:
    """True when every stream is an open terminal."""
    for stream in streams:
        try:
            if stream.closed or not stream.isatty():
                return False
        except (AttributeError, ValueError, OSError):
            return False
    return True


class Progress:
    """``with Progress(total, "validating") as bar: bar.advance(n, "events")``.

    ``total`` and the steps are in any unit (bytes read, rows checked); the bar shows the share
    done, what is being done now and the seconds elapsed.
    """

    def __init__(
        self,
        total: float,
        label: str = "",
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        delay: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = is_terminal(self.stream, sys.stdout)
        self.enabled = enabled
        self.total = float(total)
        self.done = 0.0
        self.label = label
        self.step = ""
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.last_draw: float | None = None
        self.drawn = False

    def start(self, total: float) -> None:
        """Set the whole, once it is known (the clock keeps running from construction)."""
        self.total = float(total)

    def advance(self, amount: float = 0.0, step: str | None = None) -> None:
        """Count ``amount`` more units done and, optionally, name the step now running."""
        if not self.enabled or self.total <= 0:
            return
        self.done = min(self.total, self.done + amount)
        if step is not None:
            self.step = step
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self.last_draw is not None and now - self.last_draw < _REDRAW_EVERY:
            return
        self.last_draw = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        share = self.done / self.total
        filled = int(share * _WIDTH)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        words = "".join(f"{w} " for w in (self.label, self.step) if w)
        text = f"\r{words}[{bar}] {share:4.0%} {now - self.started:5.1f} s\x1b[K"
        self.stream.write(text)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Wipe the bar, leaving the line as it was before."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
