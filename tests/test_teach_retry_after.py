"""A 429 with Retry-After pauses the request that got it, not the whole run; that request still waits as told."""

from __future__ import annotations

from test_teach_support import save_requests, teach_cli, user_request

from chukmath_testing.fault_server import FaultServer


def test_one_requests_retry_after_does_not_hold_up_the_others(tmp_path):
    waits = user_request("[fault:429]\nAnswer: 0", "p0")
    others = [user_request(f"Answer: {i}", f"p{i}") for i in range(1, 31)]
    save_requests(tmp_path / "req.jsonl", [waits, *others])
    retry_after = 3.0
    with FaultServer(latency=0.02, retry_after=retry_after) as srv:
        run = teach_cli(tmp_path, srv.base_url, "--quiet", "--concurrency", "2")
        log = srv.requests
    assert run.returncode == 0, run.stderr
    first, retry = (r for r in log if r.key == waits.id)
    rest = [r for r in log if r.key != waits.id]
    assert first.fault == "429" and retry.fault is None and len(rest) == len(others)
    # All 30 others (about 0.3 s of work at concurrency 2) reached the server while the first request was
    # waiting out its Retry-After; with a run-wide pause none of them could have been sent in that window.
    assert all(r.n < retry.n for r in rest)
    assert max(r.at for r in rest) < first.at + retry_after
    # The request that was told to wait did wait before it asked again.
    assert retry.at - first.at >= retry_after - 0.05


def test_under_a_real_rate_limit_every_request_waits_its_retry_after_and_is_sent_twice(tmp_path):
    reqs = save_requests(tmp_path / "req.jsonl", [user_request(f"[fault:429]\nAnswer: {i}", f"p{i}")
                                                  for i in range(8)])  # fmt: skip
    with FaultServer(retry_after=1.0) as srv:
        run = teach_cli(tmp_path, srv.base_url, "--quiet", "--concurrency", "4")
        log = srv.requests
    assert run.returncode == 0, run.stderr
    for req in reqs:
        attempts = sorted((r for r in log if r.key == req.id), key=lambda r: r.n)
        assert [r.fault for r in attempts] == ["429", None]
        assert attempts[1].at - attempts[0].at >= 1.0 - 0.05
    assert srv.peak_in_flight <= 4
