"""``linear_equation``: one unknown x, on both sides and inside brackets; the answer is the exact value of x."""

from chukmath.families.common.present import solution_forms
from chukmath.families.contract import Family, lazy
from chukmath.families.linear_equation.generator import PRESETS, LinearEquationConfig, draw
from chukmath.records import Problem


def recognizes(problem: Problem) -> bool:
    """``Eq(...)`` with no square in it."""
    expression = problem.expression.strip()
    return expression.startswith("Eq(") and "**2" not in expression.replace(" ", "")


FAMILY = Family(
    name="linear_equation",
    description="Linear equations in one unknown x (both sides, brackets); the answer is the exact value of x.",
    config_cls=LinearEquationConfig,
    presets=PRESETS,
    draw=draw,
    trace=lazy(f"{__name__}.trace", "linear_equation_trace"),  # the trace reads equations with sympy
    present=solution_forms,
    recognizes=recognizes,
    routes={name: lazy(f"{__name__}.routes", name) for name in ("x_terms_first", "constants_first", "divide_first")},
)
