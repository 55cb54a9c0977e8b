"""`chukmath build` with the Batch API teacher against the loopback Batch API server."""

from __future__ import annotations

import re
from typing import Any

import orjson
from test_build_support import ECHO_PROMPT, build_argv, build_json, echo_template, single_mix, write_echo_recipe
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath_testing.batch_server import BatchApiServer

TEMPLATE = echo_template("Test prompt: the loopback server answers with the Answer line.")

RECIPE = (
    """
name = "batch"
count = 60
seed = 2
"""
    + single_mix("arithmetic")
    + ECHO_PROMPT
    + """[teacher]
kind = "batch"
model = "loopback-batch"
base_url = "{base_url}"
api_key_env = ""
poll_interval = 0.05
[verify]
policy = "wrong_answer"
"""
)


def _echo(custom_id: str, body: dict[str, Any]) -> str:
    text = "\n".join(m["content"] for m in body["messages"])
    answer = re.findall(r"^Answer: (.+)$", text, re.M)[-1]
    tail = f"<answer>{answer}</answer>\n<verifier_answer>{answer}</verifier_answer>"
    return f"<think>\nThe answer is {answer}.\n</think>\n{tail}"


def test_batch_teacher_builds_and_resumes_without_new_batches(tmp_path):
    with BatchApiServer(answer=_echo) as server:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, server.base_url)
        out = tmp_path / "run"
        summary = build_json(recipe, out)
        assert summary["complete"] and summary["problems"] == 60 and summary["accepted"] == 60
        creates = server.create_calls
        train = (out / "train.jsonl").read_bytes()
        again = build_json(recipe, out)
        assert server.create_calls == creates
        assert again["from_journal"] == 60
        assert (out / "train.jsonl").read_bytes() == train
    rows = [orjson.loads(line) for line in train.splitlines()]
    assert all(r["teacher"] == "batch" and r["model"] == "loopback-batch" for r in rows)


def test_batch_teacher_submits_only_the_new_samples_when_samples_grow(tmp_path):
    with BatchApiServer(answer=_echo) as server:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, server.base_url)
        out = tmp_path / "run"
        assert build_json(recipe, out)["from_journal"] == 60
        creates = server.create_calls
        write_echo_recipe(tmp_path, TEMPLATE, RECIPE.replace('api_key_env = ""', 'api_key_env = ""\nsamples = 2'),
                          server.base_url)
        grown = build_json(recipe, out)
        assert (grown["responses"], grown["from_journal"], grown["complete"]) == (120, 120, True), grown
        assert server.create_calls == creates + 1
    shards = sorted((out / "responses.jsonl.batches").glob("input-*.jsonl"))
    assert len(shards) == 2
    newest = [orjson.loads(line) for line in shards[-1].read_bytes().splitlines()]
    assert len(newest) == 60 and all(line["custom_id"].endswith(":1") for line in newest), newest[0]["custom_id"]
    journal = (out / "responses.jsonl").read_bytes().splitlines()
    keys = [(o["request_id"], o["sample"]) for o in map(orjson.loads, journal)]
    assert len(keys) == len(set(keys)) == 120 and sorted({s for _, s in keys}) == [0, 1]


def test_batch_phase_reports_submission_and_waiting(tmp_path):
    import io

    from chukmath.build import BuildOptions, build_dataset, load_recipe

    # The server holds every batch in progress until build has reported waiting for it once.
    with BatchApiServer(answer=_echo) as server:
        server.hold()

        class Stream(io.StringIO):
            def write(self, text: str) -> int:
                if "waiting" in text:
                    server.hold(False)
                return super().write(text)

        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, server.base_url)
        stream = Stream()
        summary = build_dataset(
            load_recipe(recipe), tmp_path / "run", BuildOptions(progress=False, progress_stream=stream)
        )
    assert summary.complete and summary.accepted == 60
    text = stream.getvalue()
    assert "batch: 60 request(s) submitted" in text
    assert "batch: waiting for 1 batch(es), 0/60 requests done" in text


def test_build_killed_while_waiting_for_batches_resumes_without_paying_twice(tmp_path):
    import os
    import signal
    import subprocess
    import time

    with BatchApiServer(answer=_echo) as server:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, server.base_url)
        reference = tmp_path / "unbroken"
        assert CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(reference), "-q"]).exit_code == 0
        server.hold()
        creates = server.create_calls
        out = tmp_path / "run"
        proc = subprocess.Popen(build_argv(recipe, out))
        deadline = time.monotonic() + 120  # a bound for a stuck test, not a measured time
        while server.create_calls == creates and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None and server.create_calls == creates + 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        server.hold(False)
        again = build_json(recipe, out)
        assert server.create_calls == creates + 1  # the batch created before the kill was polled, not re-created
        assert again["accepted"] == 60
    for name in ("problems.jsonl", "train.jsonl", "rejects.jsonl", "stats.json"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
