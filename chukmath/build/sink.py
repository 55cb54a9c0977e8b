"""Where finished problems go, in problem-index order: problems.jsonl, the journal, train/rejects and the stats.

Writes are batched (one ``write`` per file per flush) because at thousands of samples a second a syscall per row
would be the bottleneck. The order of a flush — problems, then journal, then train/rejects — means a kill at any
moment leaves files that the next run can resume from: problems and the journal are append-only prefixes, and
train/rejects ``.partial`` files are rewritten from the start by every run.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any

import orjson

from chukmath.build.rundir import RunDir
from chukmath.errors import OutputError, output_error
from chukmath.jsonl import JsonlAppender, dumps_line, open_checked, repair_torn_tail
from chukmath.records import Problem, Response
from chukmath.teach.journal import Journal
from chukmath.teach.progress import Counters


def count_lines_readonly(path: Path) -> int:
    """Newlines in ``path`` (0 when it does not exist), without repairing anything."""
    if not path.exists():
        return 0
    lines = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
    return lines


def count_lines(path: Path) -> tuple[int, bytes]:
    """Complete lines in ``path`` (after cutting a torn tail) and the last complete line."""
    if not path.exists():
        return 0, b""
    repair_torn_tail(path)
    lines = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
        size = fh.tell()
        fh.seek(max(0, size - (1 << 16)))
        tail = fh.read().rstrip(b"\n").rsplit(b"\n", 1)[-1]
    return lines, tail


def trim_lines(path: Path, keep: int) -> int:
    """Cut ``path`` after its first ``keep`` complete lines (nothing when it has fewer); returns the lines cut."""
    if not path.exists():
        return 0
    repair_torn_tail(path)
    seen = 0
    offset = 0
    with path.open("r+b") as fh:
        while block := fh.read(1 << 20):
            newlines = block.count(b"\n")
            if seen + newlines <= keep:
                seen += newlines
                offset += len(block)
                continue
            cut = offset
            for _ in range(keep - seen):
                cut = block.index(b"\n", cut - offset) + 1 + offset
            rest = newlines - (keep - seen)
            rest += fh.read().count(b"\n")
            fh.truncate(cut)
            return rest
    return 0


class Sink:
    """Ordered, batched output of one run. ``emit`` takes problems strictly in index order."""

    def __init__(
        self,
        run: RunDir,
        journal: Journal,
        counters: Counters,
        stats: Any,
        *,
        flush_every: int = 512,
        test: bool = False,
    ) -> None:
        self.run = run
        self.counters = counters
        self.stats = stats
        self.flush_every = flush_every
        self.problems_on_disk, last = count_lines(run.problems)
        self._last_problem_id = orjson.loads(last).get("id") if last else None
        self.problems_out = JsonlAppender(run.problems)
        # The run's journal (opened by the pipeline): answers queued on it are written at each flush, after the
        # problems they answer.
        self.journal = journal
        self._train: IO[bytes] = open_checked(run.partial(run.train))
        self._rejects: IO[bytes] = open_checked(run.partial(run.rejects))
        # test.jsonl only when the recipe has a [split]; the train-only layout stays as it was.
        self._test: IO[bytes] | None = open_checked(run.partial(run.test)) if test else None
        self._broken = False  # a write failed (disk full): close() must not write what is buffered once more
        self._buf_problems: list[dict[str, Any]] = []
        self._buf_train: list[bytes] = []
        self._buf_rejects: list[bytes] = []
        self._buf_test: list[bytes] = []
        self.next_index = 0
        self.first_sample: dict[str, Any] | None = None

    def journal_later(self, response: Response) -> None:
        """Queue a cheap (built-in) answer for the next batched flush."""
        self.journal.append_later(response)

    def _outputs(self) -> list[tuple[IO[bytes], Path]]:
        files = [(self._train, self.run.train), (self._rejects, self.run.rejects)]
        return files + ([(self._test, self.run.test)] if self._test is not None else [])

    def emit(self, problem: Problem, result: Any, split: str | None = "train") -> None:
        """Take the ``select_samples`` result of the next problem in index order; its sample rows go to
        ``split`` (``train``, ``test``, or None: nowhere)."""
        index = self.next_index
        if index >= self.problems_on_disk:
            self._buf_problems.append(problem.to_dict())
        elif index == self.problems_on_disk - 1 and self._last_problem_id != problem.id:
            raise OutputError(
                f"{self.run.problems}: line {index + 1} holds problem {self._last_problem_id}, but this recipe makes "
                f"{problem.id} there; the directory was made by other code or edited. Use --force to start over"
            )
        self.next_index = index + 1
        if split == "test":
            self._buf_test.extend(dumps_line(row) for row in result.rows)
        elif split is not None:
            for row in result.rows:
                if self.first_sample is None:
                    self.first_sample = row
                self._buf_train.append(dumps_line(row))
        self._buf_rejects.extend(dumps_line(row) for row in result.rejects)
        self.stats.add_result(problem, result)
        c = self.counters
        for outcome in result.outcomes:
            if outcome.verdict is not None:
                c.verified += 1
        c.accepted += len(result.rows)
        if len(self._buf_problems) + len(self._buf_train) + len(self._buf_rejects) + len(self._buf_test) >= (
            self.flush_every
        ):
            self.flush()

    def flush(self) -> None:
        """Write what is buffered, in crash-safe order; a failed write (OutputError) leaves whole lines only."""
        try:
            self._flush()
        except BaseException:
            self._broken = True
            raise

    def _flush(self) -> None:
        if self._buf_problems:
            self.problems_out.append_many(self._buf_problems)
            self._buf_problems.clear()
        self.journal.flush()
        if self._buf_train:
            self._train.write(b"".join(self._buf_train))
            self._buf_train.clear()
        if self._buf_rejects:
            self._rejects.write(b"".join(self._buf_rejects))
            self._buf_rejects.clear()
        if self._buf_test and self._test is not None:
            self._test.write(b"".join(self._buf_test))
            self._buf_test.clear()
        # Whole lines reach the .partial files now, not when Python's buffer fills: `tail -f` sees every flush.
        for fh, _ in self._outputs():
            if not fh.closed:
                fh.flush()

    def finish(self) -> None:
        """Flush, make the partial files durable and rename them into place."""
        self.flush()
        if self._test is None:
            self.run.test.unlink(missing_ok=True)  # an earlier run's test split, from a recipe that had [split]
        for fh, final in self._outputs():
            try:
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
                os.replace(self.run.partial(final), final)
            except OutputError:
                self._broken = True
                raise
            except OSError as exc:
                self._broken = True
                raise output_error(final, exc) from None
        self.close()

    def close(self) -> None:
        """Flush and close everything (on error too: what was finished stays on disk for the next run)."""
        try:
            if not self._broken and not all(fh.closed for fh, _ in self._outputs()):
                self.flush()
        finally:
            for fh, _ in self._outputs():
                with contextlib.suppress(OSError, OutputError):  # after a failed write the first error is reported
                    fh.close()
            self.problems_out.close()
            if self._broken:
                self.journal.drop_queued()  # answered again by the next run, after the problems they answer
