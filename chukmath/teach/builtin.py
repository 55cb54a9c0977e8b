"""The built-in offline teacher: correct, deterministic step-by-step traces written by code.

``builtin_trace(problem)`` is pure (same problem, same bytes) and needs no key and no network, which is
why it is the default teacher. The trace is the problem's family's own (``Family.trace``, see
docs/families.md); for a generator no family is registered under, the family whose shape the expression has.
``trace_style`` picks among a family's traces (:mod:`chukmath.families.trace_style`): ``classic`` (the default,
``Family.trace``), ``mix`` (one of ``Family.routes`` per problem, by its id) or one route by name.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from chukmath.errors import ChukmathError, ConfigError, InputError
from chukmath.families import Family, Trace, get_family, list_families
from chukmath.families.trace_style import CLASSIC, check_style, pick_trace
from chukmath.records import Problem, Request, Response

BUILTIN_MODEL = "chukmath-builtin-1"


def builtin_model(trace_style: str = CLASSIC) -> str:
    """The model name the built-in teacher's responses carry: ``chukmath-builtin-1``, plus ``+<style>`` for a
    style other than classic (so a journal never mixes styles unnoticed)."""
    return BUILTIN_MODEL if trace_style == CLASSIC else f"{BUILTIN_MODEL}+{trace_style}"


def family_for(problem: Problem) -> Family:
    """The family that explains ``problem``: its generator's; for an unknown generator, the first family (by
    name) that ``recognizes`` the problem, else the arithmetic family (a plain expression)."""
    try:
        return get_family(problem.generator)
    except ConfigError:
        pass
    for family in list_families():
        if family.recognizes is not None and family.recognizes(problem):
            return family
    return get_family("arithmetic")


def tracer_for(problem: Problem, trace_style: str = CLASSIC) -> Trace:
    """The trace function used for ``problem`` under ``trace_style`` (see :func:`family_for`)."""
    family = family_for(problem)
    return family.trace if trace_style == CLASSIC else pick_trace(family, problem, trace_style)


def check_trace_style(trace_style: str, where: str = "trace_style") -> str:
    """``trace_style`` if the built-in teacher knows it (classic, mix or a route some family declares)."""
    return trace_style if trace_style == CLASSIC else check_style(trace_style, list_families(), where)


def builtin_trace(problem: Problem, trace_style: str = CLASSIC) -> str:
    """A correct step-by-step explanation of ``problem`` in the ``<think>/<answer>/<verifier_answer>`` format,
    in ``trace_style`` (``classic``, ``mix`` or a route name).

    Raises InputError (naming the problem id) when the expression is not one this teacher can explain.
    """
    try:
        return tracer_for(problem, trace_style)(problem)
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

    def __init__(self, problems: Mapping[str, Problem], model: str | None = None, trace_style: str = CLASSIC) -> None:
        self.problems = problems
        self.trace_style = check_trace_style(trace_style)
        self.model = model if model is not None else builtin_model(trace_style)

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
        return builtin_response(request, sample, problem, model=self.model, trace_style=self.trace_style)


def builtin_response(
    request: Request, sample: int, problem: Problem, model: str | None = None, trace_style: str = CLASSIC
) -> Response:
    """The built-in teacher's journal line for one request; a problem it cannot explain becomes an error line."""
    started = time.perf_counter()
    content: str | None = None
    error: dict[str, str] | None = None
    model = model if model is not None else builtin_model(trace_style)
    try:
        content = builtin_trace(problem, trace_style)
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


__all__ = [
    "BUILTIN_MODEL",
    "BuiltinTeacher",
    "builtin_model",
    "builtin_response",
    "builtin_trace",
    "check_trace_style",
    "family_for",
    "tracer_for",
]
