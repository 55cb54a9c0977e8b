"""The built-in offline teacher: correct, deterministic step-by-step traces written by code.

``builtin_trace(problem)`` is pure (same problem, same bytes) and needs no key and no network, which is
why it is the default teacher. Each family has its own trace module in ``chukmath.teach.traces``; the
family is chosen by ``problem.generator`` and, for generators this module does not know, by the shape
of the expression.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping

from chukmath.errors import ChukmathError, InputError
from chukmath.records import Problem, Request, Response
from chukmath.teach.traces.arithmetic import arithmetic_trace, word_problem_trace

BUILTIN_MODEL = "chukmath-builtin-1"

Tracer = Callable[[Problem], str]


def _lazy(module: str, name: str) -> Tracer:
    """A tracer that imports ``module`` on its first call only (an import statement per sample costs ~1 µs)."""
    resolved: list[Tracer] = []

    def trace(problem: Problem) -> str:
        if not resolved:
            resolved.append(getattr(importlib.import_module(module), name))
        return resolved[0](problem)

    trace.__name__ = trace.__qualname__ = name
    return trace


_equation = _lazy("chukmath.teach.traces.equations", "linear_equation_trace")
_system = _lazy("chukmath.teach.traces.equations", "linear_system_trace")
_quadratic = _lazy("chukmath.teach.traces.quadratic", "quadratic_trace")
_number_theory = _lazy("chukmath.teach.traces.number_theory", "number_theory_trace")
_calculus = _lazy("chukmath.teach.traces.calculus", "calculus_trace")


# Symbolic families import sympy lazily so arithmetic-only runs never pay its import time.
FAMILY_TRACERS: dict[str, Tracer] = {
    "arithmetic": arithmetic_trace,
    "fractions": arithmetic_trace,
    "word_problem": word_problem_trace,
    "linear_equation": _equation,
    "linear_system": _system,
    "quadratic": _quadratic,
    "number_theory": _number_theory,
    "calculus": _calculus,
}

_NUMBER_THEORY_CALLS = ("gcd(", "lcm(", "Mod(", "divisor_count(")


def _by_shape(problem: Problem) -> Tracer:
    """Pick a tracer for an unknown generator name from the expression's outermost shape."""
    expr = problem.expression.strip()
    if expr.startswith("["):
        return _system
    if expr.startswith(("Derivative(", "Integral(")):
        return _calculus
    if expr.startswith(_NUMBER_THEORY_CALLS):
        return _number_theory
    if expr.startswith("Eq("):
        return _quadratic if "**2" in expr.replace(" ", "") else _equation
    if problem.meta.get("unit"):
        return word_problem_trace
    return arithmetic_trace


def tracer_for(problem: Problem) -> Tracer:
    """The trace function used for ``problem``."""
    return FAMILY_TRACERS.get(problem.generator) or _by_shape(problem)


def builtin_trace(problem: Problem) -> str:
    """A correct step-by-step explanation of ``problem`` in the ``<think>/<answer>/<verifier_answer>`` format.

    Raises InputError (naming the problem id) when the expression is not one this teacher can explain.
    """
    try:
        return tracer_for(problem)(problem)
    except ChukmathError:
        raise
    except Exception as exc:
        # A failed self-check or a sympy refusal: report it for this problem (the run goes on) and never
        # emit a trace that might be wrong.
        raise InputError(
            f"problem {problem.id} ({problem.generator}): the built-in teacher cannot explain "
            f"{problem.expression!r} ({type(exc).__name__}: {exc}); report it with this problem line"
        ) from exc


class BuiltinTeacher:
    """Teacher interface over :func:`builtin_trace`: answers requests for the problems it was given."""

    name = "builtin"

    def __init__(self, problems: Mapping[str, Problem], model: str = BUILTIN_MODEL) -> None:
        self.problems = problems
        self.model = model

    async def answer(self, request: Request, sample: int) -> Response:
        """The trace for the request's problem; unknown or unexplainable problems become error responses."""
        problem = self.problems.get(request.problem_id)
        if problem is None:
            return Response(
                request_id=request.id,
                sample=sample,
                teacher=self.name,
                model=self.model,
                content=None,
                error={
                    "kind": "unknown_problem",
                    "message": f"request {request.id}: problem id {request.problem_id!r} is not in the problems "
                    "given to the built-in teacher; pass the problems file the requests were rendered from",
                },
                created=time.time(),
            )
        return builtin_response(request, sample, problem, model=self.model)


def builtin_response(request: Request, sample: int, problem: Problem, model: str = BUILTIN_MODEL) -> Response:
    """The built-in teacher's journal line for one request; a problem it cannot explain becomes an error line."""
    started = time.perf_counter()
    content: str | None = None
    error: dict[str, str] | None = None
    try:
        content = builtin_trace(problem)
    except ChukmathError as exc:
        error = {"kind": "bad_problem", "message": str(exc)}
    return Response(
        request_id=request.id,
        sample=sample,
        teacher=BuiltinTeacher.name,
        model=model,
        content=content,
        finish_reason="stop" if content is not None else None,
        error=error,
        attempts=1,
        latency_s=time.perf_counter() - started,
        created=time.time(),
    )


__all__ = ["BUILTIN_MODEL", "FAMILY_TRACERS", "BuiltinTeacher", "builtin_response", "builtin_trace", "tracer_for"]
