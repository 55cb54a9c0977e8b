"""The row files of a dataset (train.jsonl, rejects.jsonl, and test.jsonl with a split), written in one place.

``build`` (through its sink) and ``chukmath verify`` both hand each problem's ``select_samples`` result to
:class:`RowFiles`, in problem order: it counts the result into the stats and buffers its rows as lines, and
``write`` puts each file's lines down with one ``write`` call (a syscall per row would be the bottleneck at
thousands of samples a second). A failed write (a full disk, a size limit) is an OutputError naming the file, and
the files keep whole lines only. ``finish`` syncs every file first and renames them into place after, so a
failure never leaves a new train.jsonl beside an old rejects.jsonl.

Where a file grows until then is the caller's choice:
- ``partial=`` a naming function (build: ``<name>.partial``): a fixed name ``tail -f`` can follow; a failed run
  leaves it, and the next run rewrites it from the start.
- none (verify): a unique temporary name (:class:`chukmath.jsonl.AtomicWriter`); a failed run removes it, and the
  files already there stay as they were.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Protocol

from chukmath.errors import OutputError, output_error
from chukmath.jsonl import AtomicWriter, dumps_line, open_checked
from chukmath.records import Problem
from chukmath.write.selection import ProblemResult
from chukmath.write.stats import StatsAccumulator

REJECTS_SPLIT = "rejects"
FLUSH_LINES = 512  # lines buffered before a write is due
# ... or this many bytes: journal lines are untrusted and may be megabytes each, so a count alone does not bound memory
FLUSH_BYTES = 4 << 20


class _Growing(Protocol):
    """A row file while it grows: its handle, then ``commit`` (into place) or ``abandon``."""

    final: Path
    fh: IO[bytes]

    def commit(self) -> None: ...

    def abandon(self) -> None: ...


class _Partial:
    """Grows at a fixed scratch name; kept after a failure (the next run rewrites it)."""

    def __init__(self, final: Path, path: Path) -> None:
        self.final = final
        self.path = path
        self.fh: IO[bytes] = open_checked(path)

    def commit(self) -> None:
        try:
            self.fh.close()
            os.replace(self.path, self.final)
        except OSError as exc:
            raise output_error(self.final, exc) from None

    def abandon(self) -> None:
        with contextlib.suppress(OSError, OutputError):  # after a failed write the first error is reported
            self.fh.close()


class _Temporary:
    """Grows under a unique temporary name; removed after a failure."""

    def __init__(self, final: Path) -> None:
        # AtomicWriter's enter and exit are called by hand: RowFiles ends all its files together, not in a block.
        self.final = final
        self._writer = AtomicWriter(final)
        self.fh: IO[bytes] = self._writer.__enter__()

    def commit(self) -> None:
        self._writer.__exit__(None, None, None)

    def abandon(self) -> None:
        self._writer.__exit__(OutputError, None, None)


class RowFiles:
    """The row files of one run. ``finals`` maps each split (``train``, ``rejects``, ``test``) to its file.

    Use as a context manager (``finish`` on success) or call ``finish`` and then ``close`` (which abandons what
    was not finished).
    """

    def __init__(
        self,
        finals: Mapping[str, Path],
        stats: StatsAccumulator,
        *,
        partial: Callable[[Path], Path] | None = None,
        flush_lines: int = FLUSH_LINES,
    ) -> None:
        if REJECTS_SPLIT not in finals:
            raise ValueError(f"RowFiles needs a {REJECTS_SPLIT!r} file, got {sorted(finals)}")
        self.stats = stats
        self.flush_lines = flush_lines
        self._partial = partial
        self._bytes = 0  # buffered
        self._files: dict[str, _Growing] = {}
        self._buffers: dict[str, list[bytes]] = {}
        self._broken = False  # a write failed: close() must not write what is buffered once more
        self._done = False
        try:
            for split, final in finals.items():
                self._files[split] = _Partial(final, partial(final)) if partial is not None else _Temporary(final)
                self._buffers[split] = []
        except BaseException:
            self._broken = True
            self.close()
            raise

    def has(self, split: str) -> bool:
        """Whether this run writes ``split``."""
        return split in self._files

    @property
    def pending(self) -> int:
        """Lines buffered and not written yet."""
        return sum(len(lines) for lines in self._buffers.values())

    def due(self, other_lines: int = 0) -> bool:
        """Whether a write is due: ``flush_lines`` lines buffered (with ``other_lines`` the caller buffers
        alongside, such as build's problems) or ``FLUSH_BYTES`` bytes."""
        return self._bytes >= FLUSH_BYTES or self.pending + other_lines >= self.flush_lines

    def add(self, problem: Problem, result: ProblemResult, split: str | None = "train") -> None:
        """Count the next problem's result and buffer its rows: sample rows to ``split`` (None: nowhere), rejects
        to the rejects file."""
        if split is not None:
            buffer = self._buffers.get(split)
            if buffer is None or split == REJECTS_SPLIT:
                raise ValueError(f"no {split!r} file in this run (it writes {', '.join(self._files)})")
            for row in result.rows:
                line = dumps_line(row)
                self._bytes += len(line)
                buffer.append(line)
        rejects = self._buffers[REJECTS_SPLIT]
        for row in result.rejects:
            line = dumps_line(row)
            self._bytes += len(line)
            rejects.append(line)
        self.stats.add_result(problem, result)

    def write(self) -> None:
        """Write the buffered lines, one write per file, and hand them to the OS (``tail -f`` sees every call)."""
        try:
            for split, lines in self._buffers.items():
                if lines:
                    self._files[split].fh.write(b"".join(lines))
                    lines.clear()
            self._bytes = 0
            for grown in self._files.values():
                grown.fh.flush()
        except BaseException:
            self._broken = True
            raise

    def finish(self) -> None:
        """Write what is buffered, sync every file, then rename each into place."""
        self.write()
        try:
            for grown in self._files.values():
                try:
                    os.fsync(grown.fh.fileno())
                except OSError as exc:
                    raise output_error(grown.final, exc) from None
            for grown in self._files.values():
                grown.commit()
        except BaseException:
            self._broken = True
            raise
        self._done = True

    def close(self) -> None:
        """Abandon the files ``finish`` did not rename (a build's partial files get what is buffered first)."""
        if self._done:
            return
        self._done = True
        try:
            if not self._broken and self._partial is not None:
                self.write()
        finally:
            for grown in self._files.values():
                grown.abandon()

    def __enter__(self) -> RowFiles:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.finish()
        finally:
            self.close()
