"""Shared checks for the families' alternative solution routes (``chukmath/families/<name>/routes.py``): every
route's trace is accepted by the verifier with every claim checked, is a pure function of the problem, and carries
a check step that a wrong final number turns into a false claim the verifier rejects."""

from __future__ import annotations

import importlib
from fractions import Fraction
from types import ModuleType

from chukmath.families import get_family
from chukmath.families.trace_style import MIX, route_name
from chukmath.generate import generate
from chukmath.records import Problem, Response
from chukmath.teach.builtin import BUILTIN_MODEL, builtin_trace
from chukmath.verify import verify_response
from chukmath.verify.steps import check_steps

LEVELS = (1, 2, 3, 4, 5)


def routes_of(name: str) -> ModuleType:
    """The family's routes module."""
    return importlib.import_module(f"chukmath.families.{name}.routes")


def _response(text: str) -> Response:
    return Response(
        request_id="r", sample=0, teacher="builtin", model=BUILTIN_MODEL, content=text, finish_reason="stop"
    )


def _check_block(module: ModuleType, problem: Problem, claimed: tuple[Fraction, ...]) -> tuple[str, list[str]]:
    work = module.check(problem, claimed)
    return "\n".join(work.lines), work.failed


def check_one(module: ModuleType, problem: Problem) -> list[str]:
    """Every route on one problem: accepted with all claims checked, deterministic, a check step that catches a
    wrong result (each part of it in turn). Returns the traces."""
    traces = []
    true = module.parts(problem)
    block, failed = _check_block(module, problem, true)
    assert not failed and block
    assert check_steps(block).checked >= 1, block
    for label, route in module.ROUTES.items():
        trace = route(problem)
        assert trace == route(problem), label
        report = check_steps(trace)
        assert not report.bad and report.skipped == 0, (label, problem.question, report.bad, trace)
        verdict = verify_response(problem, _response(trace))
        assert verdict.accepted, (label, problem.question, verdict.reasons, trace)
        assert verdict.claims_skipped == 0 and verdict.claims_checked >= 1, (label, trace)
        assert block in trace, (label, block, trace)
        for i in range(len(true)):
            wrong = list(true)
            wrong[i] += 1
            bad_block, bad_failed = _check_block(module, problem, tuple(wrong))
            assert bad_failed, (label, problem.question, wrong)
            assert check_steps(bad_block).bad, (label, bad_block)
            tampered = trace.replace(block, bad_block)
            rejected = verify_response(problem, _response(tampered))
            assert not rejected.accepted, (label, tampered)
        traces.append(trace)
    return traces


def check_family_routes(name: str, per_level: int = 12, seed: int = 11) -> None:
    """All routes of ``name`` over difficulties 1-5; the routes differ from each other on most problems."""
    module = routes_of(name)
    assert len(module.ROUTES) >= 3
    distinct = total = 0
    for level in LEVELS:
        for problem in generate(name, seed=seed, count=per_level, difficulty=level):
            traces = check_one(module, problem)
            total += 1
            distinct += len(set(traces)) == len(traces)
    assert distinct >= 0.8 * total, (name, distinct, total)


def check_wiring(name: str, count: int = 30) -> None:
    """The family declares the routes module's routes; ``mix`` spreads problems over all of them (each trace the
    route's own, accepted), a named route writes that route, ``classic`` stays the family's own trace."""
    family = get_family(name)
    module = routes_of(name)
    assert dict(family.routes) == module.ROUTES
    problems = list(generate(name, seed=5, count=count, difficulty=3))
    used = set()
    for problem in problems:
        chosen = route_name(family, problem.id, MIX)
        used.add(chosen)
        text = builtin_trace(problem, MIX)
        assert text == module.ROUTES[chosen](problem)
        assert verify_response(problem, _response(text)).accepted
        assert builtin_trace(problem) == family.trace(problem)
    assert used == set(module.ROUTES), used
    first = next(iter(module.ROUTES))
    assert builtin_trace(problems[0], first) == module.ROUTES[first](problems[0])
