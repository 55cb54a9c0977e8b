"""The built-in offline teacher: correct, deterministic step-by-step traces written by code.

``builtin_trace(problem)`` is pure (same problem, same bytes) and needs no key and no network, which is
why it is the default teacher. The trace is the problem's family's own (``Family.trace``, see
docs/families.md); for a generator no family is registered under, the family whose shape the expression has.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from chukmath.errors import ChukmathError, ConfigError, InputError
from chukmath.families import Trace, get_family, list_families
from chukmath.records import Problem, Request, Response

BUILTIN_MODEL = "chukmath-builtin-1"


def tracer_for(problem: Problem) -> Trace:
    """The trace function used for ``problem``: its family's; for an unknown generator, the first family (by
    name) that ``recognizes`` the problem, else the arithmetic family's (a plain expression)."""
    try:
        return get_family(problem.generator).trace
    except ConfigError:
        pass
    for family in list_families():
        if family.recognizes is not None and family.recognizes(problem):
            return family.trace
    return get_family("arithmetic").trace


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


__all__ = ["BUILTIN_MODEL", "BuiltinTeacher", "builtin_response", "builtin_trace", "tracer_for"]
