"""`chukmath build --shard I/N` and `chukmath merge`: the merged shards are byte for byte the unsharded build (with and
without a [split], with the built-in teacher and a live one), and merge refuses what does not fit with one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import orjson
import pytest
from test_build_support import (
    CLI,
    FINAL,
    build_json,
    echo_template,
    journal_keys,
    loopback_recipe,
    same_files,
    write_echo_recipe,
)
from typer.testing import CliRunner

from chukmath.build.shard import Shard
from chukmath.cli.main import app
from chukmath.errors import ConfigError, OutputError
from chukmath_testing.fault_server import FaultServer

MIXED = """name = "sharded"
count = {count}
seed = 11
[[mix]]
generator = "arithmetic"
weight = 3
difficulty = 2
[[mix]]
generator = "fractions"
weight = 1
difficulty = 2
[[mix]]
generator = "linear_equation"
weight = 1
difficulty = 1
[teacher]
kind = "builtin"
samples = 2
"""
SPLIT = "\n[split]\ntest = 0.25\n"


def merge(dirs: list[Path], out: Path, code: int = 0) -> CliRunner:
    result = CliRunner().invoke(app, ["merge", *map(str, dirs), "--out", str(out), "--json"])
    assert result.exit_code == code, (result.output, repr(result.exception))
    return result


def build_shards(recipe: Path, tmp_path: Path, n: int, *extra: str) -> list[Path]:
    dirs = [tmp_path / f"shard{i}" for i in range(n)]
    for i, d in enumerate(dirs):
        build_json(recipe, d, "--shard", f"{i}/{n}", *extra)
    return dirs


@pytest.mark.parametrize("split", ["", SPLIT], ids=["train-only", "split"])
def test_three_shards_merge_to_the_unsharded_build_byte_for_byte(tmp_path, split):
    recipe = tmp_path / "r.toml"
    recipe.write_text(MIXED.format(count=100) + split)
    whole = tmp_path / "whole"
    build_json(recipe, whole)
    dirs = build_shards(recipe, tmp_path, 3)
    # Each shard holds its contiguous block of problems: together, the unsharded problems.jsonl.
    blocks = b"".join((d / "problems.jsonl").read_bytes() for d in dirs)
    assert blocks == (whole / "problems.jsonl").read_bytes()
    assert [len((d / "problems.jsonl").read_bytes().splitlines()) for d in dirs] == [33, 33, 34]
    merged = tmp_path / "merged"
    summary = orjson.loads(merge(dirs[::-1], merged).stdout)  # any order on the command line
    assert summary["complete"] and summary["problems"] == 100
    same_files(merged, whole)
    if split:
        assert (merged / "test.jsonl").read_bytes() == (whole / "test.jsonl").read_bytes()
        assert (merged / "test.jsonl").stat().st_size > 0
    manifest = orjson.loads((merged / "manifest.json").read_bytes())
    assert manifest["fingerprint"] == orjson.loads((whole / "manifest.json").read_bytes())["fingerprint"]
    assert "shard" not in manifest
    # Merging again into the same directory gives the same files.
    merge(dirs, merged)
    same_files(merged, whole)


def test_a_sharded_split_asks_exactly_what_the_unsharded_build_asks(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(MIXED.format(count=60) + "\n[split]\ntest_count = 12\n")
    whole = tmp_path / "whole"
    build_json(recipe, whole)
    dirs = build_shards(recipe, tmp_path, 4)
    keys = sorted(k for d in dirs for k in journal_keys(d))
    assert keys == sorted(journal_keys(whole))


def test_live_shards_merge_without_the_endpoint_and_without_asking_again(tmp_path):
    with FaultServer() as server:
        recipe = write_echo_recipe(
            tmp_path, echo_template("echo"), loopback_recipe('name = "live"\ncount = 30\nseed = 3\n',
                                                             'api_key_env = ""\nsamples = 2\n'), server.base_url)
        whole = tmp_path / "whole"
        build_json(recipe, whole)
        asked = len(server.requests)
        dirs = build_shards(recipe, tmp_path, 2)
        assert len(server.requests) == 2 * asked  # each shard asked its own block once
    merged = tmp_path / "merged"
    summary = orjson.loads(merge(dirs, merged).stdout)  # the server is gone: nothing may be asked
    assert summary["asked"] == 0 and summary["from_journal"] == 60
    same_files(merged, whole)


def test_merge_refuses_missing_repeated_foreign_and_unfinished_shards(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(MIXED.format(count=20))
    dirs = build_shards(recipe, tmp_path, 3)
    out = tmp_path / "merged"

    def refused(args: list[Path], *words: str) -> None:
        result = subprocess.run([*CLI, "merge", *map(str, args), "--out", str(out)], capture_output=True, text=True)
        message = result.stderr.strip()
        assert result.returncode == 2 and len(message.splitlines()) == 1 and message.startswith("error: "), message
        for word in words:
            assert word in message, message

    refused(dirs[:2], "missing shard(s) 2/3")
    refused([*dirs, dirs[1]], "given twice")
    other = tmp_path / "other.toml"
    other.write_text(MIXED.format(count=20).replace("seed = 11", "seed = 12"))
    foreign = tmp_path / "foreign"
    build_json(other, foreign, "--shard", "2/3")
    refused([dirs[0], dirs[1], foreign], "different builds")
    two = tmp_path / "two"
    build_json(recipe, two, "--shard", "1/2")
    refused([dirs[0], two], "shard 1/2")
    refused([tmp_path / "nowhere"], "no manifest.json")
    plain = tmp_path / "plain"
    build_json(recipe, plain)
    refused([plain], "without --shard")
    manifest = dirs[2] / "manifest.json"
    data = orjson.loads(manifest.read_bytes())
    manifest.write_bytes(orjson.dumps(dict(data, status="incomplete")))
    refused(dirs, "shard 2/3", "incomplete")
    assert not (out / "train.jsonl").exists()


def test_a_shard_directory_is_not_resumed_by_another_shard_or_the_whole_run(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(MIXED.format(count=12))
    out = tmp_path / "s"
    build_json(recipe, out, "--shard", "0/2")
    build_json(recipe, out, "--shard", "0/2")  # the same shard resumes
    for other in (["--shard", "1/2"], []):
        result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), *other])
        assert isinstance(result.exception, OutputError) and "different run" in str(result.exception)


def test_shard_spec():
    assert Shard.parse("2/3").span(100) == (66, 100)
    assert [Shard(i, 4).span(10) for i in range(4)] == [(0, 2), (2, 5), (5, 7), (7, 10)]
    for bad in ("3/3", "1", "-1/2", "a/b", "0/0"):
        with pytest.raises(ConfigError):
            Shard.parse(bad)
    assert set(FINAL) >= {"train.jsonl", "stats.json", "README.md"}


def test_shards_with_a_judge_merge_without_asking_it_again(tmp_path):
    from test_build_judge import JUDGE_TABLE, RECIPE, TEMPLATE, decide

    from chukmath_testing.judge_server import JudgeServer

    with FaultServer() as teacher, JudgeServer(decide) as judge:
        table = JUDGE_TABLE.format(judge_url=judge.base_url)
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE.replace("{judge}", "api_key_env = \"\"\n{judge}"),
                                   teacher.base_url, judge=table)
        whole = tmp_path / "whole"
        build_json(recipe, whole)
        dirs = build_shards(recipe, tmp_path, 3)
        asked = judge.count
    merged = tmp_path / "merged"
    merge(dirs, merged)
    assert judge.count == asked
    for name in ("problems.jsonl", "train.jsonl", "rejects.jsonl", "README.md"):
        assert (merged / name).read_bytes().replace(bytes(merged), b"OUT") == (whole / name).read_bytes().replace(
            bytes(whole), b"OUT"), name
    # stats.json's judge section says what the judge did in this run (as after any resume): all from the journals.
    got, want = (orjson.loads((d / "stats.json").read_bytes()) for d in (merged, whole))
    assert got["judge"] == dict(want["judge"], asked=0, from_journal=want["judge"]["asked"])
    assert dict(got, judge=None) == dict(want, judge=None)
