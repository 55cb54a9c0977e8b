"""The responses journal: one JSON line per answer, the basis of resume for ``teach``, ``build``, batch and judge.

Opening a journal takes its lock (``<journal>.lock``; ``build`` holds its run directory's lock instead), repairs a
torn last line (what ``kill -9`` leaves) and indexes it once: each successful line becomes one 64-bit integer (24
bits of key hash, 40 bits of file offset) in a sorted ``array``, ~8 bytes a line, so a million answers cost ~8 MB.
A hash match is confirmed by reading the line itself: a collision costs one read, never a wrong answer. The last
successful line of a key is its answer.

Answers are appended as whole lines: ``append`` writes one at once (a paid answer must survive a kill the moment
it arrives); ``append_later`` queues a cheap one for the next ``flush`` (one write for many lines).
"""

from __future__ import annotations

import bisect
import fcntl
import hashlib
import os
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from chukmath.errors import InputError, OutputError, output_error
from chukmath.jsonl import JsonlAppender, read_jsonl, scan_jsonl, warn_torn_tail
from chukmath.records import Response

_HEX = frozenset("0123456789abcdef")
_OFFSET_BITS = 40
_OFFSET_MASK = (1 << _OFFSET_BITS) - 1


def compact_key(request_id: str, sample: int) -> int:
    """An int standing for ``(request_id, sample)``: 64 bits of the id and 16 of the sample.

    Request ids are 128-bit hex content hashes; 64 bits of them collide with odds of about n²/2⁶⁵
    (3·10⁻⁸ for a million requests), and an int costs a fraction of a tuple of strings in a big set.
    """
    if len(request_id) >= 16 and _HEX.issuperset(request_id[:16]):
        head = int(request_id[:16], 16)
    else:
        head = int.from_bytes(hashlib.blake2b(request_id.encode(), digest_size=8).digest(), "big")
    return (head << 16) | (sample & 0xFFFF)


def _key_hash(request_id: str, sample: int) -> int:
    # request ids are already uniform hex hashes; mixing in the sample keeps samples of one request apart.
    try:
        base = int(request_id[:6], 16)
    except ValueError:
        base = int.from_bytes(hashlib.blake2b(request_id.encode(), digest_size=3).digest(), "big")
    return (base ^ (sample * 0x9E3779)) & 0xFFFFFF


@dataclass(slots=True)
class JournalStats:
    """Counts from the scan of an existing journal."""

    lines: int = 0
    successes: int = 0
    errors: int = 0
    repaired_bytes: int = 0
    errors_by_kind: dict[str, int] = field(default_factory=dict)


def read_journal(path: str | Path) -> Iterator[tuple[int, Response]]:
    """Yield ``(line_no, Response)`` for each journal line; a torn last line is skipped, bad lines raise."""
    for number, obj in read_jsonl(path, allow_torn_tail=True):
        yield number, Response.from_dict(obj, where=f"{path}:{number}")


def final_responses(path: str | Path) -> dict[tuple[str, int], Response]:
    """The response that counts for each key: the last success, else the last error."""
    best: dict[tuple[str, int], Response] = {}
    for _, resp in read_journal(path):
        old = best.get(resp.key)
        if old is None or resp.ok or not old.ok:
            best[resp.key] = resp
    return best


class FileLock:
    """An exclusive, non-blocking ``flock`` on ``path`` (created if missing), held until ``release``.

    Closing the descriptor releases it; the file stays, because removing it would race a waiting run.
    """

    def __init__(self, path: Path, busy: str) -> None:
        self.path = path
        try:
            self._fh: IO[str] | None = path.open("a")
        except OSError as exc:
            raise output_error(path, exc, "cannot create the lock file") from None
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.close()
            self._fh = None
            raise OutputError(busy) from None

    def note_pid(self) -> None:
        """Write this process id into the lock file (for a person looking at a busy directory)."""
        if self._fh is not None:
            self._fh.truncate(0)
            self._fh.write(f"{os.getpid()}\n")
            self._fh.flush()

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def lock_path(journal: Path) -> Path:
    """``<journal>.lock``."""
    return journal.with_name(journal.name + ".lock")


class Journal:
    """An open journal: ``get`` / ``claim`` what it holds, ``append`` answers; use as a context manager.

    ``locked=False`` when the caller already holds a lock covering it (``build`` holds its run directory's);
    ``writable=False`` to read it only (nothing is repaired or created: a torn last line is left out).
    """

    def __init__(self, path: str | Path, *, fsync_every: int = 0, locked: bool = True, writable: bool = True) -> None:
        self.path = Path(path)
        if writable:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock: FileLock | None = None
        if locked:
            self._lock = FileLock(
                lock_path(self.path),
                f"{self.path}: another chukmath run is writing this journal; wait for it to finish or stop it "
                "(two runs on one journal would pay for the same answers twice)",
            )
        self._fh: IO[bytes] | None = None
        try:
            self._appender = JsonlAppender(self.path, fsync_every=fsync_every) if writable else None
            self.stats = JournalStats(repaired_bytes=self._appender.repaired_bytes if self._appender else 0)
            if self.stats.repaired_bytes:
                warn_torn_tail(self.path, "cut", "its answer is asked again")
            self._packed: array[int] = array("Q")
            # Keys claimed by this run, apart from the ones found done, so that a key repeated in the input
            # can be told from one answered by an earlier run.
            self._claimed: set[int] = set()
            self._later: list[dict[str, Any]] = []
            self._scan()
        except BaseException:
            self._release()
            raise

    def _scan(self) -> None:
        stats = self.stats
        packed: array[int] = array("Q")
        if self._appender is None and not self.path.exists():
            return
        for number, offset, obj in scan_jsonl(self.path, allow_torn_tail=self._appender is None):
            stats.lines += 1
            # Only the key is read here (a line is read whole, as a Response, when its answer is used): a resume
            # of millions of lines pays for one dict lookup a field, not for a record each.
            request_id, sample, error = obj.get("request_id"), obj.get("sample"), obj.get("error")
            if not isinstance(request_id, str) or not isinstance(sample, int) or isinstance(sample, bool):
                raise InputError(
                    f"{self.path}:{number}: not a journal line (it needs a request_id string and a sample number); "
                    "the journal is damaged: move it away to start over, or use --force with build"
                )
            if error is None:
                stats.successes += 1
                packed.append((_key_hash(request_id, sample) << _OFFSET_BITS) | offset)
            else:
                stats.errors += 1
                kind = str(error.get("kind", "unknown")) if isinstance(error, dict) else "unknown"
                stats.errors_by_kind[kind] = stats.errors_by_kind.get(kind, 0) + 1
        # Sorting packs equal hashes by offset, so the last line of a key is the last of its run.
        self._packed = array("Q", sorted(packed))

    def __len__(self) -> int:
        """Successful lines found when the journal was opened."""
        return len(self._packed)

    def get(self, request_id: str, sample: int) -> Response | None:
        """The last successful response the journal held for the key when it was opened, or None."""
        if not self._packed:
            return None
        h = _key_hash(request_id, sample)
        lo = bisect.bisect_left(self._packed, h << _OFFSET_BITS)
        hi = bisect.bisect_left(self._packed, (h + 1) << _OFFSET_BITS, lo)
        for pos in range(hi - 1, lo - 1, -1):
            offset = self._packed[pos] & _OFFSET_MASK
            obj = self._read_at(offset)
            if obj.get("request_id") == request_id and obj.get("sample") == sample:
                return Response.from_dict(obj, where=f"{self.path} at byte {offset}")
        return None

    def _read_at(self, offset: int) -> dict[str, Any]:
        if self._fh is None:
            self._fh = self.path.open("rb")
        self._fh.seek(offset)
        obj = orjson.loads(self._fh.readline())
        return obj if isinstance(obj, dict) else {}

    @property
    def done_count(self) -> int:
        """How many successful lines the journal held when it was opened."""
        return len(self._packed)

    def is_done(self, request_id: str, sample: int) -> bool:
        """True if ``(request_id, sample)`` already has a successful line or was claimed by this run."""
        return compact_key(request_id, sample) in self._claimed or self.get(request_id, sample) is not None

    def take(self, request_id: str, sample: int) -> bool:
        """Claim for this run a key the journal does not hold; False when this run claimed it already (the key
        occurs twice in the input)."""
        key = compact_key(request_id, sample)
        if key in self._claimed:
            return False
        self._claimed.add(key)
        return True

    def claim(self, request_id: str, sample: int) -> str:
        """Claim a key for this run: ``"new"``, or why not: ``"done"`` (answered before) or ``"duplicate"``
        (claimed already by this run: the key occurs twice in the input)."""
        if compact_key(request_id, sample) in self._claimed:
            return "duplicate"
        if self.get(request_id, sample) is not None:
            return "done"
        return "new" if self.take(request_id, sample) else "duplicate"

    def mark(self, request_id: str, sample: int) -> bool:
        """Claim a key for this run; False if it is done already or claimed (a duplicate in the input)."""
        return self.claim(request_id, sample) == "new"

    def _writer(self) -> JsonlAppender:
        if self._appender is None:
            raise OutputError(f"{self.path}: opened for reading only; nothing can be appended")
        return self._appender

    def append(self, response: Response) -> None:
        """Write one response as one line, now."""
        self._writer().append(response.to_dict())

    def append_later(self, response: Response) -> None:
        """Queue a response for the next :meth:`flush` (for cheap answers written in batches)."""
        self._later.append(response.to_dict())

    def flush(self) -> None:
        """Write the queued responses with one write (each a whole line); after a failed write (disk full) they
        are not queued any more: the file keeps whole lines only, and the next run answers them again."""
        if self._later:
            queued, self._later = self._later, []
            self._writer().append_many(queued)

    def drop_queued(self) -> None:
        """Forget the queued responses (their run failed before it could write what they depend on)."""
        self._later.clear()

    def _release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def close(self) -> None:
        """Write what is queued, sync to disk and release the lock."""
        try:
            self.flush()
        finally:
            try:
                if self._appender is not None:
                    self._appender.close()
            finally:
                self._release()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
