"""RowFiles, the one writer of train/test/rejects rows that build's sink and `chukmath verify` share, on real files."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from chukmath.errors import OutputError
from chukmath.records import Problem
from chukmath.write.files import RowFiles
from chukmath.write.selection import ProblemResult
from chukmath.write.stats import StatsAccumulator

PROBLEM = Problem.from_dict({
    "id": "arith-0", "generator": "arithmetic", "difficulty": 1, "seed": 1, "index": 0,
    "question": "What is 2 + 3?", "expression": "2 + 3", "answer": "5", "meta": {},
})  # fmt: skip


def result(n: int) -> ProblemResult:
    return ProblemResult(rows=[{"row": i} for i in range(n)], rejects=[{"reject": n}], outcomes=[])


def finals(root: Path, *splits: str) -> dict[str, Path]:
    return {split: root / f"{split}.jsonl" for split in splits}


def lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_rows_go_to_their_split_in_order_and_are_counted(tmp_path: Path) -> None:
    stats = StatsAccumulator()
    with RowFiles(finals(tmp_path, "train", "rejects", "test"), stats) as files:
        files.add(PROBLEM, result(2))
        files.write()  # a write between problems changes nothing in the bytes
        files.add(PROBLEM, result(1), "test")
        files.add(PROBLEM, result(3), None)
        assert files.pending == 3  # one test row and two rejects since the write
    assert lines(tmp_path / "train.jsonl") == [{"row": 0}, {"row": 1}]
    assert lines(tmp_path / "test.jsonl") == [{"row": 0}]
    assert lines(tmp_path / "rejects.jsonl") == [{"reject": 2}, {"reject": 1}, {"reject": 3}]
    totals = stats.to_dict()["totals"]
    assert (totals["problems"], totals["problems_with_samples"]) == (3, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rejects.jsonl", "test.jsonl", "train.jsonl"]


def test_a_failed_temporary_run_keeps_the_files_there_and_leaves_no_scratch(tmp_path: Path) -> None:
    (tmp_path / "train.jsonl").write_bytes(b'{"old": 1}\n')
    with pytest.raises(RuntimeError), RowFiles(finals(tmp_path, "train", "rejects"), StatsAccumulator()) as files:
        files.add(PROBLEM, result(2))
        files.write()
        raise RuntimeError("a bad input line half way")
    assert [p.name for p in tmp_path.iterdir()] == ["train.jsonl"]
    assert (tmp_path / "train.jsonl").read_bytes() == b'{"old": 1}\n'


def test_partial_files_grow_in_place_and_stay_after_a_failure(tmp_path: Path) -> None:
    files = RowFiles(finals(tmp_path, "train", "rejects"), StatsAccumulator(),
                     partial=lambda final: final.with_name(final.name + ".partial"))
    files.add(PROBLEM, result(1))
    files.write()
    assert lines(tmp_path / "train.jsonl.partial") == [{"row": 0}]  # readable while the run goes on
    files.add(PROBLEM, result(2))
    files.close()  # the run failed elsewhere: what was buffered is written, nothing is renamed
    assert lines(tmp_path / "train.jsonl.partial") == [{"row": 0}, {"row": 0}, {"row": 1}]
    assert not (tmp_path / "train.jsonl").exists()


def test_a_full_disk_names_the_file_and_close_does_not_write_again(tmp_path: Path) -> None:
    def grow(final: Path) -> Path:
        return Path("/dev/full") if final.name == "train.jsonl" else final.with_suffix(".p")

    files = RowFiles(finals(tmp_path, "train", "rejects"), StatsAccumulator(), partial=grow)
    files.add(PROBLEM, result(1))
    with pytest.raises(OutputError, match=r"/dev/full.*(No space left|free some space)"):
        files.finish()
    files.close()  # no second error, and nothing renamed
    assert not (tmp_path / "train.jsonl").exists() and not (tmp_path / "rejects.jsonl").exists()


def test_a_split_the_run_does_not_write_is_refused(tmp_path: Path) -> None:
    with RowFiles(finals(tmp_path, "train", "rejects"), StatsAccumulator()) as files:
        with pytest.raises(ValueError, match="no 'test' file in this run"):
            files.add(PROBLEM, result(1), "test")
        with pytest.raises(ValueError, match="no 'rejects' file"):
            files.add(PROBLEM, result(1), "rejects")


def test_a_write_is_due_after_enough_lines_or_enough_bytes(tmp_path: Path) -> None:
    with RowFiles(finals(tmp_path, "train", "rejects"), StatsAccumulator(), flush_lines=4) as files:
        files.add(PROBLEM, result(1))  # two lines: a row and a reject
        assert not files.due()
        assert files.due(other_lines=2)  # build counts its buffered problems too
        files.write()
        huge = ProblemResult(rows=[{"text": "x" * (5 << 20)}], rejects=[], outcomes=[])
        files.add(PROBLEM, huge)  # one line, but megabytes: untrusted answers must not pile up 512 at a time
        assert files.pending == 1 and files.due()
        files.write()
        assert not files.due()
