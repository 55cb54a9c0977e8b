"""bench/sft_proof_examples.py: the wrong answers of an evaluation, a few a family, read back from run_eval's journal
and samples (what bench/sft_proof.py keeps in results.json, since the journals stay on the GPU machine)."""

from __future__ import annotations

import pytest
from conftest import bench_module

from chukmath.eval import EvalOptions, run_eval
from chukmath.eval.problems import ProblemSet
from chukmath.eval.prompts import make_prompt
from chukmath.generate import generate
from chukmath.records import Request, Response
from chukmath.teach.builtin import builtin_trace


@pytest.fixture(scope="module")
def examples():
    return bench_module("sft_proof_examples")


class Model:
    """The built-in trace, except: every third problem a wrong final answer, every third + 1 a right answer after a
    false first step (the first claim's result off by one), by position in the problem list."""

    name = "scripted"
    model = "scripted"

    def __init__(self, problems, requests) -> None:
        self.by_request = {r.id: (i, p) for i, (p, r) in enumerate(zip(problems, requests, strict=True))}

    async def answer(self, request: Request, sample: int) -> Response:
        position, problem = self.by_request[request.id]
        trace = builtin_trace(problem)
        if position % 3 == 0:
            trace = "<think>I guess.</think>\n<answer>987654</answer>\n" + "x" * 3000
        elif position % 3 == 1:
            think, rest = trace.split("</think>", 1)
            lines = think.splitlines()
            for n, line in enumerate(lines):
                head, eq, value = line.rpartition(" = ")
                if eq and value.lstrip("-").isdigit():
                    lines[n] = f"{head} = {int(value) + 1}"
                    break
            trace = "\n".join(lines) + "</think>" + rest
        return Response(request.id, sample, self.name, self.model, trace)


def test_wrong_answers_come_back_first_then_false_steps_a_few_a_family(examples, tmp_path):
    problems = [
        *generate("arithmetic", seed=5, count=12, difficulty=1),
        *generate("fractions", seed=5, count=12, difficulty=1),
    ]
    prompt = make_prompt("plain")
    requests = [prompt.request(p) for p in problems]
    out = tmp_path / "eval"
    data = run_eval(ProblemSet(problems, "test"), prompt, Model(problems, requests), out,
                    EvalOptions(progress=False, policy="all")).data  # fmt: skip
    assert 0 < data["overall"]["accuracy"] < 1 and data["overall"]["false_step_rate"] > 0

    picked = examples.wrong_answers(out, problems, requests, per_family=5, max_chars=400)
    assert set(picked) == {"arithmetic", "fractions"}
    for family, rows in picked.items():
        mine = [i for i, p in enumerate(problems) if p.generator == family]
        wrong = [problems[i].id for i in mine if i % 3 == 0]
        assert [r["problem_id"] for r in rows[: len(wrong)]] == wrong  # the wrong ones first, in problem order
        assert all(r["final"] == "987654" and not r["correct"] for r in rows[: len(wrong)])
        rest = rows[len(wrong) :]
        assert len(rows) == 5 and rest and all(r["correct"] and r["false_claims"] for r in rest)
        assert all(problems[mine[0]].generator == family for _ in rows)
        for row in rows:
            assert len(row["text"]) <= 400 + 60 and row["question"] and row["expected"]
        assert "characters cut" in rows[0]["text"]  # the 3,000-character wrong answer is clipped
        assert rest[0]["false_claims"][0] in rest[0]["text"]  # the false claim is in what is kept
    with pytest.raises(ValueError, match="per_family 0"):
        examples.wrong_answers(out, problems, requests, per_family=0)


def test_scores_split_by_the_kind_of_question(examples, tmp_path):
    problems = list(generate("number_theory", seed=3, count=30, difficulty=2))
    prompt = make_prompt("plain")
    requests = [prompt.request(p) for p in problems]
    out = tmp_path / "eval"
    run_eval(ProblemSet(problems, "test"), prompt, Model(problems, requests), out, EvalOptions(progress=False))
    split = examples.by_kind(out, problems)
    assert list(split) == ["number_theory"]
    kinds = {p.meta["kind"] for p in problems}
    assert set(split["number_theory"]) == kinds and len(kinds) > 1
    for kind, scores in split["number_theory"].items():
        mine = [i for i, p in enumerate(problems) if p.meta["kind"] == kind]
        assert scores["problems"] == scores["answered"] == len(mine)
        right = sum(i % 3 != 0 for i in mine)  # the scripted model is wrong on every third problem
        stumbled = sum(i % 3 == 1 for i in mine)  # and states a false first step on the next
        assert scores["accuracy"] == pytest.approx(right / len(mine), abs=1e-6)
        assert scores["false_step_rate"] == pytest.approx(stumbled / len(mine), abs=1e-6)
    assert examples.kind_of(problems[0]) == problems[0].meta["kind"]
    assert examples.kind_of(next(iter(generate("linear_equation", seed=1, count=1)))) == "-"
