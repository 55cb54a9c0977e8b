"""bench/proof_rows.py matches rows by question and counts, per family, the rows whose answer changed and the
characters before and after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import bench_module


def _write(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = [json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}],
                         "generator": family}) for q, family, a in rows]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_changed_rows_and_characters_by_family(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proof_rows = bench_module("proof_rows")
    old = _write(tmp_path / "old.jsonl", [("q1", "arithmetic", "abcd"), ("q2", "arithmetic", "xy"),
                                          ("q3", "calculus", "0123456789")])  # fmt: skip
    # the new build lists its rows in another order: they are matched by question
    new = _write(tmp_path / "new.jsonl", [("q3", "calculus", "0123456789"), ("q2", "arithmetic", "xyz"),
                                          ("q1", "arithmetic", "abcd")])  # fmt: skip
    proof_rows.compare(old, new)
    table = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()[1:]}
    assert table["arithmetic"] == ["2", "1", "6", "7", "+16.7%"]
    assert table["calculus"] == ["1", "0", "10", "10", "+0.0%"]
