"""An on-disk index of the three inputs of ``chukmath verify``, so writing in problem order needs little memory.

The journal is in completion order (async teachers finish out of order) and the requests name problems only by
id, so rows cannot be written in one pass. One pass over each file records byte offsets in a temporary SQLite
file (about 100 bytes of disk a line, removed afterwards); memory stays at SQLite's page cache (capped at
``CACHE_KIB``) whatever the dataset size. A second pass reads each problem's lines back by offset.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from chukmath.errors import InputError, output_error
from chukmath.jsonl import max_line_bytes, scan_jsonl
from chukmath.records import Problem, Request, Response
from chukmath.write.selection import Candidate

CACHE_KIB = 32 * 1024

_SCHEMA = """
CREATE TABLE problems (id TEXT PRIMARY KEY, idx INTEGER, line INTEGER, offset INTEGER) WITHOUT ROWID;
CREATE TABLE requests (id TEXT PRIMARY KEY, problem_id TEXT, line INTEGER, offset INTEGER) WITHOUT ROWID;
CREATE INDEX requests_by_problem ON requests (problem_id, line);
CREATE TABLE responses (
    request_id TEXT, sample INTEGER, offset INTEGER, ok INTEGER, PRIMARY KEY (request_id, sample)
) WITHOUT ROWID;
"""

# The last successful line of a key wins; a failed line only replaces another failed one (docs/contracts.md).
_UPSERT_RESPONSE = """
INSERT INTO responses (request_id, sample, offset, ok) VALUES (?, ?, ?, ?)
ON CONFLICT (request_id, sample) DO UPDATE SET offset = excluded.offset, ok = excluded.ok
WHERE excluded.ok = 1 OR responses.ok = 0
"""


class InputIndex:
    """Problems in index order, and for each problem its requests and journal answers, read back by offset."""

    def __init__(self, problems: Path, requests: Path, journal: Path, work_dir: Path) -> None:
        self.paths = {"problems": Path(problems), "requests": Path(requests), "journal": Path(journal)}
        try:
            work_dir.mkdir(parents=True, exist_ok=True)
            fd, self._db_path = tempfile.mkstemp(prefix=".verify-index.", suffix=".sqlite", dir=work_dir)
        except OSError as exc:
            raise output_error(work_dir, exc) from None
        os.close(fd)
        self._handles: dict[str, Any] = {}
        self.journal_lines = 0
        self._db = sqlite3.connect(self._db_path)
        try:
            # The index is scratch: a crash just means building it again, so no journal and no fsync.
            self._db.executescript(
                f"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; "
                f"PRAGMA cache_size=-{CACHE_KIB};" + _SCHEMA
            )
        except sqlite3.Error:
            self.close()
            raise

    def build(self) -> InputIndex:
        """Scan the three files once each, validating every line; returns self."""
        with self._db:
            self._index_problems()
            self._db.executemany(
                "INSERT OR IGNORE INTO requests VALUES (?, ?, ?, ?)", self._request_rows(self.paths["requests"])
            )
            self._db.executemany(_UPSERT_RESPONSE, self._response_rows(self.paths["journal"]))
        return self

    def _index_problems(self) -> None:
        path = self.paths["problems"]
        insert = "INSERT INTO problems VALUES (?, ?, ?, ?)"
        for number, offset, obj in scan_jsonl(path):
            problem = Problem.from_dict(obj, where=f"{path}:{number}")
            try:
                self._db.execute(insert, (problem.id, problem.index, number, offset))
            except sqlite3.IntegrityError:
                (first,) = self._db.execute("SELECT line FROM problems WHERE id = ?", (problem.id,)).fetchone()
                raise InputError(
                    f"{path}:{number}: duplicate problem id {problem.id!r} (first at line {first}); "
                    "problem files must not be concatenated twice"
                ) from None

    @staticmethod
    def _request_rows(path: Path) -> Iterator[tuple[str, str, int, int]]:
        # Equal ids mean equal messages (the id is their hash), so the journal cannot tell two such requests
        # apart: the first one keeps the id and its problem gets the answers.
        for number, offset, obj in scan_jsonl(path):
            request = Request.from_dict(obj, where=f"{path}:{number}")
            yield request.id, request.problem_id, number, offset

    def _response_rows(self, path: Path) -> Iterator[tuple[str, int, int, int]]:
        for number, offset, obj in scan_jsonl(path, allow_torn_tail=True):
            response = Response.from_dict(obj, where=f"{path}:{number}")
            self.journal_lines += 1
            yield response.request_id, response.sample, offset, int(response.ok)

    def _read(self, name: str, offset: int) -> dict[str, Any]:
        handle = self._handles.get(name)
        if handle is None:
            handle = self._handles[name] = self.paths[name].open("rb")
        handle.seek(offset)
        raw = handle.readline(max_line_bytes() + 1)
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise InputError(
                f"{self.paths[name]}: changed while being read (byte {offset} is no longer a JSON line); "
                "do not run verify while a teacher is still writing"
            ) from None

    def problems(self) -> Iterator[Problem]:
        """Every problem, ordered by its index (file order breaks ties)."""
        path = self.paths["problems"]
        cursor = self._db.execute("SELECT offset, line FROM problems ORDER BY idx, line")
        for offset, line in cursor:
            yield Problem.from_dict(self._read("problems", offset), where=f"{path}:{line}")

    def candidates(self, problem_id: str) -> list[Candidate]:
        """The problem's journal answers (the winning line of each key), with the request each answers."""
        rows = self._db.execute(
            "SELECT q.id, q.offset, r.offset FROM requests q JOIN responses r ON r.request_id = q.id "
            "WHERE q.problem_id = ? ORDER BY q.line, r.sample",
            (problem_id,),
        ).fetchall()
        found: list[Candidate] = []
        requests: dict[str, Request] = {}
        journal = self.paths["journal"]
        for request_id, request_offset, response_offset in rows:
            request = requests.get(request_id)
            if request is None:
                request = Request.from_dict(self._read("requests", request_offset), where=str(self.paths["requests"]))
                requests[request_id] = request
            response = Response.from_dict(self._read("journal", response_offset), where=f"{journal}")
            found.append(Candidate(request, response))
        return found

    def orphan_keys(self) -> int:
        """Journal keys whose request is not in the requests file or whose problem is not in the problems file."""
        (count,) = self._db.execute(
            "SELECT count(*) FROM responses r LEFT JOIN requests q ON q.id = r.request_id "
            "LEFT JOIN problems p ON p.id = q.problem_id WHERE p.id IS NULL"
        ).fetchone()
        return int(count)

    def close(self) -> None:
        """Close the files and delete the scratch database."""
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        try:
            with contextlib.suppress(sqlite3.Error):  # after a failed write (disk full) the first error is reported
                self._db.close()
        finally:
            with contextlib.suppress(OSError):
                os.unlink(self._db_path)

    def __enter__(self) -> InputIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
