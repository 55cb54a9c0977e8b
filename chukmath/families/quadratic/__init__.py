"""``quadratic``: a*x**2 + b*x + c = 0 with real roots, rational or irrational; the answer is the set of roots."""

from chukmath.families.contract import Family, lazy
from chukmath.families.quadratic.capacity import question_count
from chukmath.families.quadratic.generator import PRESETS, QuadraticConfig, draw, finish
from chukmath.families.quadratic.present import root_forms
from chukmath.records import Problem


def recognizes(problem: Problem) -> bool:
    """``Eq(...)`` with a square in it."""
    expression = problem.expression.strip()
    return expression.startswith("Eq(") and "**2" in expression.replace(" ", "")


FAMILY = Family(
    name="quadratic",
    description="Quadratic equations with real rational or irrational roots; the answer is the set of roots.",
    config_cls=QuadraticConfig,
    presets=PRESETS,
    draw=draw,
    finish=finish,
    trace=lazy(f"{__name__}.trace", "quadratic_trace"),  # sympy is imported only when a trace is asked for
    present=root_forms,
    recognizes=recognizes,
    capacity=question_count,
    routes={name: lazy(f"{__name__}.routes", name) for name in ("formula", "factoring", "completing_square")},
)
