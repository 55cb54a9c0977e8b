"""``inequalities``: linear, compound and quadratic inequalities in x; the answer is an interval or a union of two."""

from chukmath.families.contract import Family
from chukmath.families.inequalities.generator import PRESETS, InequalitiesConfig, draw, present, trace
from chukmath.families.inequalities.routes import ROUTES

FAMILY = Family(
    name="inequalities",
    description="Linear inequalities (x on one or both sides, compound a < bx + c <= d) and quadratic ones (two "
    "integer roots); interval answers, or a union of two intervals.",
    config_cls=InequalitiesConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=present,
    routes=ROUTES,
)
