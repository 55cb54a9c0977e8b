"""Parallel generation: worker processes draw, finish and format candidates ahead; the parent keeps the order.

Item *i* of a run depends on every question before it (duplicates are skipped), so the work is split at the
candidate level, which is order-free: candidate *c* of a stream is a pure function of the stream and *c*.
Workers take chunks of consecutive candidates of one stream and return, per candidate, the question's hash for
the duplicate filter and the record's JSONL line cut around its index (``None`` for a rejected draw): that is
:func:`chukmath.generate.engine.compute_chunk`, kept next to its serial twin ``Stream.next_new``. The
parent walks items in order exactly as :meth:`Run.rows` does (same filter, same questions reserved for other
streams, same stream picks, same exhaustion rule) and writes ``head + index + tail``. The output is therefore the
same bytes for any number of workers.

Work is speculative: a chunk may end beyond the last candidate the run needs, and a candidate that turns out to
be a repeat may have been finished for nothing; both are deterministic, so they cost time, never correctness.
Candidates that are certainly consumed before ``start``, and repeats of a question the same worker drew earlier
in the stream, are only drawn and hashed, not finished. At most a fixed number of chunks per stream is in
flight and a worker remembers a bounded number of questions, so memory is bounded at any run length.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from chukmath.errors import ConfigError, WorkerError
from chukmath.families import Family, Rng
from chukmath.generate.engine import Entry, StreamSpec, compute_chunk
from chukmath.generate.items import MAX_MISSES, SeenQuestions

FIRST_CHUNK = 64  # candidates in a stream's first chunk; later chunks are sized to take about CHUNK_SECONDS
MIN_CHUNK = 16
MAX_CHUNK = 4096
CHUNK_SECONDS = 0.05  # long enough to make the per-chunk overhead negligible, short enough to waste little
AUTO_MIN_ITEMS = 20_000  # below this many items (start + count) process start-up outweighs the gain
MAX_WORKERS = 256
MAX_KNOWN = 65_536  # question hashes a worker remembers per stream (about 6 MB at most)
_PARENT_CHECK_S = 1.0  # how often an idle worker checks that its parent is still alive

class StreamLike(Protocol):
    """What this module reads of a :class:`chukmath.generate.engine.Stream`."""

    family: Family
    config: Any
    difficulty: int
    key: bytes
    forbidden: frozenset[int] | None


class RunLike(Protocol):
    """What this module reads of a :class:`chukmath.generate.engine.Run` (the engine imports this module only
    inside ``Run.rows``/``Run.lines``; a protocol keeps this module's reading of a run explicit)."""

    streams: Sequence[StreamLike]
    pick: Callable[[int], int] | None
    seed: int
    count: int
    start: int


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | str, items: int) -> int:
    """The worker count for ``--workers`` (a positive integer or ``auto``) and a run of ``items`` items.

    ``auto`` uses every usable core once the run is long enough (``AUTO_MIN_ITEMS`` items, counting the skipped
    prefix before ``--start``) to pay for starting the processes, and 1 (no worker processes) otherwise.
    """
    if workers == "auto":
        return usable_cores() if items >= AUTO_MIN_ITEMS else 1
    try:
        n = int(workers)
    except (TypeError, ValueError):
        n = 0
    if isinstance(workers, bool) or not 1 <= n <= MAX_WORKERS or str(workers).strip() != str(n):
        raise ConfigError(f"invalid --workers {workers!r} (allowed: auto or an integer from 1 to {MAX_WORKERS})")
    return n


def _worker(conn: Connection, specs: list[StreamSpec], parent: int, parent_ends: list[Connection]) -> None:
    # The parent handles Ctrl-C and stops the workers; a worker that also raised KeyboardInterrupt would only
    # print a second traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker holds copies of the parent's ends of its own and the earlier workers' pipes. Closed, so
    # that when the parent dies every worker sees a broken pipe instead of blocking forever on a send.
    for end in parent_ends:
        end.close()
    # Question hashes this worker has drawn, per stream. A worker gets a stream's chunks in increasing order,
    # so everything in a stream's set comes from lower-numbered candidates, as compute_chunk requires.
    known: dict[int, set[int]] = {}
    while True:
        if not conn.poll(_PARENT_CHECK_S):
            if os.getppid() != parent:
                return  # the parent died without stopping us (SIGKILL): nobody will read our results
            continue
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent closed its end
        if task is None:
            return
        stream, first, size, full_from = task
        began = time.perf_counter()
        try:
            drawn = known.setdefault(stream, set())
            if len(drawn) > MAX_KNOWN:
                drawn.clear()  # bounded memory; forgetting only costs finishing some repeats
            entries = compute_chunk(specs[stream], first, size, full_from, drawn)
            reply: tuple[Any, ...] = ("ok", entries, time.perf_counter() - began)
        except Exception as exc:  # every failure goes to the parent, which raises it
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{os.path.basename(frame.filename)}:{frame.lineno}"
            # Keep serving: the parent raises when it reads this reply, and may still send tasks meanwhile.
            reply = ("error", f"{type(exc).__name__}: {exc} (at {where})")
        try:
            conn.send(reply)
        except OSError:
            return  # the parent is gone


@dataclass
class _Chunk:
    stream: int
    first: int
    size: int
    worker: int
    entries: list[Entry] | None = None
    seconds: float = 0.0  # the worker's compute time for this chunk


class _Pool:
    """Worker processes, each fed through its own pipe; results come back in the order tasks were sent."""

    def __init__(self, specs: list[StreamSpec], workers: int) -> None:
        # fork starts a worker in milliseconds and lets it see families registered at run time; elsewhere
        # spawn is the safe choice (families are looked up by name in the registry).
        fork = sys.platform == "linux"
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        self.specs = specs
        self.conns: list[Connection] = []
        self.procs: list[BaseProcess] = []
        self.queues: list[deque[_Chunk]] = []
        try:
            for _ in range(workers):
                here, there = ctx.Pipe(duplex=True)
                parent_ends = [*self.conns, here] if fork else []  # spawn inherits no descriptors
                proc = ctx.Process(target=_worker, args=(there, specs, os.getpid(), parent_ends), daemon=True,
                                   name="chukmath-generate")
                proc.start()
                there.close()
                self.conns.append(here)
                self.procs.append(proc)
                self.queues.append(deque())
        except BaseException:
            self.close()
            raise

    def submit(self, stream: int, first: int, size: int, full_from: int) -> _Chunk:
        """Queue a chunk on the least busy worker."""
        w = min(range(len(self.queues)), key=lambda k: len(self.queues[k]))
        chunk = _Chunk(stream, first, size, w)
        try:
            self.conns[w].send((stream, first, size, full_from))
        except OSError:
            raise self._died(w, chunk) from None
        self.queues[w].append(chunk)
        return chunk

    def result(self, chunk: _Chunk) -> list[Entry]:
        """Wait for ``chunk``'s entries (reading any earlier results of the same worker first)."""
        queue = self.queues[chunk.worker]
        while chunk.entries is None:
            pending = queue[0]
            reply = self._receive(chunk.worker, pending)
            queue.popleft()
            if reply[0] != "ok":
                raise WorkerError(f"generator worker failed on {self._where(pending)}: {reply[1]}")
            pending.entries, pending.seconds = reply[1], reply[2]
        return chunk.entries

    def _receive(self, w: int, chunk: _Chunk) -> Any:
        conn, proc = self.conns[w], self.procs[w]
        while True:
            ready = wait([conn, proc.sentinel])
            if conn in ready:
                try:
                    return conn.recv()
                except (EOFError, OSError):
                    break
            if not conn.poll():
                break  # the process exited and left nothing more to read
        raise self._died(w, chunk)

    def _died(self, w: int, chunk: _Chunk) -> WorkerError:
        proc = self.procs[w]
        proc.join(1.0)
        code = proc.exitcode
        how = f"exit code {code}" if code is None or code >= 0 else f"signal {signal.Signals(-code).name}"
        return WorkerError(
            f"a generator worker process died ({how}) while working on {self._where(chunk)}; "
            "no output was written (out of memory? try fewer --workers)"
        )

    def _where(self, chunk: _Chunk) -> str:
        spec = self.specs[chunk.stream]
        return f"{spec.family} (difficulty {spec.difficulty}) candidates {chunk.first}..{chunk.first + chunk.size - 1}"

    def close(self) -> None:
        """Stop every worker and reap it; a worker busy with a chunk nobody needs any more is terminated."""
        for conn in self.conns:
            try:
                conn.send(None)
            except OSError:
                pass
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()
            proc.join(5.0)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for conn in self.conns:
            conn.close()


class _Cursor:
    """One stream's candidates in order, fetched from speculative chunks kept ``ahead`` in flight."""

    def __init__(self, pool: _Pool, stream: int, full_from: int, ahead: int) -> None:
        self.pool, self.stream, self.full_from, self.ahead = pool, stream, full_from, ahead
        self.inflight: deque[_Chunk] = deque()
        self.next_first = 0  # first candidate of the next chunk to submit
        self.size = FIRST_CHUNK
        self.entries: list[Entry] = []
        self.pos = 0
        self.produced = 0  # items this stream has given the run
        self.misses = 0  # candidates rejected in a row
        self._top_up()  # every stream starts computing at once, not when the run first picks it

    def _top_up(self) -> None:
        while len(self.inflight) < self.ahead:
            chunk = self.pool.submit(self.stream, self.next_first, self.size, self.full_from)
            self.inflight.append(chunk)
            self.next_first += self.size

    def refill(self) -> None:
        """Move to the next chunk's entries (called when the current ones are used up)."""
        self._top_up()
        chunk = self.inflight.popleft()
        self.entries = self.pool.result(chunk)
        self.pos = 0
        # Size later chunks by how long this one took: cheap families get big chunks (little overhead), slow
        # ones small chunks (little speculative work thrown away when the run ends). Only scheduling depends on
        # this timing, never the output.
        per_candidate = max(chunk.seconds, 1e-6) / chunk.size
        self.size = max(MIN_CHUNK, min(MAX_CHUNK, 2 * self.size, int(CHUNK_SECONDS / per_candidate)))
        self._top_up()


def _warm_up(run: RunLike, candidates: int = 16) -> None:
    """Draw and finish a stream's first candidates here, before the workers are forked.

    Families import sympy and fill caches lazily, on first use; done once in the parent, every forked worker
    starts with them instead of paying the import (about half a second) on its own. Outputs do not change:
    draws and finishes are pure functions.
    """
    for stream in run.streams:
        draw, finish, config, key = stream.family.draw, stream.family.finish, stream.config, stream.key
        for c in range(candidates):
            got = draw(config, Rng(key + c.to_bytes(8, "little")))
            if got is not None:
                finish(config, got[1])


def parallel_lines(run: RunLike, workers: int) -> Iterator[bytes]:
    """The JSONL lines of ``run`` (as :meth:`Run.lines` writes them), computed with ``workers`` processes."""
    total = run.start + run.count
    if run.count <= 0:
        return
    streams, pick, start = run.streams, run.pick, run.start
    specs = [StreamSpec(s.family.name, s.config, s.difficulty, s.key, run.seed, s.forbidden) for s in streams]
    # Candidates of a stream below its number of items before ``start`` are certainly consumed before ``start``
    # (each item takes at least one candidate), so workers only hash their questions.
    before = [0] * len(streams)
    if pick is None:
        before[0] = start
    else:
        for i in range(start):
            before[pick(i)] += 1
    ahead = 2 * workers if len(streams) == 1 else 2
    _warm_up(run)
    pool = _Pool(specs, workers)
    try:
        cursors = [_Cursor(pool, k, before[k], ahead) for k in range(len(streams))]
        seen = SeenQuestions()
        add_hash = seen.add_hash
        for i in range(total):
            k = 0 if pick is None else pick(i)
            cur = cursors[k]
            forbidden = specs[k].forbidden
            while True:
                if cur.pos == len(cur.entries):
                    cur.refill()
                entry = cur.entries[cur.pos]
                cur.pos += 1
                if entry is not None:
                    h = entry if isinstance(entry, int) else entry[0]
                    if (forbidden is None or h not in forbidden) and add_hash(h):
                        break
                cur.misses += 1
                if cur.misses >= MAX_MISSES:
                    raise run.exhausted(k, cur.produced)
            cur.misses = 0
            cur.produced += 1
            if i >= start:
                # Hash-only entries are candidates consumed before ``start`` or certain repeats, never kept here.
                assert isinstance(entry, tuple)
                yield entry[1] + str(i).encode() + entry[2]
    finally:
        pool.close()
