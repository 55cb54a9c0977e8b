"""`chukmath build --shard I/N` with the Batch API teacher (loopback Batch API server): each shard's batches ask for
its own block only, a shard stopped while its batch is pending resumes by polling that batch (never a second one),
and `chukmath merge` of the shards writes the unsharded batch build's files byte for byte."""

from __future__ import annotations

import io

import orjson
import pytest
from test_build_batch import RECIPE, TEMPLATE, _echo
from test_build_support import build_json, same_files, write_echo_recipe
from typer.testing import CliRunner

from chukmath.build import BuildOptions, build_dataset, load_recipe
from chukmath.build.shard import Shard
from chukmath.cli.main import app
from chukmath_testing.batch_server import BatchApiServer


class Stopped(Exception):
    """Raised from the progress stream to stop a build while it waits for its batch (as a crash would)."""


def batch_keys(out) -> set[tuple[str, int]]:
    """The (request id, sample) keys of every batch input file the run uploaded."""
    keys = set()
    for path in (out / "responses.jsonl.batches").glob("input-*.jsonl"):
        for line in path.read_bytes().splitlines():
            request_id, _, sample = orjson.loads(line)["custom_id"].rpartition(":")
            keys.add((request_id, int(sample)))
    return keys


def request_ids(out) -> list[str]:
    return [orjson.loads(line)["id"] for line in (out / "requests.jsonl").read_bytes().splitlines()]


def test_batch_shards_send_their_own_blocks_resume_and_merge_to_the_unsharded_build(tmp_path):
    with BatchApiServer(answer=_echo) as server:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, server.base_url)
        whole = tmp_path / "whole"
        assert build_json(recipe, whole)["accepted"] == 60
        everything = request_ids(whole)
        dirs = [tmp_path / f"shard{i}" for i in range(3)]

        # Shard 1 is stopped while its batch is pending; run again, it polls that batch instead of sending another.
        server.hold()

        class Stream(io.StringIO):
            def write(self, text: str) -> int:
                if "waiting" in text:
                    raise Stopped
                return super().write(text)

        creates = server.create_calls
        with pytest.raises(Stopped):
            build_dataset(load_recipe(recipe), dirs[1], BuildOptions(progress=False, progress_stream=Stream(),
                                                                     shard=Shard(1, 3)))
        assert server.create_calls == creates + 1
        server.hold(False)

        for i, d in enumerate(dirs):
            creates = server.create_calls
            summary = build_json(recipe, d, "--shard", f"{i}/3")
            assert summary["complete"] and summary["problems"] == 20, summary
            assert server.create_calls == creates + (i != 1), i
            block = everything[20 * i : 20 * (i + 1)]
            assert request_ids(d) == block
            assert batch_keys(d) == {(r, 0) for r in block}
        again = build_json(recipe, dirs[0], "--shard", "0/3")
        assert again["from_journal"] == 20 and server.create_calls == creates + 1
    merged = tmp_path / "merged"
    result = CliRunner().invoke(app, ["merge", *map(str, dirs), "--out", str(merged), "--json"])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["asked"] == 0
    same_files(merged, whole)
