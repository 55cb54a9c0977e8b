"""`chukmath build` with the built-in teacher over every registered family at every difficulty: each problem's
trace is accepted and written to train.jsonl, nothing is rejected."""

from __future__ import annotations

import orjson
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.families import list_families

PER_ENTRY = 10


def test_builtin_build_accepts_every_problem_of_every_family(tmp_path) -> None:
    names = [f.name for f in list_families()]
    entries = "".join(f'[[mix]]\ngenerator = "{n}"\nweight = 1\ndifficulty = {d}\n' for n in names for d in range(1, 6))
    count = PER_ENTRY * 5 * len(names)
    recipe = tmp_path / "breadth.toml"
    recipe.write_text(f'name = "breadth"\ncount = {count}\nseed = 3\n{entries}[teacher]\nkind = "builtin"\n')
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    summary = orjson.loads(result.stdout)
    assert summary["complete"] and summary["problems"] == count
    rejects = [orjson.loads(line) for line in (out / "rejects.jsonl").read_bytes().splitlines()]
    assert rejects == [], rejects[:3]
    train = [orjson.loads(line) for line in (out / "train.jsonl").read_bytes().splitlines()]
    assert len(train) == count == summary["accepted"]
    assert {row["generator"] for row in train} == set(names)
