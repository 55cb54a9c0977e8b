"""Where exported rows go: one file per split (and per difficulty bucket), JSONL or Parquet, in a chosen order.

Rows are streamed. Ordering by a key with few values (difficulty, pass rate) spools each key's rows to a
temporary JSONL file and concatenates them in key order at the end, so memory is bounded by a batch, never by
the dataset. Files appear complete or not at all (written under a temporary name, renamed at the end).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import orjson

from chukmath.errors import OutputError
from chukmath.formats import RowsFile, get_format
from chukmath.jsonl import dumps_line, read_jsonl

# A format name of chukmath.formats.FORMATS (jsonl, parquet).
FormatName = str
_BATCH = 4096


class RowFile:
    """One output file; ``finalize(row, n)`` (optional) fills a row's position-dependent fields as it is written.

    The bytes are the format's (:mod:`chukmath.formats`); the file grows under a temporary name and is moved
    into place by :meth:`close`."""

    def __init__(self, path: Path, file_format: FormatName, finalize: Callable[[dict[str, Any], int], None] | None):
        chosen = get_format(file_format, "--as")
        chosen.require()
        self.path = path
        self.format = file_format
        self.finalize = finalize
        self.rows = 0
        self._tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self._batch: list[dict[str, Any]] = []
        self._file: RowsFile = chosen.open_rows(self._tmp)

    def write(self, row: dict[str, Any]) -> None:
        if self.finalize is not None:
            self.finalize(row, self.rows)
        self.rows += 1
        self._batch.append(row)
        if len(self._batch) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._file.write(self._batch)
            self._batch = []

    def close(self) -> None:
        """Write what is left and move the file into place (a format may make no file for zero rows: Parquet)."""
        self._flush()
        self._file.close()
        if self._tmp.exists():
            os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)


class SplitWriter:
    """Rows of one export by split (``train``/``test``) and optional bucket, in key order when a key is given.

    ``name(split, bucket)`` is the file path relative to the output folder.
    """

    def __init__(
        self,
        out: Path,
        file_format: FormatName,
        *,
        bucket: Callable[[dict[str, Any]], Any] | None = None,
        order: Callable[[dict[str, Any]], Any] | None = None,
        finalize: Callable[[dict[str, Any], int], None] | None = None,
    ) -> None:
        self.out = out
        self.format = file_format
        self.bucket = bucket
        self.order = order
        self.finalize = finalize
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{out}: cannot create the output folder ({exc.strerror})") from None
        self._files: dict[tuple[str, Any], RowFile] = {}
        self._spool_dir: Path | None = None
        self._spools: dict[tuple[str, Any, Any], IO[bytes]] = {}

    def relpath(self, split: str, bucket: Any) -> str:
        name = f"{split}.{get_format(self.format, '--as').suffix}"
        return name if bucket is None else f"difficulty-{bucket}/{name}"

    def _file(self, split: str, bucket: Any) -> RowFile:
        key = (split, bucket)
        if key not in self._files:
            path = self.out / self.relpath(split, bucket)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._files[key] = RowFile(path, self.format, self.finalize)
        return self._files[key]

    def write(self, split: str, row: dict[str, Any]) -> None:
        bucket = self.bucket(row) if self.bucket is not None else None
        if self.order is None:
            self._file(split, bucket).write(row)
            return
        key = (split, bucket, self.order(row))
        spool = self._spools.get(key)
        if spool is None:
            if self._spool_dir is None:
                self._spool_dir = Path(tempfile.mkdtemp(prefix=".spool-", dir=self.out))
            spool = self._spools[key] = (self._spool_dir / f"{len(self._spools)}.jsonl").open("wb")
        spool.write(dumps_line(row))

    def abort(self) -> None:
        """Remove everything written so far (an export that failed leaves no partial files)."""
        for fh in self._spools.values():
            fh.close()
        for rf in self._files.values():
            rf.abort()
        if self._spool_dir is not None:
            shutil.rmtree(self._spool_dir, ignore_errors=True)

    def close(self) -> dict[str, int]:
        """Finish every file; returns rows per file (relative path)."""
        try:
            if self._spools:
                for key in sorted(self._spools, key=lambda k: (k[0], _sortable(k[1]), _sortable(k[2]))):
                    fh = self._spools[key]
                    fh.close()
                    target = self._file(key[0], key[1])
                    for _line, row in read_jsonl(fh.name):
                        target.write(row)
            for rf in self._files.values():
                rf.close()
        except BaseException:
            for rf in self._files.values():
                rf.abort()
            raise
        finally:
            if self._spool_dir is not None:
                shutil.rmtree(self._spool_dir, ignore_errors=True)
        return {
            self.relpath(split, bucket): rf.rows
            for (split, bucket), rf in sorted(self._files.items(), key=lambda kv: (kv[0][0], _sortable(kv[0][1])))
        }


def _sortable(value: Any) -> tuple[int, Any]:
    return (0, value) if value is not None else (1, 0)


def write_report(path: Path, report: dict[str, Any]) -> None:
    """The export's own record (what was read, what was dropped and why, rows per file)."""
    from chukmath.jsonl import AtomicWriter

    with AtomicWriter(path) as fh:
        fh.write(orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
