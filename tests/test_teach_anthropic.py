"""`--teacher anthropic` (Claude's Messages API through the official SDK) against a loopback Anthropic server.

The server (chukmath_testing.anthropic_server) is a real HTTP server speaking the SDK's endpoints; these tests check
the request shape (top-level ``system``, ``max_tokens``), the answer mapping (``thinking`` blocks to
reasoning_content, ``max_tokens`` to finish_reason ``length``, usage to prompt/completion tokens and cost), retries
of 429/529, resume from the journal, key handling, and `chukmath build` with ``kind = "anthropic"``.
"""

from __future__ import annotations

import os
import subprocess

import orjson
import pytest
from test_build_support import build_json, echo_template, single_mix, write_echo_recipe
from test_teach_support import CHUKMATH, read_journal, save_requests, user_request

from chukmath.hashing import content_hash
from chukmath.records import Request
from chukmath_testing.anthropic_server import AnthropicServer

pytest.importorskip("anthropic")

KEY = "sk-ant-test-0123456789abcdef"


def _teach(tmp, url: str, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "OPENAI_")) and
            not k.lower().endswith("_proxy")}  # fmt: skip
    full.update(env or {})
    argv = [CHUKMATH, "teach", "--requests", str(tmp / "req.jsonl"), "--out", str(tmp / "journal.jsonl"),
            "--teacher", "anthropic", "--base-url", url, "--model", "claude-test", "--json", *extra]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, env=full, timeout=120)


def _system_request(content: str, problem_id: str) -> Request:
    messages = [{"role": "system", "content": "Answer in tags."}, {"role": "user", "content": content}]
    return Request(id=content_hash({"messages": messages}), problem_id=problem_id, template="t",
                   template_hash="0" * 32, messages=messages)  # fmt: skip


def test_teach_with_anthropic_maps_the_messages_api_and_resumes(tmp_path):
    reqs = save_requests(tmp_path / "req.jsonl", [
        _system_request("Q0\nAnswer: 10", "p0"),
        user_request("Q1 [anthropic:429]\nAnswer: 11", "p1"),
        user_request("Q2 [anthropic:529] [anthropic:thinking]\nAnswer: 12", "p2"),
        user_request("Q3 [anthropic:max_tokens]\nAnswer: 13", "p3"),
    ])  # fmt: skip
    with AnthropicServer(api_key=KEY) as srv:
        run = _teach(tmp_path, srv.base_url, "--max-tokens", "256", "--temperature", "0.3", "--price-in", "3",
                     "--price-out", "15", env={"ANTHROPIC_API_KEY": KEY})  # fmt: skip
        assert run.returncode == 0, run.stderr
        summary = orjson.loads(run.stdout)
        assert (summary["teacher"], summary["succeeded"], summary["truncated"]) == ("anthropic", 4, 1)
        assert summary["retries"] == 2 and srv.message_calls == 6  # one 429 and one 529, each retried once
        first = next(b for b in srv.bodies if "Q0" in orjson.dumps(b).decode())
        # The system message went into the top-level system parameter; only user turns are messages.
        assert first["system"] == "Answer in tags." and [m["role"] for m in first["messages"]] == ["user"]
        assert first["max_tokens"] == 256 and first["temperature"] == 0.3 and "top_p" not in first
        assert "seed" not in first and "n" not in first
        assert srv.keys == {KEY}
        lines = {d["request_id"]: d for d in read_journal(tmp_path / "journal.jsonl") if d["error"] is None}
        assert set(lines) == {r.id for r in reqs}
        assert "<answer>10</answer>" in lines[reqs[0].id]["content"]
        assert lines[reqs[2].id]["reasoning_content"] == "Let me think about 12."
        assert lines[reqs[3].id]["finish_reason"] == "length" and lines[reqs[0].id]["finish_reason"] == "stop"
        usage = lines[reqs[0].id]["usage"]
        assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
        tokens_in = sum(d["usage"]["prompt_tokens"] for d in lines.values())
        tokens_out = sum(d["usage"]["completion_tokens"] for d in lines.values())
        assert summary["cost_usd"] == pytest.approx((3 * tokens_in + 15 * tokens_out) / 1e6)
        # A rerun asks nothing: every key is in the journal.
        again = _teach(tmp_path, srv.base_url, env={"ANTHROPIC_API_KEY": KEY})
        assert again.returncode == 0 and orjson.loads(again.stdout)["skipped"] == 4 and srv.message_calls == 6
    assert KEY not in (tmp_path / "journal.jsonl").read_text()


def test_a_refused_key_stops_the_run_without_showing_it(tmp_path):
    save_requests(tmp_path / "req.jsonl", [user_request("Q\nAnswer: 1", "p")])
    wrong = "sk-ant-wrong-key-987654321"
    with AnthropicServer(api_key=KEY) as srv:
        run = _teach(tmp_path, srv.base_url, env={"ANTHROPIC_API_KEY": wrong})
        assert run.returncode == 2 and "HTTP 401" in run.stderr and wrong not in run.stderr
        assert srv.message_calls == 1
        # A non-loopback endpoint without the key is refused before anything is sent.
        run = _teach(tmp_path, "https://api.anthropic.invalid")
        assert run.returncode == 2 and "ANTHROPIC_API_KEY" in run.stderr
        run = _teach(tmp_path, srv.base_url, "--seed", "1", env={"ANTHROPIC_API_KEY": KEY})
        assert run.returncode == 2 and "no seed" in run.stderr and srv.message_calls == 1
        run = _teach(tmp_path, srv.base_url, "--temperature", "1.5", env={"ANTHROPIC_API_KEY": KEY})
        assert run.returncode == 2 and "0 to 1" in run.stderr and srv.message_calls == 1
        # A key with a newline cannot go into a header: refused, never shown.
        run = _teach(tmp_path, srv.base_url, env={"ANTHROPIC_API_KEY": KEY + "\n"})
        assert run.returncode == 2 and "line break" in run.stderr and KEY not in run.stderr


def test_build_with_kind_anthropic_makes_the_dataset_and_resumes(tmp_path, monkeypatch):
    recipe_text = (
        'name = "claude"\ncount = 12\nseed = 3\n' + single_mix("arithmetic")
        + '[prompt]\ntemplate = "echo"\ntemplates_dirs = ["{templates}"]\n'
        + '[teacher]\nkind = "anthropic"\nmodel = "claude-test"\nbase_url = "{base_url}"\nconcurrency = 4\n'
        + "price_in = 3.0\nprice_out = 15.0\n"
    )
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    with AnthropicServer(api_key=KEY) as srv:
        recipe = write_echo_recipe(tmp_path, echo_template("Loopback Claude echoes the Answer line."), recipe_text,
                                   srv.base_url)  # fmt: skip
        out = tmp_path / "run"
        summary = build_json(recipe, out)
        assert summary["complete"] and summary["accepted"] == 12 and summary["asked"] == 12
        assert srv.message_calls == 12
        again = build_json(recipe, out)
        assert again["from_journal"] == 12 and again["asked"] == 0 and srv.message_calls == 12
    rows = [orjson.loads(line) for line in (out / "train.jsonl").read_bytes().splitlines()]
    assert len(rows) == 12 and {r["teacher"] for r in rows} == {"anthropic"}
    stats = orjson.loads((out / "stats.json").read_bytes())
    assert stats["tokens"]["total"] > 0 and stats["cost"]["usd"] > 0
    for path in out.iterdir():
        if path.is_file():
            assert KEY not in path.read_text(errors="replace"), path.name


def _batch(tmp, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "OPENAI_")) and
            not k.lower().endswith("_proxy")}  # fmt: skip
    full.update(env or {})
    return subprocess.run([CHUKMATH, "batch", *args], capture_output=True, text=True, env=full, timeout=120)


def test_message_batches_submit_status_collect_into_the_journal_once(tmp_path):
    reqs = save_requests(tmp_path / "req.jsonl", [
        _system_request("Q0\nAnswer: 10", "p0"),
        user_request("Q1 [anthropic:thinking]\nAnswer: 11", "p1"),
        user_request("Q2 [anthropic:error]\nAnswer: 12", "p2"),
        user_request("Q3\nAnswer: 13", "p3"),
    ])  # fmt: skip
    journal = tmp_path / "journal.jsonl"
    env = {"ANTHROPIC_API_KEY": KEY}
    with AnthropicServer(api_key=KEY, polls=2) as srv:
        sub = _batch(tmp_path, "submit", "--teacher", "anthropic", "--requests", str(tmp_path / "req.jsonl"),
                     "--journal", str(journal), "--model", "claude-test", "--base-url", srv.base_url,
                     "--max-tokens", "300", "--samples", "2", "--max-requests-per-file", "5", env=env)  # fmt: skip
        assert sub.returncode == 0, sub.stderr
        assert "queued now: 8" in sub.stdout and "batches created: 2" in sub.stdout
        assert len(srv.batches) == 2
        first = next(iter(srv.batches.values()))["requests"][0]
        assert first["custom_id"] == f"{reqs[0].id}-0"
        assert first["params"]["system"] == "Answer in tags." and first["params"]["max_tokens"] == 300
        # Submitting again queues nothing: every key is pending in a batch.
        again = _batch(tmp_path, "submit", "--teacher", "anthropic", "--requests", str(tmp_path / "req.jsonl"),
                       "--journal", str(journal), "--model", "claude-test", "--base-url", srv.base_url,
                       "--samples", "2", env=env)  # fmt: skip
        assert again.returncode == 0 and "queued now: 0" in again.stdout and len(srv.batches) == 2
        status = _batch(tmp_path, "status", "--journal", str(journal), env=env)
        assert status.returncode == 0 and "msgbatch_0001" in status.stdout
        got = _batch(tmp_path, "collect", "--journal", str(journal), "--wait", "--poll-interval", "0", env=env)
        assert got.returncode in (0, 1), got.stderr
        lines = read_journal(journal)
        assert len(lines) == 8 and {d["teacher"] for d in lines} == {"anthropic"}
        ok = {(d["request_id"], d["sample"]): d for d in lines if d["error"] is None}
        assert len(ok) == 6
        assert ok[(reqs[1].id, 1)]["reasoning_content"] == "Let me think about 11."
        assert "<answer>10</answer>" in ok[(reqs[0].id, 0)]["content"] and ok[(reqs[0].id, 0)]["usage"]
        errors = [d for d in lines if d["error"] is not None]
        assert {d["request_id"] for d in errors} == {reqs[2].id} and errors[0]["error"]["kind"] == "http_4xx"
        # Collecting again appends nothing.
        _batch(tmp_path, "collect", "--journal", str(journal), env=env)
        assert len(read_journal(journal)) == 8
        # A teach run over the same journal asks only the failed keys.
        run = _teach(tmp_path, srv.base_url, "--samples", "2", env=env)
        assert orjson.loads(run.stdout)["skipped"] == 6 and srv.message_calls == 2
    assert KEY not in journal.read_text()


def test_build_with_kind_anthropic_batch_waits_for_message_batches_and_resumes(tmp_path, monkeypatch):
    recipe_text = (
        'name = "claude-batch"\ncount = 6\nseed = 4\n' + single_mix("arithmetic")
        + '[prompt]\ntemplate = "echo"\ntemplates_dirs = ["{templates}"]\n'
        + '[teacher]\nkind = "anthropic_batch"\nmodel = "claude-test"\nbase_url = "{base_url}"\n'
        + "poll_interval = 0.05\nsamples = 2\n"
    )
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    with AnthropicServer(api_key=KEY, polls=3) as srv:
        recipe = write_echo_recipe(tmp_path, echo_template("Loopback Claude echoes the Answer line."), recipe_text,
                                   srv.base_url)  # fmt: skip
        out = tmp_path / "run"
        summary = build_json(recipe, out)
        assert summary["complete"] and summary["accepted"] == 12 and summary["responses"] == 12
        assert len((out / "train.jsonl").read_bytes().splitlines()) == 6  # keep = "first": one per problem
        assert len(srv.batches) == 1 and srv.message_calls == 0
        again = build_json(recipe, out)
        assert again["accepted"] == 12 and len(srv.batches) == 1
    state = orjson.loads((out / "responses.jsonl.batches.json").read_bytes())
    assert state["provider"] == "anthropic" and all(s["ingested"] for s in state["shards"])
