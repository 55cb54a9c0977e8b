"""JSON Lines I/O at the edge: streaming reads that name file and line, atomic writes, crash-safe appends."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from chukmath.errors import InputError, OutputError

# A single line larger than this is refused rather than read into memory.
MAX_LINE_BYTES = 64 * 1024 * 1024


def dumps_line(obj: Any) -> bytes:
    """One JSONL line (with its newline) as bytes."""
    return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)


def read_jsonl(path: str | Path, *, allow_torn_tail: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line; a malformed line raises InputError naming it.

    With ``allow_torn_tail`` a last line without a newline that fails to parse is skipped: that is what a
    killed writer leaves behind, and the appender repairs it on its next open.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        number = 0
        for raw in handle:
            number += 1
            if len(raw) > MAX_LINE_BYTES:
                raise InputError(f"{path}:{number}: line longer than {MAX_LINE_BYTES} bytes")
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                if allow_torn_tail and not raw.endswith(b"\n"):
                    return
                # orjson's own "line 1 column N" is about the line alone: name only the column, beside our line.
                raise InputError(f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{number}: expected a JSON object, got {type(obj).__name__}")
            yield number, obj


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once at import: setting it back and forth later would race other threads


def _remove_orphans(parent: Path, name: str) -> None:
    """Remove temporary files a killed writer of ``name`` left behind (``kill -9`` skips every cleanup).

    The writer's pid is in the temporary name; a file is removed only when that process no longer exists, so a
    writer still running elsewhere keeps its file.
    """
    pattern = re.compile(rf"\.{re.escape(name)}\.(\d+)\.[A-Za-z0-9_]+\.tmp")  # mkstemp's random part has no dot
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            found = pattern.fullmatch(entry.name)
            if found is None or int(found.group(1)) == os.getpid():
                continue
            try:
                os.kill(int(found.group(1)), 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
            except OSError:
                pass  # alive but not ours to signal


class AtomicWriter:
    """Write a file under a temporary name and rename it into place only on success.

    ``-`` means standard output (written directly, nothing to rename). On an exception the temporary file
    is removed, so a failed run never leaves a half-written file at the destination.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._tmp: str | None = None
        self._fh: IO[bytes] | None = None
        self._direct = False

    def __enter__(self) -> IO[bytes]:
        if self.path == "-":
            self._fh = sys.stdout.buffer
            return self._fh
        dest = Path(self.path)
        if dest.exists() and not dest.is_file():
            # A device or pipe (/dev/null, a FIFO): renaming over it would replace it, so write straight in.
            try:
                self._fh = dest.open("wb")
            except OSError as exc:
                raise OutputError(f"{dest}: cannot write ({exc.strerror})") from None
            self._direct = True
            return self._fh
        parent = dest.parent if str(dest.parent) else Path(".")
        try:
            parent.mkdir(parents=True, exist_ok=True)
            _remove_orphans(parent, dest.name)
            fd, self._tmp = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=parent)
            # mkstemp makes the file 0600; the result should have the mode any other written file gets (or keep
            # the mode of the file it replaces), not hide a dataset card or stats.json from the user's group.
            os.fchmod(fd, stat.S_IMODE(dest.stat().st_mode) if dest.exists() else 0o666 & ~_UMASK)
        except OSError as exc:
            raise OutputError(f"{dest}: cannot write ({exc.strerror})") from None
        self._fh = os.fdopen(fd, "wb", buffering=1024 * 1024)
        return self._fh

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self._fh is not None
        if self.path == "-":
            with contextlib.suppress(BrokenPipeError):
                self._fh.flush()
            return
        if self._direct:
            self._fh.close()
            return
        assert self._tmp is not None
        try:
            if exc_type is None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
            self._fh.close()
        finally:
            if exc_type is None:
                os.replace(self._tmp, self.path)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(self._tmp)


def repair_torn_tail(path: str | Path) -> int:
    """Cut a last line that has no newline (a killed writer's leftover); returns the bytes removed."""
    path = Path(path)
    if not path.exists():
        return 0
    size = path.stat().st_size
    if size == 0:
        return 0
    with path.open("r+b") as fh:
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return 0
        # Walk back to the last newline in blocks.
        pos = size
        block = 65536
        keep = 0
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            idx = chunk.rfind(b"\n")
            if idx >= 0:
                keep = start + idx + 1
                break
            pos = start
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
        return size - keep


class JsonlAppender:
    """Append-only JSONL file, one whole line per write, flushed to the OS on every line.

    Opening it repairs a torn last line first. Each ``append`` issues a single ``write`` of a complete
    line on an unbuffered file, so a crash leaves at most one torn line. ``fsync_every`` bounds what an
    OS crash (not just a process kill) could lose.
    """

    def __init__(self, path: str | Path, *, fsync_every: int = 0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.repaired_bytes = repair_torn_tail(self.path)
        self._fh = self.path.open("ab", buffering=0)
        self._fsync_every = fsync_every
        self._since_sync = 0

    def append(self, obj: Any) -> None:
        self._fh.write(dumps_line(obj))
        if self._fsync_every:
            self._since_sync += 1
            if self._since_sync >= self._fsync_every:
                os.fsync(self._fh.fileno())
                self._since_sync = 0

    def append_many(self, objs: list[Any]) -> None:
        """Append several lines with one write (each still a whole line)."""
        if objs:
            self._fh.write(b"".join(dumps_line(o) for o in objs))

    def close(self) -> None:
        if not self._fh.closed:
            with contextlib.suppress(OSError):
                os.fsync(self._fh.fileno())
            self._fh.close()

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
