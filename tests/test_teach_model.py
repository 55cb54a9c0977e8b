"""A journal is filled by one model: resuming it with another --model is refused, not silently mixed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from chukmath.hashing import content_hash
from chukmath.records import Request
from chukmath_testing.batch_server import BatchApiServer
from chukmath_testing.fault_server import FaultServer

CHUKMATH = str(Path(sys.executable).with_name("chukmath"))


def write_requests(path: Path, n: int, marker: str = "") -> None:
    lines = []
    for i in range(n):
        messages = [{"role": "user", "content": f"What is {i} * 3? {marker}\nAnswer: {i * 3}"}]
        lines.append(orjson.dumps(Request(id=content_hash({"messages": messages}), problem_id=f"p{i}", template="t",
                                          template_hash="0" * 32, messages=messages).to_dict()) + b"\n")
    path.write_bytes(b"".join(lines))


def teach(tmp: Path, url: str, model: str, *extra: str) -> subprocess.CompletedProcess[str]:
    argv = [CHUKMATH, "teach", "--requests", str(tmp / "req.jsonl"), "--out", str(tmp / "j.jsonl"), "--teacher",
            "openai", "--base-url", url, "--model", model, "--json", "--quiet", *extra]
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)


def models(tmp: Path) -> list[str]:
    return [orjson.loads(line)["model"] for line in (tmp / "j.jsonl").read_bytes().splitlines()]


def test_resume_with_another_model_is_refused_unless_allowed(tmp_path):
    with FaultServer() as srv:
        write_requests(tmp_path / "req.jsonl", 3)
        assert teach(tmp_path, srv.base_url, "model-a").returncode == 0
        write_requests(tmp_path / "req.jsonl", 6)  # the job grew; three requests are new
        sent = srv.count
        other = teach(tmp_path, srv.base_url, "model-b")
        assert other.returncode == 2
        assert "model-a" in other.stderr and "'model-b'" in other.stderr and "--allow-model-change" in other.stderr
        assert srv.count == sent and models(tmp_path) == ["model-a"] * 3  # refused before anything was sent
        same = teach(tmp_path, srv.base_url, "model-a")
        assert same.returncode == 0 and orjson.loads(same.stdout)["skipped"] == 3
        assert models(tmp_path) == ["model-a"] * 6
        # Without the record (a journal from an older chukmath) the answers' own model names decide.
        (tmp_path / "j.jsonl.model.json").unlink()
        write_requests(tmp_path / "req.jsonl", 8)
        assert teach(tmp_path, srv.base_url, "model-b").returncode == 2
        mixed = teach(tmp_path, srv.base_url, "model-b", "--allow-model-change")
        assert mixed.returncode == 0, mixed.stderr
        assert models(tmp_path) == ["model-a"] * 6 + ["model-b"] * 2
        # The deliberate change is recorded: the new model now owns the journal.
        assert teach(tmp_path, srv.base_url, "model-a").returncode == 2


def test_a_journal_without_answers_can_change_model(tmp_path):
    write_requests(tmp_path / "req.jsonl", 2, marker="[fault:404]")
    with FaultServer() as srv:
        # The first model name is wrong: the endpoint refuses it, nothing is answered or recorded as done.
        wrong = teach(tmp_path, srv.base_url, "no-such-model")
        assert wrong.returncode == 2 and "404" in wrong.stderr
        write_requests(tmp_path / "req.jsonl", 2)
        right = teach(tmp_path, srv.base_url, "model-a")
        assert right.returncode == 0, right.stderr
    assert models(tmp_path) == ["model-a"] * 2


def test_live_teach_is_refused_while_batches_of_another_model_are_pending(tmp_path):
    write_requests(tmp_path / "req.jsonl", 3)
    with BatchApiServer() as api:
        api.hold()
        submit = [CHUKMATH, "batch", "submit", "--requests", str(tmp_path / "req.jsonl"), "--out",
                  str(tmp_path / "j.jsonl"), "--model", "batch-model", "--base-url", api.base_url]
        env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
        assert subprocess.run(submit, capture_output=True, text=True, env=env, timeout=60).returncode == 0
        with FaultServer() as srv:
            live = teach(tmp_path, srv.base_url, "live-model")
            assert live.returncode == 2 and "batch-model" in live.stderr
            assert srv.count == 0
        again = subprocess.run([*submit[:-4], "--model", "other-model", "--base-url", api.base_url],
                               capture_output=True, text=True, env=env, timeout=60)
        assert again.returncode == 2 and "batch-model" in again.stderr
        assert len(api.batches) == 1
