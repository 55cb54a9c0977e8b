"""``functions``: evaluating, composing and inverting functions at a point."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.functions.generator import PRESETS, FunctionsConfig, draw, trace
from chukmath.families.functions.routes import ROUTES

FAMILY = Family(
    name="functions",
    description="Functions at a point: evaluate a polynomial, compose f(g(a)), invert a linear function.",
    config_cls=FunctionsConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
