"""A fleet of OpenAI-compatible servers (`--base-url` repeated, or a list in [teacher] base_url): requests spread by
least outstanding requests, a server killed mid-run is taken out and its requests answered by the others, nothing
is lost or paid twice, and the journal resumes as with one server."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
from test_build_support import (
    build_argv,
    echo_template,
    journal_keys,
    loopback_recipe,
    write_echo_recipe,
)
from typer.testing import CliRunner

from chukmath.build.recipe import load_recipe
from chukmath.cli.main import app
from chukmath.hashing import content_hash
from chukmath.records import Request
from chukmath.teach import fleet as fleet_module
from chukmath.teach.fleet import FleetClient, FleetDown
from chukmath.teach.http_client import HTTPConnectionError
from chukmath.teach.retry import RetryPolicy
from chukmath_testing.fault_server import FaultServer

COUNT, SAMPLES = 90, 2
HEAD = f'name = "fleet"\ncount = {COUNT}\nseed = 4\n'
TEACHER = f'api_key_env = ""\nsamples = {SAMPLES}\nseed = 100\nconcurrency = 12\nmax_retries = {{retries}}\n'


@contextmanager
def server_process(log: Path, latency: float = 0.03) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The fault server as its own process, appending each answer it sends to ``log``; and its base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "chukmath_testing.fault_server", "--port", "0", "--latency",
                             str(latency), "--no-log", "--answer-log", str(log)], stdout=subprocess.PIPE)  # fmt: skip
    try:
        assert proc.stdout is not None
        yield proc, proc.stdout.readline().decode().strip()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def answers(log: Path) -> Counter[tuple[str, int]]:
    """(request id, seed) of every answer a server sent."""
    if not log.exists():
        return Counter()
    return Counter((o["key"], o["seed"]) for o in map(orjson.loads, log.read_bytes().splitlines()))


def fleet_recipe(tmp_path: Path, urls: list[str], retries: int = 5) -> Path:
    listed = "[" + ", ".join(f'"{u}"' for u in urls) + "]"
    text = loopback_recipe(HEAD, TEACHER.format(retries=retries)).replace('base_url = "{base_url}"',
                                                                          f"base_url = {listed}")
    return write_echo_recipe(tmp_path, echo_template("echo"), text, "")


def wait_for_lines(path: Path, n: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        time.sleep(0.01)
    raise AssertionError(f"{path}: fewer than {n} lines after {timeout}s")


def test_a_server_killed_mid_run_loses_nothing_and_pays_nothing_twice(tmp_path):
    logs = [tmp_path / f"server{i}.jsonl" for i in range(3)]
    out = tmp_path / "run"
    with ExitStack() as stack:
        servers = [stack.enter_context(server_process(log)) for log in logs]
        recipe = fleet_recipe(tmp_path, [url for _, url in servers])
        run = subprocess.Popen(build_argv(recipe, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_lines(out / "responses.jsonl", COUNT * SAMPLES // 4)
        servers[1][0].send_signal(signal.SIGKILL)
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    # Nothing lost: every (request, sample) answered once in the journal, none an error.
    keys = journal_keys(out)
    assert len(keys) == len(set(keys)) == COUNT * SAMPLES
    assert all(o["error"] is None for o in map(orjson.loads, (out / "responses.jsonl").read_bytes().splitlines()))
    # Nothing paid twice: an answer sent by two servers is one the killed server sent as it died (never received).
    sent = [answers(log) for log in logs]
    assert all(n == 1 for s in sent for n in s.values())
    twice = (sent[0] | sent[2]).keys() & sent[1].keys() | sent[0].keys() & sent[2].keys()
    assert twice <= sent[1].keys() and len(twice) <= 1, twice
    assert sum(s.total() for s in sent) == COUNT * SAMPLES + len(twice)
    assert sent[1].total() > 0, "the killed server answered before it died"
    # The two that lived shared the work about evenly.
    a, b = sent[0].total(), sent[2].total()
    assert min(a, b) / max(a, b) > 0.6, (a, b)


def test_when_every_server_is_gone_the_run_stops_and_resumes_on_new_servers(tmp_path):
    logs = [tmp_path / f"server{i}.jsonl" for i in range(2)]
    out = tmp_path / "run"
    with ExitStack() as stack:
        servers = [stack.enter_context(server_process(log)) for log in logs]
        recipe = fleet_recipe(tmp_path, [url for _, url in servers], retries=2)
        run = subprocess.Popen(build_argv(recipe, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_lines(out / "responses.jsonl", 20)
        for proc, _ in servers:
            proc.send_signal(signal.SIGKILL)
        _, err = run.communicate(timeout=120)
    assert run.returncode == 2, err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "all 2 servers of the fleet have been out" in lines[0], err
    before = journal_keys(out)
    assert before and len(before) == len(set(before)) < COUNT * SAMPLES
    # New servers on new ports: the base URLs are not part of the run's identity, so the same directory resumes.
    logs2 = [tmp_path / f"again{i}.jsonl" for i in range(2)]
    with ExitStack() as stack:
        servers = [stack.enter_context(server_process(log)) for log in logs2]
        recipe = fleet_recipe(tmp_path, [url for _, url in servers])
        done = subprocess.run(build_argv(recipe, out), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    keys = [k for k in journal_keys(out)]
    assert len(keys) == len(set(keys)) == COUNT * SAMPLES
    asked_again = sum(answers(log).total() for log in logs2)
    assert asked_again == COUNT * SAMPLES - len(before)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fleet_client_balances_skips_a_dead_address_and_takes_out_a_failing_server():
    dead = f"http://127.0.0.1:{_free_port()}/v1"
    always_500 = {n: "500" for n in range(1, 1000)}
    with FaultServer(latency=0.01) as a, FaultServer(latency=0.01) as b, FaultServer(faults=always_500) as bad:

        async def go() -> tuple[FleetClient, Counter[int]]:
            fleet = FleetClient([a.base_url, dead, b.base_url, bad.base_url], policy=RetryPolicy(max_retries=2))
            body = orjson.dumps({"model": "m", "messages": [{"role": "user", "content": "Answer: 1"}]})
            slots = asyncio.Semaphore(4)  # as the teacher bounds requests in flight

            async def one() -> int:
                async with slots:
                    return (await fleet.post("/chat/completions", body)).status

            statuses = Counter(await asyncio.gather(*(one() for _ in range(120))))
            await fleet.aclose()
            return fleet, statuses

        fleet, statuses = asyncio.run(go())
    counts = list(fleet.counts().values())
    assert counts[1] <= 3, f"the refused address is taken out at once (then probed now and then): {counts}"
    assert 3 <= counts[3] <= 5 and statuses[500] == counts[3], f"three 500s in a row take a server out: {counts}"
    assert statuses[200] == 120 - statuses[500]
    assert min(counts[0], counts[2]) / max(counts[0], counts[2]) > 0.8, counts


def test_fleet_client_gives_up_only_after_the_retry_budget(monkeypatch):
    # Not a wall-clock measurement: the fleet's clock and sleeps are a fake clock that each sleep advances, so the
    # time it waited is exact however slow the machine (the connections themselves are real and refused).
    clock = [1000.0]

    async def sleep(seconds: float) -> None:
        clock[0] += seconds
        assert clock[0] < 1060, "the fleet never gave up"
        await asyncio.sleep(0)

    monkeypatch.setattr(fleet_module, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(fleet_module, "asyncio", SimpleNamespace(sleep=sleep))

    async def go() -> float:
        fleet = FleetClient([f"http://127.0.0.1:{_free_port()}/v1" for _ in range(2)],
                            policy=RetryPolicy(max_retries=2, base_s=0.1))
        started = clock[0]
        with pytest.raises(FleetDown, match="all 2 servers"):
            await fleet.post("/chat/completions", b"{}")
        await fleet.aclose()
        return clock[0] - started

    # The budget of max_retries=2, base 0.1 s is 0.1 + 0.2 s with every server out, counted again after each probe
    # of a server back from its backoff. The backoffs double (0.1 s, 0.2 s, ... times a jitter of 0.5 to 1), so by
    # the sixth (after at most 3.1 s) the two servers' probes leave a gap over the budget within 1.6 s.
    waited = asyncio.run(go())
    assert 0.3 < waited < 5, waited
    assert issubclass(FleetDown, Exception) and not issubclass(FleetDown, HTTPConnectionError)


def test_base_url_list_in_recipe_keeps_the_fingerprint(tmp_path):
    one = write_echo_recipe(tmp_path, echo_template("echo"), loopback_recipe(HEAD, TEACHER.format(retries=1)),
                            "http://127.0.0.1:9/v1")
    single = load_recipe(one)
    fleet = load_recipe(fleet_recipe(tmp_path, ["http://127.0.0.1:9/v1", "http://127.0.0.1:10/v1"]))
    listed_one = load_recipe(fleet_recipe(tmp_path, ["http://127.0.0.1:9/v1"]))
    assert fleet.teacher.base_urls == ["http://127.0.0.1:9/v1", "http://127.0.0.1:10/v1"]
    assert listed_one.teacher.base_url == "http://127.0.0.1:9/v1"  # a list of one is the plain string
    hashes = {"echo": "x"}
    assert single.fingerprint(hashes) == fleet.fingerprint(hashes) == listed_one.fingerprint(hashes)


def test_teach_takes_several_base_urls(tmp_path):
    lines = []
    for i in range(40):
        messages = [{"role": "user", "content": f"What is {i} + 2?\nAnswer: {i + 2}"}]
        lines.append(orjson.dumps(Request(id=content_hash({"messages": messages}), problem_id=f"p{i}", template="t",
                                          template_hash="0" * 32, messages=messages).to_dict()))
    (tmp_path / "req.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    with FaultServer(latency=0.01) as a, FaultServer(latency=0.01) as b:
        result = CliRunner().invoke(app, [
            "teach", "--requests", str(tmp_path / "req.jsonl"), "--out", str(tmp_path / "journal.jsonl"), "--teacher",
            "openai", "--model", "m", "--api-key-env", "NO_SUCH_KEY_VAR", "--concurrency", "4", "--quiet",
            "--base-url", a.base_url, "--base-url", b.base_url])  # fmt: skip
        assert result.exit_code == 0, (result.output, repr(result.exception))
        served = len(a.requests), len(b.requests)
    assert sum(served) == 40 and min(served) >= 12, served
    assert len((tmp_path / "journal.jsonl").read_bytes().splitlines()) == 40
