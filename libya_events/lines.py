"""Line numbers of CSV rows: one convention for every reader in the package.

A row's line is the physical line it starts on, counting LF line breaks only, as git, GitHub
annotations and ``wc -l`` do: a CRLF ends a line, a bare CR does not. Python's csv module
splits its input at a bare CR too, so every reader feeds it through `Lines`, which counts.
"""

from __future__ import annotations

import io
from collections.abc import Iterator


class Lines:
    """The pieces of a text that csv.reader reads, counting LF line breaks and characters."""

    def __init__(self, text: str):
        self._it = iter(io.StringIO(text, newline=""))
        #: LF line breaks read so far: the next record starts on line ``newlines + 1``.
        self.newlines = 0
        #: Characters read so far.
        self.offset = 0
        #: The line the last piece read starts on (where a csv.Error was raised).
        self.last = 1
        #: The last piece read: after csv.reader gives a record, the piece that ended it.
        self.piece = ""

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        piece = self.piece = next(self._it)
        self.last = self.newlines + 1
        self.offset += len(piece)
        if piece.endswith("\n"):
            self.newlines += 1
        return piece

    @property
    def ended_by_bare_cr(self) -> bool:
        """Whether the last piece read ends with a CR that is not part of a CRLF."""
        return self.piece.endswith("\r")

    @property
    def next_line(self) -> int:
        """The line the next record starts on."""
        return self.newlines + 1


def numbered(reader: Iterator[list[str]], lines: Lines) -> Iterator[tuple[int, list[str]]]:
    """Each record of ``reader`` (a csv.reader over ``lines``) with the line it starts on,
    leaving out blank lines."""
    while True:
        start = lines.next_line
        record = next(reader, None)
        if record is None:
            return
        if record:
            yield start, record
