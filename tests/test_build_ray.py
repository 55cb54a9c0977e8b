"""`chukmath build --engine ray` on a local Ray cluster of 2 workers (started once for this module): the files equal
the single-process build's byte for byte (built-in teacher with a [split]; a loopback HTTP teacher with faults),
the endpoint's rate limit is one budget for all workers, and a job killed mid-run resumes asking nothing twice."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections import Counter

import pytest
from conftest import IN_CI, require
from test_build_support import (
    build_argv,
    build_json,
    echo_template,
    journal_keys,
    loopback_recipe,
    same_files,
    write_echo_recipe,
)
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.errors import TeacherError
from chukmath_testing.fault_server import FaultServer

try:
    import ray
    import ray.data
except ImportError:  # the dev extra installs it; under CI=true a missing ray fails (require) instead of skipping
    ray = None

BUILTIN = """name = "ray"
count = 150
seed = 5
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
trace_style = "mix"
[split]
test_count = 20
"""

TEMPLATE = echo_template(
    "Test prompt: the loopback server echoes the Answer line; some requests fault first.",
    "{% if problem.index % 5 == 1 %}[fault:500]{% endif %}\n{% if problem.index % 7 == 2 %}[fault:429]{% endif %}\n",
)


def live_recipe(count: int, extra: str = "") -> str:
    return loopback_recipe(
        f'name = "ray-live"\ncount = {count}\nseed = 4\n',
        f'api_key_env = ""\nsamples = 2\nseed = 7\nconcurrency = 4\nmax_retries = 4\n{extra}'
        '[verify]\npolicy = "wrong_answer"\nkeep = "all"\n',
    )


@pytest.fixture(scope="module")
def cluster():
    """A local Ray cluster of 2 worker slots for all tests here; its GCS address lets a child process join it."""
    if ray is None:
        require(["ray[data]"], "the Ray engine test")
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, configure_logging=True)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


def test_builtin_build_on_ray_equals_the_local_build_and_resumes(cluster, tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILTIN)
    local = tmp_path / "local"
    build_json(recipe, local)
    out = tmp_path / "ray"
    summary = build_json(recipe, out, "--engine", "ray")
    assert summary["complete"] and summary["problems"] == 150 and summary["asked"] == 300, summary
    same_files(out, local)
    assert (out / "test.jsonl").read_bytes() == (local / "test.jsonl").read_bytes()
    assert sorted(journal_keys(out)) == sorted(journal_keys(local))
    # The same command again resumes: every answer is the journal's, nothing is written twice.
    again = build_json(recipe, out, "--engine", "ray")
    assert again["asked"] == 0 and again["from_journal"] == 300
    same_files(out, local)
    assert len(journal_keys(out)) == 300


def test_http_teacher_on_ray_equals_the_local_build_under_one_shared_rate_limit(cluster, tmp_path):
    count, rpm = 30, 1200  # 60 requests at 20 a second after a burst of 20: at least 2 s, however many workers
    with FaultServer(latency=0.01, retry_after=0.05) as server:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, live_recipe(count, f"rpm = {rpm}\n"), server.base_url)
        out = tmp_path / "ray"  # first, so the fault markers fault its requests (the server counts attempts)
        summary = build_json(recipe, out, "--engine", "ray")
        asked = server.requests
        local = tmp_path / "local"
        assert build_json(recipe, local)["complete"]
    assert summary["complete"] and summary["asked"] == 2 * count and summary["accepted"] > 0, summary
    same_files(out, local)
    keys = journal_keys(out)
    assert len(keys) == len(set(keys)) == 2 * count
    # Each request was answered once; the faulted first attempts were retried.
    assert sorted(Counter((r.key, r.seed) for r in asked if r.fault is None).values()) == [1] * 2 * count
    assert any(r.fault for r in asked)
    first = [r.at for r in asked if r.attempt == 1]
    assert len(first) == 2 * count
    assert max(first) - min(first) >= (2 * count - rpm / 60) / (rpm / 60) * 0.9, "each worker kept its own rate"


def test_a_killed_ray_job_resumes_without_asking_twice(cluster, tmp_path):
    count, window = 150, 4
    with FaultServer(latency=0.02) as server:
        recipe = write_echo_recipe(tmp_path, echo_template("Test prompt: echoed."), live_recipe(count), server.base_url)
        reference = tmp_path / "local"
        assert build_json(recipe, reference)["complete"]
        unbroken = len(server.requests)
        out = tmp_path / "ray"
        journal = out / "responses.jsonl"
        argv = build_argv(recipe, out, "--engine", "ray", "--address", cluster)
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if journal.exists() and journal.read_bytes().count(b"\n") >= 40:
                break
            time.sleep(0.01)
        assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        kept = journal.read_bytes().count(b"\n")
        assert 40 <= kept < 2 * count
        summary = build_json(recipe, out, "--engine", "ray")
        served = Counter((r.key, r.seed) for r in server.requests[unbroken:] if r.fault is None)
    assert summary["complete"] and summary["from_journal"] >= kept - 1 and summary["asked"] <= 2 * count - kept + 1
    same_files(out, reference)
    keys = journal_keys(out)
    assert len(keys) == len(set(keys)) == 2 * count
    # Only requests in flight when the job was killed (at most the shared window) could be asked twice.
    assert len(served) == 2 * count
    repeated = sum(n - 1 for n in served.values())
    assert repeated <= window, repeated


def test_a_teacher_error_on_a_worker_is_the_line_a_local_build_gives(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("RAY_TEST_KEY", "sk-not-the-right-key-0123456789")
    with FaultServer(api_key="sk-the-right-key-0123456789") as server:
        recipe = write_echo_recipe(tmp_path, echo_template("Test prompt: echoed."),
                                   live_recipe(20).replace('api_key_env = ""', 'api_key_env = "RAY_TEST_KEY"'),
                                   server.base_url)
        out = tmp_path / "ray"
        result = CliRunner().invoke(app, ["build", "-r", str(recipe), "-o", str(out), "--engine", "ray", "-q"])
    assert isinstance(result.exception, TeacherError), repr(result.exception)
    assert "refused the first request" in str(result.exception) and "Ray" not in str(result.exception)
    assert journal_keys(out) == []


def test_engine_options_are_checked_before_anything_runs(tmp_path):
    recipe = tmp_path / "r.toml"
    batch = BUILTIN.replace('kind = "builtin"', 'kind = "batch"\nmodel = "m"\napi_key_env = ""')
    recipe.write_text(batch.replace('trace_style = "mix"\n', ""))
    runner = CliRunner()
    bad = runner.invoke(app, ["build", "-r", str(recipe), "-o", str(tmp_path / "a"), "--engine", "spark"])
    assert bad.exit_code == 2 and "not an engine" in bad.output
    lonely = runner.invoke(app, ["build", "-r", str(recipe), "-o", str(tmp_path / "b"), "--address", "auto"])
    assert lonely.exit_code == 2 and "--engine ray" in lonely.output
    batch = runner.invoke(app, ["build", "-r", str(recipe), "-o", str(tmp_path / "c"), "--engine", "ray"])
    assert batch.exit_code != 0 and "use --engine local" in batch.output + repr(batch.exception)
    assert not (tmp_path / "c" / "responses.jsonl").exists()


def test_ray_is_installed_under_ci():
    if IN_CI:
        assert ray is not None, "the dev extra installs ray[data]; the Ray engine tests must run in CI"
