"""The JSONL edge: atomic writes, torn-tail repair, line-numbered errors."""

import os

import pytest

from chukmath.errors import InputError
from chukmath.jsonl import AtomicWriter, JsonlAppender, read_jsonl


def test_atomic_writer_leaves_no_file_on_failure(tmp_path):
    dest = tmp_path / "out.jsonl"
    dest.write_bytes(b'{"old": 1}\n')
    with pytest.raises(RuntimeError), AtomicWriter(dest) as fh:
        fh.write(b'{"new": 1}\n')
        raise RuntimeError("boom")
    assert dest.read_bytes() == b'{"old": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_atomic_writer_writes_into_devices_without_replacing_them():
    with AtomicWriter("/dev/null") as fh:
        fh.write(b"x\n")
    assert not os.path.isfile("/dev/null")


def test_appender_repairs_torn_tail_and_reader_names_lines(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": 2}\n{"a": ')
    with JsonlAppender(path) as app:
        assert app.repaired_bytes == len(b'{"a": ')
        app.append({"a": 3})
    assert [obj["a"] for _, obj in read_jsonl(path)] == [1, 2, 3]
    path.write_bytes(b'{"a": 1}\nnot json\n')
    with pytest.raises(InputError, match=r"j\.jsonl:2:"):
        list(read_jsonl(path))
    # Only one line number in the message: ours (orjson's "line 1" would be about the line alone).
    path.write_bytes(b'{"a": 1}\n{"a": 1, "b": tru}\n')
    with pytest.raises(InputError) as bad:
        list(read_jsonl(path))
    assert str(bad.value) == f"{path}:2: not valid JSON (invalid literal, expected 'true' at column 15)"


def test_atomic_writer_gives_the_usual_file_mode_and_keeps_a_replaced_files_mode(tmp_path):
    import stat

    from chukmath import jsonl

    fresh = tmp_path / "card.md"
    with jsonl.AtomicWriter(fresh) as fh:
        fh.write(b"x\n")
    # What open() would give under the process umask, not mkstemp's 0600.
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~jsonl._UMASK
    plain = tmp_path / "plain.md"
    plain.write_bytes(b"x\n")
    assert stat.S_IMODE(fresh.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"{}\n")
    kept.chmod(0o640)
    with jsonl.AtomicWriter(kept) as fh:
        fh.write(b"[]\n")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes() == b"[]\n"


def test_atomic_writer_removes_what_a_killed_writer_left_but_not_a_live_ones(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    dead_pid = int(done.stdout)
    orphan = tmp_path / f".out.jsonl.{dead_pid}.abc123.tmp"
    orphan.write_bytes(b"half a file")
    live = tmp_path / ".out.jsonl.1.def456.tmp"  # pid 1 is alive: another writer's file is left alone
    live.write_bytes(b"in progress")
    other = tmp_path / f".other.jsonl.{dead_pid}.x.tmp"  # another destination's file is not ours to judge
    other.write_bytes(b"x")
    longer = tmp_path / f".out.jsonl.{dead_pid}.jsonl.9.x.tmp"  # a temp file of "out.jsonl.<pid>.jsonl"
    longer.write_bytes(b"x")
    with AtomicWriter(tmp_path / "out.jsonl") as fh:
        fh.write(b"{}\n")
    assert not orphan.exists() and live.exists() and other.exists() and longer.exists()
    assert (tmp_path / "out.jsonl").read_bytes() == b"{}\n"
