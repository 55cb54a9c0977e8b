"""A compact, read-only index of the journal (responses.jsonl) for resuming: which keys are answered, and where.

A dict of a million ``(request_id, sample)`` keys would cost ~200 MB; this index packs each successful line into one
64-bit integer (24 bits of key hash, 40 bits of file offset) in a sorted ``array``, ~8 bytes a line. A hash match is
confirmed by reading the line itself, so a collision costs one read, never a wrong answer.
"""

from __future__ import annotations

import bisect
from array import array
from pathlib import Path

import orjson

from chukmath.errors import InputError
from chukmath.jsonl import raw_lines, repair_torn_tail, warn_torn_tail
from chukmath.records import Response

_OFFSET_BITS = 40
_OFFSET_MASK = (1 << _OFFSET_BITS) - 1


def _key_hash(request_id: str, sample: int) -> int:
    # request ids are already uniform hex hashes; mixing in the sample keeps samples of one request apart.
    try:
        base = int(request_id[:6], 16)
    except ValueError:
        base = hash(request_id) & 0xFFFFFF
    return (base ^ (sample * 0x9E3779)) & 0xFFFFFF


class JournalIndex:
    """Successful journal lines by key; the last successful line for a key wins (the journal contract)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._packed = array("Q")
        self.lines = 0
        self.errors = 0
        self._fh = None

    @classmethod
    def load(cls, path: str | Path) -> JournalIndex:
        """Repair a torn tail (a killed writer's leftover) and index every successful line."""
        index = cls(Path(path))
        if not index.path.exists():
            return index
        if repair_torn_tail(index.path):
            warn_torn_tail(index.path, "cut", "its answer is asked again")
        packed: array[int] = array("Q")
        with index.path.open("rb") as fh:
            for number, here, raw in raw_lines(fh, index.path):
                if not raw.strip():
                    continue
                try:
                    obj = orjson.loads(raw)
                    request_id, sample, error = obj["request_id"], int(obj["sample"]), obj.get("error")
                except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                    raise InputError(
                        f"{index.path}:{number}: not a journal line ({exc}); the journal is damaged — "
                        "move it away to start over, or use --force"
                    ) from None
                index.lines += 1
                if error is not None or not isinstance(obj.get("content"), str):
                    index.errors += 1
                    continue
                packed.append((_key_hash(str(request_id), sample) << _OFFSET_BITS) | here)
        # Sorting packs equal hashes by offset, so the last line of a key is the last of its run.
        index._packed = array("Q", sorted(packed))
        return index

    def __len__(self) -> int:
        return len(self._packed)

    def get(self, request_id: str, sample: int) -> Response | None:
        """The last successful response for the key, or None when it still has to be asked."""
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

    def _read_at(self, offset: int) -> dict:
        if self._fh is None:
            self._fh = self.path.open("rb")
        self._fh.seek(offset)
        return orjson.loads(self._fh.readline())

    def close(self) -> None:
        """Release the read handle."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
