"""Decontamination against user-supplied benchmarks: drop a problem that shares an n-gram window with any
benchmark question.

Texts are compared after :func:`chukmath.split.normalize_question` (case, whitespace, number formatting), as
word-and-symbol tokens, in windows of ``ngram`` tokens (8 by default, the window open R1 reproductions use). A
text shorter than the window is one window of its own, so a short benchmark question still matches the same short
question. Benchmark files are JSONL or Parquet with a question column (``question``, else ``problem``, unless
named).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chukmath.errors import ConfigError, InputError
from chukmath.split import normalize_question

DEFAULT_NGRAM = 8
DEFAULT_COLUMNS = ("question", "problem")
MAX_EXAMPLES = 5


def windows(text: str, ngram: int = DEFAULT_NGRAM) -> Iterator[tuple[str, ...]]:
    """The ``ngram``-token windows of ``text`` after normalisation (the whole text when it is shorter)."""
    tokens = normalize_question(text).split()
    if not tokens:
        return
    if len(tokens) <= ngram:
        yield tuple(tokens)
        return
    for start in range(len(tokens) - ngram + 1):
        yield tuple(tokens[start : start + ngram])


def _window_key(window: tuple[str, ...]) -> int:
    return int.from_bytes(hashlib.blake2b("\x1f".join(window).encode(), digest_size=8).digest(), "little")


def _parquet_column(path: Path, columns: Sequence[str]) -> tuple[str, Iterator[Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError(f"{path}: reading Parquet needs pyarrow (pip install pyarrow)") from None
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error types for a bad file
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    names = parquet.schema_arrow.names
    column = next((c for c in columns if c in names), None)
    if column is None:
        raise InputError(
            f"{path}: no column {' or '.join(columns)} (columns: {', '.join(names)}); use --decontaminate-col"
        )

    def values() -> Iterator[Any]:
        for batch in parquet.iter_batches(columns=[column], batch_size=4096):
            yield from batch.column(0).to_pylist()

    return column, values()


def _jsonl_column(path: Path, columns: Sequence[str]) -> tuple[str, Iterator[Any]]:
    from chukmath.jsonl import read_jsonl

    rows = read_jsonl(path)
    first = next(rows, None)
    if first is None:
        raise InputError(f"{path}: no rows")
    column = next((c for c in columns if c in first[1]), None)
    if column is None:
        raise InputError(
            f"{path}:{first[0]}: no field {' or '.join(columns)} (fields: {', '.join(first[1])}); "
            "use --decontaminate-col"
        )

    def values() -> Iterator[Any]:
        yield first[1].get(column)
        for line_no, row in rows:
            if column not in row:
                raise InputError(f"{path}:{line_no}: no field {column!r}")
            yield row[column]

    return column, values()


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a benchmark window was first seen: file, row (0-based) and the question."""

    benchmark: str
    row: int
    question: str


@dataclass
class Decontaminator:
    """An index of benchmark windows; :meth:`check` says whether (and where) a question is contaminated."""

    ngram: int = DEFAULT_NGRAM
    benchmarks: list[dict[str, Any]] = field(default_factory=list)
    dropped: int = 0
    checked: int = 0
    by_benchmark: Counter[str] = field(default_factory=Counter)
    examples: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[int, Hit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.ngram < 1:
            raise ConfigError(f"--ngram {self.ngram}: the window must be at least 1 word")

    @classmethod
    def from_files(
        cls, paths: Sequence[str | Path], columns: Sequence[str] = (), ngram: int = DEFAULT_NGRAM
    ) -> Decontaminator:
        """Index every question of every file (``columns``: the names to try, first found wins)."""
        index = cls(ngram=ngram)
        for path in paths:
            index.add_file(path, columns)
        return index

    def add_file(self, path: str | Path, columns: Sequence[str] = ()) -> None:
        """Index the question column of one benchmark file (``.parquet`` by Parquet, anything else as JSONL)."""
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such benchmark file")
        tried = tuple(columns) or DEFAULT_COLUMNS
        reader = _parquet_column if path.suffix == ".parquet" else _jsonl_column
        column, values = reader(path, tried)
        questions = 0
        for row, value in enumerate(values):
            if not isinstance(value, str):
                continue
            questions += 1
            for window in windows(value, self.ngram):
                self._index.setdefault(_window_key(window), Hit(str(path), row, value))
        self.benchmarks.append({"file": str(path), "column": column, "questions": questions})

    def check(self, question: str) -> Hit | None:
        """The benchmark question that shares a window with ``question``, or None."""
        for window in windows(question, self.ngram):
            hit = self._index.get(_window_key(window))
            if hit is not None:
                return hit
        return None

    def admits(self, problem_id: str, question: str) -> bool:
        """False (and counted, with an example) when ``question`` is contaminated."""
        self.checked += 1
        hit = self.check(question)
        if hit is None:
            return True
        self.dropped += 1
        self.by_benchmark[hit.benchmark] += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(
                {
                    "problem_id": problem_id,
                    "question": question,
                    "benchmark": hit.benchmark,
                    "row": hit.row,
                    "benchmark_question": hit.question,
                }
            )
        return False

    def report(self) -> dict[str, Any]:
        """How many problems were checked and dropped, by benchmark, with examples."""
        return {
            "ngram": self.ngram,
            "method": f"dropped: a problem sharing a {self.ngram}-token window (normalised) with a benchmark question",
            "benchmarks": list(self.benchmarks),
            "checked": self.checked,
            "dropped": self.dropped,
            "by_benchmark": dict(sorted(self.by_benchmark.items())),
            "examples": list(self.examples),
        }
