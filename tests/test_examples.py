"""The example run in datasets/examples is what its script makes today (so the files shown to users stay true)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

EXAMPLES = Path(__file__).resolve().parent.parent / "datasets" / "examples"
FILES = ("problems.jsonl", "requests.jsonl", "responses.jsonl", "train.jsonl", "rejects.jsonl", "stats.json")


def test_example_files_are_what_the_script_makes(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(EXAMPLES / "make_examples.py"), str(tmp_path)], check=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), (
            f"datasets/examples/{name} is stale: re-make it with .venv/bin/python datasets/examples/make_examples.py"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)


def test_example_rejects_show_every_reason_the_readme_promises() -> None:
    rejects = [orjson.loads(line) for line in (EXAMPLES / "rejects.jsonl").read_bytes().splitlines()]
    reasons = {reason for row in rejects for reason in row["reasons"]}
    assert reasons == {"wrong_answer", "bad_step", "no_verifier_answer", "answer_mismatch", "truncated", "format",
                       "language"}
    assert len(rejects) == 7
    assert len((EXAMPLES / "train.jsonl").read_bytes().splitlines()) == 3
