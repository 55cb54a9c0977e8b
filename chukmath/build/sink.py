"""Where finished problems go, in problem-index order: problems.jsonl, the journal, train/rejects and the stats.

Writes are batched (one ``write`` per file per flush) because at thousands of samples a second a syscall per row
would be the bottleneck. The order of a flush — problems, then journal, then train/rejects — means a kill at any
moment leaves files that the next run can resume from: problems and the journal are append-only prefixes, and
train/rejects ``.partial`` files are rewritten from the start by every run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from chukmath.build.rundir import RunDir
from chukmath.errors import OutputError
from chukmath.jsonl import JsonlAppender, repair_torn_tail
from chukmath.records import Problem, Response
from chukmath.teach.journal import Journal
from chukmath.teach.progress import Counters
from chukmath.write.files import REJECTS_SPLIT, RowFiles
from chukmath.write.selection import ProblemResult
from chukmath.write.stats import StatsAccumulator


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
    """Ordered, batched output of one run. ``emit`` takes problems strictly in index order.

    The row files are :class:`~chukmath.write.files.RowFiles` (the writer ``chukmath verify`` uses too); the sink
    adds what only a build has: problems.jsonl, the journal's queued answers, the progress counters and the card's
    example row, and writes them in the crash-safe order above.
    """

    def __init__(
        self,
        run: RunDir,
        journal: Journal,
        counters: Counters,
        stats: StatsAccumulator,
        *,
        flush_every: int = 512,
        test: bool = False,
    ) -> None:
        self.run = run
        self.counters = counters
        self.stats = stats
        self.problems_on_disk, last = count_lines(run.problems)
        self._last_problem_id = orjson.loads(last).get("id") if last else None
        self.problems_out = JsonlAppender(run.problems)
        # The run's journal (opened by the pipeline): answers queued on it are written at each flush, after the
        # problems they answer.
        self.journal = journal
        # test.jsonl only when the recipe has a [split]; the train-only layout stays as it was.
        finals = {"train": run.train, REJECTS_SPLIT: run.rejects} | ({"test": run.test} if test else {})
        try:
            self.files = RowFiles(finals, stats, partial=run.partial, flush_lines=flush_every)
        except BaseException:
            self.problems_out.close()
            raise
        self._broken = False  # a write failed (disk full): close() must not write what is buffered once more
        self._finished = False
        self._closed = False
        self._buf_problems: list[dict[str, Any]] = []
        self.next_index = 0
        self.first_sample: dict[str, Any] | None = None

    def journal_later(self, response: Response) -> None:
        """Queue a cheap (built-in) answer for the next batched flush."""
        self.journal.append_later(response)

    def emit(self, problem: Problem, result: ProblemResult, split: str | None = "train") -> None:
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
        if split == "train" and self.first_sample is None and result.rows:
            self.first_sample = result.rows[0]
        self.files.add(problem, result, split)
        c = self.counters
        for outcome in result.outcomes:
            if outcome.verdict is not None:
                c.verified += 1
        c.accepted += len(result.rows)
        if self.files.due(len(self._buf_problems)):
            self.flush()

    def flush(self) -> None:
        """Write what is buffered, in crash-safe order; a failed write (OutputError) leaves whole lines only."""
        try:
            if self._buf_problems:
                self.problems_out.append_many(self._buf_problems)
                self._buf_problems.clear()
            self.journal.flush()
            self.files.write()
        except BaseException:
            self._broken = True
            raise

    def finish(self) -> None:
        """Flush, make the partial files durable and rename them into place."""
        self.flush()
        if not self.files.has("test"):
            self.run.test.unlink(missing_ok=True)  # an earlier run's test split, from a recipe that had [split]
        try:
            self.files.finish()
        except BaseException:
            self._broken = True
            raise
        self._finished = True
        self.close()

    def close(self) -> None:
        """Flush and close everything (on error too: what was finished stays on disk for the next run)."""
        if self._closed:
            return
        self._closed = True
        try:
            if not self._broken and not self._finished:
                self.flush()
        finally:
            try:
                self.files.close()
            finally:
                self.problems_out.close()
                if self._broken:
                    self.journal.drop_queued()  # answered again by the next run, after the problems they answer
