"""``inequalities``: linear and compound linear inequalities in x; the answer is an interval."""

from chukmath.families.contract import Family
from chukmath.families.inequalities.generator import PRESETS, InequalitiesConfig, draw, present, trace

FAMILY = Family(
    name="inequalities",
    description="Linear inequalities (x on one or both sides, compound a < bx + c <= d); interval answers.",
    config_cls=InequalitiesConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=present,
)
