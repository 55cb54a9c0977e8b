"""Checks every new family's test file runs: each generated problem's built-in trace is accepted by the verifier
(as `chukmath build` with the builtin teacher judges it), the answer equals an independent recomputation, and
the run is deterministic, sliceable and free of repeated questions."""

from __future__ import annotations

from collections.abc import Callable

from chukmath.families import get_family
from chukmath.generate import generate
from chukmath.records import Problem, Response
from chukmath.teach.builtin import BUILTIN_MODEL, builtin_trace
from chukmath.verify import verify_response
from chukmath.verify.answers import answers_match
from chukmath.verify.steps import check_steps

LEVELS = (1, 2, 3, 4, 5)


def check_family(name: str, recompute: Callable[[Problem], str], per_level: int = 80, seed: int = 7) -> None:
    """Every problem of ``per_level`` per difficulty: answer == recompute(problem), trace accepted, all claims true,
    every written form of the answer accepted and one of them in the trace's <answer>."""
    for level in LEVELS:
        problems = list(generate(name, seed=seed, count=per_level, difficulty=level))
        assert len(problems) == per_level
        for p in problems:
            assert recompute(p) == p.answer, (p.question, p.expression, p.answer, recompute(p))
            trace = builtin_trace(p)
            report = check_steps(trace)
            assert not report.bad, (p.question, report.bad)
            response = Response(request_id="r", sample=0, teacher="builtin", model=BUILTIN_MODEL, content=trace,
                                finish_reason="stop")  # fmt: skip
            verdict = verify_response(p, response)
            assert verdict.accepted, (p.question, p.answer, verdict.reasons, verdict.details, trace)
            forms = get_family(name).present(p.answer)
            assert forms[0] == p.answer and all(answers_match(f, p.answer) for f in forms), forms
            shown = trace.split("<answer>", 1)[1].split("</answer>", 1)[0]
            assert any(f in shown for f in forms), (shown, forms)


def check_runs(name: str, count: int = 150) -> None:
    """Same seed, same problems; a slice equals the lines of the full run; no question is repeated."""
    for level in LEVELS:
        full = [p.to_dict() for p in generate(name, seed=3, count=count, difficulty=level)]
        assert full == [p.to_dict() for p in generate(name, seed=3, count=count, difficulty=level)]
        assert len({p["question"] for p in full}) == count
        part = [p.to_dict() for p in generate(name, seed=3, count=25, start=count // 2, difficulty=level)]
        assert part == full[count // 2 : count // 2 + 25]
        other = [p.question for p in generate(name, seed=4, count=50, difficulty=level)]
        assert other != [p["question"] for p in full[:50]]
