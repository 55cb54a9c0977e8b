"""`chukmath eval`: the built-in teacher scores 100 % on every split, a loopback endpoint that answers a known
subset wrongly scores exactly that share, reruns ask nothing, --json's shape, compare, and the pass@k/maj@k math."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from math import comb
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.eval import ProblemResult, SampleResult, maj_at_k, majority, pass_at_k, score
from chukmath.records import Problem
from chukmath.teach.builtin import builtin_trace

RECIPE = """name = "eval-test"
count = 60
seed = 3
[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 1
[[mix]]
generator = "fractions"
weight = 1
difficulty = 2
[[mix]]
generator = "linear_equation"
weight = 1
difficulty = 1
[split]
test = 0.3
"""


def invoke(args: list[str], code: int = 0) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, (result.output, result.exception)
    return result.stdout


def eval_json(args: list[str], code: int = 0) -> dict:
    return orjson.loads(invoke(["eval", *args, "--json"], code))


def samples_of(out: Path) -> list[dict]:
    return [orjson.loads(line) for line in (out / "samples.jsonl").read_bytes().splitlines()]


@pytest.fixture
def recipe(tmp_path: Path) -> Path:
    path = tmp_path / "r.toml"
    path.write_text(RECIPE)
    return path


def test_builtin_teacher_scores_100_percent_on_every_split_and_test_is_builds_test(recipe, tmp_path):
    sizes = {}
    for split in ("test", "train", "all"):
        data = eval_json(["--recipe", str(recipe), "--split", split, "--out", str(tmp_path / split)])
        overall = data["overall"]
        assert overall["accuracy"] == 1.0 and overall["format_rate"] == 1.0 and overall["verified_rate"] == 1.0
        assert overall["verdicts"] == {"correct": overall["samples"]}
        for group in (*data["by_family"].values(), *data["by_difficulty"].values()):
            assert group["accuracy"] == 1.0
        assert set(data["by_family"]) == {"arithmetic", "fractions", "linear_equation"}
        assert set(data["by_difficulty"]) == {"1", "2"}
        sizes[split] = overall["problems"]
    assert sizes["test"] + sizes["train"] <= sizes["all"] == 60 and sizes["test"] > 0
    # --split test is the build's test.jsonl, problem for problem.
    invoke(["build", "--recipe", str(recipe), "--out", str(tmp_path / "run"), "--quiet"])
    built = {orjson.loads(line)["problem_id"] for line in (tmp_path / "run" / "test.jsonl").read_bytes().splitlines()}
    assert {s["problem_id"] for s in samples_of(tmp_path / "test")} == built


def test_split_test_without_a_split_table_is_refused(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text(RECIPE.replace("[split]\ntest = 0.3\n", ""))
    result = CliRunner().invoke(app, ["eval", "--recipe", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0 and "[split]" in str(result.exception)


# -- a loopback OpenAI-compatible endpoint that answers a known subset wrongly --------------------------------------


def wrong_for(question: str) -> bool:
    """The deterministic subset the loopback model gets wrong: about a third of the questions."""
    return hashlib.blake2b(question.encode(), digest_size=8).digest()[0] % 3 == 0


class Model:
    """Answers with the built-in trace of the problem whose question is the last user turn; a wrong one for
    :func:`wrong_for` questions (a plain-text "I think it is 987654", no tags). Counts the requests it gets."""

    def __init__(self, problems: list[Problem], false_steps: bool = False) -> None:
        self.by_question = {p.question: p for p in problems}
        self.requests = 0
        self.lock = threading.Lock()
        self.false_steps = false_steps
        self.stated_false: set[str] = set()  # problems answered right after a false step

    def content(self, body: dict) -> str:
        question = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
        if wrong_for(question):
            return "Let me see.\nI think it is 987654"
        trace = builtin_trace(self.by_question[question])
        if self.false_steps and hashlib.blake2b(question.encode(), digest_size=8).digest()[0] % 3 == 1:
            # the first claim's result off by one; the answer tags stay right
            claim = re.search(r"^(.* = )(-?\d+)$", trace.split("</think>")[0], re.MULTILINE)
            if claim:
                with self.lock:
                    self.stated_false.add(self.by_question[question].id)
                wrong = f"{claim.group(1)}{int(claim.group(2)) + 1}"
                return trace.replace(claim.group(0), wrong, 1)
        return trace


@contextmanager
def loopback(model: Model) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = orjson.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with model.lock:
                model.requests += 1
            content = model.content(body)
            payload = orjson.dumps({
                "id": "x", "object": "chat.completion", "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": len(content.split()),
                          "total_tokens": 10 + len(content.split())},
            })  # fmt: skip
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def recipe_problems(recipe: Path) -> list[Problem]:
    from chukmath.build import load_recipe
    from chukmath.export import recipe_problems as made

    return list(made(load_recipe(recipe)))


def test_loopback_model_scores_exactly_its_known_share_resumes_and_compares(recipe, tmp_path):
    problems = recipe_problems(recipe)
    model = Model(problems)
    out = tmp_path / "loop"
    with loopback(model) as url:
        args = ["--recipe", str(recipe), "--split", "all", "--teacher", "openai", "--base-url", url,
                "--model", "loopback", "--out", str(out)]  # fmt: skip
        data = eval_json(args)
        asked = model.requests
        wrong = {p.id for p in problems if wrong_for(p.question)}
        assert 0 < len(wrong) < len(problems)
        expected = 1 - len(wrong) / len(problems)
        assert data["overall"]["accuracy"] == pytest.approx(expected, abs=1e-6)
        assert data["overall"]["format_rate"] == pytest.approx(expected, abs=1e-6)
        for family, metrics in data["by_family"].items():
            mine = [p for p in problems if p.generator == family]
            share = 1 - sum(p.id in wrong for p in mine) / len(mine)
            assert metrics["accuracy"] == pytest.approx(share, abs=1e-6), family
        assert {s["problem_id"] for s in samples_of(out) if not s["correct"]} == wrong
        assert all(s["final"] == "I think it is 987654" for s in samples_of(out) if s["problem_id"] in wrong)
        assert data["overall"]["mean_completion_tokens"] > 0
        assert data["sampling"] == {"temperature": 0.0, "max_tokens": 4096}
        assert data["run"]["asked"] == asked == len(problems)
        # The rerun resumes from the journal: nothing is asked again and the scores are the same.
        again = eval_json(args)
        assert model.requests == asked and again["run"]["asked"] == 0 and again["run"]["from_journal"] == asked
        assert again["overall"] == data["overall"]
        # Another model into the same journal is refused (a journal holds one model's answers).
        refused = CliRunner().invoke(app, ["eval", *args[:-4], "--model", "other", "--out", str(out)])
        assert refused.exit_code != 0 and "other" in str(refused.exception)

    invoke(["eval", "--recipe", str(recipe), "--split", "all", "--out", str(tmp_path / "ref"), "--quiet"])
    compared = orjson.loads(invoke(["eval", "compare", str(tmp_path / "ref"), str(out / "eval.json"), "--json"]))
    assert compared["overall"]["accuracy"]["a"] == 1.0
    assert compared["overall"]["accuracy"]["delta"] == pytest.approx(expected - 1.0, abs=1e-6)
    assert set(compared["by_family"]) == {"arithmetic", "fractions", "linear_equation"}
    assert compared["warnings"] == []
    text = invoke(["eval", "compare", str(tmp_path / "ref"), str(out)])
    assert "A: chukmath-builtin-1" in text and "B: loopback" in text and "| linear_equation |" in text
    assert f"{100 * (expected - 1):+.1f} pt" in text
    # the delta's 95 % interval from the two standard errors (the reference scores 100 %: its own is 0)
    se_b = data["overall"]["accuracy_se"]
    assert compared["overall"]["accuracy"]["delta_ci95"] == pytest.approx(1.96 * se_b, abs=1e-6)
    assert f"{100 * (expected - 1):+.1f} pt ±{100 * 1.96 * se_b:.1f}" in text and "95 % interval" in text


def test_false_step_rate_is_the_share_of_answers_stating_a_false_claim(recipe, tmp_path):
    """Right answers after a false step count; wrong answers without claims do not: the rate is exactly the share
    the loopback model wrote a false claim in, overall and by family, and each sample says whether it had one."""
    problems = recipe_problems(recipe)
    model = Model(problems, false_steps=True)
    out = tmp_path / "steps"
    with loopback(model) as url:
        data = eval_json(["--recipe", str(recipe), "--split", "all", "--teacher", "openai", "--base-url", url,
                          "--model", "loopback", "--out", str(out)])  # fmt: skip
    assert 0 < len(model.stated_false) < len(problems)
    wrong = {p.id for p in problems if wrong_for(p.question)}
    assert data["overall"]["false_step_rate"] == pytest.approx(len(model.stated_false) / len(problems), abs=1e-6)
    assert data["overall"]["accuracy"] == pytest.approx(1 - len(wrong) / len(problems), abs=1e-6)
    for family, metrics in data["by_family"].items():
        mine = [p for p in problems if p.generator == family]
        share = sum(p.id in model.stated_false for p in mine) / len(mine)
        assert metrics["false_step_rate"] == pytest.approx(share, abs=1e-6), family
    assert {s["problem_id"] for s in samples_of(out) if s["false_step"]} == model.stated_false
    assert all(len(s["false_claims"]) == s["false_step"] for s in samples_of(out))  # one claim was made false
    # the false-claim rate: those false claims over every claim checked in the answers, which the samples record
    assert all(s["claims_false"] == s["false_step"] for s in samples_of(out))
    checked = sum(s["claims_checked"] for s in samples_of(out))
    assert checked > len(model.stated_false) > 0
    assert data["overall"]["false_claim_rate"] == pytest.approx(len(model.stated_false) / checked, abs=1e-6)
    assert data["overall"]["mean_claims_checked"] == pytest.approx(checked / len(problems), abs=1e-6)
    counts = data["false_steps"]["counts"]
    assert sum(counts["operation"].values()) == sum(counts["fraction"].values()) == len(model.stated_false)
    assert len(data["false_steps"]["examples"]) == min(len(model.stated_false), 40)
    report = (out / "report.md").read_text()
    assert "| false step |" in report and "false_step_rate" in data["rules"] and "### False claims" in report
    assert "| false claims |" in report and "false_claim_rate" in data["rules"] and "- false claims: " in report
    assert "| 95% interval |" in report and "- 95% interval: accuracy ± 1.96" in report


def test_bring_your_own_problems_file_with_a_plain_prompt(tmp_path):
    from chukmath.generate import generate

    problems = list(generate("arithmetic", seed=5, count=12, difficulty=2))
    path = tmp_path / "mine.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"question": p.question, "answer": p.answer}) + b"\n" for p in problems))
    model = Model(problems)
    with loopback(model) as url:
        data = eval_json(["--problems", str(path), "--teacher", "openai", "--base-url", url, "--model", "m",
                          "--out", str(tmp_path / "o")])  # fmt: skip
    assert data["prompt"]["name"] == "plain" and data["problems"]["count"] == 12
    assert set(data["by_family"]) == {"custom"}
    wrong = sum(wrong_for(p.question) for p in problems)
    assert data["overall"]["accuracy"] == pytest.approx(1 - wrong / 12, abs=1e-6)


def test_json_shape(recipe, tmp_path):
    data = eval_json(["--recipe", str(recipe), "--out", str(tmp_path / "o"), "--samples", "3", "--k", "2"])
    assert data["kind"] == "chukmath-eval" and data["samples"] == 3 and data["ks"] == [1, 2, 3]
    assert {"model", "teacher", "prompt", "problems", "sampling", "policy", "rules", "overall", "by_family",
            "by_difficulty", "run"} <= set(data)  # fmt: skip
    metrics = data["overall"]
    assert set(metrics) == {"problems", "samples", "answered", "accuracy", "accuracy_se", "accuracy_ci95",
                            "pass@k", "maj@k", "format_rate",
                            "verified_rate", "false_step_rate", "false_equality_step_rate", "false_claim_rate",
                            "mean_claims_checked", "mean_reasoning_words", "mean_completion_tokens",
                            "verdicts"}  # fmt: skip
    assert metrics["pass@k"] == {"1": 1.0, "2": 1.0, "3": 1.0} and metrics["maj@k"] == {"2": 1.0, "3": 1.0}
    assert metrics["false_step_rate"] == 0.0  # the built-in traces state no false claim
    assert metrics["false_equality_step_rate"] == 0.0
    assert metrics["false_claim_rate"] == 0.0 and metrics["mean_claims_checked"] > 1
    assert metrics["samples"] == 3 * metrics["problems"]
    assert "words" in data["rules"]["reasoning_length"]
    assert data["prompt"]["name"] == "train"
    assert orjson.loads((tmp_path / "o" / "eval.json").read_bytes()) == data
    report = (tmp_path / "o" / "report.md").read_text()
    assert "| all |" in report and "pass@3" in report and "maj@2" in report


# -- the math ---------------------------------------------------------------------------------------------------------


def test_pass_at_k_is_the_unbiased_estimator():
    assert pass_at_k(5, 2, 2) == pytest.approx(1 - comb(3, 2) / comb(5, 2)) == pytest.approx(0.7)
    assert pass_at_k(5, 2, 1) == pytest.approx(0.4)  # pass@1 = c/n
    assert pass_at_k(4, 0, 4) == 0.0 and pass_at_k(4, 1, 4) == 1.0  # n == k: any correct sample
    assert pass_at_k(10, 8, 3) == 1.0  # fewer wrong samples than k: every draw holds a correct one
    with pytest.raises(ValueError):
        pass_at_k(3, 1, 4)


def _problem(finals: list[str | None], correct: list[bool], family: str = "f") -> ProblemResult:
    result = ProblemResult("p-" + "".join(map(str, finals)), family, 1)
    for i, (final, ok) in enumerate(zip(finals, correct, strict=True)):
        result.samples.append(SampleResult(result.problem_id, i, family, 1, True, ok, ok, ok, "x", final, 10, None))
    return result


def test_majority_vote_groups_equal_answers_and_breaks_ties_by_first_answer():
    # 3/4 and 0.75 are one answer: it wins 2 to 1 although the first sample said 1.
    assert majority(["1", "3/4", "0.75"], [False, True, True]) is True
    assert majority(["1", "3/4", "0.75", "1", "1"], [False, True, True, False, False]) is False
    assert majority(["2", "3"], [False, True]) is False  # a tie goes to the answer given first
    assert majority(["3", "2"], [True, False]) is True
    assert majority([None, None, "5"], [False, False, True]) is True  # no answer, no vote
    assert majority([None], [False]) is False


def test_score_of_a_crafted_case():
    a = _problem(["7", "8", "7", "7"], [True, False, True, True])  # c = 3 of 4
    b = _problem(["1", "2", "3", "2"], [True, False, False, False])  # c = 1 of 4
    assert maj_at_k(a, 4) is True and maj_at_k(b, 4) is False and maj_at_k(b, 1) is True
    metrics = score([a, b], [1, 2, 4])
    assert metrics["accuracy"] == pytest.approx((3 / 4 + 1 / 4) / 2)
    assert metrics["pass@k"]["2"] == pytest.approx(((1 - comb(1, 2) / comb(4, 2)) + (1 - comb(3, 2) / comb(4, 2))) / 2)
    assert metrics["pass@k"]["4"] == 1.0
    assert metrics["maj@k"] == {"2": pytest.approx((1.0 + 1.0) / 2), "4": 0.5}
    assert metrics["format_rate"] == pytest.approx(4 / 8) and metrics["mean_reasoning_words"] == 10
    # the interval counts problems, not samples: per-problem pass@1 is 3/4 and 1/4, so the standard error is
    # the spread of those two over √2 (0.25), not the much smaller one of 8 samples treated as independent
    assert metrics["accuracy_se"] == pytest.approx(0.25)
    assert metrics["accuracy_ci95"] == [0.01, 0.99]


def test_the_accuracy_interval_narrows_with_problems_and_stays_in_bounds():
    many = [_problem([str(i)], [i % 4 != 0]) for i in range(400)]  # 300 of 400 right
    metrics = score(many, [1])
    assert metrics["accuracy"] == 0.75
    assert metrics["accuracy_se"] == pytest.approx((0.75 * 0.25 / 399) ** 0.5, abs=1e-6)
    low, high = metrics["accuracy_ci95"]
    assert low == pytest.approx(0.75 - 1.96 * metrics["accuracy_se"], abs=1e-6) and 0.70 < low < 0.75 < high < 0.80
    assert score([_problem(["1"], [True]) for _ in range(5)], [1])["accuracy_ci95"] == [1.0, 1.0]  # clipped, no spread
    assert score([_problem(["1"], [True])], [1])["accuracy_ci95"] is None  # one problem has no spread to measure
