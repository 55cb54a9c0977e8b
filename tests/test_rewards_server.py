"""``chukmath serve-rewards`` as a trainer meets it: a real server process on loopback, real HTTP requests."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import orjson
import pytest

from chukmath.generate import generate
from chukmath.rewards import MAX_COMPLETION_CHARS

CHUKMATH = str(Path(sys.executable).parent / "chukmath")
GOOD = "<think>\n3 + 4 = 7\n7 × 2 = 14\n</think>\n<answer>14</answer>"
WRONG = "<think>\n3 + 4 = 8\n8 × 2 = 16\n</think>\n<answer>16</answer>"
BOXED = "<think>\nthree quarters\n</think>\nThe answer is $\\boxed{\\frac{3}{4}}$."


class Server:
    def __init__(self, proc: subprocess.Popen[str], url: str) -> None:
        self.proc, self.url = proc, url

    def post(self, path: str, payload: object, timeout: float = 30, **kwargs: object) -> httpx.Response:
        return httpx.post(self.url + path, content=orjson.dumps(payload), timeout=timeout, **kwargs)


def start(*args: str, port: int = 0) -> Server:
    """Start the server; with port 0 it picks a free port and names it on stderr (its readiness line)."""
    argv = [CHUKMATH, "serve-rewards", "--host", "127.0.0.1", "--port", str(port), *args]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()  # blocks until the socket listens, or the process fails
    m = re.search(r"serving rewards on (http://\S+)", line)
    if m is None:
        proc.kill()
        raise AssertionError(f"server did not start: {line}{proc.stderr.read()}")
    return Server(proc, m.group(1))


def stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@pytest.fixture(scope="module")
def problems_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("problems") / "problems.jsonl"
    problems = list(generate("arithmetic", seed=7, count=5, difficulty=1)) + list(
        generate("fractions", seed=7, count=5, difficulty=1)
    )
    path.write_bytes(b"".join(orjson.dumps(p.to_dict()) + b"\n" for p in problems))
    return path


@pytest.fixture(scope="module")
def server(problems_file: Path) -> Iterator[Server]:
    srv = start("--problems", str(problems_file), "--reward", "accuracy", "--reward", "format=0.5",
                "--max-batch", "64", "--max-body-mb", "1")  # fmt: skip
    yield srv
    stop(srv)


def read_problems(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_health(server):
    r = httpx.get(server.url + "/health", timeout=10)
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "problems": 10, "rewards": {"accuracy": 1.0, "format": 0.5}}


def test_started_on_a_given_free_port_and_ready_by_health(port):
    srv = start(port=port)
    try:
        assert srv.url == f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                assert httpx.get(srv.url + "/health", timeout=5).status_code == 200
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        r = srv.post("/rewards", {"completions": [GOOD], "answers": ["14"]})
        assert r.json() == {"rewards": [1.0], "components": {"accuracy": [1.0]}}  # default: accuracy=1
    finally:
        stop(srv)


def test_rewards_by_answer(server):
    chat = [{"role": "assistant", "content": GOOD}]
    r = server.post(
        "/rewards",
        {"completions": [GOOD, WRONG, BOXED, chat, GOOD], "answers": ["14", "14", "3/4", "14", None]},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["components"] == {
        "accuracy": [1.0, 0.0, 1.0, 1.0, None],
        "format": [1.0, 1.0, 0.0, 1.0, 1.0],
    }
    assert body["rewards"] == [1.5, 0.5, 1.0, 1.5, 0.5]


def test_rewards_by_problem_id_and_per_request_weights(server, problems_file):
    rows = read_problems(problems_file)
    completions = [f"<think>\nworking\n</think>\n<answer>{row['answer']}</answer>" for row in rows]
    completions[0] = "<think>\nworking\n</think>\n<answer>12345</answer>"
    r = server.post(
        "/rewards",
        {"completions": completions, "problem_ids": [row["id"] for row in rows], "rewards": {"accuracy": 2}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["rewards"] == [0.0] + [2.0] * (len(rows) - 1)
    r = server.post("/rewards", {"completions": [GOOD], "problem_ids": ["no-such-id"]})
    assert r.status_code == 400
    assert "unknown problem id 'no-such-id'" in r.json()["error"]


def test_questions_let_a_requested_rounding_count(server):
    completion = "<think>\n37 / 3 = 12.333...\n</think>\n<answer>12.33</answer>"
    asked = "Cut 37 m of rope into 3 equal parts. How long is each? Round to 2 decimal places."
    body = {"completions": [completion, completion], "answers": ["37/3", "37/3"], "questions": [asked, None]}
    assert server.post("/rewards", body).json()["components"]["accuracy"] == [1.0, 0.0]


def test_openrlhf_remote_reward_shape(server):
    # What OpenRLHF's remote reward client posts to --remote_rm_url: the decoded prompt + response (special tokens
    # kept), the prompts, and the labels (here: exact answers); it reads "rewards" (and "scores", "extra_logs").
    prompt = "<|im_start|>user\nWhat is (3 + 4) × 2? Answer in <answer> tags.<|im_end|>\n<|im_start|>assistant\n"
    queries = [
        prompt + GOOD + "<|im_end|>",
        prompt + WRONG + "<|im_end|>",
        "<s>" + prompt + GOOD + "</s>",  # decoding added a BOS the prompt string did not have
        prompt + "I am not sure.<|endoftext|>",
    ]
    payload = {"query": queries, "prompts": [prompt] * 4, "labels": ["14"] * 4}
    r = server.post("/get_reward", payload, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rewards"] == [1.5, 0.5, 1.5, 0.0]
    assert body["scores"] == body["rewards"]
    assert body["extra_logs"] == {"accuracy": [1.0, 0.0, 1.0, 0.0], "format": [1.0, 1.0, 1.0, 0.0]}
    # no labels: accuracy does not apply, which OpenRLHF gets as 0.0 (it builds a tensor)
    r = server.post("/get_reward", {"query": queries[:1], "prompts": [prompt]})
    assert r.json()["extra_logs"]["accuracy"] == [0.0]


def test_openrlhf_labels_as_problem_ids(problems_file):
    rows = read_problems(problems_file)
    srv = start("--problems", str(problems_file), "--labels", "problem_id")
    try:
        queries = [f"Q<think>\nok\n</think>\n<answer>{row['answer']}</answer></s>" for row in rows[:3]]
        r = srv.post("/get_reward", {"query": queries, "prompts": ["Q"] * 3, "labels": [r["id"] for r in rows[:3]]})
        assert r.json()["rewards"] == [1.0, 1.0, 1.0]
    finally:
        stop(srv)


@pytest.mark.parametrize(
    ("payload", "status", "needle"),
    [
        ({"completions": [GOOD] * 65, "answers": ["14"] * 65}, 413, "at most 64"),
        ({"completions": ["x" * (MAX_COMPLETION_CHARS + 1)], "answers": ["1"]}, 413, "longer than"),
        ({"completions": GOOD, "answers": ["14"]}, 400, "'completions' must be a list"),
        ({"completions": [GOOD, GOOD], "answers": ["14"]}, 400, "list of 2 items"),
        ({"completions": [GOOD], "answers": ["14"], "problem_ids": ["a"]}, 400, "not both"),
        ({"completions": [GOOD], "answers": [{"x": 1}]}, 400, "expected a string"),
        ({"completions": [GOOD], "answers": ["14"], "rewards": {"bogus": 1}}, 400, "unknown reward 'bogus'"),
        ([GOOD], 400, "JSON object"),
        ({"query": "not a list"}, 404, "no such path"),  # sent to a wrong path below
    ],
)
def test_bad_requests_get_a_json_error(server, payload, status, needle):
    path = "/nope" if status == 404 else "/rewards"
    r = server.post(path, payload)
    assert r.status_code == status
    assert needle in r.json()["error"]


def test_body_over_the_cap_is_413_before_it_is_read(server):
    r = httpx.post(server.url + "/rewards", content=b"x" * (2 * 1024 * 1024), timeout=30)
    assert r.status_code == 413
    assert "over the server's cap" in r.json()["error"]


def test_not_json_and_no_length(server):
    r = httpx.post(server.url + "/rewards", content=b"{not json", timeout=10)
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /rewards HTTP/1.1\r\nHost: x\r\n\r\n")
        reply = sock.recv(4096).decode()
    assert reply.startswith("HTTP/1.1 411") and "Content-Length" in reply


def test_concurrent_requests_and_a_stalled_client_do_not_block_others(server):
    host, port = server.url.removeprefix("http://").split(":")
    stalled = socket.create_connection((host, int(port)), timeout=10)
    try:
        # a client that promised a body and never sends it holds only its own thread
        stalled.sendall(b"POST /rewards HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
        payload = {"completions": [GOOD, WRONG, BOXED] * 10, "answers": ["14", "14", "3/4"] * 10}
        with ThreadPoolExecutor(8) as pool:  # each post gives up after 30 s, half the server's 60 s for the stall
            results = list(pool.map(lambda _: server.post("/rewards", payload).json(), range(16)))
        assert all(r == results[0] for r in results)
        assert results[0]["rewards"][:3] == [1.5, 0.5, 1.0]
        # Not a wall-clock limit: the stalled client is still waited on (no reply, not closed), so the answers above
        # did not wait for the server to give up on it.
        stalled.setblocking(False)
        try:
            got: bytes | None = stalled.recv(64)
        except BlockingIOError:
            got = None
        assert got is None, f"the stalled connection was answered or closed ({got!r}) before the others were served"
    finally:
        stalled.close()


def test_connections_past_the_cap_wait_until_one_closes():
    srv = start("--max-connections", "2")
    host, port = srv.url.removeprefix("http://").split(":")
    stalled = [socket.create_connection((host, int(port)), timeout=10) for _ in range(2)]
    try:
        for sock in stalled:  # each holds a slot: headers sent, body promised, never sent
            sock.sendall(b"POST /rewards HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        time.sleep(0.5)
        with pytest.raises(httpx.ReadTimeout):
            srv.post("/rewards", {"completions": [GOOD], "answers": ["14"]}, timeout=1.5)
        stalled.pop().close()  # a slot frees: the next request is served
        r = httpx.post(srv.url + "/rewards", content=orjson.dumps({"completions": [GOOD], "answers": ["14"]}),
                       timeout=10)  # fmt: skip
        assert r.json()["rewards"] == [1.0]
    finally:
        for sock in stalled:
            sock.close()
        stop(srv)


def test_cli_errors_are_one_line():
    for args, needle in (
        (["--reward", "bogus"], "unknown reward 'bogus'"),
        (["--labels", "problem_id"], "needs problems"),
        (["--language", "xx"], "not supported"),
        (["--problems", "/no/such/file.jsonl"], "no such file"),
        (["--max-batch", "0"], "at least 1"),
        (["--max-body-mb", "0"], "more than 0"),
        (["--max-connections", "0"], "at least 1"),
    ):
        result = subprocess.run([CHUKMATH, "serve-rewards", "--port", "0", *args], capture_output=True, text=True,
                                timeout=60)  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
