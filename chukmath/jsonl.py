"""JSON Lines I/O at the edge: streaming reads that name file and line, atomic writes, crash-safe appends.

Every reader caps the length of a line (``CHUKMATH_MAX_LINE_BYTES``, default 16 MiB) before reading it, so a
file with no newlines (``/dev/zero``, a binary file) is refused at once instead of filling memory. Every writer
turns the operating system's refusals (disk full, a file-size limit, a read-only folder) into an OutputError
that names the file and says what to do.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from chukmath.errors import ConfigError, InputError, OutputError, output_error

DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_LINE_BYTES = DEFAULT_MAX_LINE_BYTES  # the default cap; max_line_bytes() is the one in force
MAX_LINE_ENV = "CHUKMATH_MAX_LINE_BYTES"
_MIN_LINE_CAP = 1024


def max_line_bytes() -> int:
    """The longest line a reader accepts: ``$CHUKMATH_MAX_LINE_BYTES`` (bytes, ``16_777_216``), else 16 MiB."""
    raw = os.environ.get(MAX_LINE_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_LINE_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{MAX_LINE_ENV}={raw!r}: not a whole number of bytes (e.g. {MAX_LINE_ENV}=67108864 for 64 MiB)"
        ) from None
    if value < _MIN_LINE_CAP:
        raise ConfigError(f"{MAX_LINE_ENV}={raw!r}: must be at least {_MIN_LINE_CAP} bytes")
    return value


def raw_lines(handle: IO[bytes], path: str | Path, limit: int | None = None) -> Iterator[tuple[int, int, bytes]]:
    """Yield ``(line_number, byte_offset, raw_line)``; a line longer than the cap raises InputError naming it.

    At most ``limit + 1`` bytes of a line are read before it is refused, so memory stays bounded whatever the input.
    """
    cap = max_line_bytes() if limit is None else limit
    readline = handle.readline
    number = offset = 0
    while raw := readline(cap + 1):
        number += 1
        if len(raw) > cap and not raw.endswith(b"\n"):  # cap + 1 bytes ending in a newline: exactly cap
            raise _too_long(path, number, cap)
        yield number, offset, raw
        offset += len(raw)


def _too_long(path: str | Path, number: int, cap: int) -> InputError:
    return InputError(
        f"{path}:{number}: line longer than {cap:,} bytes (is this a JSONL file?); if lines this long are meant, "
        f"raise the cap: {MAX_LINE_ENV}=<bytes>"
    )


def warn_torn_tail(path: str | Path, what: str, then: str) -> None:
    """Warn (``chukmath`` logger) that ``path`` ends in a torn line (a writer killed mid-write), what became of it
    and what next; the CLI shows it on stderr as ``warning: ...``."""
    logging.getLogger("chukmath.jsonl").warning("%s: 1 torn last line %s (a crash mid-write); %s", path, what, then)


def dumps_line(obj: Any) -> bytes:
    """One JSONL line (with its newline) as bytes."""
    return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)


def scan_jsonl(
    path: str | Path, *, allow_torn_tail: bool = False
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """Yield ``(line_number, byte_offset, object)`` for each non-blank line; a bad line raises InputError naming it.

    With ``allow_torn_tail`` a last line without a newline that fails to parse is left out with a warning on
    stderr: that is what a killed writer leaves behind, and the teacher's appender repairs it on its next open.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a JSONL file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    cap = max_line_bytes()
    with handle:
        # raw_lines() inlined: this loop runs once per line of every input, and a generator layer costs per line.
        readline = handle.readline
        number = offset = 0
        while raw := readline(cap + 1):
            number += 1
            here = offset
            offset += len(raw)
            if len(raw) > cap and not raw.endswith(b"\n"):
                raise _too_long(path, number, cap)
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                if allow_torn_tail and not raw.endswith(b"\n"):
                    warn_torn_tail(path, "ignored", "rerun the teacher (teach or build) to repair it")
                    return
                # orjson's own "line 1 column N" is about the line alone: name only the column, beside our line.
                raise InputError(f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{number}: expected a JSON object, got {type(obj).__name__}")
            yield number, here, obj


def read_jsonl(path: str | Path, *, allow_torn_tail: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line (:func:`scan_jsonl` without the offsets)."""
    for number, _offset, obj in scan_jsonl(path, allow_torn_tail=allow_torn_tail):
        yield number, obj


class CheckedWriter(io.BufferedWriter):
    """A buffered binary file whose write errors (disk full, a file-size limit) are OutputErrors naming it."""

    def __init__(self, raw: io.RawIOBase, where: str | Path, buffer_size: int = 1024 * 1024) -> None:
        super().__init__(raw, buffer_size)
        self.where = str(where)

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            raise  # a reader that stopped early (| head): not this program's error to report
        except OSError as exc:
            raise output_error(self.where, exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise output_error(self.where, exc) from None


def open_checked(path: str | Path, mode: str = "wb", buffer_size: int = 1024 * 1024) -> CheckedWriter:
    """Open ``path`` for writing (``wb`` or ``ab``) as a :class:`CheckedWriter`; refusals are OutputErrors."""
    try:
        raw = io.FileIO(path, mode.replace("b", ""))
    except OSError as exc:
        raise output_error(path, exc) from None
    return CheckedWriter(raw, path, buffer_size)


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

    ``-`` means standard output (written directly, nothing to rename). On an exception (a disk that fills up
    included) the temporary file is removed, so a failed run never leaves a half-written file at the destination
    and a file already there stays as it was.
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
            if dest.is_dir():
                raise OutputError(f"{dest}: is a folder; give a file name (e.g. {dest / 'out.jsonl'})")
            # A device or pipe (/dev/null, a FIFO): renaming over it would replace it, so write straight in.
            self._fh = open_checked(dest)
            self._direct = True
            return self._fh
        if dest.is_symlink():
            # A link that does not resolve (exists() is False): a loop, or one to a folder that is missing.
            raise OutputError(f"{dest}: a symbolic link that leads nowhere (a loop or a missing target); "
                              "fix the link or choose another location")
        parent = dest.parent if str(dest.parent) else Path(".")
        try:
            parent.mkdir(parents=True, exist_ok=True)
            _remove_orphans(parent, dest.name)
            fd, self._tmp = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=parent)
        except OSError as exc:
            raise output_error(dest, exc) from None
        try:
            # mkstemp makes the file 0600; the result should have the mode any other written file gets (or keep
            # the mode of the file it replaces), not hide a dataset card or stats.json from the user's group.
            os.fchmod(fd, stat.S_IMODE(dest.stat().st_mode) if dest.exists() else 0o666 & ~_UMASK)
        except OSError as exc:
            os.close(fd)
            self._discard()
            raise output_error(dest, exc) from None
        self._fh = CheckedWriter(io.FileIO(fd, "w"), dest)
        return self._fh

    def _discard(self) -> None:
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self._fh is not None
        if self.path == "-":
            with contextlib.suppress(BrokenPipeError):
                self._fh.flush()
            return
        if exc_type is not None:
            with contextlib.suppress(OSError, OutputError):  # the first error is the one to report
                self._fh.close()
            self._discard()
            return
        try:
            self._fh.flush()
            if not self._direct:
                os.fsync(self._fh.fileno())
            self._fh.close()
            if not self._direct:
                assert self._tmp is not None
                os.replace(self._tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError, OutputError):
                self._fh.close()
            self._discard()
            raise output_error(self.path, exc) from None
        except OutputError:
            with contextlib.suppress(OSError, OutputError):
                self._fh.close()
            self._discard()
            raise


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
    line on an unbuffered file, so a crash leaves at most one torn line. A write the system refuses (disk full,
    a file-size limit) cuts what it left of a line and raises OutputError: the file keeps only whole lines.
    ``fsync_every`` bounds what an OS crash (not just a process kill) could lose.
    """

    def __init__(self, path: str | Path, *, fsync_every: int = 0) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.repaired_bytes = repair_torn_tail(self.path)
            self._fh = self.path.open("ab", buffering=0)
        except OSError as exc:
            raise output_error(self.path, exc) from None
        self._fsync_every = fsync_every
        self._since_sync = 0

    def _write(self, data: bytes) -> None:
        try:
            written = self._fh.write(data)
            while written < len(data):  # a short write: the disk filled up or a limit was reached mid-line
                data = data[written:]
                written = self._fh.write(data)
        except OSError as exc:
            with contextlib.suppress(OSError):
                repair_torn_tail(self.path)  # cutting frees space, so it works on a full disk too
            raise output_error(self.path, exc) from None

    def append(self, obj: Any) -> None:
        self._write(dumps_line(obj))
        if self._fsync_every:
            self._since_sync += 1
            if self._since_sync >= self._fsync_every:
                os.fsync(self._fh.fileno())
                self._since_sync = 0

    def append_many(self, objs: list[Any]) -> None:
        """Append several lines with one write (each still a whole line)."""
        if objs:
            self._write(b"".join(dumps_line(o) for o in objs))

    def close(self) -> None:
        if not self._fh.closed:
            with contextlib.suppress(OSError):
                os.fsync(self._fh.fileno())
            self._fh.close()

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
