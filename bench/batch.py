"""Batch API teacher overhead: `submit` (read requests, write shards, upload, create) and `collect`
(download, parse, journal) against the loopback Batch API, compared with a floor measured in the same run:
the same bytes read and written with plain json + file writes and no bookkeeping.

Run: .venv/bin/python bench/batch.py [N]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from chukmath.hashing import content_hash
from chukmath.records import Request, Response
from chukmath.teach.batch import Sampling, collect_batches, load_state, submit_batches
from chukmath_testing.batch_server import BatchApiServer


def make_requests(path: Path, n: int) -> None:
    with path.open("w") as fh:
        for i in range(n):
            messages = [
                {"role": "system", "content": "Think step by step inside <think></think>, then answer."},
                {"role": "user", "content": f"Compute {i} * {i + 7} - {i % 13}. Show each arithmetic step."},
            ]
            request = Request(content_hash({"messages": messages}), f"p{i}", "step_by_step", "t0", messages)
            fh.write(json.dumps(request.to_dict()) + "\n")


def baseline_submit(requests: Path, out: Path) -> None:
    """The floor: read each request and write its batch line, nothing else."""
    with requests.open() as src, out.open("w") as dst:
        for raw in src:
            r = json.loads(raw)
            line = {"custom_id": f"{r['id']}:0", "method": "POST", "url": "/v1/chat/completions",
                    "body": {"model": "m", "messages": r["messages"], "max_tokens": 64}}
            dst.write(json.dumps(line) + "\n")


def baseline_collect(outputs: list[Path], journal: Path) -> None:
    """The floor: read each output line and append a journal line, nothing else."""
    with journal.open("w") as dst:
        for path in outputs:
            with path.open() as src:
                for raw in src:
                    line = json.loads(raw)
                    body = line["response"]["body"]
                    request_id, _, sample = line["custom_id"].rpartition(":")
                    choice = body["choices"][0]
                    response = Response(request_id, int(sample), "batch", body["model"], choice["message"]["content"],
                                        finish_reason=choice["finish_reason"], usage=body["usage"])
                    dst.write(json.dumps(response.to_dict()) + "\n")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000
    os.environ["BENCH_BATCH_KEY"] = "sk-bench"
    with tempfile.TemporaryDirectory() as tmp, BatchApiServer(api_key="sk-bench") as server:
        root = Path(tmp)
        requests = root / "requests.jsonl"
        make_requests(requests, n)
        journal = root / "responses.jsonl"

        start = time.perf_counter()
        baseline_submit(requests, root / "baseline-input.jsonl")
        base_submit_s = time.perf_counter() - start

        start = time.perf_counter()
        report = submit_batches(requests, journal, Sampling("m", max_tokens=64), base_url=server.base_url,
                                api_key_env="BENCH_BATCH_KEY", max_requests_per_file=25_000)
        submit_s = time.perf_counter() - start
        assert report.queued == n, report

        start = time.perf_counter()
        server.advance_all()  # the server builds its outputs outside the timed section
        server_s = time.perf_counter() - start

        start = time.perf_counter()
        collected = collect_batches(journal)
        collect_s = time.perf_counter() - start
        assert collected.appended_ok == n, collected

        outputs = sorted(Path(load_state(journal).shard_dir).glob("output-*.jsonl"))
        start = time.perf_counter()
        baseline_collect(outputs, root / "baseline-journal.jsonl")
        base_collect_s = time.perf_counter() - start

        shards = len(load_state(journal).shards)
    print(f"requests: {n:,} in {shards} shards (server built outputs in {server_s:.2f}s, not counted)")
    print(f"submit : {n / submit_s:>10,.0f} lines/s ({submit_s:.2f}s incl. upload over loopback); "
          f"baseline {n / base_submit_s:,.0f} lines/s; ratio {base_submit_s / submit_s:.2f}")
    print(f"collect: {n / collect_s:>10,.0f} lines/s ({collect_s:.2f}s incl. download + journal); "
          f"baseline {n / base_collect_s:,.0f} lines/s; ratio {base_collect_s / collect_s:.2f}")


if __name__ == "__main__":
    main()
