"""The dataset's JSONL splits as sharded Parquet under the Hub's file names (``data/train-00000-of-00001.parquet``).

The JSONL files stay the run's working files (resume and re-judging read them); Parquet is written from them at
the end of a run, shard by shard, so memory is bounded by one shard (``SHARD_BYTES`` of JSONL), never by the
dataset. Shards are named as ``datasets``' ``push_to_hub`` names them: ``{folder}/{split}-{i:05d}-of-{n:05d}.parquet``,
with the default config in ``data/`` and every other config in a folder of its own name (``rejects/``).
Writing needs pyarrow (``pip install 'chukmath[parquet]'``).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from pathlib import Path
from typing import Any

from chukmath.errors import ConfigError, output_error
from chukmath.formats import DEFAULT_CONFIG, run_splits
from chukmath.jsonl import read_jsonl

# JSONL bytes per shard: the Hub's viewer and `datasets` like files of a few hundred MB at most.
SHARD_BYTES = 256 * 1024 * 1024
_SHARD = re.compile(r"^(?P<split>[a-z]+)-(?P<i>\d{5})-of-(?P<n>\d{5})\.parquet$")


def need_pyarrow() -> Any:
    """``pyarrow.parquet``, or ConfigError saying how to get it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError(
            "the parquet format needs pyarrow: pip install 'chukmath[parquet]' (or write jsonl: [output] format = "
            '"jsonl", or --as jsonl)'
        ) from None
    return pq


def shard_name(split: str, index: int, total: int) -> str:
    """``train-00000-of-00002.parquet``."""
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


def shards_of(folder: Path, split: str) -> list[Path]:
    """The shard files of ``split`` in ``folder`` (sorted), by the Hub's naming."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if (m := _SHARD.match(p.name)) and m["split"] == split)


def remove_shards(folder: Path, split: str) -> None:
    """Delete ``split``'s shards in ``folder`` (and ``folder`` when that leaves it empty); other files stay."""
    for path in shards_of(folder, split):
        path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty: a folder the user keeps things in stays


def _lines(path: Path) -> int:
    count = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            count += block.count(b"\n")
    return count


def write_shards(source: Path, folder: Path, split: str, *, shard_bytes: int = SHARD_BYTES) -> list[Path]:
    """Write the JSONL file ``source`` as ``folder/{split}-*-of-*.parquet`` (none for an empty file), replacing
    earlier shards of that split; returns the shard paths. The same rows give the same bytes (no timestamps)."""
    pq = need_pyarrow()
    import pyarrow as pa

    remove_shards(folder, split)
    rows_total = _lines(source) if source.exists() else 0
    if rows_total == 0:
        return []
    total = max(1, math.ceil(source.stat().st_size / shard_bytes))
    per_shard = math.ceil(rows_total / total)
    total = math.ceil(rows_total / per_shard)  # no empty last shard
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(folder, exc, "cannot create the Parquet folder") from None
    written: list[Path] = []
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        path = folder / shard_name(split, len(written), total)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            pq.write_table(pa.Table.from_pylist(batch), tmp, compression="zstd")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise output_error(path, exc) from None
        written.append(path)
        batch.clear()

    for _, row in read_jsonl(source):
        batch.append(row)
        if len(batch) == per_shard:
            flush()
    if batch:
        flush()
    return written


# The folder of the default config's shards (push_to_hub's); any other config's are in a folder of its own name.
DATA_FOLDER = "data"


def run_shards() -> dict[str, tuple[str, str, str]]:
    """A run directory's splits (:func:`chukmath.formats.run_splits`) by name: (JSONL file, folder of its shards,
    split name inside that folder), e.g. ``rejects``: (``rejects.jsonl``, ``rejects``, ``train``)."""
    return {
        s.split: (s.jsonl, DATA_FOLDER if s.config == DEFAULT_CONFIG else s.config, s.config_split)
        for s in run_splits()
    }


def publish_run(root: Path) -> list[Path]:
    """In a run directory: write each split (train, test, rejects) as shards (``data/``, ``rejects/``); returns the
    shards."""
    written: list[Path] = []
    for jsonl, folder, split in run_shards().values():
        written += write_shards(root / jsonl, root / folder, split)
    return written


def withdraw_run(root: Path) -> None:
    """In a run directory: remove the shards an earlier Parquet run left (other files in the folders stay)."""
    for _, folder, split in run_shards().values():
        remove_shards(root / folder, split)


def run_data_files(root: Path, split: str) -> str | None:
    """The card's path for a split's shards (``data/train-*``), or None when it has none."""
    _, folder, data_split = run_shards()[split]
    return f"{folder}/{data_split}-*" if shards_of(root / folder, data_split) else None


class ParquetRows:
    """A Parquet file written row batch by row batch (zstd); no file at all until the first rows arrive, because a
    Parquet file needs a schema and zero rows have none."""

    def __init__(self, path: Path) -> None:
        need_pyarrow()
        self.path = path
        self._writer: Any = None

    def write(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            table = pa.Table.from_pylist(rows)
            self._writer = pq.ParquetWriter(self.path, table.schema)
        else:
            table = pa.Table.from_pylist(rows, schema=self._writer.schema)
        self._writer.write_table(table)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
