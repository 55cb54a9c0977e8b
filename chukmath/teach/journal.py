"""The responses journal: one JSON line per answer, appended the moment it arrives; the basis of resume.

Opening a journal repairs a torn last line (what ``kill -9`` leaves), scans it once and keeps a compact
set of the keys ``(request_id, sample)`` that already have a success, so a rerun skips them and retries
only keys whose lines are all errors. A lock file keeps two runs from writing (and paying) at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from chukmath.errors import OutputError
from chukmath.jsonl import JsonlAppender, read_jsonl
from chukmath.records import Response

_HEX = frozenset("0123456789abcdef")


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


class Journal:
    """An open journal: ``is_done(request_id, sample)``, ``append(response)``; use as a context manager."""

    def __init__(self, path: str | Path, *, fsync_every: int = 0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd = self._lock()
        try:
            self._appender = JsonlAppender(self.path, fsync_every=fsync_every)
            self.stats = JournalStats(repaired_bytes=self._appender.repaired_bytes)
            self._done: set[int] = set()
            # Keys claimed by this run, apart from the ones found done, so that a key repeated in the input
            # can be told from one answered by an earlier run (each key sits in one set: no extra memory).
            self._claimed: set[int] = set()
            self._scan()
        except BaseException:
            self._unlock()
            raise

    def _lock(self) -> int:
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(
                f"{self.path}: another chukmath run is writing this journal; wait for it to finish or stop it "
                "(two runs on one journal would pay for the same answers twice)"
            ) from None
        return fd

    def _unlock(self) -> None:
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = -1

    def _scan(self) -> None:
        stats = self.stats
        for number, obj in read_jsonl(self.path):
            stats.lines += 1
            where = f"{self.path}:{number}"
            resp = Response.from_dict(obj, where=where)
            if resp.ok:
                stats.successes += 1
                self._done.add(compact_key(resp.request_id, resp.sample))
            else:
                stats.errors += 1
                kind = str((resp.error or {}).get("kind", "unknown"))
                stats.errors_by_kind[kind] = stats.errors_by_kind.get(kind, 0) + 1

    @property
    def done_count(self) -> int:
        """How many distinct keys had a success when the journal was opened."""
        return len(self._done)

    def is_done(self, request_id: str, sample: int) -> bool:
        """True if ``(request_id, sample)`` already has a successful line or was claimed by this run."""
        key = compact_key(request_id, sample)
        return key in self._done or key in self._claimed

    def claim(self, request_id: str, sample: int) -> str:
        """Claim a key for this run: ``"new"``, or why not: ``"done"`` (answered before) or ``"duplicate"``
        (claimed already by this run: the key occurs twice in the input)."""
        key = compact_key(request_id, sample)
        if key in self._done:
            return "done"
        if key in self._claimed:
            return "duplicate"
        self._claimed.add(key)
        return "new"

    def mark(self, request_id: str, sample: int) -> bool:
        """Claim a key for this run; False if it is done already or claimed (a duplicate in the input)."""
        return self.claim(request_id, sample) == "new"

    def append(self, response: Response) -> None:
        """Write one response as one line, now."""
        self._appender.append(response.to_dict())

    def close(self) -> None:
        """Flush to disk and release the lock."""
        try:
            self._appender.close()
        finally:
            self._unlock()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
