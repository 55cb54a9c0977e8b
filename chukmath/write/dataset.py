"""The streaming dataset writer behind ``chukmath verify``: inputs in, train.jsonl / rejects.jsonl / stats.json out."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from chukmath.errors import OutputError
from chukmath.jsonl import AtomicWriter
from chukmath.verify import Policy
from chukmath.write.files import REJECTS_SPLIT, RowFiles
from chukmath.write.index import InputIndex
from chukmath.write.selection import SelectOptions, select_samples
from chukmath.write.stats import StatsAccumulator

TRAIN = "train.jsonl"
REJECTS = "rejects.jsonl"
STATS = "stats.json"


@dataclass(frozen=True, slots=True)
class DatasetPaths:
    """The inputs of a verify run."""

    problems: Path
    requests: Path
    responses: Path


def write_stats(path: str | Path, stats: dict[str, Any]) -> None:
    """Write stats.json atomically, keys sorted so equal stats give equal bytes."""
    with AtomicWriter(path) as fh:
        fh.write(orjson.dumps(stats, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


def write_dataset(
    inputs: DatasetPaths,
    out_dir: str | Path,
    *,
    policy_spec: str = "all",
    options: SelectOptions | None = None,
) -> dict[str, Any]:
    """Verify every journal answer and write ``train.jsonl``, ``rejects.jsonl`` and ``stats.json`` in ``out_dir``.

    Rows come in problem-index order and, within a problem, by sample index, so the same inputs give
    byte-identical files whatever order the journal was written in. The rows go through :class:`RowFiles`, the
    writer build's sink uses: each file grows under a temporary name and all are renamed into place at the end, so
    a failure leaves the previous files intact. Memory: one problem's responses at a time, the rows buffered for
    the next write (at most 512 lines or 4 MiB past one problem's, ``RowFiles.due``), and the on-disk index's
    bounded cache (see ``chukmath.write.index``). Returns the stats.
    """
    options = options or SelectOptions()
    policy = Policy.from_spec(policy_spec)
    out = Path(out_dir)
    stats = StatsAccumulator(
        {"policy": policy_spec, **options.to_dict()},
    )
    try:
        with InputIndex(inputs.problems, inputs.requests, inputs.responses, out) as index:
            index.build()
            with RowFiles({"train": out / TRAIN, REJECTS_SPLIT: out / REJECTS}, stats) as files:
                for problem in index.problems():
                    files.add(problem, select_samples(problem, index.candidates(problem.id), policy, options))
                    if files.due():
                        files.write()
            stats.add_orphans(index.orphan_keys())
    except sqlite3.OperationalError as exc:
        # The scratch index is the one file SQLite writes: "database or disk is full", "disk I/O error" (EFBIG).
        raise OutputError(
            f"{out}: cannot write verify's scratch index there ({exc}); free some space (about 100 bytes a line) or "
            "raise the file-size limit, and run the same command again"
        ) from None
    summary = stats.to_dict()
    write_stats(out / STATS, summary)
    return summary
