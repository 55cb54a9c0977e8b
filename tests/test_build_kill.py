"""`kill -9` at random moments, then the same command again: the final files equal an unbroken run's, byte for byte.

Once with the built-in teacher, once with the openai teacher against the fault-injecting loopback server.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import orjson
from test_build_support import (
    build_argv,
    echo_template,
    journal_keys,
    loopback_recipe,
    same_files,
    write_echo_recipe,
)

from chukmath_testing.fault_server import FaultServer

BUILTIN_RECIPE = """
name = "kill"
count = {count}
seed = 9
[[mix]]
generator = "arithmetic"
weight = 2
difficulty = 2
[[mix]]
generator = "fractions"
weight = 1
difficulty = 1
[teacher]
kind = "builtin"
"""

# The fault server answers with the prompt's last "Answer: X" line; some prompts carry fault markers, so the
# first attempt of those requests fails (429 / 500 / dropped connection) and the retry succeeds.
ECHO_TEMPLATE = echo_template(
    "Test prompt: the loopback server echoes the Answer line; some requests fault first.",
    "{% if problem.index % 5 == 1 %}[fault:500]{% endif %}\n"
    "{% if problem.index % 7 == 2 %}[fault:429]{% endif %}\n"
    "{% if problem.index % 11 == 3 %}[fault:drop]{% endif %}\n",
)

LIVE_RECIPE = loopback_recipe(
    """
name = "kill-live"
count = {count}
seed = 4
""",
    """api_key_env = ""
samples = 2
concurrency = 16
max_retries = 4
[verify]
policy = "wrong_answer"
keep = "all"
""",
)


def _run(recipe: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(build_argv(recipe, out, *extra), capture_output=True, text=True, timeout=300)


def _journal_size(out: Path) -> int:
    journal = out / "responses.jsonl"
    return journal.stat().st_size if journal.exists() else 0


def _kill_until_done(recipe: Path, out: Path, rng: random.Random, total_bytes: int, rounds: int) -> int:
    """Start the build, SIGKILL it at a random point of its progress, repeat; then let it finish.

    The kill point is a random journal size between what is there and the unbroken run's size, so every kill
    lands mid-run however fast the machine is; the first round also kills once during start-up. Returns the
    number of processes actually killed.
    """
    kills = 0
    for round_no in range(rounds):
        proc = subprocess.Popen(build_argv(recipe, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if round_no == 0:
            time.sleep(rng.uniform(0.05, 0.3))
        else:
            start = _journal_size(out)
            target = start + rng.uniform(0.1, 0.6) * (total_bytes - start)
            while proc.poll() is None and _journal_size(out) < target:
                time.sleep(0.002)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, -signal.SIGKILL), err.decode()
    final = _run(recipe, out)
    assert final.returncode == 0, final.stderr
    return kills


def test_builtin_kill9_at_random_points_resumes_identically(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILTIN_RECIPE.format(count=3000))
    reference = tmp_path / "unbroken"
    assert _run(recipe, reference).returncode == 0
    rng = random.Random(20260101)
    for round_no in range(2):
        out = tmp_path / f"killed{round_no}"
        kills = _kill_until_done(recipe, out, rng, _journal_size(reference), rounds=4)
        assert kills >= 2
        same_files(out, reference)
        # The journal holds each key once: resumed runs never asked again what was answered.
        keys = journal_keys(out)
        assert len(keys) == len(set(keys)) == 3000


def test_openai_teacher_kill9_against_fault_server_resumes_identically(tmp_path):
    with FaultServer(latency=0.01, retry_after=0.05) as server:
        recipe = write_echo_recipe(tmp_path, ECHO_TEMPLATE, LIVE_RECIPE, server.base_url, count=400)
        reference = tmp_path / "unbroken"
        done = _run(recipe, reference, "--json")
        assert done.returncode == 0, done.stderr
        summary = orjson.loads(done.stdout)
        assert summary["complete"] and summary["asked"] == 800 and summary["accepted"] > 0
        unbroken_requests = len(server.requests)
        rng = random.Random(7)
        out = tmp_path / "killed"
        kills = _kill_until_done(recipe, out, rng, _journal_size(reference), rounds=4)
        assert kills >= 2
        same_files(out, reference)
        # Nothing answered was asked again: at most the requests in flight at each kill are repeated.
        window = 16
        assert len(server.requests) - unbroken_requests <= unbroken_requests + kills * window
    train = [orjson.loads(line) for line in (reference / "train.jsonl").read_bytes().splitlines()]
    assert all(row["teacher"] == "openai" and row["model"] == "loopback" for row in train)
