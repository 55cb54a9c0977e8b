"""Twin: ``compute_chunk`` (the worker processes' candidates) against ``Stream.next_new`` (the serial loop).

Both decide which candidate of a stream becomes the next item: a drawn question that is new and not reserved for
another stream of the mix (issue 21's per-stream reservation). On generated streams, reservations, chunk cuts
and ``--start`` offsets, the lines built from ``compute_chunk``'s entries, walked the way the parent walks them,
must be the serial run's bytes, and both must consume the same candidates.
"""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from chukmath.families import Rng, get_family
from chukmath.generate import parallel
from chukmath.generate.engine import Entry, Run, Stream, StreamSpec, compute_chunk, stream_key
from chukmath.generate.items import SeenQuestions, question_hash

FAMILIES = ("arithmetic", "fractions", "number_theory", "linear_equation", "word_problem", "quadratic")


def _stream(family: str, difficulty: int, seed: int, forbidden: frozenset[int] | None) -> Stream:
    fam = get_family(family)
    config = fam.config(difficulty, None)
    return Stream(fam, config, difficulty, stream_key(fam, config, difficulty, seed), forbidden=forbidden)


def _reserved(stream: Stream, picks: list[int]) -> frozenset[int]:
    """Hashes of some of the stream's own early questions, as if another stream of the mix had reserved them."""
    hashes = set()
    for c in picks:
        got = stream.family.draw(stream.config, Rng(stream.key + c.to_bytes(8, "little")))
        if got is not None:
            hashes.add(question_hash(got[0]))
    return frozenset(hashes)


def _chunked(spec: StreamSpec, cuts: list[int], full_from: int, total: int) -> list[Entry]:
    """Entries of candidates 0..total-1, computed in chunks of the sizes ``cuts`` (cycled) with one known set."""
    known: set[int] = set()
    entries: list[Entry] = []
    k = 0
    while len(entries) < total:
        size = cuts[k % len(cuts)]
        entries.extend(compute_chunk(spec, len(entries), size, full_from, known))
        k += 1
    return entries


def _walk(entries: list[Entry], forbidden: frozenset[int] | None, start: int, count: int) -> tuple[bytes, int]:
    """The parent's walk over one stream's entries: the lines of items start..start+count-1, candidates used."""
    seen = SeenQuestions()
    out = []
    pos = 0
    for i in range(start + count):
        while True:
            entry = entries[pos]
            pos += 1
            if entry is None:
                continue
            h = entry if isinstance(entry, int) else entry[0]
            if (forbidden is None or h not in forbidden) and seen.add_hash(h):
                break
        if i >= start:
            assert isinstance(entry, tuple)
            out.append(entry[1] + str(i).encode() + entry[2])
    return b"".join(out), pos


@settings(max_examples=40, deadline=None)
@given(
    family=st.sampled_from(FAMILIES),
    difficulty=st.integers(1, 5),
    seed=st.integers(0, 2**63 - 1),
    start=st.integers(0, 15),
    count=st.integers(1, 25),
    reserve=st.lists(st.integers(0, 60), max_size=12),
    cuts=st.lists(st.integers(1, 40), min_size=1, max_size=4),
)
def test_compute_chunk_gives_the_serial_lines(family, difficulty, seed, start, count, reserve, cuts) -> None:
    plain = _stream(family, difficulty, seed, None)
    forbidden = _reserved(plain, reserve) if reserve else None
    stream = _stream(family, difficulty, seed, forbidden)
    serial = b"".join(Run([stream], None, seed=seed, count=count, start=start).lines())
    spec = StreamSpec(family, stream.config, difficulty, stream.key, seed, forbidden)
    entries = _chunked(spec, cuts, start, stream.next_candidate + 1)
    lines, used = _walk(entries, forbidden, start, count)
    assert lines == serial
    assert used == stream.next_candidate  # the same candidates were consumed
    assert len(serial.splitlines()) == count


class _InProcessPool:
    """The worker pool's interface, computing each chunk here at once (as a worker would, with its known set)."""

    def __init__(self, specs: list[StreamSpec], workers: int) -> None:
        self.specs = specs
        self.known: dict[int, set[int]] = {}

    def submit(self, stream: int, first: int, size: int, full_from: int) -> parallel._Chunk:
        chunk = parallel._Chunk(stream, first, size, 0)
        known = self.known.setdefault(stream, set())
        chunk.entries = compute_chunk(self.specs[stream], first, size, full_from, known)
        chunk.seconds = 1e-4 * size
        return chunk

    def result(self, chunk: parallel._Chunk) -> list[Entry]:
        assert chunk.entries is not None
        return chunk.entries

    def close(self) -> None:
        pass


@settings(max_examples=25, deadline=None)
@given(
    family=st.sampled_from(FAMILIES),
    levels=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    seed=st.integers(0, 2**63 - 1),
    start=st.integers(0, 12),
    count=st.integers(1, 30),
    reserve=st.lists(st.integers(0, 40), max_size=10),
    picks=st.lists(st.integers(0, 1), min_size=1, max_size=7),
)
def test_the_parallel_walk_gives_the_serial_lines_of_a_mix(family, levels, seed, start, count, reserve, picks) -> None:
    """Two streams, each with some of its own questions reserved for the other, picked in a cycle: parallel_lines
    (its real parent walk and cursors over compute_chunk's entries, the pool in-process) writes the serial bytes."""
    plain = [_stream(family, level, seed + k, None) for k, level in enumerate(levels)]
    streams = [_stream(family, s.difficulty, seed + k, _reserved(s, reserve) or None) for k, s in enumerate(plain)]

    def pick(i: int) -> int:
        return picks[i % len(picks)]

    serial = b"".join(Run(streams, pick, seed=seed, count=count, start=start).lines())
    again = [_stream(family, s.difficulty, seed + k, s.forbidden) for k, s in enumerate(streams)]
    with mock.patch.object(parallel, "_Pool", _InProcessPool):
        lines = b"".join(parallel.parallel_lines(Run(again, pick, seed=seed, count=count, start=start), 2))
    assert lines == serial


def test_a_reserved_question_is_skipped_by_both() -> None:
    plain = _stream("arithmetic", 1, 7, None)
    first = b"".join(Run([plain], None, seed=7, count=1, start=0).lines())
    forbidden = _reserved(plain, [0])
    stream = _stream("arithmetic", 1, 7, forbidden)
    serial = b"".join(Run([stream], None, seed=7, count=1, start=0).lines())
    assert serial != first  # candidate 0 is reserved: both paths must move past it
    spec = StreamSpec("arithmetic", stream.config, 1, stream.key, 7, forbidden)
    lines, used = _walk(compute_chunk(spec, 0, 16, 0), forbidden, 0, 1)
    assert (lines, used) == (serial, stream.next_candidate)
