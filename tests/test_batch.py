"""`chukmath batch submit|status|collect` against a real loopback files + batches server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openai
import orjson
import pytest
from test_teach_support import save_requests, user_request
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.errors import ConfigError, TeacherError
from chukmath_testing.batch_server import BatchApiServer

KEY = "sk-test-batch-key"
ENV = {"BATCH_TEST_KEY": KEY}


def write_requests(path: Path, count: int) -> list[str]:
    prompts = (f"What is {i} + {i + 1}? Explain." for i in range(count))
    reqs = save_requests(path, (user_request(text, f"p{i}", "default", "t0") for i, text in enumerate(prompts)))
    return [r.id for r in reqs]


def journal_lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def state(journal: Path) -> dict:
    return orjson.loads(journal.with_name(journal.name + ".batches.json").read_bytes())


def run(*args: str, code: int = 0) -> object:
    result = CliRunner().invoke(app, list(args), env=ENV)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == code, result.output
    return result


def submit(server: BatchApiServer, requests: Path, journal: Path, *extra: str) -> str:
    return run(
        "batch", "submit", "--requests", str(requests), "--journal", str(journal), "--model", "teacher-1",
        "--base-url", server.base_url, "--api-key-env", "BATCH_TEST_KEY", *extra,
    ).output


def collect(journal: Path, *extra: str, code: int = 0) -> str:
    return run("batch", "collect", "--journal", str(journal), *extra, code=code).output


def test_submit_splits_status_collect_and_journal(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    ids = write_requests(requests, 7)
    out = submit(batch_api, requests, journal, "--samples", "2", "--max-requests-per-file", "5",
                 "--max-tokens", "4", "--seed", "10", "--temperature", "0.6", "--extra-body", '{"top_k": 5}')
    assert "queued now: 14" in out
    shards = state(journal)["shards"]
    assert [s["lines"] for s in shards] == [5, 5, 4]
    assert len(batch_api.batches) == 3
    first = orjson.loads(Path(shards[0]["input_path"]).read_bytes().splitlines()[1])
    assert first["custom_id"] == f"{ids[0]}:1"
    assert first["body"] == {
        "model": "teacher-1", "messages": [{"role": "user", "content": "What is 0 + 1? Explain."}],
        "temperature": 0.6, "max_tokens": 4, "seed": 11, "top_k": 5,
    }

    table = run("batch", "status", "--journal", str(journal)).output.splitlines()
    assert table[0].split() == ["shard", "batch", "status", "completed", "failed", "total", "tokens", "in",
                                "tokens", "out", "created"]
    assert [row.split()[2] for row in table[1:4]] == ["completed"] * 3
    # Each batch's usage, as the server reported it: 4 completion tokens a line (--max-tokens 4).
    assert [row.split()[7] for row in table[1:4]] == ["20", "20", "16"]
    totals = table[-1].split()
    assert totals[:4] == ["all", "14", "0", "14"] and totals[5] == "56"

    out = collect(journal)
    assert "ingested batches: 3; answers: 14 (truncated: 14); errors: 0" in out
    lines = journal_lines(journal)
    assert {(r["request_id"], r["sample"]) for r in lines} == {(i, s) for i in ids for s in (0, 1)}
    assert all(r["teacher"] == "batch" and r["model"] == "teacher-1" and r["error"] is None for r in lines)
    assert all(r["finish_reason"] == "length" and r["usage"]["completion_tokens"] == 4 for r in lines)
    assert all(r["usage"]["prompt_tokens"] > 0 for r in lines)
    # The usage `status` showed is the sum of the usage of the ingested answers.
    assert int(totals[4]) == sum(r["usage"]["prompt_tokens"] for r in lines)
    offline = run("batch", "status", "--journal", str(journal), "--offline").output.splitlines()
    assert offline[-1].split()[4:6] == totals[4:6]  # kept in the run state, shown without the server

    # Nothing is left to do: a second collect and submit change nothing anywhere.
    assert "ingested batches: 0" in collect(journal)
    assert "queued now: 0" in submit(batch_api, requests, journal, "--samples", "2")
    assert len(journal_lines(journal)) == 14
    assert len(batch_api.batches) == 3 and batch_api.upload_calls == 3


def test_split_by_bytes_and_oversized_line(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 10)
    submit(batch_api, requests, journal, "--max-bytes-per-file", "700")
    shards = state(journal)["shards"]
    assert sum(s["lines"] for s in shards) == 10 and len(shards) > 1
    for shard in shards:
        assert Path(shard["input_path"]).stat().st_size == shard["bytes"] <= 700

    with pytest.raises(ConfigError, match=r"over the per-file limit of 50"):
        submit(batch_api, requests, tmp_path / "other.jsonl", "--max-bytes-per-file", "50")


def test_failed_lines_are_journaled_and_only_they_are_resubmitted(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    ids = write_requests(requests, 6)
    batch_api.fail_times[f"{ids[1]}:0"] = 1
    batch_api.fail_times[f"{ids[4]}:0"] = 2
    submit(batch_api, requests, journal)
    out = collect(journal, code=1)
    assert "answers: 4" in out and "errors: 2" in out and "re-run `chukmath batch submit`" in out
    errors = [r for r in journal_lines(journal) if r["error"]]
    assert {r["request_id"] for r in errors} == {ids[1], ids[4]}
    assert all(r["error"]["kind"] == "http_5xx" and r["content"] is None for r in errors)

    out = submit(batch_api, requests, journal)
    assert "answers already in journal: 4" in out and "queued now: 2" in out
    collect(journal, code=1)
    out = submit(batch_api, requests, journal)
    assert "queued now: 1" in out
    collect(journal)
    lines = journal_lines(journal)
    ok = [(r["request_id"], r["sample"]) for r in lines if r["error"] is None]
    assert sorted(ok) == sorted((i, 0) for i in ids)  # every key answered exactly once
    assert len(lines) == 6 + 3


def test_pending_keys_are_not_resubmitted_and_wait_polls(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 4)
    batch_api.hold()
    submit(batch_api, requests, journal)
    assert "pending in batches: 4; queued now: 0" in submit(batch_api, requests, journal)
    out = collect(journal, "--wait", "--poll-interval", "0.05", "--timeout", "0.3")
    assert "ingested batches: 0" in out and "still running: 1 batch(es)" in out
    assert not journal.exists() or journal_lines(journal) == []
    batch_api.hold(False)
    out = collect(journal, "--wait", "--poll-interval", "0.05")
    assert "ingested batches: 1; answers: 4" in out and "still running" not in out


def test_expired_and_cancelled_batches_are_reported_and_retried(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    ids = write_requests(requests, 6)
    batch_api.hold()
    submit(batch_api, requests, journal, "--max-requests-per-file", "3")
    first, second = (s["batch_id"] for s in state(journal)["shards"])
    batch_api.expire(first, answered=1)
    openai.OpenAI(base_url=batch_api.base_url, api_key=KEY).batches.cancel(second)
    out = collect(journal, code=1)
    assert f"not completed: {first} (shard 1): expired" in out
    assert f"not completed: {second} (shard 2): cancelled, 3 unanswered" in out
    kinds = sorted(r["error"]["kind"] for r in journal_lines(journal) if r["error"])
    assert kinds == ["batch_expired", "batch_expired"]

    batch_api.hold(False)
    assert "queued now: 5" in submit(batch_api, requests, journal)
    collect(journal)
    answered = {r["request_id"] for r in journal_lines(journal) if r["error"] is None}
    assert answered == set(ids)


def test_lost_create_reply_is_recovered_not_paid_twice(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 5)
    batch_api.drop_next_create = 1
    with pytest.raises(TeacherError, match="re-run submit"):
        submit(batch_api, requests, journal)
    assert len(batch_api.batches) == 1  # the server made it; the client never heard back
    assert state(journal)["shards"][0]["batch_id"] is None

    out = submit(batch_api, requests, journal)
    assert "batches created: 0; recovered: batch-" in out and "queued now: 0" in out
    assert len(batch_api.batches) == 1 and batch_api.create_calls == 1
    assert "answers: 5" in collect(journal)


def test_lost_upload_reply_creates_one_batch(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 3)
    batch_api.drop_next_upload = 1
    submit(batch_api, requests, journal)  # the SDK retries the upload; an extra stored file costs nothing
    assert batch_api.upload_calls == 2 and len(batch_api.batches) == 1
    assert "answers: 3" in collect(journal)


def test_crash_between_journal_append_and_ingested_mark(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 4)
    submit(batch_api, requests, journal)
    collect(journal)
    before = journal.read_bytes()
    # Rewind the state file to what a kill right after the journal append (before the mark) leaves.
    path = journal.with_name(journal.name + ".batches.json")
    data = orjson.loads(path.read_bytes())
    data["shards"][0]["ingested"] = False
    path.write_bytes(orjson.dumps(data))
    out = collect(journal)
    assert "skipped: 4 already answered, 0 already ingested" in out
    assert journal.read_bytes() == before
    assert state(journal)["shards"][0]["ingested"] is True


def test_crash_mid_ingest_resumes_without_duplicates(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    ids = write_requests(requests, 4)
    batch_api.fail_times.update({f"{i}:0": 1 for i in ids[:2]})
    submit(batch_api, requests, journal)
    collect(journal, code=1)
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 4
    # Killed while writing the 4th line (outputs first, then the error file's lines); state not yet marked.
    assert [orjson.loads(x)["error"] is None for x in lines] == [True, True, False, False]
    journal.write_bytes(b"".join(lines[:3]) + lines[3][:20])
    path = journal.with_name(journal.name + ".batches.json")
    data = orjson.loads(path.read_bytes())
    data["shards"][0]["ingested"] = False
    path.write_bytes(orjson.dumps(data))
    out = collect(journal, code=1)
    assert "skipped: 2 already answered, 1 already ingested" in out
    after = journal_lines(journal)
    assert len(after) == 4
    assert sorted((r["request_id"], r["error"] is None) for r in after) == sorted(
        [(i, True) for i in ids[2:]] + [(i, False) for i in ids[:2]]
    )


def test_api_key_is_never_written(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 3)
    outputs = submit(batch_api, requests, journal)
    outputs += run("batch", "status", "--journal", str(journal)).output
    outputs += collect(journal)
    assert f"Bearer {KEY}" in batch_api.seen_authorization
    assert KEY not in outputs
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_errors_exit_2_with_a_message(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 2)
    exe = Path(sys.executable).with_name("chukmath")
    env = {k: v for k, v in os.environ.items() if k != "BATCH_TEST_KEY"}
    base = [str(exe), "batch", "submit", "--requests", str(requests), "--out", str(journal), "--model", "m",
            "--api-key-env", "BATCH_TEST_KEY"]
    done = subprocess.run([*base, "--base-url", "https://api.example.invalid/v1"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "environment variable BATCH_TEST_KEY is not set" in done.stderr
    done = subprocess.run([str(exe), "batch", "status", "--journal", str(journal)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no batches were submitted" in done.stderr
    base += ["--base-url", batch_api.base_url]
    done = subprocess.run(base, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "HTTP 401" in done.stderr  # loopback: tried without a key, refused


    requests.write_text('{"id": "x"}\n')
    done = subprocess.run(base, env={**env, "BATCH_TEST_KEY": KEY}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"{requests}:1: missing field(s)" in done.stderr


def test_loopback_server_without_key(tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 2)
    with BatchApiServer() as server:
        args = ["batch", "submit", "--requests", str(requests), "--out", str(journal), "--model", "m",
                "--base-url", server.base_url, "--api-key-env", "NO_SUCH_VAR"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "answers: 2" in CliRunner().invoke(app, ["batch", "collect", "--out", str(journal)]).output


def test_unsent_shards_can_move_to_another_base_url(batch_api: BatchApiServer, tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 3)
    with BatchApiServer(api_key="another-key") as wrong:
        with pytest.raises(TeacherError, match="HTTP 401"):
            submit(wrong, requests, journal)
    assert state(journal)["shards"][0]["batch_id"] is None
    out = submit(batch_api, requests, journal)
    assert "queued now: 0" in out and "batches created: 1" in out  # the written shard, sent to the new URL
    assert "answers: 3" in collect(journal)
    with pytest.raises(ConfigError, match="collect them"):
        batch_api.hold()
        submit(batch_api, requests, journal, "--samples", "2")
        submit(wrong, requests, journal, "--samples", "3")
