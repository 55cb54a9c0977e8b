"""Parallel generation: any number of worker processes writes the same bytes; failures surface, never hang."""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chukmath.errors import ConfigError
from chukmath.families import Rng, registry
from chukmath.generate import generate, generate_mix, load_mix_recipe
from chukmath.generate.parallel import AUTO_MIN_ITEMS, WorkerError, resolve_workers, usable_cores

CHUKMATH = str(Path(sys.executable).parent / "chukmath")


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([CHUKMATH, *args], capture_output=True, timeout=300, check=False)


def written(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "out.jsonl"
    result = run_cli("generate", *args, "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    out.unlink()
    return data


@pytest.mark.parametrize(
    "args",
    [
        # Several chunks per stream (256, 512, 1024, ...), and a small question space with many repeats.
        ("-g", "arithmetic", "--seed", "4"),
        ("-g", "arithmetic", "--seed", "0", "--difficulty", "1"),
        # A sympy-backed family whose answers are finished only for kept candidates, with many repeats.
        ("-g", "quadratic", "--seed", "2"),
        # Every family, several difficulties, picked per item from the mix.
        ("-r", "mixed_difficulty", "--seed", "3"),
    ],
)
def test_any_number_of_workers_writes_the_same_bytes(tmp_path: Path, args: tuple[str, ...]) -> None:
    full = written(tmp_path, *args, "-n", "2500", "--workers", "1")
    lines = full.splitlines(keepends=True)
    assert len(lines) == 2500
    for workers in ("2", "3"):
        assert written(tmp_path, *args, "-n", "2500", "--workers", workers) == full
        # A slice replays its prefix (hash-only candidates) and must land on exactly the same items.
        part = written(tmp_path, *args, "-n", "400", "--start", "1700", "--workers", workers)
        assert part == b"".join(lines[1700:2100])
    assert written(tmp_path, *args, "-n", "5", "--start", "2495", "--workers", "2") == b"".join(lines[2495:])


def test_library_rows_and_lines_agree_for_any_number_of_workers() -> None:
    recipe = load_mix_recipe("gsm8k_style")
    plain = list(generate_mix(recipe, seed=1, count=700, start=100).rows())
    for workers in (2, 3):
        assert list(generate_mix(recipe, seed=1, count=700, start=100).rows(workers=workers)) == plain
    lines = list(generate("calculus", seed=5, count=120, difficulty=2).lines())
    assert list(generate("calculus", seed=5, count=120, difficulty=2).lines(workers=2)) == lines
    assert list(generate("arithmetic", seed=5, count=0).lines(workers=2)) == []


def test_an_exhausted_question_space_fails_the_same_way_with_workers(tmp_path: Path) -> None:
    args = ("generate", "-g", "arithmetic", "-n", "20000", "--seed", "3", "--difficulty", "1")
    one, two = run_cli(*args, "--workers", "1"), run_cli(*args, "--workers", "2", "-o", str(tmp_path / "p.jsonl"))
    assert one.returncode == two.returncode == 2
    assert one.stderr == two.stderr
    assert b"arithmetic at difficulty 1 can give 9,599 distinct questions (it ran dry" in two.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_error_in_a_worker_surfaces_with_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    family = registry.get_family("arithmetic")

    def failing_draw(config: object, rng: Rng) -> object:
        if rng.below(500) == 0:
            raise ValueError("drawer bug")
        return family.draw(config, rng)

    # Workers are forked, so they look the family up in this patched registry.
    monkeypatch.setitem(registry._FAMILIES, "arithmetic", dataclasses.replace(family, draw=failing_draw))
    run = generate("arithmetic", seed=1, count=5000)
    with pytest.raises(WorkerError) as caught:
        list(run.lines(workers=2))
    message = str(caught.value)
    assert message.startswith("generator worker failed on arithmetic (difficulty 3) candidates ")
    assert "ValueError: drawer bug (at test_generate_parallel.py:" in message
    assert multiprocessing.active_children() == []


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _start_big_run(out: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    proc = subprocess.Popen([CHUKMATH, "generate", "-g", "arithmetic", "-n", "3000000", "--workers", "2", "-o",
                             str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(children := _children(proc.pid)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, "the workers never started"
        time.sleep(0.05)
    return proc, children


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the worker processes through /proc")
def test_a_killed_worker_fails_the_run_clearly_and_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    proc, children = _start_big_run(out)
    os.kill(children[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    message = err.decode()
    assert message.startswith("error: a generator worker process died (signal SIGKILL) while working on arithmetic")
    assert message.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    assert all(_gone(pid) for pid in children)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the worker processes through /proc")
def test_ctrl_c_stops_the_workers_and_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    proc, children = _start_big_run(out)
    proc.send_signal(signal.SIGINT)
    for pid in children:
        os.kill(pid, signal.SIGINT)  # as a terminal would: the workers ignore it, the parent stops them
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"Error" not in err  # no worker reports a KeyboardInterrupt of its own
    assert list(tmp_path.iterdir()) == []
    assert all(_gone(pid) for pid in children)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the worker processes through /proc")
def test_workers_of_a_killed_parent_exit_on_their_own(tmp_path: Path) -> None:
    proc, children = _start_big_run(tmp_path / "p.jsonl")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 60  # they notice a broken pipe at once, or an orphaned parent within a second
    while not all(_gone(pid) for pid in children):
        if time.monotonic() > deadline:
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            pytest.fail("worker processes outlived their killed parent")
        time.sleep(0.05)


def test_auto_uses_every_core_only_for_long_runs() -> None:
    assert resolve_workers("auto", AUTO_MIN_ITEMS - 1) == 1
    assert resolve_workers("auto", AUTO_MIN_ITEMS) == usable_cores()
    assert resolve_workers("3", 10) == 3
    for bad in ("0", "-2", "two", "1.5", "", "999"):
        with pytest.raises(ConfigError, match=r"invalid --workers .* \(allowed: auto or an integer from 1 to 256\)"):
            resolve_workers(bad, 10)


def test_bad_workers_value_is_a_one_line_error() -> None:
    result = run_cli("generate", "-g", "arithmetic", "-n", "5", "--workers", "many")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "error: invalid --workers 'many' (allowed: auto or an integer from 1 to 256)\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device whose writes always fail")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_failed_write_is_a_one_line_error(workers: str) -> None:
    result = run_cli("generate", "-g", "arithmetic", "-n", "30000", "--workers", workers, "-o", "/dev/full")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "error: /dev/full: cannot write (No space left on device); the disk is full: free some space and run the "
        "same command again\n"
    )


def test_a_worker_only_hashes_repeats_of_questions_it_drew_before() -> None:
    from chukmath.generate.parallel import StreamSpec, compute_chunk

    stream = generate("quadratic", seed=1, count=1, difficulty=1).streams[0]
    spec = StreamSpec("quadratic", stream.config, stream.difficulty, stream.key, 1)
    known: set[int] = set()
    first = compute_chunk(spec, 0, 300, 0, known)
    second = compute_chunk(spec, 300, 300, 0, known)
    earlier: set[int] = set()
    repeats = 0
    for entry in first + second:
        if entry is None:
            continue
        h = entry if isinstance(entry, int) else entry[0]
        assert isinstance(entry, int) == (h in earlier)  # hash-only exactly for a question drawn before
        repeats += h in earlier
        earlier.add(h)
    assert repeats > 100  # difficulty 1 has few distinct quadratics, so the case is exercised
    assert known == earlier
