"""`chukmath build` with the Batch API teacher against the loopback Batch API server."""

from __future__ import annotations

import re
from typing import Any

import orjson
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.testing.batch_server import BatchApiServer

TEMPLATE = """{#---
name = "echo"
description = "Test prompt: the loopback server answers with the Answer line."
variables = ["question", "answer"]
reveals_answer = true
---#}
Problem: {{ question }}
Answer: {{ answer }}
"""

RECIPE = """
name = "batch"
count = 60
seed = 2
[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 1
[prompt]
template = "echo"
templates_dirs = ["{templates}"]
[teacher]
kind = "batch"
model = "loopback-batch"
base_url = "{base_url}"
api_key_env = ""
poll_interval = 0.05
[verify]
policy = "wrong_answer"
"""


def _echo(custom_id: str, body: dict[str, Any]) -> str:
    text = "\n".join(m["content"] for m in body["messages"])
    answer = re.findall(r"^Answer: (.+)$", text, re.M)[-1]
    tail = f"<answer>{answer}</answer>\n<verifier_answer>{answer}</verifier_answer>"
    return f"<think>\nThe answer is {answer}.\n</think>\n{tail}"


def test_batch_teacher_builds_and_resumes_without_new_batches(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "echo.jinja").write_text(TEMPLATE)
    with BatchApiServer(answer=_echo) as server:
        recipe = tmp_path / "r.toml"
        recipe.write_text(RECIPE.format(templates=templates, base_url=server.base_url))
        out = tmp_path / "run"
        args = ["build", "--recipe", str(recipe), "--out", str(out), "--json"]
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0, repr(first.exception)
        summary = orjson.loads(first.stdout)
        assert summary["complete"] and summary["problems"] == 60 and summary["accepted"] == 60
        creates = server.create_calls
        train = (out / "train.jsonl").read_bytes()
        again = CliRunner().invoke(app, args)
        assert again.exit_code == 0
        assert server.create_calls == creates
        assert orjson.loads(again.stdout)["from_journal"] == 60
        assert (out / "train.jsonl").read_bytes() == train
    rows = [orjson.loads(line) for line in train.splitlines()]
    assert all(r["teacher"] == "batch" and r["model"] == "loopback-batch" for r in rows)


def test_batch_phase_reports_submission_and_waiting(tmp_path):
    import io

    from chukmath.build import BuildOptions, build_dataset, load_recipe

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "echo.jinja").write_text(TEMPLATE)
    # The server holds every batch in progress until build has reported waiting for it once.
    with BatchApiServer(answer=_echo) as server:
        server.hold()

        class Stream(io.StringIO):
            def write(self, text: str) -> int:
                if "waiting" in text:
                    server.hold(False)
                return super().write(text)

        recipe = tmp_path / "r.toml"
        recipe.write_text(RECIPE.format(templates=templates, base_url=server.base_url))
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
    import sys
    import time

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "echo.jinja").write_text(TEMPLATE)
    cli = [sys.executable, "-c", "from chukmath.cli.main import run; run()"]
    with BatchApiServer(answer=_echo) as server:
        recipe = tmp_path / "r.toml"
        recipe.write_text(RECIPE.format(templates=templates, base_url=server.base_url))
        reference = tmp_path / "unbroken"
        assert CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(reference), "-q"]).exit_code == 0
        server.hold()
        creates = server.create_calls
        out = tmp_path / "run"
        proc = subprocess.Popen([*cli, "build", "--recipe", str(recipe), "--out", str(out), "-q"])
        deadline = time.monotonic() + 120  # a bound for a stuck test, not a measured time
        while server.create_calls == creates and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None and server.create_calls == creates + 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        server.hold(False)
        again = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), "--json"])
        assert again.exit_code == 0, repr(again.exception)
        assert server.create_calls == creates + 1  # the batch created before the kill was polled, not re-created
        assert orjson.loads(again.stdout)["accepted"] == 60
    for name in ("problems.jsonl", "train.jsonl", "rejects.jsonl", "stats.json"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
