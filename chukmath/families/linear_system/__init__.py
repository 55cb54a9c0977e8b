"""``linear_system``: two linear equations in x and y with a unique solution; the answer is ``{x: …, y: …}``."""

from chukmath.families.common.present import mapping_forms
from chukmath.families.contract import Family, lazy
from chukmath.families.linear_system.generator import PRESETS, LinearSystemConfig, draw
from chukmath.records import Problem


def recognizes(problem: Problem) -> bool:
    """A list of equations."""
    return problem.expression.strip().startswith("[")


FAMILY = Family(
    name="linear_system",
    description="Two linear equations in x and y with a unique solution; the answer is {x: ..., y: ...}.",
    config_cls=LinearSystemConfig,
    presets=PRESETS,
    draw=draw,
    trace=lazy(f"{__name__}.trace", "linear_system_trace"),  # the trace reads equations with sympy
    present=mapping_forms,
    recognizes=recognizes,
    routes={name: lazy(f"{__name__}.routes", name) for name in ("elimination", "substitution", "cramer")},
)
