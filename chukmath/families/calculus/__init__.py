"""``calculus``: derivatives and definite integrals of polynomials and sin, cos, exp, log, sqrt (exact answers)."""

from chukmath.families.calculus.generator import PRESETS, CalculusConfig, draw, finish
from chukmath.families.common.present import expression_forms
from chukmath.families.contract import Family, lazy
from chukmath.records import Problem


def recognizes(problem: Problem) -> bool:
    """A ``Derivative(...)`` or an ``Integral(...)``."""
    return problem.expression.strip().startswith(("Derivative(", "Integral("))


FAMILY = Family(
    name="calculus",
    description="Derivatives and definite integrals of polynomials and sin, cos, exp, log, sqrt; exact answers.",
    config_cls=CalculusConfig,
    presets=PRESETS,
    draw=draw,
    finish=finish,
    trace=lazy(f"{__name__}.trace", "calculus_trace"),  # the sympy path is imported on first use
    present=expression_forms,
    recognizes=recognizes,
    routes={name: lazy(f"{__name__}.routes", name) for name in ("power_rule", "from_definition", "horner")},
)
